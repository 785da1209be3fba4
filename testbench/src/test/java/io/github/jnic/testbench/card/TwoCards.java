package io.github.jnic.testbench.card;

import io.github.jnic.driver.HostBus;
import io.github.jnic.driver.NicDriver;
import io.github.jnic.net.eth.NetInterface;
import io.github.jnic.net.stack.NetStack;
import io.github.jnic.net.stack.Simulation;
import java.util.function.Consumer;

/**
 * Two stacks, 10.0.0.1 and 10.0.0.2/24, each on a {@link NicDriver} over its own card (the model
 * or the simulated RTL, {@link CardKind}), the cards joined by a cable, all in one virtual time.
 */
final class TwoCards {
    static final int A = 0x0a000001, B = 0x0a000002;
    static final int MEMORY = 8 << 20;

    final Simulation sim = new Simulation();
    final CardKind.Pair cards;
    final HostBus cardA, cardB;
    final NicDriver a, b;
    final NetStack stackA = sim.add(new NetStack());
    final NetStack stackB = sim.add(new NetStack());
    final NetInterface ifA, ifB;

    TwoCards(CardKind kind) { this(kind, c -> {}); }

    /** {@code tune} adjusts both drivers' configuration before bring-up. */
    TwoCards(CardKind kind, Consumer<NicDriver.Config> tune) {
        cards = kind.pair(sim.clock(), MEMORY, 1);
        cardA = cards.a();
        cardB = cards.b();
        a = new NicDriver(cardA, config("jnicA", 1, tune));
        b = new NicDriver(cardB, config("jnicB", 2, tune));
        ifA = stackA.addInterface(a);
        ifB = stackB.addInterface(b);
        stackA.addAddress(ifA, "10.0.0.1/24");
        stackB.addAddress(ifB, "10.0.0.2/24");
        // a simulated card learns of its link from its PHY's first polls
        if (!sim.runUntil(() -> a.linkUp() && b.linkUp(), 10_000_000)) throw new AssertionError("the links did not come up");
    }

    static NicDriver.Config config(String name, int host, Consumer<NicDriver.Config> tune) {
        NicDriver.Config c = new NicDriver.Config();
        c.name = name;
        c.mac = new byte[] {0x02, 0x4a, 0x4e, 0, 0, (byte) host};
        tune.accept(c);
        return c;
    }
}

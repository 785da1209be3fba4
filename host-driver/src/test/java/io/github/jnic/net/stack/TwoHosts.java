package io.github.jnic.net.stack;

import io.github.jnic.net.dev.FaultInjector;
import io.github.jnic.net.dev.MemoryLink;
import io.github.jnic.net.eth.NetInterface;

/** Two stacks, 10.0.0.1 and 10.0.0.2/24, joined by a {@link MemoryLink} in virtual time. */
final class TwoHosts {
    final Simulation sim = new Simulation();
    final MemoryLink link;
    final NetStack a = sim.add(new NetStack());
    final NetStack b = sim.add(new NetStack());
    final NetInterface ifA;
    final NetInterface ifB;

    TwoHosts() { this(FaultInjector.none(), FaultInjector.none()); }

    TwoHosts(FaultInjector aToB, FaultInjector bToA) {
        this(aToB, bToA, 1500);
    }

    TwoHosts(FaultInjector aToB, FaultInjector bToA, int mtu) {
        link = new MemoryLink(sim.clock(), aToB, bToA, mtu);
        ifA = a.addInterface(link.a());
        ifB = b.addInterface(link.b());
        a.addAddress(ifA, "10.0.0.1/24");
        b.addAddress(ifB, "10.0.0.2/24");
    }

    static final int A = 0x0a000001;
    static final int B = 0x0a000002;
}

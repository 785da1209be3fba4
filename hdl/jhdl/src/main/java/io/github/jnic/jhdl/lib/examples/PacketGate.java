package io.github.jnic.jhdl.lib.examples;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.lib.Fsm;
import io.github.jnic.jhdl.lib.Stream;

/**
 * Passes or drops whole packets of a byte stream: {@code open} is sampled when a packet starts, and
 * the packet goes through entirely or not at all. {@code dropped} counts the packets dropped. The
 * decision takes one clock per packet. A small finite-state machine written with {@link Fsm}.
 */
public class PacketGate extends Module {
    public enum Mode { IDLE, PASS, DROP }

    public final Bool open = input(bool());
    public final Stream<UInt> in = input(Stream.packets(uint(8)));
    public final Stream<UInt> out = output(Stream.packets(uint(8)));
    public final UInt dropped = output(reg(uint(16), 0));
    public final UInt state = output(uint(2));
    final Fsm<Mode> gate = new Fsm<>(Mode.IDLE);

    public PacketGate() {
        out.payload.assign(in.payload);
        out.last.assign(in.last);
        out.valid.assign(in.valid.and(gate.is(Mode.PASS)));
        in.ready.assign(gate.is(Mode.DROP).or(gate.is(Mode.PASS).and(out.ready)));
        Bool endOfPacket = in.fire().and(in.last).named("endOfPacket");
        gate.on(Mode.IDLE, () -> when(in.valid, () -> when(open, () -> gate.goTo(Mode.PASS)).otherwise(() -> gate.goTo(Mode.DROP))))
            .on(Mode.PASS, () -> when(endOfPacket, () -> gate.goTo(Mode.IDLE)))
            .on(Mode.DROP, () -> when(endOfPacket, () -> gate.goTo(Mode.IDLE)));
        when(gate.entering(Mode.DROP), () -> dropped.next(dropped.plus(1)));
        state.assign(gate.state);
    }
}

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
    public enum Gate { IDLE, PASS, DROP }

    public final Bool open = input(bool());
    public final Stream<UInt> in = input(Stream.packets(uint(8)));
    public final Stream<UInt> out = output(Stream.packets(uint(8)));
    public final UInt dropped = output(reg(uint(16), 0));
    public final UInt state = output(uint(2));

    public PacketGate() {
        Fsm<Gate> gate = new Fsm<>(Gate.IDLE);
        out.payload.assign(in.payload);
        out.last.assign(in.last);
        out.valid.assign(in.valid.and(gate.is(Gate.PASS)));
        in.ready.assign(gate.is(Gate.DROP).or(gate.is(Gate.PASS).and(out.ready)));
        Bool endOfPacket = in.fire().and(in.last).named("endOfPacket");
        gate.on(Gate.IDLE, () -> when(in.valid, () -> when(open, () -> gate.goTo(Gate.PASS)).otherwise(() -> gate.goTo(Gate.DROP))))
            .on(Gate.PASS, () -> when(endOfPacket, () -> gate.goTo(Gate.IDLE)))
            .on(Gate.DROP, () -> when(endOfPacket, () -> gate.goTo(Gate.IDLE)));
        when(gate.entering(Gate.DROP), () -> dropped.next(dropped.plus(1)));
        state.assign(gate.state);
    }
}

package io.github.jnic.nic.mac;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.ClockDomain;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.lib.Flow;
import io.github.jnic.jhdl.lib.Stream;
import java.util.function.Supplier;

/**
 * What every MAC top has, whatever its PHY: frames in ({@code tx}) and out ({@code rx}), the
 * inter-frame gap, the jumbo switch and the statistics of each direction. A subclass declares its
 * PHY pins, calls {@link #build} with the clock domains of the two directions, then joins its PHY
 * adapter to {@link #macTx} and {@link #macRx}. Everything on the transmit side (stream, gap,
 * transmit statistics) is in the transmit domain; the receive side in the receive domain.
 */
public abstract class EthernetMac extends Module {
    public static final int MAX_FRAME = 1518;
    public static final int MAX_JUMBO_FRAME = 9018;

    /** Frames to send ({@code user}: send this frame as bad). */
    public final Stream<UInt> tx = input(Stream.packets(uint(8), 1));
    /** Frames received, FCS removed ({@code user} on the last beat: the frame is bad). */
    public final Flow<UInt> rx = output(Flow.packets(uint(8), 1));
    /** Inter-frame gap in byte times (at least 12). */
    public final UInt ifg = input(uint(8));
    /** Accept frames up to 9018 bytes instead of 1518 (FCS included). */
    public final Bool jumbo = input(bool());
    public final CounterPort txStats = input(new CounterPort());
    public final CounterPort rxStats = input(new CounterPort());
    /** Each frame received, good or bad, as it ends (receive domain). */
    public final Flow<FrameEvent> rxEvent = output(Flow.of(new FrameEvent()));
    /** Each frame sent, as it leaves (transmit domain). */
    public final Flow<FrameEvent> txEvent = output(Flow.of(new FrameEvent()));

    protected MacTx macTx;
    protected MacRx macRx;
    protected TxStats txCounters;
    protected RxStats rxCounters;

    /** Builds the MAC core and its statistics in the given domains. */
    protected void build(ClockDomain txDomain, ClockDomain rxDomain) {
        macTx = in(txDomain, MacTx::new).named("macTx");
        txCounters = in(txDomain, TxStats::new).named("txCounters");
        macRx = in(rxDomain, MacRx::new).named("macRx");
        rxCounters = in(rxDomain, RxStats::new).named("rxCounters");

        macTx.in.connectFrom(tx);
        macTx.ifg.assign(ifg);
        txCounters.countFrom(macTx);
        txCounters.read.connectFrom(txStats);

        rx.connectFrom(macRx.out);
        macRx.maxLength.assign(mux(jumbo, U(MacRx.LENGTH_BITS, MAX_JUMBO_FRAME), U(MacRx.LENGTH_BITS, MAX_FRAME)));
        rxCounters.countFrom(macRx);
        rxCounters.read.connectFrom(rxStats);

        withDomain(rxDomain, () -> {
            Destination d = new Destination(macRx.out.valid, macRx.out.payload, macRx.out.last, "rx");
            rxEvent.valid.assign(macRx.done);
            rxEvent.payload.bad.assign(macRx.doneBad);
            rxEvent.payload.fcsError.assign(macRx.doneFcsError);
            rxEvent.payload.runt.assign(macRx.doneRunt);
            rxEvent.payload.oversize.assign(macRx.doneOversize);
            rxEvent.payload.phyError.assign(macRx.donePhyError);
            rxEvent.payload.multicast.assign(d.multicast);
            rxEvent.payload.broadcast.assign(d.broadcast);
            rxEvent.payload.octets.assign(macRx.doneOctets);
        });
        withDomain(txDomain, () -> {
            Destination d = new Destination(tx.fire(), tx.payload, tx.last, "tx");
            txEvent.valid.assign(macTx.done);
            txEvent.payload.bad.assign(macTx.doneBad);
            txEvent.payload.fcsError.assign(false);
            txEvent.payload.runt.assign(false);
            txEvent.payload.oversize.assign(false);
            txEvent.payload.phyError.assign(false);
            txEvent.payload.multicast.assign(d.multicast);
            txEvent.payload.broadcast.assign(d.broadcast);
            txEvent.payload.octets.assign(macTx.doneOctets);
        });
    }

    /**
     * The kind of a frame's destination address, from its first six bytes as they pass: valid from
     * the frame's seventh byte until the next frame starts (so at the frame's {@code done}).
     */
    private static final class Destination {
        final Bool multicast;
        final Bool broadcast;

        Destination(Bool take, UInt data, Bool last, String prefix) {
            UInt index = reg(uint(3), 0).named(prefix + "DestinationByte");
            multicast = reg(bool(), false).named(prefix + "Multicast");
            broadcast = reg(bool(), false).named(prefix + "Broadcast");
            Bool first = index.eq(0);
            when(take, () -> {
                when(last, () -> index.next(0)).elseWhen(index.ne(6), () -> index.next(index.plus(1)));
                when(first, () -> {
                    multicast.next(data.bit(0));
                    broadcast.next(data.eq(0xFF));
                }).elseWhen(index.lt(6).and(data.ne(0xFF)), () -> broadcast.next(false));
            });
        }
    }

    private static <T> T in(ClockDomain domain, Supplier<T> create) {
        Object[] made = new Object[1];
        withDomain(domain, () -> made[0] = create.get());
        @SuppressWarnings("unchecked")
        T t = (T) made[0];
        return t;
    }
}

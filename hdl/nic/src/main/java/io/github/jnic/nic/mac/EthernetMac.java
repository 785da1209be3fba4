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
    }

    private static <T> T in(ClockDomain domain, Supplier<T> create) {
        Object[] made = new Object[1];
        withDomain(domain, () -> made[0] = create.get());
        @SuppressWarnings("unchecked")
        T t = (T) made[0];
        return t;
    }
}

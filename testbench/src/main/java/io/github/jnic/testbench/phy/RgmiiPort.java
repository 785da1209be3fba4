package io.github.jnic.testbench.phy;

import io.github.jnic.testbench.sim.PinPlayer;
import io.github.jnic.testbench.sim.Simulator;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The PHY side of a design's RGMII port at 1000 Mb/s, for runs of any length ({@link PhyPort}): the
 * transmit pins are decoded as they go. Between frames the receive pins carry idle: the player is kept fed, so its
 * vectors stay paired with the clock's edges (the rising-edge half first), and a frame queued now is on
 * the pins within the idle already queued; {@link #underruns} (never expected) counts edges it ran dry.
 *
 * <p>The transmit pins are sampled on both edges of the design's transmit clock; a byte is the values
 * before a falling edge (TXC high: the low nibble and TX_EN) and before the next rising edge (TXC low:
 * the high nibble and TX_EN xor TX_ER), found by TXC itself, so decoding needs no alignment from outside.
 */
public final class RgmiiPort extends PhyPort {
    private static final long[] IDLE = {0, 0};
    private final RgmiiWire wire = new RgmiiWire();
    private final PinPlayer tx;
    private long[] firstHalf;

    /**
     * Moves the simulation to just after a rising edge of {@code rxClock}, where the receive pins'
     * first vector is queued. {@code sink} gets every good frame the design sends, without preamble and FCS.
     */
    public RgmiiPort(Simulator sim, String txClock, String rxClock, String prefix, Consumer<byte[]> sink) {
        super(player(sim, rxClock, prefix), 2, sink);
        tx = new PinPlayer(sim, txClock, PinPlayer.Edges.BOTH, List.of(),
                List.of(sim.port(prefix + "Txd"), sim.port(prefix + "TxCtl"), sim.port(prefix + "Txc")));
        feed(64);
    }

    private static PinPlayer player(Simulator sim, String rxClock, String prefix) {
        sim.step(rxClock, 1);
        return new PinPlayer(sim, rxClock, PinPlayer.Edges.BOTH, List.of(sim.port(prefix + "Rxd"), sim.port(prefix + "RxCtl")), List.of());
    }

    @Override
    protected long[][] encode(Burst burst) {
        return backToBack(wire.encode(List.of(burst)), RgmiiWire.TRAILING_IDLE);
    }

    /** Keeps at least {@code edges} vectors queued on the receive pins (idle if nothing else), so they never run dry. */
    public void feed(long edges) {
        long missing = edges - rx.queued();
        if (missing <= 0) return;
        long[][] idle = new long[(int) (missing + (missing & 1))][];
        Arrays.fill(idle, IDLE);
        rx.play(idle);
    }

    @Override
    public void drain() {
        for (long[] v : tx.recorded()) {
            if (v[2] == 1) {               // before a falling edge: the first half of a byte
                firstHalf = v;
                continue;
            }
            long[] first = firstHalf;
            firstHalf = null;
            if (first == null) continue;    // a low half without its high one (the recording's start)
            if (first[1] != 0) transmitted((int) (first[0] | v[0] << 4), (first[1] ^ v[1]) != 0);
            else idle();
        }
    }
}

package io.github.jnic.testbench.phy;

import io.github.jnic.testbench.sim.PinPlayer;
import io.github.jnic.testbench.sim.Simulator;
import java.util.List;
import java.util.function.Consumer;

/**
 * The PHY side of a design's RMII port at 100 Mb/s, for runs of any length ({@link PhyPort}): both
 * directions on the rising edges of the 50 MHz reference clock, a dibit a clock, least significant
 * first ({@link RmiiWire}'s encoding, CRS_DV steady). When nothing is queued the receive pins hold
 * their last values, the idle after a frame. The transmit pins are decoded as they go: four dibits a
 * byte while TX_EN is high, the frame's end where it falls.
 */
public final class RmiiPort extends PhyPort {
    private final RmiiWire wire = new RmiiWire(false, false);
    private final PinPlayer tx;
    private int dibits, value;

    /** The port on the design's {@code rmiiRxd}, {@code rmiiCrsDv}, {@code rmiiTxd}, {@code rmiiTxEn}, clocked by {@code refClk}. */
    public RmiiPort(Simulator sim, String refClk, Consumer<byte[]> sink) {
        super(new PinPlayer(sim, refClk, PinPlayer.Edges.RISING, List.of(sim.port("rmiiRxd"), sim.port("rmiiCrsDv")), List.of()), 4, sink);
        tx = new PinPlayer(sim, refClk, PinPlayer.Edges.RISING, List.of(), List.of(sim.port("rmiiTxd"), sim.port("rmiiTxEn")));
    }

    @Override
    protected long[][] encode(Burst burst) {
        long[][] v = backToBack(wire.encode(List.of(burst)), wire.trailingIdle());
        long[][] pins = new long[v.length][];
        for (int i = 0; i < v.length; i++) pins[i] = new long[] {v[i][0], v[i][1]};   // no RX_ER on the pins
        return pins;
    }

    @Override
    public void drain() {
        for (long[] v : tx.recorded()) {
            if (v[1] == 0) {
                dibits = 0;
                value = 0;
                idle();
                continue;
            }
            value |= (int) v[0] << 2 * dibits;
            if (++dibits == 4) {
                transmitted(value, false);
                dibits = 0;
                value = 0;
            }
        }
    }
}

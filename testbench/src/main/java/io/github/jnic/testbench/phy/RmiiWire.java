package io.github.jnic.testbench.phy;

import io.github.jnic.testbench.sim.PinPlayer;
import java.util.ArrayList;
import java.util.List;

/**
 * RMII: a dibit per clock of the 50 MHz reference clock at 100 Mb/s, each held ten clocks at
 * 10 Mb/s, least significant dibit first. Receive data come with CRS_DV; as real PHYs do, the model
 * can make CRS_DV toggle at nibble boundaries over the last two bytes of a frame (carrier gone, data
 * still draining). RMII has no TX_ER.
 */
public final class RmiiWire implements PhyWire {
    private static final long PERIOD_PS = 20_000;
    private final int repeat;
    private final boolean toggleCrsDv;

    /** @param speed10 10 Mb/s (each dibit lasts ten clocks) instead of 100 */
    public RmiiWire(boolean speed10, boolean toggleCrsDv) {
        this.repeat = speed10 ? 10 : 1;
        this.toggleCrsDv = toggleCrsDv;
    }

    @Override
    public String name() {
        return "RMII " + (repeat == 10 ? "10" : "100") + " Mb/s";
    }

    @Override
    public boolean hasTxError() {
        return false;
    }

    @Override
    public Side transmit() {
        return new Side("refClk", PERIOD_PS, PinPlayer.Edges.RISING, List.of("rmiiTxd", "rmiiTxEn"), "reset");
    }

    @Override
    public Side receive() {
        return new Side("refClk", PERIOD_PS, PinPlayer.Edges.RISING, List.of("rmiiRxd", "rmiiCrsDv", "rmiiRxEr"), "reset");
    }

    @Override
    public int clocksPerByte() {
        return 4 * repeat;
    }

    @Override
    public long[][] encode(List<Burst> bursts) {
        List<long[]> out = new ArrayList<>();
        for (Burst b : bursts) {
            for (int i = 0; i < 4 * repeat * b.idleBefore(); i++) out.add(new long[] {0, 0, 0});
            int n = b.bytes().length;
            for (int i = 0; i < n; i++) {
                int v = b.bytes()[i] & 0xff;
                long er = b.errors().get(i) ? 1 : 0;
                boolean draining = toggleCrsDv && i >= n - 2;
                for (int d = 0; d < 4; d++) dibit(out, v >> (2 * d) & 3, draining && d % 2 == 0 ? 0 : 1, er);
            }
            if (b.oddNibble()) {
                dibit(out, 0, toggleCrsDv ? 0 : 1, 0);
                dibit(out, 0, 1, 0);
            }
        }
        for (int i = 0; i < trailingIdle(); i++) out.add(new long[] {0, 0, 0});
        return out.toArray(new long[0][]);
    }

    /** Idle vectors {@link #encode} puts after the last burst (four byte times). */
    int trailingIdle() {
        return 16 * repeat;
    }

    private void dibit(List<long[]> out, long value, long crsDv, long er) {
        for (int r = 0; r < repeat; r++) out.add(new long[] {value, crsDv, er});
    }

    @Override
    public List<Burst> decode(long[][] recorded) {
        BurstCollector c = new BurstCollector();
        int idleClocks = 0;
        for (int i = 0; i < recorded.length; ) {
            if (recorded[i][1] == 0) {
                idleClocks++;
                i++;
                continue;
            }
            c.idle(idleClocks / (4 * repeat));
            idleClocks = 0;
            List<Long> dibits = new ArrayList<>();
            for (; i < recorded.length && recorded[i][1] != 0; i += repeat) {
                for (int r = 1; r < repeat; r++) {
                    if (i + r < recorded.length && (recorded[i + r][0] != recorded[i][0] || recorded[i + r][1] == 0)) {
                        throw new IllegalStateException("a dibit changed within its " + repeat + " clocks at clock " + (i + r));
                    }
                }
                dibits.add(recorded[i][0]);
            }
            int whole = dibits.size() / 4 * 4;
            for (int d = 0; d < whole; d += 4) {
                c.data((int) (dibits.get(d) | dibits.get(d + 1) << 2 | dibits.get(d + 2) << 4 | dibits.get(d + 3) << 6), false);
            }
            c.end(whole != dibits.size());
        }
        return c.bursts();
    }
}

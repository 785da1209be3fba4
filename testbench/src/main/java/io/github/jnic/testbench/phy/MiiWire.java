package io.github.jnic.testbench.phy;

import io.github.jnic.testbench.sim.PinPlayer;
import java.util.ArrayList;
import java.util.List;

/** MII: a nibble per clock (25 MHz for 100 Mb/s), low nibble first, with TX_EN/RX_DV and TX_ER/RX_ER. */
public final class MiiWire implements PhyWire {
    private static final long PERIOD_PS = 40_000;

    @Override
    public String name() {
        return "MII";
    }

    @Override
    public boolean hasTxError() {
        return true;
    }

    @Override
    public Side transmit() {
        return new Side("txClk", PERIOD_PS, PinPlayer.Edges.RISING, List.of("miiTxd", "miiTxEn", "miiTxEr"), "txReset");
    }

    @Override
    public Side receive() {
        return new Side("rxClk", PERIOD_PS, PinPlayer.Edges.RISING, List.of("miiRxd", "miiRxDv", "miiRxEr"), "rxReset");
    }

    @Override
    public int clocksPerByte() {
        return 2;
    }

    @Override
    public long[][] encode(List<Burst> bursts) {
        List<long[]> out = new ArrayList<>();
        for (Burst b : bursts) {
            for (int i = 0; i < 2 * b.idleBefore(); i++) out.add(new long[] {0, 0, 0});
            for (int i = 0; i < b.bytes().length; i++) {
                int v = b.bytes()[i] & 0xff;
                long er = b.errors().get(i) ? 1 : 0;
                out.add(new long[] {v & 0xf, 1, er});
                out.add(new long[] {v >> 4, 1, er});
            }
            if (b.oddNibble()) out.add(new long[] {0, 1, 0});
        }
        for (int i = 0; i < 32; i++) out.add(new long[] {0, 0, 0});
        return out.toArray(new long[0][]);
    }

    @Override
    public List<Burst> decode(long[][] recorded) {
        BurstCollector c = new BurstCollector();
        int idleNibbles = 0;
        for (int i = 0; i < recorded.length; ) {
            if (recorded[i][1] == 0) {
                idleNibbles++;
                i++;
                continue;
            }
            c.idle(idleNibbles / 2);
            idleNibbles = 0;
            while (i < recorded.length && recorded[i][1] != 0) {
                if (i + 1 < recorded.length && recorded[i + 1][1] != 0) {
                    c.data((int) (recorded[i][0] | recorded[i + 1][0] << 4), recorded[i][2] != 0 || recorded[i + 1][2] != 0);
                    i += 2;
                } else {
                    c.end(true);
                    i++;
                }
            }
            c.end(false);
        }
        return c.bursts();
    }
}

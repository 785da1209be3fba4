package io.github.jnic.testbench.phy;

import io.github.jnic.testbench.sim.PinPlayer;
import java.util.ArrayList;
import java.util.List;

/** GMII: a byte per clock of 125 MHz each way, with TX_EN/RX_DV and TX_ER/RX_ER. */
public final class GmiiWire implements PhyWire {
    private static final long PERIOD_PS = 8_000;

    @Override
    public String name() {
        return "GMII";
    }

    @Override
    public boolean hasTxError() {
        return true;
    }

    @Override
    public Side transmit() {
        return new Side("txClk", PERIOD_PS, PinPlayer.Edges.RISING, List.of("gmiiTxd", "gmiiTxEn", "gmiiTxEr"), "txReset");
    }

    @Override
    public Side receive() {
        return new Side("rxClk", PERIOD_PS, PinPlayer.Edges.RISING, List.of("gmiiRxd", "gmiiRxDv", "gmiiRxEr"), "rxReset");
    }

    @Override
    public int clocksPerByte() {
        return 1;
    }

    @Override
    public long[][] encode(List<Burst> bursts) {
        List<long[]> out = new ArrayList<>();
        for (Burst b : bursts) {
            if (b.oddNibble()) throw new IllegalArgumentException("GMII carries whole bytes only");
            for (int i = 0; i < b.idleBefore(); i++) out.add(new long[] {0, 0, 0});
            for (int i = 0; i < b.bytes().length; i++) out.add(new long[] {b.bytes()[i] & 0xff, 1, b.errors().get(i) ? 1 : 0});
        }
        for (int i = 0; i < 16; i++) out.add(new long[] {0, 0, 0});
        return out.toArray(new long[0][]);
    }

    @Override
    public List<Burst> decode(long[][] recorded) {
        BurstCollector c = new BurstCollector();
        for (long[] v : recorded) {
            if (v[1] != 0) {
                c.data((int) v[0], v[2] != 0);
            } else {
                c.end(false);
                c.idle(1);
            }
        }
        return c.bursts();
    }
}

package io.github.jnic.testbench.phy;

import io.github.jnic.testbench.sim.PinPlayer;
import java.util.ArrayList;
import java.util.List;

/**
 * RGMII at 1000 Mb/s: four data pins and a control pin on both edges of a 125 MHz clock. The
 * rising edge carries the low nibble and TX_EN (RX_DV), the falling edge the high nibble and
 * TX_EN xor TX_ER (RX_DV xor RX_ER). Decoding also checks that TXC is forwarded high in the first
 * half of each byte time.
 */
public final class RgmiiWire implements PhyWire {
    private static final long PERIOD_PS = 8_000;
    /** Idle vectors {@link #encode} puts after the last burst (16 byte times). */
    static final int TRAILING_IDLE = 32;

    @Override
    public String name() {
        return "RGMII";
    }

    @Override
    public boolean hasTxError() {
        return true;
    }

    @Override
    public Side transmit() {
        return new Side("txClk", PERIOD_PS, PinPlayer.Edges.BOTH, List.of("rgmiiTxd", "rgmiiTxCtl", "rgmiiTxc"), "txReset");
    }

    @Override
    public Side receive() {
        return new Side("rgmiiRxc", PERIOD_PS, PinPlayer.Edges.BOTH, List.of("rgmiiRxd", "rgmiiRxCtl"), "rxReset");
    }

    @Override
    public int clocksPerByte() {
        return 1;
    }

    /**
     * Vectors in pairs, rising-edge half first: they are meant to be queued while the simulation
     * rests right after a rising edge (where {@code step} leaves it), so the first one is driven
     * after the falling edge and sampled on the next rising edge.
     */
    @Override
    public long[][] encode(List<Burst> bursts) {
        List<long[]> out = new ArrayList<>();
        for (Burst b : bursts) {
            if (b.oddNibble()) throw new IllegalArgumentException("RGMII at 1000 Mb/s carries whole bytes only");
            for (int i = 0; i < b.idleBefore(); i++) {
                out.add(new long[] {0, 0});
                out.add(new long[] {0, 0});
            }
            for (int i = 0; i < b.bytes().length; i++) {
                int v = b.bytes()[i] & 0xff;
                long er = b.errors().get(i) ? 1 : 0;
                out.add(new long[] {v & 0xf, 1});
                out.add(new long[] {v >> 4, 1 ^ er});
            }
        }
        for (int i = 0; i < TRAILING_IDLE; i++) out.add(new long[] {0, 0});
        return out.toArray(new long[0][]);
    }

    /**
     * Recorded values are those just before each edge, starting with a rising one: before a falling
     * edge the pins show the rising-edge half (low nibble), before the next rising edge the other.
     */
    @Override
    public List<Burst> decode(long[][] recorded) {
        BurstCollector c = new BurstCollector();
        for (int i = 1; i + 1 < recorded.length; i += 2) {
            long[] first = recorded[i], second = recorded[i + 1];
            if (first[2] != 1 || second[2] != 0) throw new IllegalStateException("TXC is not high then low around edge " + i);
            boolean en = first[1] != 0;
            if (en) {
                c.data((int) (first[0] | second[0] << 4), (first[1] ^ second[1]) != 0);
            } else {
                c.end(false);
                c.idle(1);
            }
        }
        c.end(false);
        return c.bursts();
    }
}

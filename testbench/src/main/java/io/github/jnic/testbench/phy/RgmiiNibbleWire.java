package io.github.jnic.testbench.phy;

import io.github.jnic.testbench.sim.PinPlayer;
import java.util.ArrayList;
import java.util.List;

/**
 * RGMII at 100 or 10 Mb/s (RGMII 2.0, section 3.3): one nibble per period of a 25 or 2.5 MHz clock,
 * low nibble first, taken on the clock's rising edge; the control pin is TX_EN (RX_DV) at the rising
 * edge and TX_EN xor TX_ER at the falling one. The PHY drives RXC; the MAC makes TXC from its 125 MHz
 * clock, so the transmit pins are recorded on both edges of 125 MHz and decoding finds TXC's edges
 * in them, checking its period and its duty cycle and taking each nibble where TXC rises.
 */
public final class RgmiiNibbleWire implements PhyWire {
    private static final long TX_CLOCK_PS = 8_000;
    /** 125 MHz clocks per nibble: 5 at 100 Mb/s, 50 at 10 Mb/s. */
    private final int clocksPerNibble;

    public RgmiiNibbleWire(boolean tenMbps) {
        clocksPerNibble = tenMbps ? 50 : 5;
    }

    @Override
    public String name() {
        return "RGMII " + (clocksPerNibble == 5 ? 100 : 10) + " Mb/s";
    }

    @Override
    public boolean hasTxError() {
        return true;
    }

    @Override
    public Side transmit() {
        return new Side("txClk", TX_CLOCK_PS, PinPlayer.Edges.BOTH, List.of("rgmiiTxd", "rgmiiTxCtl", "rgmiiTxc"), "txReset");
    }

    @Override
    public Side receive() {
        return new Side("rgmiiRxc", TX_CLOCK_PS * clocksPerNibble, PinPlayer.Edges.BOTH, List.of("rgmiiRxd", "rgmiiRxCtl"), "rxReset");
    }

    @Override
    public int clocksPerByte() {
        return 2 * clocksPerNibble;
    }

    /** Two vectors per nibble (RXC's high half, then its low half), the nibble on both. */
    @Override
    public long[][] encode(List<Burst> bursts) {
        List<long[]> out = new ArrayList<>();
        for (Burst b : bursts) {
            for (int i = 0; i < 4 * b.idleBefore(); i++) out.add(new long[] {0, 0});
            for (int i = 0; i < b.bytes().length; i++) {
                int v = b.bytes()[i] & 0xff;
                long er = b.errors().get(i) ? 1 : 0;
                for (int nibble : new int[] {v & 0xf, v >> 4}) {
                    out.add(new long[] {nibble, 1});
                    out.add(new long[] {nibble, 1 ^ er});
                }
            }
            if (b.oddNibble()) {
                out.add(new long[] {0, 1});
                out.add(new long[] {0, 1});
            }
        }
        for (int i = 0; i < 64; i++) out.add(new long[] {0, 0});
        return out.toArray(new long[0][]);
    }

    /** The first rising edge of TXC that begins a high half of exactly one nibble time after a low one as long. */
    private int firstPeriod(long[][] recorded) {
        int runStart = 0;
        int previousRun = 0;
        for (int i = 1; i < recorded.length; i++) {
            if (recorded[i][2] != recorded[i - 1][2]) {
                int run = i - runStart;
                if (recorded[i][2] == 1 && run == clocksPerNibble && previousRun == clocksPerNibble) return i;
                previousRun = run;
                runStart = i;
            }
        }
        return recorded.length;
    }

    /**
     * Recorded values are those just before each 125 MHz edge: entry i shows the pins during half
     * period i - 1. A nibble is what the pins hold in the first half where TXC is high; its error
     * bit comes from the control pin in the first half where TXC is low again.
     */
    @Override
    public List<Burst> decode(long[][] recorded) {
        List<long[]> nibbles = new ArrayList<>(); // {data, en, er}
        int lastRise = -1;
        // as a PHY does, start at the first whole period of TXC (what the MAC drives under reset,
        // before it knows its speed, is not a nibble clock); from there every period must be exact
        int start = firstPeriod(recorded);
        for (int i = start; i < recorded.length; i++) {
            if (recorded[i - 1][2] == 0 && recorded[i][2] == 1) {
                if (lastRise >= 0 && i - lastRise != 2 * clocksPerNibble) {
                    throw new IllegalStateException("TXC period of " + (i - lastRise) + " half clocks at " + i + ", not " + 2 * clocksPerNibble);
                }
                int fall = i;
                while (fall < recorded.length && recorded[fall][2] == 1) fall++;
                if (fall == recorded.length) break;
                if (fall - i != clocksPerNibble) throw new IllegalStateException("TXC high for " + (fall - i) + " half clocks at " + i);
                // TXD steady from a half clock before the rising edge to the falling one, TX_CTL on each
                // side of the falling edge (it may change at the rising one: TX_EN xor TX_ER to TX_EN)
                for (int k = i - 1; k < fall; k++) {
                    if (recorded[k][0] != recorded[i][0]) throw new IllegalStateException("TXD changes while TXC is high, half " + k);
                }
                for (int k = i; k < fall; k++) {
                    if (recorded[k][1] != recorded[i][1]) throw new IllegalStateException("TX_CTL changes while TXC is high, half " + k);
                }
                if (fall + 1 < recorded.length && recorded[fall + 1][1] != recorded[fall][1]) {
                    throw new IllegalStateException("TX_CTL changes right after TXC's falling edge, half " + fall);
                }
                boolean en = recorded[i][1] != 0;
                nibbles.add(new long[] {recorded[i][0], en ? 1 : 0, en != (recorded[fall][1] != 0) ? 1 : 0});
                lastRise = i;
            }
        }
        BurstCollector c = new BurstCollector();
        int idleNibbles = 0;
        for (int i = 0; i < nibbles.size(); ) {
            if (nibbles.get(i)[1] == 0) {
                idleNibbles++;
                i++;
                continue;
            }
            c.idle(idleNibbles / 2);
            idleNibbles = 0;
            while (i < nibbles.size() && nibbles.get(i)[1] != 0) {
                if (i + 1 < nibbles.size() && nibbles.get(i + 1)[1] != 0) {
                    c.data((int) (nibbles.get(i)[0] | nibbles.get(i + 1)[0] << 4), nibbles.get(i)[2] != 0 || nibbles.get(i + 1)[2] != 0);
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

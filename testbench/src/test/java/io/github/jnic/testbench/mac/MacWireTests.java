package io.github.jnic.testbench.mac;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.jhdl.Verilog;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import io.github.jnic.nic.mac.EthernetMac;
import io.github.jnic.nic.mac.RxStats;
import io.github.jnic.nic.mac.TxStats;
import io.github.jnic.testbench.phy.Burst;
import io.github.jnic.testbench.phy.Ethernet;
import io.github.jnic.testbench.phy.MacReference;
import io.github.jnic.testbench.phy.MacTestbench;
import io.github.jnic.testbench.phy.PhyWire;
import io.github.jnic.testbench.sim.StreamSink;
import io.github.jnic.testbench.sim.StreamSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The tests every MAC top passes, through its PHY wire model: transmit against the reference
 * burst for burst, receive with every error class against the reference frame for frame and in
 * the counters, and loopback from the transmit pins to the receive pins.
 */
abstract class MacWireTests {
    private final Supplier<EthernetMac> top;
    private final Supplier<PhyWire> wire;
    /** Random frames per test: fewer on slow wires. */
    private final int frames;
    private VerilogDesign design;

    MacWireTests(Supplier<EthernetMac> top, Supplier<PhyWire> wire, int frames) {
        this.top = top;
        this.wire = wire;
        this.frames = frames;
    }

    MacTestbench bench(long seed, double txGapChance) {
        if (design == null) design = Verilog.emit(top.get());
        return new MacTestbench(design, wire.get(), seed, txGapChance, straps());
    }

    /** Input ports held from the first clock (a MAC's speed, say); none by default. */
    Map<String, Long> straps() {
        return Map.of();
    }

    /** A frame with a real-looking header (local experimental EtherType 0x88B5) and random bytes. */
    static byte[] frame(Random random, int length) {
        byte[] f = new byte[length];
        random.nextBytes(f);
        if (length >= 14) {
            f[0] = 0x02;
            f[6] = 0x02;
            f[12] = (byte) 0x88;
            f[13] = (byte) 0xB5;
        }
        return f;
    }

    static List<StreamSource.Frame> stream(List<byte[]> frames) {
        return frames.stream().map(f -> new StreamSource.Frame(f, 0, 0)).toList();
    }

    @Test
    void transmitsPreamblePaddingFcsAndMinimumGapBackToBack() {
        Random random = new Random(1);
        List<byte[]> sent = new ArrayList<>();
        sent.add("123456789".getBytes());
        for (int i = 1; i < frames; i++) sent.add(frame(random, 1 + random.nextInt(1514)));
        try (MacTestbench tb = bench(1, 0)) {
            List<Burst> bursts = tb.transmit(stream(sent));
            assertEquals(sent.size(), bursts.size(), "one burst per frame");
            for (int i = 0; i < sent.size(); i++) {
                Burst expected = MacReference.transmit(sent.get(i)), got = bursts.get(i);
                assertArrayEquals(expected.bytes(), got.bytes(), "frame " + i + " of " + sent.get(i).length + " bytes");
                assertFalse(got.hasError() || got.oddNibble(), "frame " + i);
                if (i > 0) assertEquals(12, got.idleBefore(), "gap before frame " + i);
            }
            // the CRC-32 check value, as the standard's FCS byte order puts it on the wire
            assertArrayEquals(new byte[] {0x26, 0x39, (byte) 0xF4, (byte) 0xCB},
                    Arrays.copyOfRange(Ethernet.withFcs("123456789".getBytes()), 9, 13));
            assertEquals(sent.size(), tb.txCounter(TxStats.FRAMES));
            long octets = sent.stream().mapToLong(f -> Math.max(60, f.length) + 4).sum();
            assertEquals(octets, tb.txCounter(TxStats.OCTETS));
            assertEquals(0, tb.txCounter(TxStats.BAD_FRAMES));
            tb.clearCounters();
            assertEquals(0, tb.txCounter(TxStats.FRAMES));
            assertEquals(0, tb.txCounter(TxStats.OCTETS));
        }
    }

    @Test
    void keepsTheConfiguredGap() {
        Random random = new Random(2);
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 8; i++) sent.add(frame(random, 60 + random.nextInt(100)));
        try (MacTestbench tb = bench(2, 0)) {
            tb.sim().port("ifg").set(40);
            List<Burst> bursts = tb.transmit(stream(sent));
            for (int i = 1; i < bursts.size(); i++) assertEquals(40, bursts.get(i).idleBefore(), "gap " + i);
            tb.sim().port("ifg").set(3); // below the standard: 12 is kept
            bursts = tb.transmit(stream(sent));
            for (int i = 1; i < bursts.size(); i++) assertEquals(12, bursts.get(i).idleBefore(), "gap " + i);
        }
    }

    @Test
    void underrunsAndErrorFlagsEndTheFrameAsBad() {
        Random random = new Random(3);
        List<StreamSource.Frame> sent = new ArrayList<>();
        for (int i = 0; i < frames; i++) sent.add(new StreamSource.Frame(frame(random, 60 + random.nextInt(600)), i % 7 == 3 ? 1 : 0, 0));
        try (MacTestbench tb = bench(3, underrunGapChance())) {
            List<Burst> bursts = tb.transmit(sent);
            assertEquals(sent.size(), bursts.size(), "one burst per frame, none lost or doubled");
            int bad = 0, flagged = 0;
            for (int i = 0; i < sent.size(); i++) {
                Burst got = bursts.get(i);
                byte[] afterSfd = got.afterSfd();
                if (sent.get(i).user() != 0) {
                    // the first byte carries the error symbol, then the complemented FCS
                    assertEquals(1 + 4, afterSfd.length, "flagged frame " + i);
                    flagged++;
                }
                boolean fcsGood = Ethernet.fcsGood(afterSfd);
                if (tb.wire().hasTxError()) assertEquals(!fcsGood, got.hasError(), "TX_ER and a wrong FCS go together, frame " + i);
                if (!fcsGood) {
                    bad++;
                } else {
                    assertArrayEquals(MacReference.transmit(sent.get(i).data()).bytes(), got.bytes(), "good frame " + i);
                }
            }
            assertTrue(bad > flagged, "some frames underran (" + bad + " bad, " + flagged + " flagged)");
            assertEquals(bad, tb.txCounter(TxStats.BAD_FRAMES));
            assertEquals(bad - flagged, tb.txCounter(TxStats.UNDERRUNS));
            assertEquals(sent.size() - bad, tb.txCounter(TxStats.FRAMES));
        }
    }

    /** Receive bursts: good frames with short preambles, and each error class, against the reference. */
    @Test
    void receivesGoodFramesAndCountsEveryErrorClass() {
        Random random = new Random(4);
        List<Burst> bursts = new ArrayList<>();
        for (int i = 0; i < frames; i++) {
            byte[] f = Ethernet.withFcs(frame(random, 60 + random.nextInt(1455)));
            Burst b = Burst.of(Ethernet.onWire(f, 1 + random.nextInt(7)), 12 + random.nextInt(3));
            switch (i % 8) {
                case 1 -> { // FCS error
                    f[random.nextInt(f.length)] ^= (byte) (1 << random.nextInt(8));
                    b = Burst.of(Ethernet.onWire(f, 7), 12);
                }
                case 2 -> b = Burst.of(Ethernet.onWire(Ethernet.withFcs(frame(random, 1 + random.nextInt(59))), 7), 12); // runt
                case 3 -> b = Burst.of(Ethernet.onWire(Ethernet.withFcs(frame(random, 1515 + random.nextInt(200))), 7), 12); // oversize
                case 4 -> b = b.withError(b.preambleLength() + 1 + random.nextInt(f.length)); // PHY error
                case 5 -> b = oddNibbleCapable() ? b.withOddNibble() : b;
                default -> { }
            }
            bursts.add(b);
        }
        bursts.add(Burst.of(new byte[] {0x55, 0x55, 0x12, 0x34, 0x56}, 12)); // no SFD: ignored
        try (MacTestbench tb = bench(4, 0)) {
            List<StreamSink.Frame> got = tb.receive(bursts);
            checkReceived(tb, bursts, got, EthernetMac.MAX_FRAME);
        }
    }

    @Test
    void receivesAndSendsJumboFramesWhenAsked() {
        Random random = new Random(5);
        List<Burst> bursts = new ArrayList<>();
        for (int len : new int[] {9014, 1515, 9015, 4000, 60}) bursts.add(MacReference.transmit(frame(random, len)));
        try (MacTestbench tb = bench(5, 0)) {
            tb.sim().port("jumbo").set(1);
            checkReceived(tb, bursts, tb.receive(bursts), EthernetMac.MAX_JUMBO_FRAME);
            // and sent: a jumbo frame goes out whole, back to back with a small one
            byte[] big = frame(random, 9014), small = frame(random, 20);
            List<Burst> sent = tb.transmit(stream(List.of(big, small)));
            assertArrayEquals(MacReference.transmit(big).bytes(), sent.get(0).bytes());
            assertArrayEquals(MacReference.transmit(small).bytes(), sent.get(1).bytes());
            assertEquals(12, sent.get(1).idleBefore());
        }
    }

    /**
     * 802.3's size limits (clause 3.2.7, maxUntaggedFrameSize 1518, maxQTagFrameSize 1522): a frame
     * whose length/type is the 802.1Q TPID may be four bytes longer, with jumbo frames too; an
     * 802.1ad S-tag (0x88A8) is not an 802.1Q tag. The expected reasons are written out here, and the
     * reference must agree with them before the RTL is held to it.
     */
    @Test
    void aTaggedFrameMayBeFourBytesLonger() {
        Random random = new Random(7);
        for (boolean jumbo : new boolean[] {false, true}) {
            int max = jumbo ? EthernetMac.MAX_JUMBO_FRAME : EthernetMac.MAX_FRAME;
            // {length with FCS, TPID (0: untagged), 1 if oversize}
            int[][] cases = {{max, 0, 0}, {max + 1, 0, 1}, {max, 0x8100, 0}, {max + 3, 0x8100, 0}, {max + 4, 0x8100, 0},
                {max + 5, 0x8100, 1}, {max + 4, 0x88A8, 1}, {max + 4, 0, 1}, {64, 0x8100, 0}};
            List<Burst> bursts = new ArrayList<>();
            for (int[] c : cases) {
                byte[] f = frame(random, c[0] - Ethernet.FCS_LENGTH);
                if (c[1] != 0) {
                    f[12] = (byte) (c[1] >> 8);
                    f[13] = (byte) c[1];
                    f[16] = 0x08;   // the EtherType after the tag: IPv4
                    f[17] = 0x00;
                }
                Burst b = MacReference.transmit(f);
                MacReference.Reason expected = c[2] == 1 ? MacReference.Reason.OVERSIZE : MacReference.Reason.NONE;
                assertEquals(expected, MacReference.receive(b, max).reason(), "the reference, " + Arrays.toString(c));
                bursts.add(b);
            }
            try (MacTestbench tb = bench(7, 0)) {
                tb.sim().port("jumbo").set(jumbo ? 1 : 0);
                checkReceived(tb, bursts, tb.receive(bursts), max);
                assertEquals(4, tb.rxCounter(RxStats.OVERSIZE));
            }
        }
    }

    @Test
    void loopsBackThroughTheAdapterWithNothingLostOrDoubled() {
        Random random = new Random(6);
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < frames; i++) sent.add(frame(random, 1 + random.nextInt(1514)));
        try (MacTestbench tb = bench(6, 0)) {
            List<Burst> wire = tb.transmit(stream(sent));
            List<StreamSink.Frame> got = tb.receive(wire);
            assertEquals(sent.size(), got.size());
            for (int i = 0; i < sent.size(); i++) {
                byte[] padded = sent.get(i).length >= 60 ? sent.get(i) : Arrays.copyOf(sent.get(i), 60);
                assertArrayEquals(padded, got.get(i).data(), "frame " + i);
                assertEquals(0, got.get(i).user(), "frame " + i + " flagged bad");
            }
            assertEquals(sent.size(), tb.rxCounter(RxStats.FRAMES));
            assertEquals(0, tb.rxCounter(RxStats.BAD_FRAMES));
        }
    }

    /**
     * The source's chance of an empty cycle before a byte: a byte is missed only when the gaps
     * cover a whole byte time, so slower wires need a higher chance to underrun now and then.
     */
    double underrunGapChance() {
        return 0.002;
    }

    /** MII and RMII can end a frame on half a byte; GMII and RGMII cannot. */
    abstract boolean oddNibbleCapable();

    static void checkReceived(MacTestbench tb, List<Burst> bursts, List<StreamSink.Frame> got, int maxLength) {
        Map<MacReference.Reason, Integer> reasons = new EnumMap<>(MacReference.Reason.class);
        int k = 0, good = 0, bad = 0;
        long goodOctets = 0, badOctets = 0;
        for (int i = 0; i < bursts.size(); i++) {
            MacReference.Received r = MacReference.receive(bursts.get(i), maxLength);
            if (!r.counted()) continue;
            reasons.merge(r.reason(), 1, Integer::sum);
            if (r.bad()) {
                bad++;
                badOctets += r.octets();
            } else {
                good++;
                goodOctets += r.octets();
            }
            if (r.delivered() == null) continue;
            assertTrue(k < got.size(), "frame " + i + " was not delivered");
            StreamSink.Frame f = got.get(k++);
            assertArrayEquals(r.delivered(), f.data(), "burst " + i + " (" + r.reason() + ")");
            assertEquals(r.bad() ? 1 : 0, f.user(), "error flag of burst " + i + " (" + r.reason() + ")");
        }
        assertEquals(k, got.size(), "frames delivered");
        assertEquals(good, tb.rxCounter(RxStats.FRAMES));
        assertEquals(goodOctets, tb.rxCounter(RxStats.OCTETS));
        assertEquals(bad, tb.rxCounter(RxStats.BAD_FRAMES));
        assertEquals(badOctets, tb.rxCounter(RxStats.BAD_OCTETS));
        assertEquals(reasons.getOrDefault(MacReference.Reason.FCS_ERROR, 0), (int) tb.rxCounter(RxStats.FCS_ERRORS));
        assertEquals(reasons.getOrDefault(MacReference.Reason.RUNT, 0), (int) tb.rxCounter(RxStats.RUNTS));
        assertEquals(reasons.getOrDefault(MacReference.Reason.OVERSIZE, 0), (int) tb.rxCounter(RxStats.OVERSIZE));
        assertEquals(reasons.getOrDefault(MacReference.Reason.PHY_ERROR, 0), (int) tb.rxCounter(RxStats.PHY_ERRORS));
        assertEquals(reasons.getOrDefault(MacReference.Reason.ODD_NIBBLE, 0), (int) tb.rxCounter(RxStats.ODD_NIBBLES));
    }
}

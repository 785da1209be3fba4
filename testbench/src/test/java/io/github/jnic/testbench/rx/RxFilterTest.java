package io.github.jnic.testbench.rx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.jhdl.Verilog;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import io.github.jnic.nic.rx.RxFilter;
import io.github.jnic.nic.rx.RxFrame;
import io.github.jnic.spec.Registers;
import io.github.jnic.testbench.card.CardModel;
import io.github.jnic.testbench.sim.Simulator;
import io.github.jnic.testbench.sim.StreamSink;
import io.github.jnic.testbench.sim.StreamSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * RxFilter against {@link Reference}, the 8254x receive filter written from its rules (RCTL's UPE,
 * MPE, BAM and MO, the RAL/RAH exact entries with AV, the multicast table indexed as e1000's
 * {@code e1000_hash_mc_addr} does, CTRL.VME's 802.1Q strip): every frame's bytes and verdict, for
 * random frames under random register settings, with gaps on the input and back-pressure on the
 * output.
 */
class RxFilterTest {
    static final VerilogDesign DESIGN = Verilog.emit(new RxFilter());
    static final int ENTRIES = Registers.RECEIVE_ADDRESSES;

    /** The filter's registers, as the driver would program them. */
    static final class Registers8254x {
        int rctl;
        boolean vme;
        final long[] exact = new long[ENTRIES];   // the 48-bit address, first byte in bits 7:0
        final boolean[] valid = new boolean[ENTRIES];
        final int[] mta = new int[Registers.MTA_WORDS];
    }

    /** What the 8254x does with a frame: written from the rules, not from the RTL. */
    static final class Reference {
        /** Why a frame is accepted or not (the test counts them, so each rule is seen at work). */
        enum Why { EXACT, UNICAST_PROMISCUOUS, UNICAST_REJECTED, BROADCAST_ACCEPTED, BROADCAST_REJECTED, MULTICAST_PROMISCUOUS, HASH_HIT, HASH_MISS, SHORT }

        record Out(byte[] data, boolean bad, Why why, boolean stripped, int tci) {
            boolean accepted() {
                return why == Why.EXACT || why == Why.UNICAST_PROMISCUOUS || why == Why.BROADCAST_ACCEPTED
                        || why == Why.MULTICAST_PROMISCUOUS || why == Why.HASH_HIT;
            }
        }

        static Out filter(Registers8254x r, byte[] f, boolean bad) {
            Why why = f.length > 16 ? why(r, f) : Why.SHORT;   // two beats or fewer: never accepted (a runt anyway)
            // With VME, an 802.1Q tag followed by at least one byte is taken out into VLAN.
            if (r.vme && f.length > 16 && (f[12] & 0xFF) == 0x81 && f[13] == 0) {
                byte[] out = new byte[f.length - 4];
                System.arraycopy(f, 0, out, 0, 12);
                System.arraycopy(f, 16, out, 12, f.length - 16);
                return new Out(out, bad, why, true, (f[14] & 0xFF) << 8 | (f[15] & 0xFF));
            }
            return new Out(f, bad, why, false, 0);
        }

        static Why why(Registers8254x r, byte[] f) {
            long da = 0;
            for (int i = 5; i >= 0; i--) da = da << 8 | (f[i] & 0xFF);
            for (int n = 0; n < ENTRIES; n++) if (r.valid[n] && r.exact[n] == da) return Why.EXACT;
            boolean upe = bit(r.rctl, 3), mpe = bit(r.rctl, 4), bam = bit(r.rctl, 15);
            boolean multicast = (f[0] & 1) != 0, broadcast = da == 0xFFFF_FFFF_FFFFL;
            if (!multicast) return upe ? Why.UNICAST_PROMISCUOUS : Why.UNICAST_REJECTED;
            if (broadcast) return bam || mpe ? Why.BROADCAST_ACCEPTED : Why.BROADCAST_REJECTED;
            if (mpe) return Why.MULTICAST_PROMISCUOUS;
            int hash = hash(f, r.rctl >> 12 & 3);
            return (r.mta[hash >> 5 & 0x7F] >>> (hash & 0x1F) & 1) != 0 ? Why.HASH_HIT : Why.HASH_MISS;
        }

        /** e1000_hash_mc_addr: which 12 bits of address bytes 4 and 5 index the table, by MO. */
        static int hash(byte[] f, int mo) {
            int b4 = f[4] & 0xFF, b5 = f[5] & 0xFF;
            int h = switch (mo) {
                case 0 -> b4 >> 4 | b5 << 4;
                case 1 -> b4 >> 3 | b5 << 5;
                case 2 -> b4 >> 2 | b5 << 6;
                default -> b4 | b5 << 8;
            };
            return h & 0xFFF;
        }

        static boolean bit(int v, int b) {
            return (v >> b & 1) != 0;
        }
    }

    private final Simulator sim = Simulator.load(DESIGN);
    private final StreamSource source;
    private final StreamSink sink;
    private final Random random = new Random(21);

    RxFilterTest() {
        sim.resetHigh("reset", "clk", 2);
        source = new StreamSource(sim, "clk", new StreamSource.Pins(sim.port("in_valid"), sim.port("in_ready"), sim.port("in_payload_data"),
                sim.port("in_last"), sim.port("in_payload_keep"), sim.port("in_user")), 21, 0.2);
        sink = new StreamSink(sim, "clk", new StreamSource.Pins(sim.port("out_valid"), sim.port("out_ready"), sim.port("out_payload_data"),
                sim.port("out_last"), sim.port("out_payload_keep"), sim.port("out_user")), 22, 0.6);
    }

    @AfterEach
    void close() {
        sim.close();
    }

    /** Programs the registers into the design: the inputs, and the multicast table through its write port. */
    private void program(Registers8254x r) {
        sim.port("rctl").set(r.rctl & 0xFFFF_FFFFL);
        sim.port("vme").set(r.vme ? 1 : 0);
        for (int n = 0; n < ENTRIES; n++) {
            sim.port("ral_" + n).set(r.exact[n] & 0xFFFF_FFFFL);
            sim.port("rah_" + n).set((r.exact[n] >>> 32) | (r.valid[n] ? 1L << 31 : 0));
        }
        sim.port("mtaWrite").set(1);
        for (int i = 0; i < r.mta.length; i++) {
            sim.port("mtaIndex").set(i);
            sim.port("mtaData").set(r.mta[i] & 0xFFFF_FFFFL);
            sim.step("clk", 1);
        }
        sim.port("mtaWrite").set(0);
    }

    private static long address(byte[] mac) {
        long a = 0;
        for (int i = 5; i >= 0; i--) a = a << 8 | (mac[i] & 0xFF);
        return a;
    }

    private static byte[] mac(long a) {
        byte[] m = new byte[6];
        for (int i = 0; i < 6; i++) m[i] = (byte) (a >>> 8 * i);
        return m;
    }

    /** A destination of each kind the filter tells apart, some of them the table's entries or hits. */
    private byte[] destination(Registers8254x r) {
        return switch (random.nextInt(7)) {
            case 0 -> mac(r.exact[random.nextInt(ENTRIES)]);                 // an entry's address (valid or not)
            case 1 -> mac(0xFFFF_FFFF_FFFFL);                                  // broadcast
            case 2 -> { byte[] m = randomMac(); m[0] &= (byte) 0xFE; yield m; } // some other unicast
            case 3 -> { byte[] m = mac(r.exact[random.nextInt(ENTRIES)]); m[5] ^= 1; yield m; }  // one bit off an entry
            default -> { byte[] m = randomMac(); m[0] |= 1; yield m; }         // multicast, hashed
        };
    }

    private byte[] randomMac() {
        byte[] m = new byte[6];
        random.nextBytes(m);
        return m;
    }

    private byte[] frame(Registers8254x r) {
        int length = switch (random.nextInt(6)) {
            case 0 -> 1 + random.nextInt(24);        // short: shorter than the address, one beat, around the tag
            case 1 -> 1500 + random.nextInt(22);
            default -> 25 + random.nextInt(120);
        };
        byte[] f = new byte[length];
        random.nextBytes(f);
        System.arraycopy(destination(r), 0, f, 0, Math.min(6, length));
        if (length >= 14 && random.nextInt(3) != 0) {
            int tpid = random.nextInt(4) == 0 ? 0x88A8 : 0x8100;   // an 802.1ad tag is not stripped
            f[12] = (byte) (tpid >> 8);
            f[13] = (byte) tpid;
        }
        return f;
    }

    private Registers8254x randomRegisters(boolean sparseTable) {
        Registers8254x r = new Registers8254x();
        r.rctl = random.nextInt();   // every bit random: only UPE, MPE, BAM and MO may matter
        r.vme = random.nextBoolean();
        for (int n = 0; n < ENTRIES; n++) {
            byte[] m = randomMac();
            if (n == 1) m[0] |= 1;   // an exact entry for a multicast group
            r.exact[n] = address(m);
            r.valid[n] = random.nextInt(4) != 0;
        }
        // sparse tables and full ones
        int density = sparseTable ? 1 : random.nextInt(3);
        for (int i = 0; i < r.mta.length; i++) r.mta[i] = density == 0 ? 0 : density == 1 ? random.nextInt() & random.nextInt() & random.nextInt() : -1;
        return r;
    }

    @Test
    void everyFrameAndVerdictAsThe8254xRulesSay() {
        Map<String, Integer> seen = new TreeMap<>();
        for (int round = 0; round < 24; round++) {
            // the first rounds: no promiscuity, a sparse table, each MO twice; then anything
            Registers8254x r = randomRegisters(round < 8);
            if (round < 8) r.rctl = r.rctl & ~0x3018 | (round & 3) << 12;
            program(r);
            List<StreamSource.Frame> frames = new ArrayList<>();
            List<Reference.Out> expected = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                byte[] f = frame(r);
                boolean bad = random.nextInt(8) == 0;
                frames.add(new StreamSource.Frame(f, bad ? 1 : 0, random.nextInt(3)));
                expected.add(Reference.filter(r, f, bad));
            }
            source.send(frames);
            List<StreamSink.Frame> got = new ArrayList<>();
            for (int spin = 0; spin < 200 && got.size() < frames.size(); spin++) {
                sim.step("clk", 2000);
                got.addAll(sink.receive());
            }
            assertEquals(frames.size(), got.size(), "round " + round + ": frames out");
            for (int i = 0; i < got.size(); i++) {
                Reference.Out e = expected.get(i);
                long v = got.get(i).user();
                String what = "round " + round + " frame " + i + " (" + frames.get(i).data().length + " bytes, rctl 0x"
                        + Integer.toHexString(r.rctl) + ", vme " + r.vme + ", DA " + hex(frames.get(i).data()) + ", " + e.why() + ")";
                assertArrayEquals(e.data(), got.get(i).data(), what + ": bytes");
                assertEquals(e.bad(), RxFrame.BAD.isSet(v), what + ": BAD");
                assertEquals(!e.accepted(), RxFrame.DROP.isSet(v), what + ": DROP");
                assertEquals(e.stripped(), RxFrame.VP.isSet(v), what + ": VP");
                assertEquals(e.tci(), (int) RxFrame.VLAN.get(v), what + ": VLAN");
                assertEquals(0, v >>> RxFrame.CHECKED.lsb(), what + ": no checksum verdict here");
                seen.merge(e.why().toString(), 1, Integer::sum);
                if (e.why() == Reference.Why.HASH_HIT || e.why() == Reference.Why.HASH_MISS) seen.merge(e.why() + " MO " + (r.rctl >> 12 & 3), 1, Integer::sum);
                if (e.stripped()) seen.merge("stripped", 1, Integer::sum);
                if (e.bad()) seen.merge("bad", 1, Integer::sum);
            }
        }
        assertEquals(Reference.Why.values().length + 8 + 2, seen.size(), "every rule met: " + seen);
        assertTrue(seen.values().stream().allMatch(n -> n >= 3), "every rule met a few times: " + seen);
    }

    /** CardModel, the host's reference for the whole card, filters as the same rules say (and so as the RTL does). */
    @Test
    void theCardModelFiltersByTheSameRules() {
        for (int round = 0; round < 40; round++) {
            Registers8254x r = randomRegisters(round % 2 == 0);
            CardModel card = new CardModel(() -> 0, 4096);
            card.write(Registers.RCTL.offset(), r.rctl & ~(int) Registers.Rctl.EN.mask());   // the filter alone: no ring running
            for (int n = 0; n < ENTRIES; n++) {
                card.write(Registers.ral(n), (int) r.exact[n]);
                card.write(Registers.rah(n), (int) (r.exact[n] >>> 32) | (r.valid[n] ? 1 << 31 : 0));
            }
            for (int i = 0; i < r.mta.length; i++) card.write(Registers.MTA + 4 * i, r.mta[i]);
            for (int i = 0; i < 100; i++) {
                byte[] f = frame(r);
                if (f.length <= 16) continue;   // the filter takes no frame of two beats or fewer (a runt anyway)
                Reference.Out e = Reference.filter(r, f, false);
                assertEquals(e.accepted(), card.accepts(f), "round " + round + ", rctl 0x" + Integer.toHexString(r.rctl) + ", DA " + hex(f) + ", " + e.why());
            }
        }
    }

    private static String hex(byte[] f) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(6, f.length); i++) b.append(String.format("%02x", f[i] & 0xFF));
        return b.toString();
    }
}

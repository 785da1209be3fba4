package io.github.jnic.testbench.offload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.jhdl.Verilog;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import io.github.jnic.spec.Descriptors.Rx;
import io.github.jnic.testbench.offload.OffloadReference.Verdict;
import io.github.jnic.testbench.offload.Packets.Packet;
import io.github.jnic.testbench.offload.Packets.Shape;
import io.github.jnic.testbench.sim.Simulator;
import io.github.jnic.testbench.sim.StreamSink;
import io.github.jnic.testbench.sim.StreamSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * RxChecksum in simulation against {@link OffloadReference#receive}: every frame passes byte-exact
 * with its user bit, and its verdict (STATUS's IXSM/UDPCS/TCPCS/IPCS, ERRORS's TCPE/IPE, CSUM from
 * PCSS) is the reference's, for good packets of every shape and for corrupted, truncated,
 * fragmented, padded and unparseable ones; random gaps and back-pressure throughout.
 */
class RxChecksumTest {
    static final VerilogDesign DESIGN = Verilog.emit(new RxChecksumBench());

    static final class Rig implements AutoCloseable {
        final Simulator sim = Simulator.load(DESIGN);
        final StreamSource source;
        final StreamSink sink;
        final List<Verdict> seen = new ArrayList<>();

        Rig(long seed) {
            sim.resetHigh("reset", "clk", 2);
            source = new StreamSource(sim, "clk", new StreamSource.Pins(sim.port("in_valid"), sim.port("in_ready"),
                    sim.port("in_payload_data"), sim.port("in_last"), sim.port("in_payload_keep"), sim.port("in_user")), seed, 0.2);
            sink = new StreamSink(sim, "clk", new StreamSource.Pins(sim.port("out_valid"), sim.port("out_ready"),
                    sim.port("out_payload_data"), sim.port("out_last"), sim.port("out_payload_keep"), sim.port("out_user")), seed + 1, 0.7);
        }

        /** Frames through the engine under one RXCSUM setting, each verdict compared with the reference's. */
        void check(List<byte[]> frames, int pcss, boolean ipOffload, boolean tuOffload, String what) {
            sim.port("pcss").set(pcss);
            sim.port("ipOffload").set(ipOffload);
            sim.port("tuOffload").set(tuOffload);
            List<StreamSource.Frame> batch = new ArrayList<>();
            for (int i = 0; i < frames.size(); i++) batch.add(new StreamSource.Frame(frames.get(i), i & 1, i % 3));
            source.send(batch);
            long total = seen.size() + frames.size();
            for (long spent = 0; sink.framesReceived() < total && spent < 2_000_000; spent += 1000) sim.step("clk", 1000);
            sim.step("clk", 100);
            List<StreamSink.Frame> got = sink.receive();
            assertEquals(frames.size(), got.size(), what + ": frames out");
            for (int i = 0; i < frames.size(); i++) {
                byte[] f = frames.get(i);
                StreamSink.Frame g = got.get(i);
                assertArrayEquals(f, g.data(), what + ": frame " + i + " passes unchanged");
                long user = g.user();
                assertEquals(i & 1, user & 1, what + ": frame " + i + "'s user bit");
                Verdict v = new Verdict((int) (user >>> 1 & 0xFF), (int) (user >>> 9 & 0xFF), (int) (user >>> 17 & 0xFFFF));
                Verdict e = OffloadReference.receive(f, pcss, ipOffload, tuOffload);
                assertEquals(e, v, what + ": frame " + i + " (" + f.length + " bytes) " + TxRig.hex(f, 14));
                seen.add(v);
            }
        }

        long count(java.util.function.Predicate<Verdict> which) {
            return seen.stream().filter(which).count();
        }

        @Override public void close() {
            sim.close();
        }
    }

    /** A STATUS bit of the verdict, or an ERRORS bit for TCPE and IPE. */
    static boolean has(Verdict v, io.github.jnic.spec.Field f) {
        return f.isSet(f == Rx.TCPE || f == Rx.IPE ? v.errors() : v.status());
    }

    /** Good packets of every shape (IPv4 with options or IPv6, TCP with options or UDP, VLAN or not, padded to 60 bytes or not), PCSS anywhere. */
    @Test
    void goodPacketsAreGood() {
        try (Rig rig = new Rig(1)) {
            Random r = new Random(1);
            for (int round = 0; round < 6; round++) {
                List<byte[]> frames = new ArrayList<>();
                for (int i = 0; i < 40; i++) frames.add(pad(r, Packets.random(r, Shape.random(r, size(r))).frame()));
                rig.check(frames, r.nextInt(256), true, true, "good, round " + round);
            }
            assertEquals(240, rig.count(Verdict::good), "every one good");
            assertTrue(rig.count(v -> has(v, Rx.UDPCS)) > 20 && rig.count(v -> has(v, Rx.TCPCS)) > 100
                    && rig.count(v -> has(v, Rx.IPCS)) > 100, "TCP, UDP and IPv4 all checked");
        }
    }

    /** RXCSUM's IPOFLD and TUOFLD: with one off its checks are not made; with both off nothing is checked (IXSM). */
    @Test
    void offloadsOffAreNotChecked() {
        try (Rig rig = new Rig(2)) {
            Random r = new Random(2);
            for (boolean[] on : new boolean[][] {{true, false}, {false, true}, {false, false}}) {
                List<byte[]> frames = new ArrayList<>();
                for (int i = 0; i < 30; i++) frames.add(corrupt(r, Packets.random(r, Shape.random(r, size(r)))));
                rig.check(frames, r.nextInt(64), on[0], on[1], "IPOFLD " + on[0] + ", TUOFLD " + on[1]);
            }
            assertEquals(30, rig.seen.subList(60, 90).stream().filter(v -> has(v, Rx.IXSM) && v.errors() == 0).count());
        }
    }

    /**
     * Bad and odd frames: a flipped bit in the IP header, the transport header or the payload,
     * truncation, Ethernet padding, fragments, other protocols and EtherTypes, IPv6 extension
     * headers, impossible lengths, UDP without a checksum, noise and tiny frames; each verdict the
     * reference's, and never "good" for what cannot be checked.
     */
    @Test
    void corruptedAndUnparseableFrames() {
        try (Rig rig = new Rig(3)) {
            Random r = new Random(3);
            for (int round = 0; round < 8; round++) {
                List<byte[]> frames = new ArrayList<>();
                for (int i = 0; i < 50; i++) frames.add(corrupt(r, Packets.random(r, Shape.random(r, size(r)))));
                rig.check(frames, r.nextInt(256), true, true, "corrupted, round " + round);
            }
            long ipe = rig.count(v -> has(v, Rx.IPE)), tcpe = rig.count(v -> has(v, Rx.TCPE));
            long unchecked = rig.count(v -> has(v, Rx.IXSM)), good = rig.count(Verdict::good);
            assertTrue(ipe > 15 && tcpe > 60 && unchecked > 60 && good > 30,
                    "IPE " + ipe + ", TCPE " + tcpe + ", not checked " + unchecked + ", good " + good);
        }
    }

    static int size(Random r) {
        return r.nextInt(3) == 0 ? r.nextInt(20) : r.nextInt(1600);
    }

    /** Ethernet's minimum: a short frame padded with zeros to 60 bytes, as a sender does. */
    static byte[] pad(Random r, byte[] f) {
        return f.length < 60 && r.nextBoolean() ? Arrays.copyOf(f, 60) : f;
    }

    /** One of the ways a frame goes wrong or out of the engine's reach. */
    static byte[] corrupt(Random r, Packet p) {
        byte[] f = p.frame().clone();
        int ip = p.ipStart(), l4 = p.l4Start();
        BiFunction<Integer, Integer, byte[]> flip = (from, to) -> {
            int at = from + r.nextInt(Math.max(1, to - from));
            if (at < f.length) f[at] ^= (byte) (1 << r.nextInt(8));
            return f;
        };
        switch (r.nextInt(16)) {
            case 0: return flip.apply(ip, l4);                                   // IP header (IPv4: IPE; either: lengths may break)
            case 1: return flip.apply(l4, p.headerBytes());                      // transport header
            case 2: return flip.apply(p.headerBytes(), f.length);                // payload
            case 3: return Arrays.copyOf(f, 1 + r.nextInt(f.length));            // truncated anywhere
            case 4: return Arrays.copyOf(f, f.length + 1 + r.nextInt(40));        // padding after the datagram
            case 5:                                                               // a fragment: MF or an offset
                if (p.ipv4()) {
                    OffloadReference.put16(f, ip + 6, r.nextBoolean() ? 0x2000 : 1 + r.nextInt(0x1FFF));
                    fixIpChecksum(f, p);
                }
                return f;
            case 6:                                                               // another protocol (ICMP, GRE, hop-by-hop options)
                f[p.ipv4() ? ip + 9 : ip + 6] = (byte) new int[] {1, 47, 0, 58}[r.nextInt(4)];
                fixIpChecksum(f, p);
                return f;
            case 7: OffloadReference.put16(f, ip - 2, new int[] {0x0806, 0x88CC, 0x8100}[r.nextInt(3)]); return f;
            case 8:                                                               // a total / payload length past the frame or too short
                OffloadReference.put16(f, p.ipv4() ? ip + 2 : ip + 4, switch (r.nextInt(3)) {
                    case 0 -> f.length;
                    case 1 -> r.nextInt(p.ipHeaderBytes() + 8);
                    default -> 0xFFF0 + r.nextInt(16);                                // would wrap a 16-bit end
                });
                fixIpChecksum(f, p);
                return f;
            case 9:                                                               // IHL under 5 or past the frame, or another version
                f[ip] = (byte) (r.nextBoolean() ? (f[ip] & 0xF0) | r.nextInt(5) : (r.nextInt(16) << 4) | (f[ip] & 0x0F));
                return f;
            case 10:                                                              // UDP with checksum 0: none (IPv4), forbidden (IPv6)
                if (!p.tcp()) OffloadReference.put16(f, l4 + 6, 0);
                return f;
            case 11:                                                              // a UDP length not the datagram's
                if (!p.tcp()) OffloadReference.put16(f, l4 + 4, r.nextInt(0x10000));
                return f;
            case 12: return Packets.noise(r, 1 + r.nextInt(r.nextBoolean() ? 40 : 400));
            case 13: return flip.apply(ip + (p.ipv4() ? 12 : 8), l4);              // an address: the pseudo-header breaks
            default: return f;                                                    // left good
        }
    }

    /** Keeps an IPv4 header's checksum right after a deliberate change of its fields. */
    static void fixIpChecksum(byte[] f, Packet p) {
        if (!p.ipv4()) return;
        OffloadReference.put16(f, p.ipStart() + 10, 0);
        OffloadReference.put16(f, p.ipStart() + 10, io.github.jnic.net.wire.Checksum.of(f, p.ipStart(), p.ipHeaderBytes()));
    }
}

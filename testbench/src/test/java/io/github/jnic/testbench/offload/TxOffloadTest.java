package io.github.jnic.testbench.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.testbench.offload.OffloadReference.Command;
import io.github.jnic.testbench.offload.Packets.Packet;
import io.github.jnic.testbench.offload.Packets.Shape;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * TxOffload (checksum insertion and TSO) in simulation against {@link OffloadReference}, under
 * random headers and random flow control on every port; each segment or frame the engine sends is
 * also checked by the reference's receive side (every checksum right by the RFCs).
 */
class TxOffloadTest {

    /** Linux's CHECKSUM_PARTIAL on real packets: the transport checksum (and IPv4's) inserted, every one right by the RFCs. */
    @Test
    void checksumOffloadOnRandomPackets() {
        try (TxRig rig = new TxRig(1, 0.2, 0.7)) {
            Random r = new Random(1);
            for (int i = 0; i < 120; i++) {
                Packet p = Packets.random(r, Shape.random(r, r.nextInt(4) == 0 ? r.nextInt(8) : r.nextInt(1600)));
                boolean ixsm = p.ipv4() && r.nextBoolean();
                Command c = Command.checksum(ixsm, p.ipStart(), p.ipStart() + 10, p.ipStart() + p.ipHeaderBytes() - 1, true,
                        p.l4Start(), p.checksumAt(), 0).withKind(p.tcp(), p.ipv4());
                byte[] handed = p.partial();
                if (!ixsm && p.ipv4()) OffloadReference.put16(handed, p.ipStart() + 10, OffloadReference.get16(p.frame(), p.ipStart() + 10));
                rig.send(handed, c);
                // the reference itself must make the packet right again
                assertTrue(OffloadReference.receive(OffloadReference.transmit(handed, c).sent().get(0), 0, true, true).good());
            }
            rig.settle(2_000_000, "checksum offload");
            assertEquals(120, rig.wire.size());
            for (byte[] f : rig.wire) assertTrue(OffloadReference.receive(f, 0, true, true).good(), "a frame the RFCs call bad");
        }
    }

    /** Frames without offload leave exactly as they came, whatever their length. */
    @Test
    void framesWithoutOffloadPassUnchanged() {
        try (TxRig rig = new TxRig(2, 0.3, 0.5)) {
            Random r = new Random(2);
            for (int i = 0; i < 60; i++) rig.send(Packets.noise(r, 1 + r.nextInt(i < 20 ? 16 : 3000)), Command.none());
            rig.settle(2_000_000, "no offload");
            assertEquals(60, rig.wire.size());
        }
    }

    /**
     * TSO under random headers (IPv4 with options or IPv6, TCP options, a VLAN tag or not), MSS
     * from 1 to 9000 (the edges, the usual values and uniform picks), payloads that end mid-segment
     * or on a segment's edge, and two whole 64 KiB sends; every segment as the RFCs and GSO's
     * rules make it. TUCSE is sometimes set: TSO ignores it.
     */
    @Test
    void tsoOnRandomHeaders() {
        try (TxRig rig = new TxRig(3, 0.1, 0.8)) {
            Random r = new Random(3);
            int segments = 0;
            for (int i = 0; i < 80; i++) {
                int mss = mss(r);
                Shape shape = Shape.randomTcp(r, 0);
                int header = (shape.vlan() ? 18 : 14) + shape.ipHeaderBytes() + 20 + shape.tcpOptionBytes();
                int most = 65535 - header;
                int paylen = i < 2 ? most : Math.min(most, r.nextBoolean() ? mss * (1 + r.nextInt(8)) : 1 + r.nextInt(mss * (1 + r.nextInt(8))));
                shape = new Shape(shape.ipv4(), true, shape.vlan(), shape.ipOptionBytes(), shape.tcpOptionBytes(), paylen);
                Packet p = Packets.random(r, shape);
                Command c = Command.tso(p.ipv4(), p.ipStart(), p.ipHeaderBytes(), p.l4Start(), p.headerBytes(), mss, paylen);
                // TUCSE means nothing to TSO (each segment's sum runs to its end)
                if (r.nextInt(4) == 0) c = c.withOffsets(c.ipcss(), c.ipcso(), c.ipcse(), c.tucss(), c.tucso(), 1 + r.nextInt(0xFFFF));
                OffloadReference.Tx t = rig.send(p.tsoSeeded(), c);
                assertEquals(1, t.tsoContexts());
                segments += t.sent().size();
                if (i % 10 == 9) rig.settle(4_000_000, "TSO, request " + i);
            }
            rig.settle(4_000_000, "TSO");
            assertTrue(segments > 300, "segments " + segments);
            for (byte[] f : rig.wire) assertTrue(OffloadReference.receive(withoutHopByHop(f), 0, true, true).good(), "a segment the RFCs call bad");
            assertTrue(rig.wire.stream().filter(f -> f != withoutHopByHop(f)).count() > 20, "segments with an IPv6 extension header");
        }
    }

    /**
     * An IPv6 frame with its Hop-by-Hop Options header taken out (the frame itself when it has none),
     * for the receive reference, which checks TCP only right behind the fixed header: the checksum
     * stays the same (the pseudo-header has the upper-layer length, RFC 8200 8.1).
     */
    static byte[] withoutHopByHop(byte[] f) {
        int ip = OffloadReference.get16(f, 12) == 0x8100 ? 18 : 14;
        if (OffloadReference.get16(f, ip - 2) != 0x86DD || f[ip + 6] != 0) return f;
        int ext = 8 * (1 + (f[ip + 41] & 0xFF));
        byte[] g = new byte[f.length - ext];
        System.arraycopy(f, 0, g, 0, ip + 40);
        System.arraycopy(f, ip + 40 + ext, g, ip + 40, f.length - ip - 40 - ext);
        g[ip + 6] = f[ip + 40];
        OffloadReference.put16(g, ip + 4, OffloadReference.get16(f, ip + 4) - ext);
        return g;
    }

    /**
     * A frame the DMA engine cut short (marked drop on its last beat): without TSO it leaves marked
     * drop and counts nowhere (its checksum request neither inserted nor counted); with TSO the
     * segment it ends in is dropped and the request fails; the frames after it are untouched.
     */
    @Test
    void framesTheDmaCutShortLeaveMarkedDrop() {
        try (TxRig rig = new TxRig(8, 0.2, 0.6)) {
            Random r = new Random(8);
            Packet p = Packets.random(r, new Shape(false, true, true, 8, 12, 3000));
            Command tso = Command.tso(false, p.ipStart(), p.ipHeaderBytes(), p.l4Start(), p.headerBytes(), 700, 3000);
            Command partial = Command.checksum(false, 0, 0, 0, true, p.l4Start(), p.checksumAt(), 0).withKind(true, false);
            int hdr = p.headerBytes();
            byte[][] frames = {Packets.noise(r, 1), Packets.noise(r, 100), p.partial(), Arrays.copyOf(p.partial(), 30),
                    Arrays.copyOf(p.tsoSeeded(), hdr - 3), Arrays.copyOf(p.tsoSeeded(), hdr + 1000), Arrays.copyOf(p.tsoSeeded(), hdr + 1400),
                    p.tsoSeeded(), Arrays.copyOf(p.tsoSeeded(), hdr + 3100)};
            Command[] commands = {Command.none(), Command.none(), partial, partial, tso, tso, tso, tso, tso};
            for (int i = 0; i < frames.length; i++) {
                OffloadReference.Tx t = rig.send(frames[i], commands[i], true);
                assertEquals(commands[i].tse() ? 1 : 0, t.tsoFailed(), "case " + i);
                rig.send(p.tsoSeeded(), tso);
                rig.send(p.partial(), partial);
                rig.settle(1_000_000, "cut frame " + i);
            }
            assertEquals(0, rig.checksumUnmodified, "nothing counted for a dropped frame");
            assertEquals(frames.length, rig.tsoContexts, "every good send after a cut one whole");
        }
    }

    /** The IPv4 ID and the sequence number wrap around inside one send (16 and 32 bits). */
    @Test
    void tsoWrapsIdAndSequenceNumber() {
        try (TxRig rig = new TxRig(6, 0.2, 0.6)) {
            Random r = new Random(6);
            for (boolean ipv4 : new boolean[] {true, false}) {
                Packet p = Packets.random(r, new Shape(ipv4, true, !ipv4, 0, 12, 100));
                if (ipv4) OffloadReference.put16(p.frame(), p.ipStart() + 4, 0xFFFD);
                OffloadReference.put32(p.frame(), p.l4Start() + 4, 0xFFFF_FFE0);
                rig.send(p.tsoSeeded(), Command.tso(ipv4, p.ipStart(), p.ipHeaderBytes(), p.l4Start(), p.headerBytes(), 9, 100));
            }
            rig.settle(1_000_000, "wrap");
            assertEquals(24, rig.wire.size());
            assertEquals(0x0001, OffloadReference.get16(rig.wire.get(4), 18), "IPv4 ID of segment 4: 0xFFFD + 4");
            assertEquals(0x0000_0004, OffloadReference.get32(rig.wire.get(4), 34 + 4), "sequence of segment 4: 0xFFFFFFE0 + 36");
        }
    }

    /** An MSS from 1 to 9000: the small edges, the usual ones, or any. */
    static int mss(Random r) {
        int[] usual = {1, 2, 3, 7, 8, 9, 536, 1220, 1440, 1448, 1460, 8948, 9000};
        return r.nextBoolean() ? usual[r.nextInt(usual.length)] : 1 + r.nextInt(9000);
    }

    /**
     * CHECKSUM_PARTIAL's arithmetic at any offsets: random bytes, starts odd or even, ends inside,
     * at 0 (the frame's end), before the start or past the frame, fields anywhere; a request that
     * does not fit leaves that checksum out and is counted; two requests may overlap.
     */
    @Test
    void checksumsAtAnyOffsetOrOutsideTheFrame() {
        try (TxRig rig = new TxRig(4, 0.2, 0.6)) {
            Random r = new Random(4);
            int inserted = 0;
            for (int i = 0; i < 300; i++) {
                int length = 1 + r.nextInt(r.nextBoolean() ? 64 : 2000);
                int[] ip = offsets(r, length), tu = offsets(r, length);
                Command c = Command.checksum(r.nextBoolean(), ip[0], ip[1], ip[2], r.nextInt(4) != 0, tu[0], tu[1], tu[2])
                        .withKind(r.nextBoolean(), r.nextBoolean());
                OffloadReference.Tx t = rig.send(Packets.noise(r, length), c);
                if (t.checksumUnmodified() == 0 && c.txsm()) inserted++;
                if (i % 50 == 49) rig.settle(2_000_000, "checksums, request " + i);
            }
            rig.settle(2_000_000, "checksums");
            assertTrue(inserted > 100 && rig.checksumUnmodified > 30, inserted + " inserted, " + rig.checksumUnmodified + " not");
        }
    }

    /** A start, a field and an end for a frame of {@code length}: mostly inside, sometimes not. */
    static int[] offsets(Random r, int length) {
        int reach = Math.min(256, length + 4);
        int start = r.nextInt(reach), at = r.nextInt(reach);
        int end = switch (r.nextInt(4)) {
            case 0 -> 0;
            case 1 -> r.nextInt(length + 8);
            default -> Math.min(0xFFFF, start + r.nextInt(Math.max(1, length - start)));
        };
        return new int[] {start, at, end};
    }

    /**
     * Every bad request TxOffload documents, each followed by a good TSO send and a good
     * checksum request: the bad one gets its behaviour and its count, never a hang, and the
     * frames after it leave exactly right.
     */
    @Test
    void badRequestsGetTheirBehaviourAndSpareTheNextFrames() {
        try (TxRig rig = new TxRig(5, 0.2, 0.6)) {
            Random r = new Random(5);
            Packet p = Packets.random(r, new Shape(true, true, false, 8, 12, 3000));
            Command good = Command.tso(true, p.ipStart(), p.ipHeaderBytes(), p.l4Start(), p.headerBytes(), 1000, 3000);
            byte[] frame = p.tsoSeeded();
            int hdr = p.headerBytes();
            java.util.Map<String, Runnable> cases = new java.util.LinkedHashMap<>();
            cases.put("MSS 0", () -> rig.send(frame, good.withTse(3000, hdr, 0)));
            cases.put("PAYLEN 0", () -> rig.send(frame, good.withTse(0, hdr, 1000)));
            cases.put("HDRLEN 0", () -> rig.send(frame, good.withTse(3000, 0, 1000)));
            cases.put("UDP", () -> rig.send(frame, good.withKind(false, true)));
            cases.put("segment over 16 KiB", () -> rig.send(frame, good.withTse(3000, hdr, (1 << 14) - hdr + 1)));
            cases.put("IP header overlapping TCP's", () -> rig.send(frame, good.withOffsets(p.ipStart(), p.ipStart() + 10,
                    p.ipStart() + p.ipHeaderBytes() - 1, p.ipStart() + 19, p.ipStart() + 35, 0)));
            cases.put("TCP header past HDRLEN", () -> rig.send(frame, good.withTse(3000, p.l4Start() + 19, 1000)));
            cases.put("TUCSO past HDRLEN", () -> rig.send(frame, good.withOffsets(good.ipcss(), good.ipcso(), good.ipcse(),
                    good.tucss(), hdr - 1, 0)));
            cases.put("IPCSO past HDRLEN", () -> rig.send(frame, good.withOffsets(good.ipcss(), hdr - 1, good.ipcse(),
                    good.tucss(), good.tucso(), 0)));
            cases.put("IPCSE short of 20 bytes", () -> rig.send(frame, good.withOffsets(good.ipcss(), good.ipcso(),
                    good.ipcss() + 18, good.tucss(), good.tucso(), 0)));
            cases.put("IPCSE 0", () -> rig.send(frame, good.withOffsets(good.ipcss(), good.ipcso(), 0, good.tucss(), good.tucso(), 0)));
            cases.put("IPCSE in TCP", () -> rig.send(frame, good.withOffsets(good.ipcss(), good.ipcso(), good.tucss(),
                    good.tucss(), good.tucso(), 0)));
            cases.put("frame shorter than HDRLEN", () -> rig.send(java.util.Arrays.copyOf(frame, hdr - 7), good));
            cases.put("frame of HDRLEN alone", () -> rig.send(java.util.Arrays.copyOf(frame, hdr), good));
            cases.put("payload short, mid-segment", () -> rig.send(java.util.Arrays.copyOf(frame, hdr + 1500), good));
            cases.put("payload short, on a segment's edge", () -> rig.send(java.util.Arrays.copyOf(frame, hdr + 2000), good));
            cases.put("payload short by one", () -> rig.send(java.util.Arrays.copyOf(frame, hdr + 2999), good));
            cases.put("payload long by one", () -> rig.send(java.util.Arrays.copyOf(frame, hdr + 3001), good));
            cases.put("payload long, into a beat", () -> rig.send(java.util.Arrays.copyOf(frame, hdr + 3013), good));
            cases.put("payload long by a segment", () -> rig.send(java.util.Arrays.copyOf(frame, hdr + 4000), good));
            cases.put("checksum field past the frame", () -> rig.send(Packets.noise(r, 40), Command.checksum(false, 0, 0, 0, true,
                    3, 39, 0)));
            cases.put("checksum end past the frame", () -> rig.send(p.partial(), Command.checksum(false, 0, 0, 0, true,
                    p.l4Start(), p.checksumAt(), p.frame().length)));
            cases.put("checksum start past the frame", () -> rig.send(Packets.noise(r, 40), Command.checksum(false, 0, 0, 0, true,
                    41, 20, 0)));
            cases.put("checksum end before its start", () -> rig.send(p.partial(), Command.checksum(false, 0, 0, 0, true,
                    p.l4Start(), p.checksumAt(), p.l4Start() - 1)));
            Command partial = Command.checksum(true, p.ipStart(), p.ipStart() + 10, p.ipStart() + p.ipHeaderBytes() - 1, true,
                    p.l4Start(), p.checksumAt(), 0);
            for (var e : cases.entrySet()) {
                int failedBefore = rig.tsoFailed, unmodifiedBefore = rig.checksumUnmodified, sentBefore = rig.expectedSent.size();
                e.getValue().run();
                assertEquals(1, rig.tsoFailed - failedBefore + rig.checksumUnmodified - unmodifiedBefore, e.getKey() + " is counted once");
                int sentByBad = rig.expectedSent.size() - sentBefore;
                rig.send(frame, good);
                rig.send(p.partial(), partial);
                rig.settle(1_000_000, e.getKey());
                int n = rig.wire.size();
                for (int k = n - 4; k < n; k++) assertTrue(OffloadReference.receive(rig.wire.get(k), 0, true, true).good(), e.getKey());
                assertTrue(sentByBad < 3, e.getKey() + " sends no more than the segments before its fault");
            }
            assertEquals(cases.size(), rig.tsoFailed + rig.checksumUnmodified);
        }
    }
}

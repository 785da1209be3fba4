package io.github.jnic.testbench.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.testbench.offload.OffloadReference.Command;
import io.github.jnic.testbench.offload.Packets.Packet;
import io.github.jnic.testbench.offload.Packets.Shape;
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
     * rules make it.
     */
    @Test
    void tsoOnRandomHeaders() {
        try (TxRig rig = new TxRig(3, 0.1, 0.8)) {
            Random r = new Random(3);
            int segments = 0;
            for (int i = 0; i < 80; i++) {
                int mss = mss(r);
                Shape shape = Shape.randomTcp(r, 0);
                int header = (shape.vlan() ? 18 : 14) + (shape.ipv4() ? 20 + shape.ipOptionBytes() : 40) + 20 + shape.tcpOptionBytes();
                int most = 65535 - header;
                int paylen = i < 2 ? most : Math.min(most, r.nextBoolean() ? mss * (1 + r.nextInt(8)) : 1 + r.nextInt(mss * (1 + r.nextInt(8))));
                shape = new Shape(shape.ipv4(), true, shape.vlan(), shape.ipOptionBytes(), shape.tcpOptionBytes(), paylen);
                Packet p = Packets.random(r, shape);
                Command c = Command.tso(p.ipv4(), p.ipStart(), p.ipHeaderBytes(), p.l4Start(), p.headerBytes(), mss, paylen);
                OffloadReference.Tx t = rig.send(p.tsoSeeded(), c);
                assertEquals(1, t.tsoContexts());
                segments += t.sent().size();
                if (i % 10 == 9) rig.settle(4_000_000, "TSO, request " + i);
            }
            rig.settle(4_000_000, "TSO");
            assertTrue(segments > 300, "segments " + segments);
            for (byte[] f : rig.wire) assertTrue(OffloadReference.receive(f, 0, true, true).good(), "a segment the RFCs call bad");
        }
    }

    /** An MSS from 1 to 9000: the small edges, the usual ones, or any. */
    static int mss(Random r) {
        int[] usual = {1, 2, 3, 7, 8, 9, 536, 1220, 1440, 1448, 1460, 8948, 9000};
        return r.nextBoolean() ? usual[r.nextInt(usual.length)] : 1 + r.nextInt(9000);
    }
}

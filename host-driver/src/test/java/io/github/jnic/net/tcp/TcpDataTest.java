package io.github.jnic.net.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.net.tcp.TcpCounters.Drop;
import io.github.jnic.net.tcp.TcpCounters.Event;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Sending and receiving: segmentation, windows, Nagle, delayed ACKs, reassembly, zero window. */
class TcpDataTest extends TcpTestBase {

    @Test
    void writeIsCutIntoMssSegmentsWithinTheInitialWindow() throws Exception {
        TcpConnection c = connect(-1, false, false);
        byte[] data = bytes(30000, 5);
        assertEquals(30000, c.write(data, 0, data.length));
        int start = c.sndUna();
        for (int i = 0; i < 10; i++) {
            Segment s = out(ACK);
            assertEquals(start + i * 1460, s.seq());
            assertEquals(PISN + 1, s.ack());
            assertArrayEquals(Arrays.copyOfRange(data, i * 1460, (i + 1) * 1460), s.payload());
        }
        nothingSent();
        // Slow start: each ACK of two segments opens room for four (cwnd grows by at most 2*MSS per ACK).
        deliver(to(c).seq(peerSeq).ack(start + 2 * 1460));
        assertEquals(4, drain().length);
        assertEquals(14600 + 2920, c.congestionWindow());
    }

    @Test
    void lastSegmentOfAWriteCarriesPsh() throws Exception {
        TcpConnection c = connect(-1, false, false);
        c.write(bytes(2000, 1), 0, 2000);
        assertEquals(1460, out(ACK).payloadLength());
        assertEquals(540, out(ACK | PSH).payloadLength());
    }

    @Test
    void peerWindowLimitsSendingAndScalesByItsShift() throws Exception {
        TcpConnection c = connect(7, false, false);
        deliver(to(c).seq(peerSeq).ack(c.sndUna()).window(100));
        assertEquals(12800, c.sndWnd());
        c.write(bytes(20000, 1), 0, 20000);
        Segment[] segs = drain();
        assertEquals(8, segs.length, "8 full segments fit in 12800; the 1120 left is a silly window");
        // The window opens: the rest flows.
        deliver(to(c).seq(peerSeq).ack(c.sndUna() + 8 * 1460).window(1000));
        assertTrue(drain().length > 0);
    }

    @Test
    void ourWindowIsAdvertisedScaled() throws Exception {
        TcpConnection c = connect(2, false, false);
        c.write(bytes(1, 1), 0, 1);
        assertEquals(262144 >> 3, out(ACK | PSH).window());
    }

    @Test
    void nagleHoldsSmallSegmentsWhileDataIsUnacknowledged() throws Exception {
        TcpConnection c = connect(-1, false, false);
        int start = c.sndUna();
        c.write(bytes(100, 1), 0, 100);
        out(ACK | PSH);
        c.write(bytes(100, 2), 0, 100);
        c.write(bytes(100, 3), 0, 100);
        nothingSent();
        deliver(to(c).seq(peerSeq).ack(start + 100));
        Segment s = out(ACK | PSH);
        assertEquals(start + 100, s.seq());
        assertEquals(200, s.payloadLength(), "held bytes coalesce");
    }

    @Test
    void noDelaySendsSmallSegmentsAtOnce() throws Exception {
        TcpConnection c = connect(-1, false, false);
        c.setNoDelay(true);
        c.write(bytes(100, 1), 0, 100);
        out(ACK | PSH);
        c.write(bytes(100, 2), 0, 100);
        assertEquals(100, out(ACK | PSH).payloadLength());
    }

    @Test
    void delayedAckWaitsForTheTimerOrASecondFullSegment() throws Exception {
        TcpConnection c = connect(-1, false, false);
        deliver(to(c).seq(peerSeq).ack(c.sndUna()).payload(1000));
        nothingSent();
        advance(cfg.delayedAckTimeout - 1);
        nothingSent();
        advance(1);
        assertEquals(peerSeq + 1000, out(ACK).ack());
        assertEquals(1, tcp.counters().get(Event.DELAYED_ACKS));

        peerSeq += 1000;
        deliver(to(c).seq(peerSeq).ack(c.sndUna()).payload(1460));
        nothingSent();
        deliver(to(c).seq(peerSeq + 1460).ack(c.sndUna()).payload(1460));
        assertEquals(peerSeq + 2920, out(ACK).ack(), "every second full segment is acknowledged at once");
        byte[] got = new byte[5000];
        assertEquals(3920, c.read(got, 0, got.length));
    }

    @Test
    void segmentsNameTheirPayloadInTheSendBufferAndItsBytesArriveWhenGathered() throws Exception {
        cfg.sendBufferSize = 8192;   // small, so the ring wraps inside a segment
        TcpConnection c = connect(-1, false, false);
        byte[] data = bytes(40000, 9);
        int written = 0, start = c.sndUna(), got = 0;
        byte[] received = new byte[data.length];
        while (got < data.length) {
            written += c.write(data, written, data.length - written);
            for (Segment s : drain()) {
                byte[] p = s.payload();
                assertEquals(start + got, s.seq());
                System.arraycopy(p, 0, received, got, p.length);
                got += p.length;
            }
            deliver(to(c).seq(peerSeq).ack(start + got));
        }
        assertArrayEquals(data, received, "bytes gathered from the ring, also across its wrap");
        assertTrue(ip.gathered >= 27, "payloads left in the send buffer until sent: " + ip.gathered);
    }

    @Test
    void aReceiveBatchIsAcknowledgedOnceAtItsEnd() throws Exception {
        TcpConnection c = connect(-1, true, false);
        tcp.beginBatch();
        for (int i = 0; i < 6; i++) deliver(to(c).seq(peerSeq + i * 1460).ack(c.sndUna()).payload(1460));
        nothingSent();
        tcp.endBatch(now);
        assertEquals(peerSeq + 6 * 1460, out(ACK).ack(), "one cumulative ACK for the six segments");
        nothingSent();
        peerSeq += 6 * 1460;

        // Out of order inside a batch: the duplicate ACK (with its SACK block) goes at once.
        tcp.beginBatch();
        deliver(to(c).seq(peerSeq + 1460).ack(c.sndUna()).payload(1460));
        Segment dup = out(ACK);
        assertEquals(peerSeq, dup.ack());
        assertEquals(1, dup.o.sackBlocks);
        deliver(to(c).seq(peerSeq).ack(c.sndUna()).payload(1460));
        assertEquals(peerSeq + 2920, out(ACK).ack(), "the hole filled: acknowledged at once");
        tcp.endBatch(now);
        nothingSent();
        peerSeq += 2920;

        // A segment the device merged (larger than the MSS) is a batch already: acknowledged at once.
        tcp.beginBatch();
        deliver(to(c).seq(peerSeq).ack(c.sndUna()).payload(4 * 1460));
        assertEquals(peerSeq + 4 * 1460, out(ACK).ack());
        tcp.endBatch(now);
        nothingSent();
    }

    @Test
    void dataTheBatchsAcksAllowGoesOutOnceAtItsEnd() throws Exception {
        cfg.initialWindowSegments = 2;
        TcpConnection c = connect(-1, false, false);
        c.write(bytes(20 * 1460, 7), 0, 20 * 1460);
        Segment first = out(ACK);
        out(ACK);
        nothingSent();
        tcp.beginBatch();
        deliver(to(c).seq(peerSeq).ack(first.seq() + 1460));
        deliver(to(c).seq(peerSeq).ack(first.seq() + 2920));
        nothingSent();
        tcp.endBatch(now);
        // Slow start: two ACKs of one segment each open the window by four segments.
        assertEquals(4, drain().length);
    }

    @Test
    void aResponsePiggybacksTheDelayedAck() throws Exception {
        TcpConnection c = connect(-1, false, false);
        deliver(to(c).seq(peerSeq).ack(c.sndUna()).payload(50));
        nothingSent();
        c.write(bytes(20, 1), 0, 20);
        Segment s = out(ACK | PSH);
        assertEquals(peerSeq + 50, s.ack());
        advance(10 * cfg.delayedAckTimeout);
        nothingSent();
    }

    @Test
    void outOfOrderDataIsAcknowledgedAtOnceWithSackAndReassembled() throws Exception {
        TcpConnection c = connect(-1, true, false);
        byte[] a = bytes(1000, 1);
        byte[] b = bytes(1000, 2);
        byte[] d = bytes(1000, 3);
        deliver(to(c).seq(peerSeq + 2000).ack(c.sndUna()).payload(d));
        Segment dup = out(ACK);
        assertEquals(peerSeq, dup.ack());
        assertEquals(1, dup.o.sackBlocks);
        assertEquals(peerSeq + 2000, dup.o.sackLeft[0]);
        assertEquals(peerSeq + 3000, dup.o.sackRight[0]);
        assertEquals(0, c.readable());

        deliver(to(c).seq(peerSeq).ack(c.sndUna()).payload(a));
        Segment partial = out(ACK);
        assertEquals(peerSeq + 1000, partial.ack(), "filling part of a hole is acknowledged at once");
        assertEquals(1, partial.o.sackBlocks);

        deliver(to(c).seq(peerSeq + 1000).ack(c.sndUna()).payload(b));
        Segment full = out(ACK);
        assertEquals(peerSeq + 3000, full.ack());
        assertEquals(0, full.o.sackBlocks);
        byte[] got = new byte[3000];
        assertEquals(3000, c.read(got, 0, 3000));
        byte[] want = new byte[3000];
        System.arraycopy(a, 0, want, 0, 1000);
        System.arraycopy(b, 0, want, 1000, 1000);
        System.arraycopy(d, 0, want, 2000, 1000);
        assertArrayEquals(want, got);
    }

    @Test
    void sackReportsTheLatestBlockFirst() throws Exception {
        TcpConnection c = connect(-1, true, false);
        deliver(to(c).seq(peerSeq + 1000).ack(c.sndUna()).payload(100));
        out(ACK);
        deliver(to(c).seq(peerSeq + 3000).ack(c.sndUna()).payload(100));
        Segment s = out(ACK);
        assertEquals(2, s.o.sackBlocks);
        assertEquals(peerSeq + 3000, s.o.sackLeft[0]);
        assertEquals(peerSeq + 1000, s.o.sackLeft[1]);
    }

    @Test
    void duplicateAndOverlappingSegmentsDeliverEachByteOnce() throws Exception {
        TcpConnection c = connect(-1, false, false);
        byte[] data = bytes(3000, 9);
        deliver(to(c).seq(peerSeq).ack(c.sndUna()).payload(Arrays.copyOfRange(data, 0, 1500)));
        deliver(to(c).seq(peerSeq).ack(c.sndUna()).payload(Arrays.copyOfRange(data, 0, 1500)));
        deliver(to(c).seq(peerSeq + 1000).ack(c.sndUna()).payload(Arrays.copyOfRange(data, 1000, 3000)));
        byte[] got = new byte[4000];
        assertEquals(3000, c.read(got, 0, 4000));
        assertArrayEquals(data, Arrays.copyOf(got, 3000));
        assertEquals(1, tcp.counters().get(Event.DUPLICATE_SEGMENTS));
    }

    @Test
    void reassemblyMemoryIsBounded() throws Exception {
        cfg.maxOutOfOrderRanges = 2;
        TcpConnection c = connect(-1, true, false);
        deliver(to(c).seq(peerSeq + 1000).ack(c.sndUna()).payload(10));
        deliver(to(c).seq(peerSeq + 2000).ack(c.sndUna()).payload(10));
        deliver(to(c).seq(peerSeq + 3000).ack(c.sndUna()).payload(10));
        assertEquals(1, tcp.counters().get(Drop.REASSEMBLY_FULL));
        drain();
        deliver(to(c).seq(peerSeq + 1010).ack(c.sndUna()).payload(990));
        assertEquals(1, tcp.counters().get(Drop.REASSEMBLY_FULL), "joining an existing range needs no new one");
    }

    @Test
    void dataBeyondTheWindowIsTrimmed() throws Exception {
        cfg.receiveBufferSize = 4096;
        TcpConnection c = connect(-1, false, false);
        deliver(to(c).seq(peerSeq).ack(c.sndUna()).payload(4000));
        deliver(to(c).seq(peerSeq + 4000).ack(c.sndUna()).payload(500));
        assertEquals(1, tcp.counters().get(Drop.BEYOND_WINDOW));
        assertEquals(4096, c.readable());
        Segment[] acks = drain();
        Segment ack = acks[acks.length - 1];
        assertEquals(peerSeq + 4096, ack.ack());
        assertEquals(0, ack.window());
    }

    @Test
    void windowUpdateIsSentAtOnceWhenTheApplicationReads() throws Exception {
        cfg.receiveBufferSize = 4096;
        TcpConnection c = connect(-1, false, false);
        deliver(to(c).seq(peerSeq).ack(c.sndUna()).payload(1460));
        deliver(to(c).seq(peerSeq + 1460).ack(c.sndUna()).payload(1460));
        assertEquals(4096 - 2920, out(ACK).window());
        deliver(to(c).seq(peerSeq + 2920).ack(c.sndUna()).payload(1176));
        advance(cfg.delayedAckTimeout);
        Segment zero = out(ACK);
        assertEquals(0, zero.window());
        c.read(new byte[4096], 0, 4096);
        Segment update = out(ACK);
        assertEquals(4096, update.window());
        assertEquals(peerSeq + 4096, update.ack());
        assertEquals(1, tcp.counters().get(Event.WINDOW_UPDATES));
    }

    @Test
    void receiverDoesNotAdvertiseASillyWindow() throws Exception {
        cfg.receiveBufferSize = 4096;
        TcpConnection c = connect(-1, false, false);
        deliver(to(c).seq(peerSeq).ack(c.sndUna()).payload(1460));
        deliver(to(c).seq(peerSeq + 1460).ack(c.sndUna()).payload(1460));
        out(ACK);
        deliver(to(c).seq(peerSeq + 2920).ack(c.sndUna()).payload(1176));
        advance(cfg.delayedAckTimeout);
        assertEquals(0, out(ACK).window());
        c.read(new byte[100], 0, 100);
        nothingSent();
        deliver(to(c).seq(peerSeq + 4096).ack(c.sndUna()).payload(1));
        Segment probeAnswer = out(ACK);
        assertEquals(peerSeq + 4096, probeAnswer.ack(), "the probe byte is outside the advertised window");
        assertEquals(0, probeAnswer.window(), "100 free bytes are not worth offering (RFC 9293 3.8.6.2.2)");
    }

    @Test
    void zeroWindowIsProbedWithBackoffAndSendingResumesWhenItOpens() throws Exception {
        TcpConnection c = connect(-1, false, false);
        int start = c.sndUna();
        deliver(to(c).seq(peerSeq).ack(start).window(0));
        byte[] data = bytes(100, 4);
        c.write(data, 0, 100);
        nothingSent();
        advance(S);
        Segment probe = out(ACK);
        assertEquals(start, probe.seq());
        assertEquals(1, probe.payloadLength());
        deliver(to(c).seq(peerSeq).ack(start).window(0));
        nothingSent();
        advance(S);
        nothingSent();
        advance(S);
        assertEquals(start, out(ACK).seq(), "second probe after a doubled interval");
        assertEquals(2, tcp.counters().get(Event.ZERO_WINDOW_PROBES));
        deliver(to(c).seq(peerSeq).ack(start).window(5000));
        Segment s = out(ACK | PSH);
        assertEquals(start, s.seq());
        assertArrayEquals(data, s.payload());
        assertEquals(TcpState.ESTABLISHED, c.state(), "a closed window never times the connection out");
    }

    @Test
    void zeroWindowProbesAreAnsweredWithoutTakingData() throws Exception {
        cfg.receiveBufferSize = 2920;
        TcpConnection c = connect(-1, false, false);
        deliver(to(c).seq(peerSeq).ack(c.sndUna()).payload(1460));
        deliver(to(c).seq(peerSeq + 1460).ack(c.sndUna()).payload(1460));
        assertEquals(0, out(ACK).window());
        deliver(to(c).seq(peerSeq + 2920).ack(c.sndUna()).payload(1));
        Segment answer = out(ACK);
        assertEquals(peerSeq + 2920, answer.ack());
        assertEquals(0, answer.window());
        assertEquals(2920, c.readable());
    }

    @Test
    void timestampsAreEchoedAndOldOnesRejected() throws Exception {
        TcpConnection c = connect(-1, false, true);
        deliver(to(c).seq(peerSeq).ack(c.sndUna()).timestamps(5000, 0).payload(100));
        advance(cfg.delayedAckTimeout);
        assertEquals(5000, out(ACK).o.tsEcr);
        deliver(to(c).seq(peerSeq + 100).ack(c.sndUna()).timestamps(4000, 0).payload(100));
        Segment ack = out(ACK);
        assertEquals(peerSeq + 100, ack.ack(), "PAWS drops the segment");
        assertEquals(1, tcp.counters().get(Drop.PAWS));
        assertEquals(100, c.readable());
    }

    @Test
    void writeBlocksWhenTheSendBufferIsFull() throws Exception {
        cfg.sendBufferSize = 10000;
        TcpConnection c = connect(-1, false, false);
        assertEquals(10000, c.write(bytes(15000, 1), 0, 15000));
        assertEquals(0, c.writable());
        drain();
        deliver(to(c).seq(peerSeq).ack(c.sndUna() + 1460));
        assertEquals(1460, c.writable());
    }

    @Test
    void tsoHandsLargeSegmentsToTheDevice() throws Exception {
        ip.tso = true;
        TcpConnection c = connect(-1, false, false);
        c.write(bytes(14600, 1), 0, 14600);
        Segment s = out(ACK | PSH);
        assertEquals(14600, s.payloadLength());
        assertEquals(1460, s.tsoSize);
        assertFalse(ip.sent.size() > 0);
    }
}

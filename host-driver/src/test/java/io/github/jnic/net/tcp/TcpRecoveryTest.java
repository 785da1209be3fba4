package io.github.jnic.net.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.net.tcp.TcpCounters.Event;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Retransmission timeout and backoff, fast retransmit and NewReno recovery, SACK recovery. */
class TcpRecoveryTest extends TcpTestBase {
    static final int MSS = 1460;

    @Test
    void retransmissionTimeoutBacksOffAndCollapsesTheWindow() throws Exception {
        TcpConnection c = connect(-1, false, false);
        int start = c.sndUna();
        byte[] data = bytes(2 * MSS, 2);
        c.write(data, 0, data.length);
        out(ACK);
        out(ACK | PSH);
        assertEquals(S, c.rto(), "10 ms RTT, RTO clamped to the 1 s minimum");
        long[] gaps = {1, 2, 4, 8};
        for (long gap : gaps) {
            advance(gap * S - 1);
            nothingSent();
            advance(1);
            Segment again = out(ACK);
            assertEquals(start, again.seq(), "the first unacknowledged segment, again");
            assertArrayEquals(Arrays.copyOf(data, MSS), again.payload());
            nothingSent();
        }
        assertEquals(MSS, c.congestionWindow(), "one segment after a timeout");
        assertEquals(2 * MSS, c.ssthresh(), "ssthresh set by the first timeout, kept by the later ones");
        assertEquals(4, tcp.counters().get(Event.RETRANSMISSION_TIMEOUTS));
        // The ACK resumes sending; no RTT sample from retransmitted data (Karn), so the backoff stays.
        deliver(to(c).seq(peerSeq).ack(start + MSS));
        Segment next = out(ACK | PSH);
        assertEquals(start + MSS, next.seq());
        assertEquals(16 * S, c.rto());
    }

    @Test
    void tooManyRetransmissionsTimeTheConnectionOut() throws Exception {
        cfg.dataRetries = 3;
        TcpConnection c = connect(-1, false, false);
        c.write(bytes(10, 1), 0, 10);
        out(ACK | PSH);
        advance(S);
        advance(2 * S);
        advance(4 * S);
        assertEquals(3, ip.sent.size());
        ip.sent.clear();
        advance(8 * S);
        out(RST | ACK);
        assertEquals(TcpState.CLOSED, c.state());
        assertEquals(TcpError.TIMED_OUT, c.error());
    }

    @Test
    void rttSamplesShapeTheTimeout() throws Exception {
        cfg.minRto = 10 * MS;
        TcpConnection c = connect(-1, false, false);
        assertEquals(10 * MS, c.smoothedRtt());
        assertEquals(30 * MS, c.rto(), "SRTT + 4 * RTTVAR = 10 + 4 * 5 ms");
        c.write(bytes(10, 1), 0, 10);
        out(ACK | PSH);
        now += 50 * MS;
        deliver(to(c).seq(peerSeq).ack(c.sndUna() + 10));
        // RTTVAR = 3/4 * 5 + 1/4 * 40 = 13.75; SRTT = 7/8 * 10 + 1/8 * 50 = 15; RTO = 15 + 55 = 70 ms.
        assertEquals(15 * MS, c.smoothedRtt());
        assertEquals(70 * MS, c.rto());
    }

    @Test
    void threeDuplicateAcksTriggerFastRetransmitAndNewRenoRecovery() throws Exception {
        TcpConnection c = connect(-1, false, false);
        int s0 = c.sndUna();
        c.write(bytes(40 * MSS, 3), 0, 40 * MSS);
        assertEquals(10, ip.sent.size());
        ip.sent.clear();
        deliver(to(c).seq(peerSeq).ack(s0 + MSS));
        assertEquals(2, ip.sent.size(), "cwnd 11 segments, 9 in flight");
        ip.sent.clear();
        // Segment 1 is lost; segments 2..11 arrive and each brings a duplicate ACK.
        deliver(to(c).seq(peerSeq).ack(s0 + MSS));
        deliver(to(c).seq(peerSeq).ack(s0 + MSS));
        nothingSent();
        deliver(to(c).seq(peerSeq).ack(s0 + MSS));
        Segment rtx = out(ACK);
        assertEquals(s0 + MSS, rtx.seq());
        assertEquals(MSS, rtx.payloadLength());
        assertTrue(c.inRecovery());
        assertEquals(11 * MSS / 2, c.ssthresh(), "half the flight size");
        assertEquals(1, tcp.counters().get(Event.FAST_RECOVERIES));
        // Further duplicate ACKs mean segments left the network: new data flows once the pipe allows.
        int sent = 0;
        for (int i = 0; i < 7; i++) {
            deliver(to(c).seq(peerSeq).ack(s0 + MSS));
            sent += ip.sent.size();
            for (Segment s : ip.sent) assertTrue(Seq.ge(s.seq(), s0 + 12 * MSS), "only new data: " + s);
            ip.sent.clear();
        }
        assertTrue(sent >= 2, "duplicate ACKs clock out new data, sent " + sent);
        // A partial ACK (segments 1..5 in, 6 lost too): segment 6 is retransmitted at once (RFC 6582).
        deliver(to(c).seq(peerSeq).ack(s0 + 6 * MSS));
        Segment second = ip.sent.stream().filter(s -> s.seq() == s0 + 6 * MSS).findFirst().orElseThrow();
        assertEquals(MSS, second.payloadLength());
        assertTrue(c.inRecovery());
        ip.sent.clear();
        // Everything up to the recovery point: recovery ends, cwnd deflates to ssthresh at most.
        deliver(to(c).seq(peerSeq).ack(s0 + 12 * MSS));
        assertFalse(c.inRecovery());
        assertTrue(c.congestionWindow() <= c.ssthresh());
    }

    @Test
    void sackRecoveryRetransmitsOnlyTheHoles() throws Exception {
        TcpConnection c = connect(-1, true, false);
        int s0 = c.sndUna();
        c.write(bytes(40 * MSS, 4), 0, 40 * MSS);
        assertEquals(10, ip.sent.size());
        ip.sent.clear();
        deliver(to(c).seq(peerSeq).ack(s0 + MSS));
        assertEquals(2, ip.sent.size());
        ip.sent.clear();
        int s2 = s0 + 2 * MSS, s3 = s0 + 3 * MSS, s4 = s0 + 4 * MSS;
        // Segments 1 and 3 lost. The peer SACKs what arrives.
        deliver(to(c).seq(peerSeq).ack(s0 + MSS).sack(s2, s3));
        deliver(to(c).seq(peerSeq).ack(s0 + MSS).sack(s4, s4 + MSS, s2, s3));
        nothingSent();
        deliver(to(c).seq(peerSeq).ack(s0 + MSS).sack(s4, s4 + 2 * MSS, s2, s3));
        Segment first = out(ACK);
        assertEquals(s0 + MSS, first.seq(), "segment 1: three SACKed segments above it");
        nothingSent();
        assertEquals(11 * MSS / 2, c.ssthresh(), "11 segments were in flight");
        // More SACKs: segment 3 now has three SACKed segments above it and the pipe has room.
        deliver(to(c).seq(peerSeq).ack(s0 + MSS).sack(s4, s4 + 6 * MSS, s2, s3));
        Segment hole = out(ACK);
        assertEquals(s3, hole.seq(), "the second hole, never the SACKed segments");
        assertEquals(MSS, hole.payloadLength());
        Segment fresh = out(ACK);
        assertEquals(s0 + 12 * MSS, fresh.seq(), "then new data");
        for (Segment s : ip.sent) assertTrue(Seq.ge(s.seq(), s0 + 12 * MSS), "new data only: " + s);
        ip.sent.clear();
        assertEquals(2, tcp.counters().get(Event.SACK_RECOVERY_RETRANSMITS));
        deliver(to(c).seq(peerSeq).ack(s0 + 12 * MSS));
        assertFalse(c.inRecovery());
    }

    @Test
    void noSecondFastRetransmitForLossesOfTheSameWindowAfterATimeout() throws Exception {
        TcpConnection c = connect(-1, false, false);
        int s0 = c.sndUna();
        c.write(bytes(10 * MSS, 5), 0, 10 * MSS);
        ip.sent.clear();
        advance(S);
        assertEquals(s0, out(ACK).seq());
        // Duplicate ACKs for data sent before the timeout do not start recovery (RFC 6582 section 3.2 step 1).
        for (int i = 0; i < 4; i++) deliver(to(c).seq(peerSeq).ack(s0));
        assertFalse(c.inRecovery());
    }

    @Test
    void congestionAvoidanceGrowsOneSegmentPerWindow() {
        NewReno r = new NewReno();
        r.init(1000, 10);
        assertEquals(10000, r.cwnd());
        r.onEnterRecovery(20000, 0);
        assertEquals(10000, r.ssthresh());
        assertEquals(10000, r.cwnd());
        r.onExitRecovery(10000, 0);
        for (int i = 0; i < 10; i++) r.onAck(1000, 10000, 0);
        assertEquals(11000, r.cwnd(), "one MSS after a window of ACKs");
        r.onRetransmissionTimeout(11000, false, 0);
        assertEquals(1000, r.cwnd());
        assertEquals(5500, r.ssthresh());
        r.onAck(1000, 0, 0);
        assertEquals(2000, r.cwnd(), "slow start again");
    }

    @Test
    void rttEstimatorFollowsRfc6298() {
        RttEstimator e = new RttEstimator(S, 200 * MS, 60 * S);
        assertEquals(S, e.rto());
        e.sample(100 * MS);
        assertEquals(300 * MS, e.rto(), "100 + 4 * 50");
        e.backOff();
        e.backOff();
        assertEquals(1200 * MS, e.rto());
        e.sample(100 * MS);
        assertEquals(250 * MS, e.rto(), "a new sample clears the backoff: RTTVAR 37.5, SRTT 100");
        for (int i = 0; i < 40; i++) e.backOff();
        assertEquals(60 * S, e.rto());
    }
}

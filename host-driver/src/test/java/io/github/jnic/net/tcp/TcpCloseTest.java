package io.github.jnic.net.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.jnic.net.tcp.TcpCounters.Drop;
import io.github.jnic.net.tcp.TcpCounters.Event;
import org.junit.jupiter.api.Test;

/** Closing: active, passive, simultaneous, half-close, TIME-WAIT, aborts, keep-alive. */
class TcpCloseTest extends TcpTestBase {

    @Test
    void activeCloseGoesThroughFinWaitAndTimeWait() throws Exception {
        TcpConnection c = connect(-1, false, false);
        int fin = c.sndUna();
        c.close();
        Segment f = out(FIN | ACK);
        assertEquals(fin, f.seq());
        assertEquals(TcpState.FIN_WAIT_1, c.state());
        deliver(to(c).seq(peerSeq).ack(fin + 1));
        assertEquals(TcpState.FIN_WAIT_2, c.state());
        nothingSent();
        deliver(to(c).seq(peerSeq).ack(fin + 1).flags(FIN));
        Segment last = out(ACK);
        assertEquals(peerSeq + 1, last.ack());
        assertEquals(fin + 1, last.seq());
        assertEquals(TcpState.TIME_WAIT, c.state());
        // A retransmitted FIN is acknowledged again and restarts the 2*MSL timer.
        advance(cfg.timeWait / 2);
        deliver(to(c).seq(peerSeq).ack(fin + 1).flags(FIN));
        assertEquals(peerSeq + 1, out(ACK).ack());
        advance(cfg.timeWait - 1);
        assertEquals(TcpState.TIME_WAIT, c.state());
        advance(1);
        assertEquals(TcpState.CLOSED, c.state());
        assertEquals(0, tcp.connectionCount());
        assertEquals(1, tcp.counters().get(Event.TIME_WAIT_EXPIRED));
        nothingSent();
    }

    @Test
    void passiveCloseGoesThroughCloseWaitAndLastAck() throws Exception {
        TcpConnection c = connect(-1, false, false);
        deliver(to(c).seq(peerSeq).ack(c.sndUna()).payload(10).flags(FIN));
        Segment ack = out(ACK);
        assertEquals(peerSeq + 11, ack.ack(), "the FIN is acknowledged at once");
        assertEquals(TcpState.CLOSE_WAIT, c.state());
        byte[] buf = new byte[20];
        assertEquals(10, c.read(buf, 0, 20));
        assertEquals(-1, c.read(buf, 0, 20), "end of stream");
        // The other direction still works until we close.
        c.write(bytes(5, 1), 0, 5);
        out(ACK | PSH);
        c.close();
        Segment f = out(FIN | ACK);
        assertEquals(TcpState.LAST_ACK, c.state());
        deliver(to(c).seq(peerSeq + 11).ack(f.seq() + 1));
        assertEquals(TcpState.CLOSED, c.state());
        assertEquals(null, c.error());
        assertEquals(0, tcp.connectionCount());
    }

    @Test
    void simultaneousCloseGoesThroughClosing() throws Exception {
        TcpConnection c = connect(-1, false, false);
        int fin = c.sndUna();
        c.close();
        out(FIN | ACK);
        deliver(to(c).seq(peerSeq).ack(fin).flags(FIN));
        assertEquals(peerSeq + 1, out(ACK).ack());
        assertEquals(TcpState.CLOSING, c.state());
        deliver(to(c).seq(peerSeq + 1).ack(fin + 1));
        assertEquals(TcpState.TIME_WAIT, c.state());
    }

    @Test
    void halfCloseKeepsReceiving() throws Exception {
        TcpConnection c = connect(-1, false, false);
        c.write(bytes(100, 1), 0, 100);
        c.shutdownOutput();
        Segment s = out(ACK | PSH);
        assertEquals(100, s.payloadLength());
        assertEquals(s.seq() + 100, out(FIN | ACK).seq());
        assertThrows(TcpException.class, () -> c.write(new byte[1], 0, 1));
        deliver(to(c).seq(peerSeq).ack(s.seq() + 101));
        assertEquals(TcpState.FIN_WAIT_2, c.state());
        byte[] reply = bytes(3000, 7);
        deliver(to(c).seq(peerSeq).ack(s.seq() + 101).payload(java.util.Arrays.copyOf(reply, 1460)));
        deliver(to(c).seq(peerSeq + 1460).ack(s.seq() + 101).payload(java.util.Arrays.copyOfRange(reply, 1460, 3000)).flags(FIN));
        assertEquals(TcpState.TIME_WAIT, c.state());
        byte[] got = new byte[4000];
        assertEquals(3000, c.read(got, 0, 4000));
        assertArrayEquals(reply, java.util.Arrays.copyOf(got, 3000));
        assertEquals(-1, c.read(got, 0, 1));
    }

    @Test
    void aFinIsRetransmittedLikeData() throws Exception {
        TcpConnection c = connect(-1, false, false);
        int fin = c.sndUna();
        c.shutdownOutput();
        out(FIN | ACK);
        advance(S);
        assertEquals(fin, out(FIN | ACK).seq());
    }

    @Test
    void anOutOfOrderFinWaitsForTheDataBeforeIt() throws Exception {
        TcpConnection c = connect(-1, false, false);
        deliver(to(c).seq(peerSeq + 100).ack(c.sndUna()).payload(50).flags(FIN));
        assertEquals(peerSeq, out(ACK).ack());
        assertEquals(TcpState.ESTABLISHED, c.state());
        deliver(to(c).seq(peerSeq).ack(c.sndUna()).payload(100));
        assertEquals(peerSeq + 151, out(ACK).ack());
        assertEquals(TcpState.CLOSE_WAIT, c.state());
        assertEquals(150, c.readable());
    }

    @Test
    void closingWithUnreadDataResets() throws Exception {
        TcpConnection c = connect(-1, false, false);
        deliver(to(c).seq(peerSeq).ack(c.sndUna()).payload(10));
        c.close();
        Segment rst = out(RST | ACK);
        assertEquals(c.sndNxt(), rst.seq());
        assertEquals(TcpState.CLOSED, c.state());
    }

    @Test
    void dataAfterCloseIsAnsweredWithRst() throws Exception {
        TcpConnection c = connect(-1, false, false);
        int fin = c.sndUna();
        c.close();
        out(FIN | ACK);
        deliver(to(c).seq(peerSeq).ack(fin + 1));
        deliver(to(c).seq(peerSeq).ack(fin + 1).payload(10));
        out(RST | ACK);
        assertEquals(TcpState.CLOSED, c.state());
        assertEquals(1, tcp.counters().get(Drop.DATA_AFTER_CLOSE));
    }

    @Test
    void abortSendsRstAndFreesTheConnection() throws Exception {
        TcpConnection c = connect(-1, false, false);
        c.abort();
        out(RST | ACK);
        assertEquals(0, tcp.connectionCount());
        assertEquals(TcpError.CLOSED, assertThrows(TcpException.class, () -> c.write(new byte[1], 0, 1)).error());
    }

    @Test
    void orphanedFinWait2TimesOut() throws Exception {
        TcpConnection c = connect(-1, false, false);
        c.close();
        Segment f = out(FIN | ACK);
        deliver(to(c).seq(peerSeq).ack(f.seq() + 1));
        assertEquals(TcpState.FIN_WAIT_2, c.state());
        advance(cfg.finWait2Timeout);
        assertEquals(TcpState.CLOSED, c.state());
    }

    @Test
    void keepAliveProbesAnIdlePeerAndGivesUp() throws Exception {
        cfg.keepAlive = true;
        cfg.keepAliveIdle = 10 * S;
        cfg.keepAliveInterval = S;
        cfg.keepAliveProbes = 3;
        TcpConnection c = connect(-1, false, false);
        advance(10 * S);
        Segment probe = out(ACK);
        assertEquals(c.sndUna() - 1, probe.seq(), "SND.NXT - 1: the peer must answer");
        assertEquals(0, probe.payloadLength());
        // An answer resets the count and the idle timer.
        deliver(to(c).seq(peerSeq).ack(c.sndUna()));
        advance(S);
        nothingSent();
        advance(9 * S);
        out(ACK);
        advance(S);
        out(ACK);
        advance(S);
        out(ACK);
        advance(S);
        out(RST | ACK);
        assertEquals(TcpError.TIMED_OUT, c.error());
        assertEquals(4, tcp.counters().get(Event.KEEPALIVE_PROBES));
    }

    @Test
    void timeWaitGivesWayToANewerSyn() throws Exception {
        TcpListener l = tcp().listen(0, PORT, 4);
        deliver(peer().seq(PISN).flags(SYN));
        Segment sa = out(SYN | ACK);
        deliver(peer().seq(PISN + 1).ack(sa.seq() + 1));
        TcpConnection c = l.accept();
        c.close();
        out(FIN | ACK);
        deliver(peer().seq(PISN + 1).ack(sa.seq() + 2).flags(FIN));
        out(ACK);
        assertEquals(TcpState.TIME_WAIT, c.state());
        deliver(peer().seq(PISN + 100000).flags(SYN));
        out(SYN | ACK);
        assertEquals(TcpState.CLOSED, c.state());
        assertEquals(1, tcp.counters().get(Event.TIME_WAIT_REUSED));
    }
}

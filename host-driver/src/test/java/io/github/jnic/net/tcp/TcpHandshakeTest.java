package io.github.jnic.net.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.net.tcp.TcpCounters.Drop;
import org.junit.jupiter.api.Test;

/** Opening: active, passive and simultaneous; options; refusals; SYN retransmission (listen queues and cookies: {@link TcpListenQueueTest}). */
class TcpHandshakeTest extends TcpTestBase {

    @Test
    void activeOpenOffersEveryOptionAndAdoptsThePeers() throws Exception {
        TcpConnection c = tcp().connect(PEER, PORT);
        assertEquals(TcpState.SYN_SENT, c.state());
        Segment syn = out(SYN);
        assertEquals(PORT, syn.dstPort());
        assertTrue(c.localPort() >= cfg.ephemeralLow && c.localPort() <= cfg.ephemeralHigh);
        assertEquals(1460, syn.o.mss);
        assertEquals(3, syn.o.windowScale, "256 KiB buffer needs a shift of 3");
        assertTrue(syn.o.sackPermitted);
        assertTrue(syn.o.timestamps);
        assertEquals(0, syn.o.tsEcr);
        assertEquals(65535, syn.window(), "the window in a SYN is never scaled");

        deliver(to(c).seq(PISN).ack(syn.seq() + 1).flags(SYN).synOptions(1400, 7, true, 777, syn.o.tsVal, true));
        Segment ack = out(ACK);
        assertEquals(syn.seq() + 1, ack.seq());
        assertEquals(PISN + 1, ack.ack());
        assertEquals(262144 >> 3, ack.window());
        assertTrue(ack.o.timestamps);
        assertEquals(777, ack.o.tsEcr);
        assertEquals(TcpState.ESTABLISHED, c.state());
        assertEquals(1400 - 12, c.sendMss(), "MSS less the timestamp option");
        assertEquals(7, c.sendWindowScale());
        assertEquals(3, c.receiveWindowScale());
        assertTrue(c.sackEnabled());
        nothingSent();
    }

    @Test
    void dataWrittenOnConnectCarriesTheHandshakeAckAlone() throws Exception {
        TcpConnection c = tcp().connect(PEER, PORT);
        Segment syn = out(SYN);
        c.setEvents((conn, what) -> {
            if ((what & TcpConnection.Events.CONNECTED) == 0) return;
            try {
                conn.write(bytes(42, 1), 0, 42);
            } catch (TcpException e) {
                throw new AssertionError(e);
            }
        });
        deliver(to(c).seq(PISN).ack(syn.seq() + 1).flags(SYN).synOptions(1460, 3, true, 777, syn.o.tsVal, true));
        Segment d = out(ACK | PSH);
        assertEquals(PISN + 1, d.ack(), "the request acknowledges the SYN-ACK");
        assertEquals(42, d.payloadLength());
        nothingSent();
    }

    @Test
    void optionsThePeerDoesNotOfferAreOff() throws Exception {
        TcpConnection c = connect(-1, false, false);
        assertEquals(1460, c.sendMss());
        assertFalse(c.sackEnabled());
        assertFalse(c.timestampsEnabled());
        assertEquals(0, c.sendWindowScale());
        assertEquals(0, c.receiveWindowScale(), "no scaling unless both sides send the option");
        c.write(bytes(10, 1), 0, 10);
        Segment d = out(ACK | PSH);
        assertEquals(65535, d.window(), "an unscaled window is capped at 65535");
        assertEquals(20, d.h.headerLength(), "no options on data");
    }

    @Test
    void passiveOpenEchoesOnlyWhatThePeerOffered() throws Exception {
        TcpListener l = tcp().listen(0, PORT, 4);
        deliver(peer().seq(PISN).flags(SYN).synOptions(1200, 2, false, 100, 0, true));
        Segment synAck = out(SYN | ACK);
        assertEquals(PISN + 1, synAck.ack());
        assertEquals(1460, synAck.o.mss);
        assertEquals(3, synAck.o.windowScale);
        assertFalse(synAck.o.sackPermitted, "SACK-permitted only if the SYN had it");
        assertTrue(synAck.o.timestamps);
        assertEquals(100, synAck.o.tsEcr);
        assertNull(l.accept(), "not acceptable before the handshake completes");

        deliver(peer().seq(PISN + 1).ack(synAck.seq() + 1).timestamps(101, synAck.o.tsVal));
        nothingSent();
        TcpConnection c = l.accept();
        assertNotNull(c);
        assertEquals(TcpState.ESTABLISHED, c.state());
        assertEquals(1200 - 12, c.sendMss());
        assertEquals(PEER, c.remoteAddress());
        assertEquals(PEER_PORT, c.remotePort());
    }

    @Test
    void passiveOpenWithoutOptionsAssumesMss536() throws Exception {
        TcpListener l = tcp().listen(0, PORT, 4);
        deliver(peer().seq(PISN).flags(SYN));
        Segment synAck = out(SYN | ACK);
        assertEquals(-1, synAck.o.windowScale);
        assertFalse(synAck.o.timestamps);
        deliver(peer().seq(PISN + 1).ack(synAck.seq() + 1));
        assertEquals(536, l.accept().sendMss());
    }

    @Test
    void synToAClosedPortIsRefusedWithRstAck() {
        tcp();
        deliver(peer().seq(PISN).flags(SYN).payload(3));
        Segment rst = out(RST | ACK);
        assertEquals(0, rst.seq());
        assertEquals(PISN + 1 + 3, rst.ack(), "acknowledges SYN and payload");
        assertEquals(1, tcp.counters().get(Drop.NO_SOCKET));
    }

    @Test
    void ackToAClosedPortGetsRstAtItsAckNumber() {
        tcp();
        deliver(peer().seq(PISN).ack(123456));
        Segment rst = out(RST);
        assertEquals(123456, rst.seq());
        deliver(peer().seq(PISN).flags(RST));
        nothingSent();
    }

    @Test
    void activeOpenToARefusingPeerFailsWithRefused() throws Exception {
        TcpConnection c = tcp().connect(PEER, PORT);
        Segment syn = out(SYN);
        deliver(to(c).seq(0).ack(syn.seq() + 1).flags(RST));
        assertEquals(TcpState.CLOSED, c.state());
        assertEquals(TcpError.REFUSED, c.error());
        TcpException e = assertThrows(TcpException.class, () -> c.read(new byte[1], 0, 1));
        assertEquals(TcpError.REFUSED, e.error());
        assertEquals(0, tcp.connectionCount());
    }

    @Test
    void synSentIgnoresRstWithoutAckAndAnswersABadAckWithRst() throws Exception {
        TcpConnection c = tcp().connect(PEER, PORT);
        Segment syn = out(SYN);
        deliver(to(c).seq(0).flags(RST));
        assertEquals(TcpState.SYN_SENT, c.state());
        deliver(to(c).seq(PISN).ack(syn.seq() + 1000).flags(SYN));
        Segment rst = out(RST);
        assertEquals(syn.seq() + 1000, rst.seq());
        assertEquals(TcpState.SYN_SENT, c.state());
        assertEquals(2, tcp.counters().get(Drop.SYN_SENT_BAD_ACK));
    }

    @Test
    void listenerAnswersStrayAcksWithRstAndIgnoresRst() throws Exception {
        tcp().listen(0, PORT, 2);
        deliver(peer().seq(PISN).ack(999));
        assertEquals(999, out(RST).seq());
        deliver(peer().seq(PISN).flags(RST));
        nothingSent();
        assertEquals(2, tcp.counters().get(Drop.LISTEN_UNEXPECTED));
    }

    @Test
    void listeningTwiceOnAPortIsAddressInUse() throws Exception {
        tcp().listen(0, PORT, 2);
        TcpException e = assertThrows(TcpException.class, () -> tcp.listen(LOCAL, PORT, 2));
        assertEquals(TcpError.ADDRESS_IN_USE, e.error());
    }

    @Test
    void connectingTheSameFourTupleTwiceIsAddressInUse() throws Exception {
        tcp().connect(0, 5555, PEER, PORT);
        TcpException e = assertThrows(TcpException.class, () -> tcp.connect(0, 5555, PEER, PORT));
        assertEquals(TcpError.ADDRESS_IN_USE, e.error());
    }

    @Test
    void synIsRetransmittedWithExponentialBackoffThenTimesOut() throws Exception {
        TcpConnection c = tcp().connect(PEER, PORT);
        int iss = out(SYN).seq();
        long[] gaps = {1, 2, 4, 8, 16, 32};
        for (long gap : gaps) {
            advance(gap * S - 1);
            nothingSent();
            advance(1);
            Segment again = out(SYN);
            assertEquals(iss, again.seq());
        }
        advance(60 * S - 1);
        assertEquals(TcpState.SYN_SENT, c.state());
        advance(1);
        nothingSent();
        assertEquals(TcpState.CLOSED, c.state());
        assertEquals(TcpError.TIMED_OUT, c.error());
    }

    @Test
    void synAckIsRetransmittedAndARetransmittedSynGetsItAgain() throws Exception {
        tcp().listen(0, PORT, 2);
        deliver(peer().seq(PISN).flags(SYN));
        Segment sa = out(SYN | ACK);
        deliver(peer().seq(PISN).flags(SYN));
        assertEquals(sa.seq(), out(SYN | ACK).seq());
        advance(S);
        assertEquals(sa.seq(), out(SYN | ACK).seq());
    }

    @Test
    void simultaneousOpen() throws Exception {
        TcpConnection c = tcp().connect(0, 6000, PEER, 7000);
        Segment syn = out(SYN);
        deliver(Segment.build(7000, 6000).seq(PISN).flags(SYN).mssOnly(1460));
        Segment synAck = out(SYN | ACK);
        assertEquals(syn.seq(), synAck.seq());
        assertEquals(PISN + 1, synAck.ack());
        assertEquals(TcpState.SYN_RECEIVED, c.state());
        deliver(Segment.build(7000, 6000).seq(PISN).ack(syn.seq() + 1).flags(SYN).mssOnly(1460));
        assertEquals(TcpState.ESTABLISHED, c.state());
        c.write(bytes(5, 0), 0, 5);
        Segment data = out(ACK | PSH);
        assertEquals(syn.seq() + 1, data.seq());
        assertEquals(PISN + 1, data.ack());
    }

    @Test
    void initialSequenceNumbersFollowRfc6528() {
        IsnGenerator g = new IsnGenerator(1, 2);
        int a = g.isn(LOCAL, 1000, PEER, 80, 0);
        assertEquals(a, new IsnGenerator(1, 2).isn(LOCAL, 1000, PEER, 80, 0), "same secret, same ISN");
        assertTrue(a != g.isn(LOCAL, 1001, PEER, 80, 0), "the hash covers the ports");
        assertTrue(a != new IsnGenerator(1, 3).isn(LOCAL, 1000, PEER, 80, 0), "and the secret");
        assertEquals(250, g.isn(LOCAL, 1000, PEER, 80, MS) - a, "the clock ticks every 4 microseconds");
    }
}

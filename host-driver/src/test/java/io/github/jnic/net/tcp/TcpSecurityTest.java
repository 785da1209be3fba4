package io.github.jnic.net.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.net.tcp.TcpCounters.Drop;
import io.github.jnic.net.tcp.TcpCounters.Event;
import org.junit.jupiter.api.Test;

/** RFC 5961 blind-injection defences, RST validation, malformed input, ICMP. */
class TcpSecurityTest extends TcpTestBase {

    @Test
    void rstAtRcvNxtResetsTheConnection() throws Exception {
        TcpConnection c = connect(-1, false, false);
        deliver(to(c).seq(peerSeq).flags(RST));
        assertEquals(TcpState.CLOSED, c.state());
        assertEquals(TcpError.RESET, c.error());
        assertEquals(TcpError.RESET, assertThrows(TcpException.class, () -> c.read(new byte[1], 0, 1)).error());
        nothingSent();
    }

    @Test
    void rstInTheWindowButNotAtRcvNxtGetsAChallengeAck() throws Exception {
        TcpConnection c = connect(-1, false, false);
        deliver(to(c).seq(peerSeq + 1000).flags(RST));
        Segment challenge = out(ACK);
        assertEquals(peerSeq, challenge.ack());
        assertEquals(c.sndNxt(), challenge.seq());
        assertEquals(TcpState.ESTABLISHED, c.state());
        assertEquals(1, tcp.counters().get(Drop.RST_CHALLENGED));
    }

    @Test
    void rstOutsideTheWindowIsIgnored() throws Exception {
        TcpConnection c = connect(-1, false, false);
        deliver(to(c).seq(peerSeq + 10_000_000).flags(RST));
        deliver(to(c).seq(peerSeq - 1).flags(RST));
        nothingSent();
        assertEquals(TcpState.ESTABLISHED, c.state());
        assertEquals(2, tcp.counters().get(Drop.RST_OUT_OF_WINDOW));
    }

    @Test
    void synOnAnEstablishedConnectionGetsAChallengeAck() throws Exception {
        TcpConnection c = connect(-1, false, false);
        deliver(to(c).seq(peerSeq + 5).flags(SYN));
        assertEquals(peerSeq, out(ACK).ack());
        assertEquals(TcpState.ESTABLISHED, c.state());
        assertEquals(1, tcp.counters().get(Drop.SYN_CHALLENGED));
    }

    @Test
    void ackOfUnsentDataIsAnsweredAndDropped() throws Exception {
        TcpConnection c = connect(-1, false, false);
        deliver(to(c).seq(peerSeq).ack(c.sndNxt() + 5000).payload(10));
        Segment a = out(ACK);
        assertEquals(peerSeq, a.ack(), "the data on it is not taken");
        assertEquals(0, c.readable());
        assertEquals(1, tcp.counters().get(Drop.ACK_UNSENT));
    }

    @Test
    void ackTooFarInThePastIsChallenged() throws Exception {
        TcpConnection c = connect(-1, false, false);
        deliver(to(c).seq(peerSeq).ack(c.sndUna() - 200_000).payload(10));
        out(ACK);
        assertEquals(0, c.readable());
        assertEquals(1, tcp.counters().get(Drop.ACK_TOO_OLD));
    }

    @Test
    void challengeAcksAreRateLimited() throws Exception {
        cfg.challengeAcksPerSecond = 2;
        TcpConnection c = connect(-1, false, false);
        for (int i = 0; i < 3; i++) deliver(to(c).seq(peerSeq + 100).flags(RST));
        assertEquals(2, ip.sent.size());
        assertEquals(1, tcp.counters().get(Drop.CHALLENGE_ACK_LIMITED));
        ip.sent.clear();
        advance(S);
        deliver(to(c).seq(peerSeq + 100).flags(RST));
        assertEquals(1, ip.sent.size(), () -> "a new second, a new budget " + tcp.counters());
    }

    @Test
    void segmentsOutsideTheWindowGetADuplicateAck() throws Exception {
        TcpConnection c = connect(-1, false, false);
        deliver(to(c).seq(peerSeq + 10_000_000).ack(c.sndUna()).payload(10));
        assertEquals(peerSeq, out(ACK).ack());
        assertEquals(1, tcp.counters().get(Drop.OUT_OF_WINDOW));
    }

    @Test
    void segmentWithoutAckIsDropped() throws Exception {
        TcpConnection c = connect(-1, false, false);
        deliver(to(c).seq(peerSeq).payload(10));
        nothingSent();
        assertEquals(0, c.readable());
        assertEquals(1, tcp.counters().get(Drop.NO_ACK));
    }

    @Test
    void rstInTimeWaitIsIgnored() throws Exception {
        TcpConnection c = connect(-1, false, false);
        c.close();
        Segment f = out(FIN | ACK);
        deliver(to(c).seq(peerSeq).ack(f.seq() + 1).flags(FIN));
        out(ACK);
        deliver(to(c).seq(peerSeq + 1).flags(RST));
        assertEquals(TcpState.TIME_WAIT, c.state());
        assertEquals(1, tcp.counters().get(Drop.TIME_WAIT_RST));
    }

    @Test
    void badChecksumsAndMalformedHeadersAreCountedAndDropped() throws Exception {
        TcpConnection c = connect(-1, false, false);
        deliver(to(c).seq(peerSeq).ack(c.sndUna()).payload(10).badChecksum());
        assertEquals(1, tcp.counters().get(Drop.BAD_CHECKSUM));
        tcp.receive(PacketBuffer.of(new byte[12]), PEER, LOCAL, now);
        byte[] badOffset = to(c).seq(peerSeq).ack(c.sndUna()).bytes(PEER, LOCAL);
        badOffset[12] = 0x30; // data offset 3 words
        tcp.receive(PacketBuffer.of(badOffset), PEER, LOCAL, now);
        byte[] badOption = to(c).seq(peerSeq).ack(c.sndUna()).timestamps(1, 2).bytes(PEER, LOCAL);
        badOption[23] = 40; // timestamp option length runs past the header
        new io.github.jnic.net.wire.TcpHeader().wrap(badOption, 0).fillChecksum(PEER, LOCAL, badOption.length);
        tcp.receive(PacketBuffer.of(badOption), PEER, LOCAL, now);
        assertEquals(3, tcp.counters().get(Drop.MALFORMED));
        PacketBuffer flagged = PacketBuffer.of(to(c).seq(peerSeq).ack(c.sndUna()).payload(5).bytes(PEER, LOCAL));
        flagged.rxChecksum(PacketBuffer.RxChecksum.BAD);
        tcp.receive(flagged, PEER, LOCAL, now);
        assertEquals(2, tcp.counters().get(Drop.BAD_CHECKSUM), "the device's verdict is trusted");
        nothingSent();
        assertEquals(0, c.readable());
        assertEquals(TcpState.ESTABLISHED, c.state());
    }

    @Test
    void segmentsFromBroadcastSourcesAreNeverAnswered() {
        tcp();
        tcp.receive(PacketBuffer.of(peer().seq(1).flags(SYN).bytes(-1, LOCAL)), -1, LOCAL, now);
        nothingSent();
        assertEquals(1, tcp.counters().get(Drop.BAD_ADDRESS));
    }

    @Test
    void icmpPortUnreachableRefusesAConnectAndIsCheckedAgainstTheSequence() throws Exception {
        TcpConnection c = tcp().connect(PEER, PORT);
        Segment syn = out(SYN);
        byte[] quoted = java.util.Arrays.copyOf(syn.bytes, 8);
        byte[] forged = quoted.clone();
        forged[4] ^= 0x40; // a sequence number not in flight (RFC 5927)
        tcp.icmpError(3, 3, LOCAL, PEER, forged, 0, 8, now);
        assertEquals(TcpState.SYN_SENT, c.state());
        assertEquals(1, tcp.counters().get(Drop.ICMP_UNMATCHED));
        tcp.icmpError(3, 3, LOCAL, PEER, quoted, 0, 8, now);
        assertEquals(TcpError.REFUSED, c.error());
    }

    @Test
    void icmpHostUnreachableIsReportedWhenTheConnectTimesOut() throws Exception {
        cfg.synRetries = 1;
        TcpConnection c = tcp().connect(PEER, PORT);
        Segment syn = out(SYN);
        tcp.icmpError(3, 1, LOCAL, PEER, syn.bytes, 0, 8, now);
        assertEquals(TcpState.SYN_SENT, c.state(), "a soft error: retrying continues");
        advance(S);
        advance(2 * S);
        assertEquals(TcpError.UNREACHABLE, c.error());
        assertEquals(1, tcp.counters().get(Event.CONNECT_FAILED));
    }
}

package io.github.jnic.net.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.net.wire.TcpHeader;
import org.junit.jupiter.api.Timeout;

/**
 * One {@link Tcp} against a scripted peer in virtual time: the test plays the peer with hand-built
 * segments and checks every segment that comes out.
 */
@Timeout(20)
abstract class TcpTestBase {
    static final int LOCAL = 0x0a000001;
    static final int PEER = 0x0a000002;
    static final int PEER_PORT = 40000;
    static final int PORT = 80;
    static final int PISN = 5000;
    static final long MS = 1_000_000L;
    static final long S = 1_000_000_000L;
    static final int SYN = TcpHeader.SYN, ACK = TcpHeader.ACK, FIN = TcpHeader.FIN, RST = TcpHeader.RST, PSH = TcpHeader.PSH;

    TcpConfig cfg = newConfig();
    RecordingIp ip = new RecordingIp(LOCAL);
    Tcp tcp;
    long now = 1_000 * S;
    /** The peer's next sequence number, for scripts. */
    int peerSeq;

    static TcpConfig newConfig() {
        TcpConfig c = new TcpConfig();
        c.isnGenerator = new IsnGenerator(0x0123456789abcdefL, 0x0fedcba987654321L);
        return c;
    }

    Tcp tcp() {
        if (tcp == null) {
            tcp = new Tcp(ip, cfg);
            tcp.poll(now);
        }
        return tcp;
    }

    Segment.Builder from(int port) {
        return Segment.build(PEER_PORT, port);
    }

    Segment.Builder peer() {
        return from(PORT);
    }

    void deliver(Segment.Builder b) {
        tcp().receive(PacketBuffer.of(b.bytes(PEER, LOCAL)), PEER, LOCAL, now);
    }

    void advance(long ns) {
        now += ns;
        tcp().poll(now);
    }

    /** Moves time to the next deadline (at most {@code limit} ahead); returns how far it moved. */
    long advanceToNextTimer(long limit) {
        long next = tcp().poll(now);
        long step = Math.min(next - now, limit);
        advance(step);
        return step;
    }

    Segment out() {
        Segment s = ip.take();
        assertTrue(s.checksumOk(), "checksum of " + s);
        assertEquals(LOCAL, s.src);
        assertEquals(PEER, s.dst);
        return s;
    }

    Segment out(int flags) {
        Segment s = out();
        assertEquals(TcpHeader.flagNames(flags), TcpHeader.flagNames(s.flags()), "flags of " + s);
        return s;
    }

    void nothingSent() {
        assertTrue(ip.sent.isEmpty(), () -> "unexpected segment " + ip.sent.peek());
    }

    /**
     * Connects to the scripted peer and completes the handshake. Peer options: MSS 1460 and, on
     * request, window scale, SACK and timestamps.
     */
    TcpConnection connect(int peerWindowScale, boolean peerSack, boolean peerTimestamps) throws TcpException {
        TcpConnection c = tcp().connect(PEER, PORT);
        Segment syn = out(SYN);
        Segment.Builder synAck = Segment.build(PORT, c.localPort()).seq(PISN).ack(syn.seq() + 1).flags(SYN).window(65535);
        if (peerWindowScale >= 0 || peerSack || peerTimestamps) {
            synAck.synOptions(1460, peerWindowScale, peerSack, 777, syn.o.tsVal, peerTimestamps);
        } else {
            synAck.mssOnly(1460);
        }
        now += 10 * MS;
        tcp().receive(PacketBuffer.of(synAck.bytes(PEER, LOCAL)), PEER, LOCAL, now);
        Segment ack = out(ACK);
        assertEquals(PISN + 1, ack.ack());
        assertEquals(TcpState.ESTABLISHED, c.state());
        peerSeq = PISN + 1;
        return c;
    }

    /** Every segment sent and not yet taken. */
    Segment[] drain() {
        Segment[] all = new Segment[ip.sent.size()];
        for (int i = 0; i < all.length; i++) all[i] = out();
        return all;
    }

    /** A segment from the peer to an active connection {@code c}. */
    Segment.Builder to(TcpConnection c) {
        return Segment.build(PORT, c.localPort());
    }

    static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * 31 + seed);
        return b;
    }
}

package io.github.jnic.net.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.net.ip.Ipv4Output;
import io.github.jnic.net.tcp.TcpCounters.Drop;
import io.github.jnic.net.tcp.TcpCounters.Event;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * A listener's two queues and SYN cookies, segment by segment in virtual time: the bounded SYN
 * queue of small half-open records, cookies when it is full (MSS, and window scale and SACK in the
 * timestamp), forged and expired cookies, bounded SYN-ACK retries, a full accept queue that drops
 * SYNs silently so the client's retry gets in, and what a flood of SYNs costs in memory.
 */
class TcpListenQueueTest extends TcpTestBase {

    private Segment syn(int port, int mss, int ws, boolean sack, boolean ts, int tsVal) {
        Segment.Builder b = Segment.build(port, PORT).seq(PISN).flags(SYN);
        if (ws >= 0 || sack || ts) b.synOptions(mss, ws, sack, tsVal, 0, ts);
        else b.mssOnly(mss);
        deliver(b);
        return ip.sent.isEmpty() ? null : out(SYN | ACK);
    }

    @Test
    void halfOpenHandshakesWaitInABoundedSynQueueAsRecordsNotConnections() throws Exception {
        cfg.synBacklog = 4;
        TcpListener l = tcp().listen(0, PORT, 16);
        for (int i = 0; i < 4; i++) assertNotNull(syn(41000 + i, 1460, 7, true, true, 100));
        assertEquals(4, l.synQueueLength());
        assertEquals(4, tcp.halfOpenCount());
        assertEquals(0, tcp.connectionCount(), "no connection (and no buffers) before the handshake completes");
        assertEquals(0, tcp.counters().get(Event.SYN_COOKIES_SENT));

        Segment cookie = syn(41004, 1460, 7, true, true, 100);
        assertNotNull(cookie, "a SYN beyond the SYN queue is still answered");
        assertEquals(1, tcp.counters().get(Event.SYN_COOKIES_SENT));
        assertEquals(4, tcp.halfOpenCount(), "and nothing is stored for it");
        assertEquals(0, tcp.connectionCount());
    }

    @Test
    void aCookieAckEstablishesWithTheMssWindowScaleAndSackTheCookieCarried() throws Exception {
        cfg.synBacklog = 1;
        TcpListener l = tcp().listen(0, PORT, 16);
        syn(41000, 1460, -1, false, false, 0);
        Segment sa = syn(PEER_PORT, 1400, 7, true, true, 500);
        assertEquals(1, tcp.counters().get(Event.SYN_COOKIES_SENT));
        assertEquals(PISN + 1, sa.ack());
        assertEquals(1460, sa.o.mss, "our own MSS");
        assertEquals(3, sa.o.windowScale, "window scale offered: it rides in the timestamp");
        assertTrue(sa.o.sackPermitted);
        assertTrue(sa.o.timestamps);
        assertEquals(500, sa.o.tsEcr);
        assertEquals(65535, sa.window());

        now += 20 * MS;
        deliver(peer().seq(PISN + 1).ack(sa.seq() + 1).timestamps(520, sa.o.tsVal).window(1000));
        nothingSent();
        assertEquals(1, tcp.counters().get(Event.SYN_COOKIES_ACCEPTED));
        TcpConnection c = l.accept();
        assertNotNull(c);
        assertEquals(TcpState.ESTABLISHED, c.state());
        assertEquals(1400 - 12, c.sendMss(), "the cookie's MSS, less the timestamp option");
        assertEquals(7, c.sendWindowScale(), "the peer's shift, echoed back in its timestamp");
        assertEquals(3, c.receiveWindowScale());
        assertTrue(c.sackEnabled());
        assertTrue(c.timestampsEnabled());
        assertEquals(1000L << 7, c.sndWnd(), "the ACK's window, scaled by the shift the cookie carried");

        c.write(bytes(100, 1), 0, 100);
        Segment d = out(ACK | PSH);
        assertEquals(sa.seq() + 1, d.seq());
        assertEquals(PISN + 1, d.ack());
        assertEquals(262144 >> 3, d.window(), "our window scaled by the shift we offered");
        assertEquals(520, d.o.tsEcr);
    }

    @Test
    void withoutTimestampsACookieCarriesOnlyTheMssRoundedDown() throws Exception {
        cfg.synBacklog = 1;
        TcpListener l = tcp().listen(0, PORT, 16);
        syn(41000, 1460, -1, false, false, 0);
        Segment sa = syn(PEER_PORT, 1380, 7, true, false, 0);
        assertEquals(1, tcp.counters().get(Event.SYN_COOKIES_SENT));
        assertEquals(-1, sa.o.windowScale, "nowhere to carry window scale: not offered");
        assertFalse(sa.o.sackPermitted);
        assertFalse(sa.o.timestamps);
        deliver(peer().seq(PISN + 1).ack(sa.seq() + 1).window(20000));
        TcpConnection c = l.accept();
        assertNotNull(c);
        assertEquals(1360, c.sendMss(), "the largest cookie MSS not above the peer's 1380");
        assertEquals(0, c.sendWindowScale());
        assertFalse(c.sackEnabled());
        assertFalse(c.timestampsEnabled());
        assertEquals(20000, c.sndWnd());
    }

    @Test
    void forgedAndExpiredCookiesAreRejectedCountedAndReset() throws Exception {
        cfg.synBacklog = 1;
        TcpListener l = tcp().listen(0, PORT, 16);
        syn(41000, 1460, -1, false, false, 0);
        Segment sa = syn(PEER_PORT, 1460, -1, false, false, 0);

        deliver(peer().seq(PISN + 1).ack((sa.seq() ^ 0x100) + 1));
        assertEquals((sa.seq() ^ 0x100) + 1, out(RST).seq(), "a forged cookie is answered as any stray ACK");
        deliver(peer().seq(PISN + 2).ack(sa.seq() + 1));
        out(RST);
        assertEquals(2, tcp.counters().get(Drop.COOKIE_INVALID), "the cookie binds the peer's ISN too");
        assertNull(l.accept());

        // 60 s on (the first half-open handshake is gone by then) the cookie still holds ...
        advance(60 * S);
        ip.sent.clear();
        deliver(peer().seq(PISN + 1).ack(sa.seq() + 1));
        assertNotNull(l.accept());
        assertEquals(1, tcp.counters().get(Event.SYN_COOKIES_ACCEPTED));

        // A cookie lives for its 64-second period and the next: one made now has expired 100 s on,
        // while a flood still overflows the SYN queue (so ACKs are still checked for cookies).
        Segment sa2 = syn(PEER_PORT + 1, 1460, -1, false, false, 0);
        syn(41001, 1460, -1, false, false, 0);
        assertNotNull(syn(41002, 1460, -1, false, false, 0));
        advance(100 * S);
        syn(41003, 1460, -1, false, false, 0);
        syn(41004, 1460, -1, false, false, 0);
        ip.sent.clear();
        deliver(Segment.build(PEER_PORT + 1, PORT).seq(PISN + 1).ack(sa2.seq() + 1));
        out(RST);
        assertEquals(3, tcp.counters().get(Drop.COOKIE_INVALID));
        assertNull(l.accept());
    }

    @Test
    void synAckRetransmissionsBackOffAndTheHalfOpenHandshakeIsFreedAfterFive() throws Exception {
        TcpListener l = tcp().listen(0, PORT, 16);
        Segment sa = syn(PEER_PORT, 1460, -1, false, false, 0);
        for (long gap : new long[] {1, 2, 4, 8, 16}) {
            advance(gap * S - 1);
            nothingSent();
            advance(1);
            assertEquals(sa.seq(), out(SYN | ACK).seq());
        }
        assertEquals(1, l.synQueueLength());
        advance(32 * S - 1);
        assertEquals(1, l.synQueueLength());
        advance(1);
        nothingSent();
        assertEquals(0, l.synQueueLength(), "freed 63 s after the SYN, as Linux's tcp_synack_retries = 5");
        assertEquals(0, tcp.halfOpenCount());
        assertEquals(1, tcp.counters().get(Event.HALF_OPEN_EXPIRED));
        assertEquals(Long.MAX_VALUE, tcp.poll(now), "no timer left");
        deliver(peer().seq(PISN + 1).ack(sa.seq() + 1));
        out(RST);
    }

    @Test
    void aRetransmittedSynGetsTheSameSynAckAndARstFreesTheRequest() throws Exception {
        TcpListener l = tcp().listen(0, PORT, 16);
        Segment sa = syn(PEER_PORT, 1460, -1, false, false, 0);
        assertEquals(sa.seq(), syn(PEER_PORT, 1460, -1, false, false, 0).seq());
        deliver(peer().seq(PISN + 7).flags(RST));
        assertEquals(1, l.synQueueLength(), "a RST outside the window is ignored");
        deliver(peer().seq(PISN + 1).flags(RST));
        assertEquals(0, l.synQueueLength());
        nothingSent();
    }

    @Test
    void aFullAcceptQueueDropsSynsSilentlyAndTheClientsRetryGetsIn() throws Exception {
        TcpListener l = tcp().listen(0, PORT, 1);
        Segment a = syn(41000, 1460, -1, false, false, 0);
        Segment c = syn(41002, 1460, -1, false, false, 0);
        deliver(Segment.build(41000, PORT).seq(PISN + 1).ack(a.seq() + 1));
        assertEquals(1, l.acceptable());

        assertNull(syn(41001, 1460, -1, false, false, 0), "no RST: the client is to retry");
        assertEquals(1, tcp.counters().get(Drop.BACKLOG_FULL));
        assertEquals(0, tcp.counters().get(Event.RESETS_SENT));
        // A handshake already in the SYN queue completes into a full accept queue: its ACK is dropped, the request kept.
        deliver(Segment.build(41002, PORT).seq(PISN + 1).ack(c.seq() + 1));
        nothingSent();
        assertEquals(2, tcp.counters().get(Drop.BACKLOG_FULL));
        assertEquals(1, l.synQueueLength());

        assertNotNull(l.accept());
        advance(S);
        Segment again = out(SYN | ACK);
        assertEquals(41002, again.dstPort(), "the SYN-ACK is retransmitted, drawing the ACK again");
        deliver(Segment.build(41002, PORT).seq(PISN + 1).ack(c.seq() + 1));
        assertEquals(41002, l.accept().remotePort());
        Segment retry = syn(41001, 1460, -1, false, false, 0);
        assertNotNull(retry, "the client's retransmitted SYN finds room");
        deliver(Segment.build(41001, PORT).seq(PISN + 1).ack(retry.seq() + 1));
        TcpConnection b = l.accept();
        assertEquals(41001, b.remotePort());
        assertEquals(TcpState.ESTABLISHED, b.state());
    }

    @Test
    void withCookiesOffAFullSynQueueDropsTheSyn() throws Exception {
        cfg.synBacklog = 1;
        cfg.synCookies = false;
        tcp().listen(0, PORT, 16);
        assertNotNull(syn(41000, 1460, -1, false, false, 0));
        assertNull(syn(41001, 1460, -1, false, false, 0));
        assertEquals(1, tcp.counters().get(Drop.SYN_QUEUE_FULL));
    }

    /**
     * What a SYN costs: bytes allocated on the heap by the stack thread (HotSpot's per-thread
     * count) and native memory in direct buffers, for SYNs that go into the SYN queue and for a
     * flood answered by cookies. The same measure sees the buffers a completed handshake brings.
     */
    @Test
    void aSynFloodCostsASmallRecordPerHalfOpenHandshakeAndNoBuffers() throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(p -> p.getName().equals("direct")).findFirst().orElseThrow();
        DiscardingIp sink = new DiscardingIp();
        Tcp flooded = new Tcp(sink, cfg);
        flooded.listen(0, PORT, 64);
        int queued = cfg.synBacklog, flood = 20_000;
        PacketBuffer[] syns = new PacketBuffer[queued + flood + 1];
        int[] sources = new int[syns.length];
        for (int i = 0; i < syns.length; i++) {
            sources[i] = 0x0a100000 + i / 1000;   // spoofed sources, 1000 ports each
            syns[i] = PacketBuffer.of(Segment.build(20000 + i % 1000, PORT).seq(PISN + i).flags(SYN)
                    .synOptions(1460, 7, true, 100 + i, 0, true).bytes(sources[i], LOCAL));
        }

        long heap0 = threads.getCurrentThreadAllocatedBytes(), direct0 = direct.getMemoryUsed();
        for (int i = 0; i < queued; i++) flooded.receive(syns[i], sources[i], LOCAL, now);
        long heap1 = threads.getCurrentThreadAllocatedBytes();
        for (int i = queued; i < queued + flood; i++) flooded.receive(syns[i], sources[i], LOCAL, now);
        long heap2 = threads.getCurrentThreadAllocatedBytes(), direct2 = direct.getMemoryUsed();

        assertEquals(queued, flooded.halfOpenCount());
        assertEquals(0, flooded.connectionCount());
        assertEquals(flood, flooded.counters().get(Event.SYN_COOKIES_SENT));
        assertEquals(queued + flood, sink.sent);
        long perHalfOpen = (heap1 - heap0) / queued, perCookie = (heap2 - heap1) / flood;
        assertTrue(perHalfOpen < 1024, "bytes allocated per SYN queued: " + perHalfOpen);
        assertTrue(perCookie < 512, "bytes allocated per SYN answered by a cookie: " + perCookie);
        assertTrue(direct2 - direct0 < 64 * 1024, "native memory taken by the flood: " + (direct2 - direct0));

        // The measure sees buffers: completing one handshake brings the connection's.
        int last = queued + flood;
        flooded.receive(syns[last], sources[last], LOCAL, now);   // a cookie SYN-ACK
        int cookie = sink.lastSeq;
        long heap3 = threads.getCurrentThreadAllocatedBytes(), direct3 = direct.getMemoryUsed();
        flooded.receive(PacketBuffer.of(Segment.build(20000 + last % 1000, PORT).seq(PISN + last + 1).ack(cookie + 1)
                .timestamps(200, sink.lastTsVal).bytes(sources[last], LOCAL)), sources[last], LOCAL, now);
        assertEquals(1, flooded.connectionCount(), "the cookie ACK made a connection");
        long heapConnection = threads.getCurrentThreadAllocatedBytes() - heap3;
        assertTrue(heapConnection >= cfg.receiveBufferSize, "an established connection's receive buffer: " + heapConnection);
        assertNotEquals(direct3, direct.getMemoryUsed(), "and its send buffer in native memory");
    }

    /** An IP layer that takes every segment and keeps only the last sequence number and timestamp: it allocates nothing per segment. */
    private static final class DiscardingIp implements Ipv4Output {
        private final PacketBuffer buffer = PacketBuffer.allocate(256, 64);
        private final TcpOptions options = new TcpOptions();
        int sent;
        int lastSeq;
        int lastTsVal;

        @Override public PacketBuffer allocate(int transportBytes) { return buffer.reset(64); }

        @Override
        public SendResult send(PacketBuffer segment, int src, int dst, int protocol, int ttl, int tos, boolean dontFragment) {
            sent++;
            byte[] d = segment.data();
            int at = segment.start();
            lastSeq = ((d[at + 4] & 0xff) << 24) | ((d[at + 5] & 0xff) << 16) | ((d[at + 6] & 0xff) << 8) | (d[at + 7] & 0xff);
            int hl = ((d[at + 12] & 0xff) >>> 4) * 4;
            if (options.parse(d, at + 20, hl - 20) && options.timestamps) lastTsVal = options.tsVal;
            return SendResult.SENT;
        }

        @Override public int sourceAddressFor(int dst) { return LOCAL; }
        @Override public int mtuFor(int dst) { return 1500; }
        @Override public boolean segmentationOffloadFor(int dst) { return false; }
        @Override public boolean isLocalAddress(int addr) { return addr == LOCAL; }
    }
}

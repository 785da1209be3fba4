package io.github.jnic.net.tcp;

import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.net.ip.Ipv4Output;
import io.github.jnic.net.ip.Ipv4Transport;
import io.github.jnic.net.tcp.TcpCounters.Drop;
import io.github.jnic.net.tcp.TcpCounters.Event;
import io.github.jnic.net.wire.Checksum;
import io.github.jnic.net.wire.TcpHeader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.function.ObjIntConsumer;

/**
 * TCP as an IPv4 transport: demultiplexes segments to connections and listeners, answers what
 * matches neither with RST, runs the connections' timers, and opens connections. Sans-IO: it only
 * talks to {@link Ipv4Output} and is driven by {@link #receive} and {@link #poll} with the stack's
 * clock, so tests run it in virtual time. Stack thread only.
 */
public final class Tcp implements Ipv4Transport {
    public static final int PROTOCOL = 6;
    private static final long SECOND = 1_000_000_000L;

    final Ipv4Output ip;
    final TcpConfig cfg;
    final TcpCounters counters = new TcpCounters();
    final IsnGenerator isn;

    private final HashMap<Key, TcpConnection> table = new HashMap<>();
    private final ArrayList<TcpConnection> connections = new ArrayList<>();
    /** Half-open passive handshakes (every listener's SYN queue), by four-tuple and as a list for their timers. */
    private final HashMap<Key, SynRequest> requests = new HashMap<>();
    private final ArrayList<SynRequest> requestList = new ArrayList<>();
    /** The earliest SYN-ACK retransmission due (so a poll skips the list until then). */
    private long requestsDue = Long.MAX_VALUE;
    private final ArrayList<TcpListener> listeners = new ArrayList<>();
    private final Key probe = new Key();
    private final TcpHeader in = new TcpHeader();
    private final TcpHeader out = new TcpHeader();
    private final TcpOptions options = new TcpOptions();
    /** A half-open handshake's SYN options, rebuilt for the connection it becomes. */
    private final TcpOptions synOptions = new TcpOptions();
    /** The window shift we offer: the smallest that covers the receive buffer. */
    final int offeredShift;
    private long now;
    private long challengeWindowStart;
    private int challengeAcks;
    private int nextEphemeral;
    private boolean batching;
    private final ArrayList<TcpConnection> held = new ArrayList<>();

    public Tcp(Ipv4Output ip, TcpConfig config) {
        this.ip = ip;
        this.cfg = config;
        this.isn = config.isnGenerator != null ? config.isnGenerator : new IsnGenerator();
        int range = config.ephemeralHigh - config.ephemeralLow + 1;
        this.nextEphemeral = (int) Math.floorMod(isn.hash(0x706f7274L, 0), (long) range);
        int shift = 0;
        while (shift < TcpOptions.MAX_WINDOW_SCALE && (config.receiveBufferSize >> shift) > 0xffff) shift++;
        this.offeredShift = shift;
    }

    public Tcp(Ipv4Output ip) {
        this(ip, new TcpConfig());
    }

    @Override public int protocol() { return PROTOCOL; }
    public TcpCounters counters() { return counters; }
    public TcpConfig config() { return cfg; }
    /** The stack time of the latest {@link #receive} or {@link #poll}. */
    public long now() { return now; }
    /** Connections in the table, any state but CLOSED (TIME-WAIT included); half-open handshakes are not connections yet. */
    public int connectionCount() { return connections.size(); }
    /** Half-open passive handshakes in all SYN queues. */
    public int halfOpenCount() { return requestList.size(); }

    // ---- opening ---------------------------------------------------------------------------------

    /** Active open from an ephemeral port and the routed source address: sends the SYN. */
    public TcpConnection connect(int remoteAddr, int remotePort) throws TcpException {
        return connect(0, 0, remoteAddr, remotePort);
    }

    /**
     * Active open. {@code localAddr} 0 picks the routed source address, {@code localPort} 0 an
     * ephemeral port (RFC 6056: a keyed-hash start, then sequential).
     */
    public TcpConnection connect(int localAddr, int localPort, int remoteAddr, int remotePort) throws TcpException {
        if (remotePort <= 0 || remotePort > 0xffff) throw new IllegalArgumentException("port " + remotePort);
        int src = localAddr != 0 ? localAddr : ip.sourceAddressFor(remoteAddr);
        if (src == 0) throw new TcpException(TcpError.UNREACHABLE, "no route to host " + addr(remoteAddr));
        if (!unicast(remoteAddr) || ip.isBroadcastOrMulticast(remoteAddr)) throw new TcpException(TcpError.UNREACHABLE, "not a unicast address: " + addr(remoteAddr));
        int port = localPort != 0 ? localPort : ephemeralPort(src, remoteAddr, remotePort);
        if (port == 0 || lookup(src, port, remoteAddr, remotePort) != null) {
            throw new TcpException(TcpError.ADDRESS_IN_USE, "address already in use: " + addr(src) + ":" + localPort + " -> " + addr(remoteAddr) + ":" + remotePort);
        }
        TcpConnection c = new TcpConnection(this, src, port, remoteAddr, remotePort);
        add(c);
        c.openActive(now);
        return c;
    }

    /** Passive open on {@code localPort} ({@code localAddr} 0: any local address). */
    public TcpListener listen(int localAddr, int localPort, int backlog) throws TcpException {
        if (localPort <= 0 || localPort > 0xffff) throw new IllegalArgumentException("port " + localPort);
        for (TcpListener l : listeners) {
            if (l.localPort == localPort && (l.localAddr == 0 || localAddr == 0 || l.localAddr == localAddr)) {
                throw new TcpException(TcpError.ADDRESS_IN_USE, "address already in use: port " + localPort);
            }
        }
        TcpListener l = new TcpListener(this, localAddr, localPort, Math.max(1, backlog), Math.max(1, cfg.synBacklog));
        listeners.add(l);
        return l;
    }

    void unlisten(TcpListener l) {
        listeners.remove(l);
        for (int i = requestList.size() - 1; i >= 0; i--) {
            if (i < requestList.size() && requestList.get(i).listener == l) removeRequest(requestList.get(i));
        }
    }

    private int ephemeralPort(int src, int dst, int dstPort) {
        int range = cfg.ephemeralHigh - cfg.ephemeralLow + 1;
        int offset = (int) Math.floorMod(isn.hash(((long) src << 32) | (dst & 0xffffffffL), dstPort), (long) range);
        for (int i = 0; i < range; i++) {
            int port = cfg.ephemeralLow + Math.floorMod(offset + nextEphemeral + i, range);
            if (lookup(src, port, dst, dstPort) == null && findListener(src, port) == null) {
                nextEphemeral += i + 1;
                return port;
            }
        }
        return 0;
    }

    // ---- receiving -------------------------------------------------------------------------------

    @Override
    public void receive(PacketBuffer segment, int src, int dst, long now) {
        this.now = now;
        try {
            counters.count(Event.SEGMENTS_RECEIVED);
            byte[] d = segment.data();
            int at = segment.start();
            int len = segment.length();
            if (len < TcpHeader.MIN_LENGTH) {
                counters.drop(Drop.MALFORMED);
                return;
            }
            in.wrap(d, at);
            int hl = in.headerLength();
            if (hl < TcpHeader.MIN_LENGTH || hl > len) {
                counters.drop(Drop.MALFORMED);
                return;
            }
            if (segment.rxChecksum() == PacketBuffer.RxChecksum.BAD
                    || (segment.rxChecksum() == PacketBuffer.RxChecksum.NONE && !in.checksumValid(src, dst, len))) {
                counters.drop(Drop.BAD_CHECKSUM);
                return;
            }
            if (!options.parse(d, at + TcpHeader.MIN_LENGTH, hl - TcpHeader.MIN_LENGTH)) {
                counters.drop(Drop.MALFORMED);
                return;
            }
            if (!unicast(src) || !unicast(dst) || ip.isBroadcastOrMulticast(dst)) {   // RFC 1122 4.2.3.10
                counters.drop(Drop.BAD_ADDRESS);
                return;
            }
            int flags = in.flags();
            if ((flags & (TcpHeader.SYN | TcpHeader.FIN)) == (TcpHeader.SYN | TcpHeader.FIN)) { counters.drop(Drop.SYN_FIN); return; }
            TcpConnection c = lookup(dst, in.destinationPort(), src, in.sourcePort());
            if (c != null && (flags & (TcpHeader.SYN | TcpHeader.ACK | TcpHeader.RST)) == TcpHeader.SYN && c.acceptsNewSyn(in, options)) {
                counters.count(Event.TIME_WAIT_REUSED);
                c.terminate();
                c = null;
            }
            if (c != null) {
                c.onSegment(in, options, d, at + hl, len - hl, now);
                return;
            }
            SynRequest r = requests.isEmpty() ? null : requests.get(probe.set(dst, in.destinationPort(), src, in.sourcePort()));
            if (r != null) {
                onRequest(r, d, at + hl, len - hl, now);
                return;
            }
            TcpListener l = findListener(dst, in.destinationPort());
            if (l != null) {
                onListen(l, src, dst, d, at + hl, len - hl, now);
                return;
            }
            counters.drop(Drop.NO_SOCKET);
            resetUnknown(src, dst, len - hl);
        } finally {
            segment.release();
        }
    }

    /**
     * A segment at a listener. A SYN joins the SYN queue as a small {@link SynRequest}, or gets a
     * SYN cookie when that queue is full; with the accept queue full it is dropped silently
     * (Linux's default), so the peer retries later instead of being refused. An ACK may carry one
     * of our cookies; any other ACK is answered with RST.
     */
    private void onListen(TcpListener l, int src, int dst, byte[] d, int payloadAt, int payloadLen, long now) {
        int flags = in.flags();
        if ((flags & TcpHeader.RST) != 0) {
            counters.drop(Drop.LISTEN_UNEXPECTED);
            return;
        }
        if ((flags & TcpHeader.ACK) != 0) {
            if ((flags & TcpHeader.SYN) == 0 && cfg.synCookies && l.cookiesRecentlySent(now)) {
                onCookieAck(l, src, dst, d, payloadAt, payloadLen, now);
                return;
            }
            counters.drop(Drop.LISTEN_UNEXPECTED);
            sendReset(dst, in.destinationPort(), src, in.sourcePort(), in.acknowledgmentNumber(), 0, TcpHeader.RST);
            return;
        }
        if ((flags & TcpHeader.SYN) == 0) {
            counters.drop(Drop.LISTEN_UNEXPECTED);
            return;
        }
        if (l.acceptQueueFull()) {
            counters.drop(Drop.BACKLOG_FULL);
            return;
        }
        int localPort = in.destinationPort(), remotePort = in.sourcePort(), irs = in.sequenceNumber();
        if (l.synQueueFull()) {
            if (!cfg.synCookies) {
                counters.drop(Drop.SYN_QUEUE_FULL);
                return;
            }
            l.synQueueOverflowed(now);
            int cookie = SynCookies.make(isn, dst, localPort, src, remotePort, irs, options.mss, now);
            boolean ts = cfg.timestamps && options.timestamps;
            // Window scale and SACK can only be carried in the timestamp: without it they are not offered.
            int peerShift = ts && cfg.windowScaling ? options.windowScale : -1;
            boolean sack = ts && cfg.sack && options.sackPermitted;
            int tsVal = ts ? SynCookies.timestamp(tsClock(dst, localPort, src, remotePort, now), peerShift, sack) : 0;
            counters.count(Event.SYN_COOKIES_SENT);
            sendSynAck(dst, localPort, src, remotePort, cookie, irs, sack, ts, tsVal, options.tsVal, peerShift >= 0);
            return;
        }
        SynRequest r = new SynRequest(l, dst, localPort, src, remotePort, isn(dst, localPort, src, remotePort, now), irs,
                options.mss, options.windowScale, options.sackPermitted, options.timestamps, options.tsVal, in.window(), false);
        counters.count(Event.PASSIVE_OPENS);
        addRequest(r, now);
        sendSynAck(r, now);
    }

    /** A segment for a half-open handshake: the final ACK makes it a connection. */
    private void onRequest(SynRequest r, byte[] d, int payloadAt, int payloadLen, long now) {
        int flags = in.flags();
        int seq = in.sequenceNumber();
        if ((flags & TcpHeader.RST) != 0) {
            if (seq == r.irs + 1) {
                counters.count(Event.RESETS_RECEIVED);
                removeRequest(r);
            } else {
                counters.drop(Drop.RST_OUT_OF_WINDOW);
            }
            return;
        }
        if ((flags & TcpHeader.SYN) != 0) {
            if ((flags & TcpHeader.ACK) == 0 && seq == r.irs) {
                // Our SYN-ACK was lost: the same again.
                counters.count(Event.DUPLICATE_SEGMENTS);
                counters.count(Event.RETRANSMITTED_SEGMENTS);
                sendSynAck(r, now);
            } else {
                counters.drop(Drop.LISTEN_UNEXPECTED);
            }
            return;
        }
        if ((flags & TcpHeader.ACK) == 0) {
            counters.drop(Drop.NO_ACK);
            return;
        }
        if (in.acknowledgmentNumber() != r.iss + 1) {
            counters.drop(Drop.ACK_UNSENT);
            sendReset(r.localAddr, r.localPort, r.remoteAddr, r.remotePort, in.acknowledgmentNumber(), 0, TcpHeader.RST);
            return;
        }
        if (seq != r.irs + 1) {
            counters.drop(Drop.OUT_OF_WINDOW);
            return;
        }
        if (r.timestamps && cfg.timestamps && options.timestamps && Seq.lt(options.tsVal, r.tsRecent)) {
            counters.drop(Drop.PAWS);
            return;
        }
        if (r.listener.acceptQueueFull()) {
            // Linux's default: the ACK is dropped and the request kept; the SYN-ACK retransmission
            // draws another ACK, which may find room.
            counters.drop(Drop.BACKLOG_FULL);
            return;
        }
        removeRequest(r);
        establishFrom(r, d, payloadAt, payloadLen, now);
    }

    /** An ACK at a listener after cookies were sent: a valid cookie makes the connection at once. */
    private void onCookieAck(TcpListener l, int src, int dst, byte[] d, int payloadAt, int payloadLen, long now) {
        int localPort = in.destinationPort(), remotePort = in.sourcePort();
        int irs = in.sequenceNumber() - 1;
        int iss = in.acknowledgmentNumber() - 1;
        int mss = SynCookies.check(isn, dst, localPort, src, remotePort, irs, iss, now);
        if (mss < 0) {
            counters.drop(Drop.COOKIE_INVALID);
            sendReset(dst, localPort, src, remotePort, in.acknowledgmentNumber(), 0, TcpHeader.RST);
            return;
        }
        if (l.acceptQueueFull()) {
            counters.drop(Drop.BACKLOG_FULL);
            return;
        }
        boolean ts = cfg.timestamps && options.timestamps;
        int shift = ts ? SynCookies.windowScale(options.tsEcr) : -1;
        boolean sack = ts && SynCookies.sack(options.tsEcr);
        SynRequest r = new SynRequest(l, dst, localPort, src, remotePort, iss, irs, mss, shift, sack, ts, options.tsVal, in.window(), true);
        counters.count(Event.PASSIVE_OPENS);
        counters.count(Event.SYN_COOKIES_ACCEPTED);
        establishFrom(r, d, payloadAt, payloadLen, now);
    }

    /** The handshake is complete: now the connection and its buffers are made, and the ACK is its first segment. */
    private void establishFrom(SynRequest r, byte[] d, int payloadAt, int payloadLen, long now) {
        TcpConnection c = new TcpConnection(this, r.localAddr, r.localPort, r.remoteAddr, r.remotePort);
        c.listener = r.listener;
        add(c);
        r.synOptions(synOptions);
        c.openFromRequest(r, synOptions);
        c.onSegment(in, options, d, payloadAt, payloadLen, now);
    }

    private void addRequest(SynRequest r, long now) {
        r.sentAt = now;
        r.rto = cfg.initialRto;
        r.rtoAt = now + r.rto;
        requestsDue = Math.min(requestsDue, r.rtoAt);
        requests.put(new Key().set(r.localAddr, r.localPort, r.remoteAddr, r.remotePort), r);
        r.index = requestList.size();
        requestList.add(r);
        r.listener.synQueued++;
    }

    private void removeRequest(SynRequest r) {
        if (r.index < 0) return;
        requests.remove(probe.set(r.localAddr, r.localPort, r.remoteAddr, r.remotePort));
        swapRemove(requestList, r.index, (q, i) -> q.index = i);
        r.listener.synQueued--;
    }

    /** A SYN-ACK is due again (backing off, as Linux's tcp_synack_retries), or the request has had all its tries. */
    private void onRequestTimer(SynRequest r, long now) {
        if (r.retries >= cfg.synAckRetries) {
            counters.count(Event.HALF_OPEN_EXPIRED);
            removeRequest(r);
            return;
        }
        r.retries++;
        r.rto = Math.min(2 * r.rto, cfg.maxRto);
        r.rtoAt = now + r.rto;
        counters.count(Event.RETRANSMISSION_TIMEOUTS);
        counters.count(Event.RETRANSMITTED_SEGMENTS);
        sendSynAck(r, now);
    }

    private void sendSynAck(SynRequest r, long now) {
        boolean ts = cfg.timestamps && r.timestamps;
        sendSynAck(r.localAddr, r.localPort, r.remoteAddr, r.remotePort, r.iss, r.irs, cfg.sack && r.sack, ts,
                ts ? tsClock(r.localAddr, r.localPort, r.remoteAddr, r.remotePort, now) : 0, r.tsRecent,
                cfg.windowScaling && r.peerWindowScale >= 0);
    }

    /** A SYN-ACK with no connection behind it, exactly as the connection made from it will go on (window, MSS, shift, clock). */
    private void sendSynAck(int localAddr, int localPort, int remoteAddr, int remotePort, int iss, int irs,
                            boolean sack, boolean ts, int tsVal, int tsEcr, boolean windowScale) {
        int hdr = TcpHeader.MIN_LENGTH + TcpOptions.synLength(sack, ts, windowScale);
        PacketBuffer b = ip.allocate(hdr);
        int at = b.append(hdr);
        out.wrap(b.data(), at)
                .sourcePort(localPort)
                .destinationPort(remotePort)
                .sequenceNumber(iss)
                .acknowledgmentNumber(irs + 1)
                .headerLength(hdr)
                .flags(TcpHeader.SYN | TcpHeader.ACK)
                .window(Math.min(cfg.receiveBufferSize, 0xffff))
                .checksum(0)
                .urgentPointer(0);
        TcpOptions.writeSyn(b.data(), at + TcpHeader.MIN_LENGTH, advertisedMss(remoteAddr), sack, ts, tsVal, tsEcr,
                windowScale ? offeredShift : -1);
        send(b, at, hdr, localAddr, remoteAddr);
    }

    /** RFC 9293 section 3.10.7.1: the reply to a segment for no connection. */
    private void resetUnknown(int src, int dst, int payloadLen) {
        int flags = in.flags();
        if ((flags & TcpHeader.RST) != 0) return;
        if ((flags & TcpHeader.ACK) != 0) {
            sendReset(dst, in.destinationPort(), src, in.sourcePort(), in.acknowledgmentNumber(), 0, TcpHeader.RST);
        } else {
            int segLen = payloadLen + ((flags & TcpHeader.SYN) != 0 ? 1 : 0) + ((flags & TcpHeader.FIN) != 0 ? 1 : 0);
            sendReset(dst, in.destinationPort(), src, in.sourcePort(), 0, in.sequenceNumber() + segLen, TcpHeader.RST | TcpHeader.ACK);
        }
    }

    @Override
    public void icmpError(int type, int code, int originalSrc, int originalDst, byte[] quoted, int off, int len, long now) {
        this.now = now;
        if (len < 8) {
            counters.drop(Drop.ICMP_UNMATCHED);
            return;
        }
        TcpHeader q = new TcpHeader().wrap(quoted, off);
        TcpConnection c = lookup(originalSrc, q.sourcePort(), originalDst, q.destinationPort());
        if (c == null) {
            counters.drop(Drop.ICMP_UNMATCHED);
            return;
        }
        c.onIcmpError(type, code, q.sequenceNumber(), now);
    }

    // ---- receive batches ---------------------------------------------------------------------------

    @Override public void beginBatch() { batching = true; }

    @Override public void endBatch(long now) {
        batching = false;
        this.now = now;
        for (int i = 0; i < held.size(); i++) held.get(i).releaseOutput(now);
        held.clear();
    }

    /** Whether a batch of received frames is being handed over (connections hold their output). */
    boolean batching() { return batching; }

    void holdOutput(TcpConnection c) { held.add(c); }

    // ---- timers ----------------------------------------------------------------------------------

    @Override
    public long poll(long now) {
        this.now = now;
        long next = Long.MAX_VALUE;
        // Backwards, so a connection that leaves (swapped with the last) is never skipped.
        for (int i = connections.size() - 1; i >= 0; i--) {
            if (i >= connections.size()) continue;
            TcpConnection c = connections.get(i);
            if (c.nextDeadline() <= now) c.onTimer(now);
            if (c.state() != TcpState.CLOSED) next = Math.min(next, c.nextDeadline());
        }
        if (requestsDue <= now) {
            long due = Long.MAX_VALUE;
            for (int i = requestList.size() - 1; i >= 0; i--) {
                if (i >= requestList.size()) continue;
                SynRequest r = requestList.get(i);
                if (r.rtoAt <= now) onRequestTimer(r, now);
                if (r.index >= 0) due = Math.min(due, r.rtoAt);
            }
            requestsDue = due;
        }
        return Math.min(next, requestsDue);
    }

    // ---- shared by connections -------------------------------------------------------------------

    int isn(int localAddr, int localPort, int remoteAddr, int remotePort, long now) {
        return isn.isn(localAddr, localPort, remoteAddr, remotePort, now);
    }

    /** RFC 5961 section 7: a global budget of challenge ACKs per second. */
    boolean allowChallengeAck(long now) {
        if (challengeAcks == 0 || now - challengeWindowStart >= SECOND) {
            challengeWindowStart = now;
            challengeAcks = 0;
        }
        return ++challengeAcks <= cfg.challengeAcksPerSecond;
    }

    /** The MSS we advertise toward {@code remoteAddr}: the route's MTU less the headers. */
    int advertisedMss(int remoteAddr) {
        int mtu = ip.mtuFor(remoteAddr);
        return mtu > 40 ? mtu - 40 : 536;
    }

    /** A connection's RFC 7323 timestamp offset: a keyed hash of its four-tuple. */
    int tsOffset(int localAddr, int localPort, int remoteAddr, int remotePort) {
        return (int) isn.hash(((long) localAddr << 32) | (remoteAddr & 0xffffffffL), ((long) localPort << 16) | remotePort | (1L << 40));
    }

    /** The connection's timestamp clock (1 ms) for a four-tuple. */
    private int tsClock(int localAddr, int localPort, int remoteAddr, int remotePort, long now) {
        return (int) (now / 1_000_000L) + tsOffset(localAddr, localPort, remoteAddr, remotePort);
    }

    /** Sends a bare RST (or RST|ACK) with no connection behind it. */
    void sendReset(int localAddr, int localPort, int remoteAddr, int remotePort, int seq, int ack, int flags) {
        PacketBuffer b = ip.allocate(TcpHeader.MIN_LENGTH);
        int at = b.append(TcpHeader.MIN_LENGTH);
        out.wrap(b.data(), at)
                .sourcePort(localPort)
                .destinationPort(remotePort)
                .sequenceNumber(seq)
                .acknowledgmentNumber((flags & TcpHeader.ACK) != 0 ? ack : 0)
                .headerLength(TcpHeader.MIN_LENGTH)
                .flags(flags)
                .window(0)
                .urgentPointer(0);
        counters.count(Event.RESETS_SENT);
        send(b, at, TcpHeader.MIN_LENGTH, localAddr, remoteAddr);
    }

    /** Checksum request and hand-over of a segment made without a connection. */
    private void send(PacketBuffer b, int at, int hdr, int localAddr, int remoteAddr) {
        out.checksum(Checksum.fold(Checksum.pseudoHeader(localAddr, remoteAddr, PROTOCOL, hdr)));
        b.requestChecksum(at, TcpHeader.CHECKSUM_OFFSET);
        counters.count(Event.SEGMENTS_SENT);
        Ipv4Output.SendResult r = ip.send(b, localAddr, remoteAddr, PROTOCOL, -1, 0, true);
        if (r == Ipv4Output.SendResult.NO_ROUTE || r == Ipv4Output.SendResult.DROPPED) counters.drop(Drop.SEND_FAILED);
    }

    private void add(TcpConnection c) {
        table.put(new Key().set(c.localAddr, c.localPort, c.remoteAddr, c.remotePort), c);
        c.tableIndex = connections.size();
        connections.add(c);
    }

    void remove(TcpConnection c) {
        if (c.tableIndex < 0) return;
        table.remove(probe.set(c.localAddr, c.localPort, c.remoteAddr, c.remotePort));
        swapRemove(connections, c.tableIndex, (x, i) -> x.tableIndex = i);
    }

    /**
     * Takes the element at {@code index} out of {@code list} in constant time by moving the last one
     * into its place; {@code setIndex} keeps each element's own record of its position (-1: out).
     */
    private static <T> void swapRemove(ArrayList<T> list, int index, ObjIntConsumer<T> setIndex) {
        T removed = list.get(index);
        T moved = list.remove(list.size() - 1);
        if (moved != removed) {
            list.set(index, moved);
            setIndex.accept(moved, index);
        }
        setIndex.accept(removed, -1);
    }

    private TcpConnection lookup(int localAddr, int localPort, int remoteAddr, int remotePort) {
        return table.get(probe.set(localAddr, localPort, remoteAddr, remotePort));
    }

    private TcpListener findListener(int localAddr, int localPort) {
        TcpListener any = null;
        for (int i = 0; i < listeners.size(); i++) {
            TcpListener l = listeners.get(i);
            if (l.localPort != localPort) continue;
            if (l.localAddr == localAddr) return l;
            if (l.localAddr == 0) any = l;
        }
        return any;
    }

    /** Connections currently in the table (a copy), for diagnostics. */
    public List<TcpConnection> connections() {
        return List.copyOf(connections);
    }

    private static boolean unicast(int addr) {
        return addr != 0 && addr != -1 && (addr >>> 28) != 14;
    }

    static String addr(int a) {
        return (a >>> 24) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff);
    }

    /** The four-tuple, mutable so lookups reuse one probe and allocate nothing. */
    private static final class Key {
        int localAddr;
        int localPort;
        int remoteAddr;
        int remotePort;

        Key set(int localAddr, int localPort, int remoteAddr, int remotePort) {
            this.localAddr = localAddr;
            this.localPort = localPort;
            this.remoteAddr = remoteAddr;
            this.remotePort = remotePort;
            return this;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.localAddr == localAddr && k.localPort == localPort
                    && k.remoteAddr == remoteAddr && k.remotePort == remotePort;
        }

        @Override
        public int hashCode() {
            int h = localAddr * 31 + remoteAddr;
            h = h * 31 + localPort;
            return h * 31 + remotePort;
        }
    }
}

package io.github.jnic.net.tcp;

import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.net.ip.Ipv4Output;
import io.github.jnic.net.tcp.TcpCounters.Drop;
import io.github.jnic.net.tcp.TcpCounters.Event;
import io.github.jnic.net.wire.Checksum;
import io.github.jnic.net.wire.Ipv4Header;
import io.github.jnic.net.wire.TcpHeader;
import java.nio.ByteBuffer;

/**
 * One TCP connection: the transmission control block of RFC 9293 (the variable names follow it:
 * SND.UNA is {@code sndUna}, RCV.NXT is {@code rcvNxt}, ...) and the logic that moves it. Pure
 * logic in the stack's time: segments come in through {@link Tcp}, timers fire from
 * {@link Tcp#poll}, and segments go out through {@link Ipv4Output}. Everything here runs on the
 * stack thread, including the application calls ({@link #read}, {@link #write}, ...), which the
 * socket layer forwards there.
 */
public final class TcpConnection {

    /** Readiness notifications for the socket layer, called on the stack thread. */
    @FunctionalInterface
    public interface Events {
        int READABLE = 1;
        int WRITABLE = 2;
        int CONNECTED = 4;
        int CLOSED = 8;
        /** From a {@link TcpListener}: a connection waits in accept (the connection argument is null). */
        int ACCEPTABLE = 16;

        void changed(TcpConnection connection, int what);
    }

    static final long NEVER = Long.MAX_VALUE;
    private static final long MS = 1_000_000L;
    /** RFC 7323 section 5.5: TS.Recent is too old to use for PAWS after 24 days of idleness. */
    private static final long PAWS_IDLE = 24L * 24 * 3600 * 1_000_000_000L;
    /** RFC 9293 section 3.7.1: the MSS assumed when the peer sends none. */
    private static final int DEFAULT_MSS = 536;

    final Tcp tcp;
    private final Ipv4Output ip;
    private final TcpConfig cfg;
    private final TcpCounters counters;
    private final TcpHeader out = new TcpHeader();
    final int localAddr;
    final int localPort;
    final int remoteAddr;
    final int remotePort;
    /** The listener this connection came from, until the application accepts it. */
    TcpListener listener;
    int tableIndex = -1;

    private TcpState state = TcpState.CLOSED;
    private TcpError error;
    /** Set by ICMP or a failed send: reported instead of a bare timeout. */
    private TcpError softError;
    private Events events;

    // ---- send sequence space ------------------------------------------------------------------
    private int iss;
    private int sndUna;
    private int sndNxt;
    /** Highest sequence number sent + 1 (RFC 6675 HighData); SND.NXT goes back below it after a timeout. */
    private int sndMax;
    private int sndWl1;
    private int sndWl2;
    private long sndWnd;
    private long maxSndWnd;
    /** Sequence number of the first byte in {@link #sendBuffer}. */
    private int bufSeq;
    /** End of the last segment sent smaller than the MSS (Minshall's Nagle test). */
    private int sndSmall;
    private final SendQueue sendBuffer;
    /** The application shut down output: a FIN follows the last byte of the send buffer. */
    private boolean finQueued;

    // ---- receive sequence space ---------------------------------------------------------------
    private int irs;
    private int rcvNxt;
    /** Right edge of the window last advertised (RCV.NXT + RCV.WND as the peer knows it). */
    private int rcvAdv;
    private final ReceiveBuffer receiveBuffer;
    private boolean finReceived;
    private boolean peerFinKnown;
    private int peerFinSeq;

    // ---- options negotiated -------------------------------------------------------------------
    private boolean tsOn;
    private boolean sackOn;
    private boolean wsOn;
    private int sndShift;
    private int rcvShift;
    private final int offeredShift;
    /** Largest segment the path and the peer take, without options. */
    private int mssBase;
    /** Payload bytes in a full segment we send (mssBase less the timestamp option). */
    private int sndMss;
    /** The MSS we advertised. */
    private int rcvMss;
    private int tsRecent;
    private long tsRecentAt;
    private int lastAckSent;
    private final int tsOffset;

    // ---- acknowledgments ----------------------------------------------------------------------
    /** An ACK owed at once: out-of-order data, a duplicate, a FIN, an unacceptable segment. */
    private boolean ackNow;
    /** An ACK owed for two full segments of in-order data: at once, or at the end of a receive batch. */
    private boolean ackDue;
    /** Output held back until the end of the stack's receive batch ({@link Tcp#endBatch}). */
    private boolean outputHeld;
    /** The application read since the last ACK: the window may have opened enough to announce. */
    private boolean readSinceAck;
    private int unackedBytes;
    private long delayedAckAt = NEVER;

    // ---- timers -------------------------------------------------------------------------------
    private final RttEstimator rtt;
    private long rtoAt = NEVER;
    private long persistAt = NEVER;
    private long keepAliveAt = NEVER;
    private long timeWaitAt = NEVER;
    private long finWait2At = NEVER;
    /** Karn: one new segment timed at a time, never a retransmitted one (when timestamps are off). */
    private boolean timing;
    private int timedSeq;
    private long timedAt;
    private int retries;
    private int keepAliveProbesSent;
    private int persistBackoff;
    private long lastSendAt;

    // ---- congestion control and loss recovery (RFC 5681, 6582, 6675) -------------------------
    private final CongestionControl cc;
    private final SackScoreboard scoreboard;
    private boolean inRecovery;
    private int recoveryPoint;
    private int highRxt;
    /** Unacknowledged bytes below this are presumed lost (the first segment on entering recovery). */
    private int forcedLossEnd;
    private int dupAcks;

    private boolean userClosed;
    private boolean noDelay;
    private boolean keepAlive;

    private final long[] sackStarts = new long[TcpOptions.MAX_SACK_BLOCKS];
    private final long[] sackEnds = new long[TcpOptions.MAX_SACK_BLOCKS];
    private final int[] sackLeft = new int[TcpOptions.MAX_SACK_BLOCKS];
    private final int[] sackRight = new int[TcpOptions.MAX_SACK_BLOCKS];

    TcpConnection(Tcp tcp, int localAddr, int localPort, int remoteAddr, int remotePort) {
        this.tcp = tcp;
        this.ip = tcp.ip;
        this.cfg = tcp.cfg;
        this.counters = tcp.counters;
        this.localAddr = localAddr;
        this.localPort = localPort;
        this.remoteAddr = remoteAddr;
        this.remotePort = remotePort;
        this.sendBuffer = new SendQueue(cfg.sendBufferSize, cfg.sendMemory);
        sendBuffer.onRoomFreed(() -> { if (canWrite()) notify(Events.WRITABLE); });
        this.receiveBuffer = new ReceiveBuffer(cfg.receiveBufferSize, cfg.maxOutOfOrderRanges);
        this.scoreboard = new SackScoreboard(cfg.maxSackRanges);
        this.rtt = new RttEstimator(cfg.initialRto, cfg.minRto, cfg.maxRto);
        this.cc = cfg.congestionControl.get();
        this.noDelay = cfg.noDelay;
        this.keepAlive = cfg.keepAlive;
        this.offeredShift = tcp.offeredShift;
        this.tsOffset = tcp.tsOffset(localAddr, localPort, remoteAddr, remotePort);
        this.rcvMss = tcp.advertisedMss(remoteAddr);
        this.mssBase = DEFAULT_MSS;
        this.sndMss = DEFAULT_MSS;
    }

    // =========================================================================================
    // Application side (called on the stack thread)
    // =========================================================================================

    public TcpState state() { return state; }
    /** Why the connection failed, or null. */
    public TcpError error() { return error; }
    public int localAddress() { return localAddr; }
    public int localPort() { return localPort; }
    public int remoteAddress() { return remoteAddr; }
    public int remotePort() { return remotePort; }
    /** Bytes the application can read now. */
    public int readable() { return receiveBuffer.readable(); }
    /** Bytes the application can write now without being refused. */
    public int writable() { return canWrite() ? sendBuffer.free() : 0; }
    /** Whether the peer's FIN has been reached: after the buffered bytes, reads return -1. */
    public boolean peerClosed() { return finReceived; }
    /** Whether the handshake completed (and the connection is not yet gone). */
    public boolean isConnected() { return state.isSynchronized() && state != TcpState.TIME_WAIT; }
    /** Bytes written and not yet acknowledged. */
    public int unacknowledged() { return sendBuffer.length(); }
    public void setEvents(Events events) { this.events = events; }
    /** TCP_NODELAY: send small segments at once instead of waiting for outstanding data (Nagle). */
    public void setNoDelay(boolean on) { noDelay = on; if (on) output(tcp.now()); }
    public boolean noDelay() { return noDelay; }
    public void setKeepAlive(boolean on) {
        keepAlive = on;
        keepAliveAt = on && isConnected() ? tcp.now() + cfg.keepAliveIdle : NEVER;
    }
    public int sendMss() { return sndMss; }
    public int congestionWindow() { return cc.cwnd(); }
    /** Smoothed RTT in ns, or -1 before the first sample. */
    public long smoothedRtt() { return rtt.srtt(); }
    public boolean timestampsEnabled() { return tsOn; }
    public boolean sackEnabled() { return sackOn; }
    public int sendWindowScale() { return sndShift; }
    public int receiveWindowScale() { return rcvShift; }

    /**
     * Copies up to {@code len} received bytes; returns how many, 0 when none are there yet, or -1 at
     * the end of the stream (the peer's FIN).
     */
    public int read(byte[] dst, int off, int len) throws TcpException {
        if (error != null && error != TcpError.CLOSED) throw new TcpException(error);
        if (userClosed) throw new TcpException(TcpError.CLOSED);
        int n = receiveBuffer.read(dst, off, len);
        if (n == 0) return finReceived || state == TcpState.CLOSED ? -1 : 0;
        readSinceAck = true;
        if (windowUpdateWanted()) output(tcp.now());
        return n;
    }

    /** Queues up to {@code len} bytes for sending; returns how many fit (0 when the buffer is full). */
    public int write(byte[] src, int off, int len) throws TcpException {
        checkWritable();
        int n = sendBuffer.write(src, off, len);
        if (n > 0) output(tcp.now());
        return n;
    }

    /**
     * Zero-copy send, as Linux's MSG_ZEROCOPY: queues up to {@link #writable()} of {@code src}'s
     * remaining bytes without copying them, advancing its position past them, and returns how many
     * (0 when the send buffer is full). Segments, retransmissions included, take their payload from
     * {@code src} itself (a device that gathers sends it from there), so the application must not
     * change those bytes until {@link #zeroCopyCompleted()} has passed this call's number; calls that
     * took bytes are numbered from 0 ({@link #zeroCopyCalls()} before the call), and complete in order
     * when the peer has acknowledged their last byte, or when the connection is gone. {@code src}
     * must be direct (native memory, which a device can gather from); its byte order does not matter.
     */
    public int writeZeroCopy(ByteBuffer src) throws TcpException {
        checkWritable();
        int n = sendBuffer.writeZeroCopy(src);
        if (n > 0) output(tcp.now());
        return n;
    }

    /**
     * {@link #writeZeroCopy(ByteBuffer)} of each of {@code srcs} in turn while the send buffer has
     * room, one call number for each that took bytes, and one output for all: a frame is not cut
     * where one buffer ends (as sendmsg with an iovec); returns how many bytes were taken.
     */
    public long writeZeroCopy(ByteBuffer[] srcs) throws TcpException {
        checkWritable();
        long n = 0;
        for (ByteBuffer src : srcs) {
            int k = sendBuffer.writeZeroCopy(src);
            n += k;
            if (k == 0 && src.hasRemaining()) break;   // full
        }
        if (n > 0) output(tcp.now());
        return n;
    }

    /** Zero-copy calls that took bytes so far: the number the next one gets. */
    public long zeroCopyCalls() { return sendBuffer.zeroCopyCalls(); }

    /** Zero-copy calls done with: the stack reads no more from the buffers of calls below this number. */
    public long zeroCopyCompleted() { return sendBuffer.zeroCopyCompleted(); }

    private void checkWritable() throws TcpException {
        if (error != null && error != TcpError.CLOSED) throw new TcpException(error);
        if (!canWrite()) throw new TcpException(TcpError.CLOSED, "socket output is shut down");
    }

    /** Half-close: a FIN follows what was written; reading continues (RFC 9293 CLOSE). */
    public void shutdownOutput() {
        if (finQueued) return;
        switch (state) {
            case SYN_SENT -> terminate();
            case SYN_RECEIVED, ESTABLISHED -> { finQueued = true; if (state == TcpState.ESTABLISHED) state = TcpState.FIN_WAIT_1; }
            case CLOSE_WAIT -> { finQueued = true; state = TcpState.LAST_ACK; }
            default -> { return; }
        }
        output(tcp.now());
    }

    /**
     * Closes both directions. Unread received data is lost, so then the peer gets a RST instead of
     * a FIN (RFC 1122 section 4.2.2.13), as it does for data that arrives later.
     */
    public void close() {
        if (userClosed) return;
        userClosed = true;
        if (receiveBuffer.readable() > 0 && state != TcpState.CLOSED) {
            abort();
            return;
        }
        shutdownOutput();
        if (state == TcpState.FIN_WAIT_2) finWait2At = tcp.now() + cfg.finWait2Timeout;
    }

    /** Drops the connection at once, telling the peer with a RST. */
    public void abort() {
        userClosed = true;
        if (state == TcpState.CLOSED) return;
        if (state != TcpState.SYN_SENT && state != TcpState.TIME_WAIT) sendReset(sndMax);
        fail(TcpError.CLOSED);
    }

    private boolean canWrite() {
        return !finQueued && error == null
                && (state == TcpState.SYN_SENT || state == TcpState.SYN_RECEIVED
                || state == TcpState.ESTABLISHED || state == TcpState.CLOSE_WAIT);
    }

    // =========================================================================================
    // Opening
    // =========================================================================================

    void openActive(long now) {
        iss = tcp.isn(localAddr, localPort, remoteAddr, remotePort, now);
        sndUna = sndNxt = sndMax = sndSmall = iss;
        bufSeq = iss + 1;
        recoveryPoint = iss;
        state = TcpState.SYN_SENT;
        counters.count(Event.ACTIVE_OPENS);
        sendSyn(now);
    }

    /**
     * A passive open whose final ACK has arrived: the connection takes over the half-open
     * handshake {@code r} (whose SYN-ACK {@link Tcp} sent) in SYN-RECEIVED, and the ACK, handed to
     * {@link #onSegment} next, establishes it. {@code o}: the options of the peer's SYN.
     */
    void openFromRequest(SynRequest r, TcpOptions o) {
        iss = r.iss;
        sndUna = sndSmall = iss;
        sndNxt = sndMax = iss + 1;
        bufSeq = iss + 1;
        recoveryPoint = iss;
        irs = r.irs;
        rcvNxt = irs + 1;
        negotiate(o, r.sentAt);
        sndWnd = r.window;
        maxSndWnd = sndWnd;
        sndWl1 = irs;
        sndWl2 = iss;
        state = TcpState.SYN_RECEIVED;
        retries = r.retries;
        // Karn: the handshake is timed only when its SYN-ACK went once (and a cookie's not at all).
        timing = r.retries == 0 && !r.cookie;
        timedSeq = iss;
        timedAt = r.sentAt;
    }

    private void sendSyn(long now) {
        boolean ack = state == TcpState.SYN_RECEIVED;
        emit(iss, TcpHeader.SYN | (ack ? TcpHeader.ACK : 0), 0, now);
        if (retries == 0) {
            timing = true;
            timedSeq = iss;
            timedAt = now;
        }
        sndNxt = iss + 1;
        sndMax = Seq.max(sndMax, sndNxt);
        rtoAt = now + rtt.rto();
    }

    /** Settles the options from the peer's SYN or SYN-ACK (RFC 7323, RFC 2018, RFC 9293 MSS). */
    private void negotiate(TcpOptions o, long now) {
        int peerMss = o.mss > 0 ? o.mss : DEFAULT_MSS;
        tsOn = cfg.timestamps && o.timestamps;
        sackOn = cfg.sack && o.sackPermitted;
        wsOn = cfg.windowScaling && o.windowScale >= 0;
        sndShift = wsOn ? o.windowScale : 0;
        rcvShift = wsOn ? offeredShift : 0;
        if (tsOn) {
            tsRecent = o.tsVal;
            tsRecentAt = now;
        }
        rcvAdv = rcvNxt + Math.min(receiveBuffer.window(), 0xffff);
        useMss(Math.max(64, Math.min(peerMss, rcvMss)));
    }

    private void establish(long now) {
        state = TcpState.ESTABLISHED;
        cc.init(sndMss, cfg.initialWindowSegments);
        rtt.handshakeDone(retries > 0);
        retries = 0;
        counters.count(Event.ESTABLISHED);
        if (keepAlive) keepAliveAt = now + cfg.keepAliveIdle;
        if (listener != null) listener.established(this);
        if (finQueued) state = TcpState.FIN_WAIT_1;
        notify(Events.CONNECTED | Events.WRITABLE);
    }

    // =========================================================================================
    // Segment arrives (RFC 9293 section 3.10.7)
    // =========================================================================================

    void onSegment(TcpHeader h, TcpOptions o, byte[] data, int payloadAt, int payloadLen, long now) {
        if (keepAlive && isConnected()) keepAliveAt = now + cfg.keepAliveIdle;
        keepAliveProbesSent = 0;
        if (state == TcpState.SYN_SENT) {
            synSent(h, o, now);
            output(now);
            return;
        }
        int seq = h.sequenceNumber();
        int flags = h.flags();
        boolean syn = (flags & TcpHeader.SYN) != 0;
        boolean fin = (flags & TcpHeader.FIN) != 0;
        int segLen = payloadLen + (syn ? 1 : 0) + (fin ? 1 : 0);
        int wnd = receiveWindow();

        // RST: RFC 5961 section 3.2 replaces the plain window test.
        if ((flags & TcpHeader.RST) != 0) {
            if (state == TcpState.TIME_WAIT) {
                counters.drop(Drop.TIME_WAIT_RST);
            } else if (seq == rcvNxt) {
                counters.count(Event.RESETS_RECEIVED);
                onReset();
            } else if (Seq.inRange(seq, rcvNxt, rcvNxt + Math.max(wnd, 1))) {
                counters.drop(Drop.RST_CHALLENGED);
                challengeAck(now);
            } else {
                counters.drop(Drop.RST_OUT_OF_WINDOW);
            }
            return;
        }
        // SYN: a retransmitted SYN in SYN-RECEIVED gets the SYN-ACK again; anything else is
        // challenged (RFC 5961 section 4), which also repairs a lost final handshake ACK.
        if (syn) {
            if (state == TcpState.SYN_RECEIVED && seq == irs) {
                if ((flags & TcpHeader.ACK) != 0 && h.acknowledgmentNumber() == sndMax) {
                    // Simultaneous open: the peer's SYN-ACK completes our side (RFC 9293 figure 7).
                    completeHandshake(h, seq, now);
                    output(now);
                    return;
                }
                counters.count(Event.DUPLICATE_SEGMENTS);
                emit(iss, TcpHeader.SYN | TcpHeader.ACK, 0, now);
                counters.count(Event.RETRANSMITTED_SEGMENTS);
            } else {
                counters.drop(Drop.SYN_CHALLENGED);
                challengeAck(now);
            }
            return;
        }
        // PAWS (RFC 7323 section 5).
        if (tsOn && o.timestamps && Seq.lt(o.tsVal, tsRecent) && now - tsRecentAt < PAWS_IDLE) {
            counters.drop(Drop.PAWS);
            ackNow = true;
            output(now);
            return;
        }
        // Acceptability: the four cases of RFC 9293 section 3.10.7.4.
        boolean acceptable;
        boolean keepData = true;
        if (segLen == 0) {
            acceptable = wnd == 0 ? seq == rcvNxt : Seq.inRange(seq, rcvNxt, rcvNxt + wnd);
        } else if (wnd == 0) {
            // Only ACK, RST and URG are processed from segments at RCV.NXT (zero-window probes).
            acceptable = seq == rcvNxt;
            keepData = false;
        } else {
            acceptable = Seq.inRange(seq, rcvNxt, rcvNxt + wnd) || Seq.inRange(seq + segLen - 1, rcvNxt, rcvNxt + wnd);
        }
        if (!acceptable) {
            if (Seq.lt(seq, rcvNxt)) counters.count(Event.DUPLICATE_SEGMENTS);
            else counters.drop(Drop.OUT_OF_WINDOW);
            if (state == TcpState.TIME_WAIT && fin) timeWaitAt = now + cfg.timeWait;
            ackNow = true;
            output(now);
            return;
        }
        if ((flags & TcpHeader.ACK) == 0) {
            counters.drop(Drop.NO_ACK);
            return;
        }
        if (state == TcpState.SYN_RECEIVED) {
            int ack = h.acknowledgmentNumber();
            if (!(Seq.gt(ack, sndUna) && Seq.le(ack, sndMax))) {
                counters.drop(Drop.ACK_UNSENT);
                tcp.sendReset(localAddr, localPort, remoteAddr, remotePort, ack, 0, TcpHeader.RST);
                return;
            }
            completeHandshake(h, seq, now);
        } else if (!processAck(h, o, seq, payloadLen, now)) {
            return;
        }
        if (state == TcpState.CLOSED) return;
        if (tsOn && o.timestamps && Seq.ge(o.tsVal, tsRecent) && Seq.le(seq, lastAckSent)) {
            tsRecent = o.tsVal;
            tsRecentAt = now;
        }
        boolean finInWindow = true;
        if (payloadLen > 0) {
            if (keepData) finInWindow = processData(seq, data, payloadAt, payloadLen, now);
            else {
                counters.drop(Drop.BEYOND_WINDOW);
                ackNow = true;
                finInWindow = false;
            }
        }
        if (state == TcpState.CLOSED) return;
        if (fin && finInWindow) processFin(seq + payloadLen, now);
        checkFin(now);
        output(now);
    }

    /** SYN-RECEIVED: our SYN is acknowledged. */
    private void completeHandshake(TcpHeader h, int seq, long now) {
        if (timing) rtt.sample(now - timedAt);
        timing = false;
        sndUna = h.acknowledgmentNumber();
        sndWnd = (long) h.window() << sndShift;
        maxSndWnd = sndWnd;
        sndWl1 = seq;
        sndWl2 = sndUna;
        rtoAt = NEVER;
        establish(now);
    }

    private void synSent(TcpHeader h, TcpOptions o, long now) {
        int flags = h.flags();
        int ack = h.acknowledgmentNumber();
        boolean hasAck = (flags & TcpHeader.ACK) != 0;
        if (hasAck && (Seq.le(ack, iss) || Seq.gt(ack, sndMax))) {
            counters.drop(Drop.SYN_SENT_BAD_ACK);
            if ((flags & TcpHeader.RST) == 0) tcp.sendReset(localAddr, localPort, remoteAddr, remotePort, ack, 0, TcpHeader.RST);
            return;
        }
        if ((flags & TcpHeader.RST) != 0) {
            if (hasAck) {
                counters.count(Event.RESETS_RECEIVED);
                counters.count(Event.CONNECT_FAILED);
                fail(TcpError.REFUSED);
            } else {
                counters.drop(Drop.SYN_SENT_BAD_ACK);
            }
            return;
        }
        if ((flags & TcpHeader.SYN) == 0) {
            counters.drop(Drop.SYN_SENT_BAD_ACK);
            return;
        }
        irs = h.sequenceNumber();
        rcvNxt = irs + 1;
        negotiate(o, now);
        if (hasAck) {
            if (tsOn && o.tsEcr != 0) rtt.sample(Math.max(0, tsClock(now) - o.tsEcr) * MS);
            else if (timing) rtt.sample(now - timedAt);
            timing = false;
            sndUna = ack;
            sndWnd = h.window();
            maxSndWnd = sndWnd;
            sndWl1 = irs;
            sndWl2 = ack;
            rtoAt = NEVER;
            // Owed before the application hears of the connection: data it writes from the
            // callback then carries this ACK, instead of a pure ACK trailing behind it.
            ackNow = true;
            establish(now);
        } else {
            // Simultaneous open.
            state = TcpState.SYN_RECEIVED;
            timing = false;
            emit(iss, TcpHeader.SYN | TcpHeader.ACK, 0, now);
            rtoAt = now + rtt.rto();
        }
    }

    private void onReset() {
        switch (state) {
            case SYN_RECEIVED -> {
                if (listener != null) terminate();
                else fail(TcpError.REFUSED);
            }
            case CLOSING, LAST_ACK -> terminate();
            default -> fail(TcpError.RESET);
        }
    }

    /** Step five: the ACK field. Returns false when the segment is to be dropped. */
    private boolean processAck(TcpHeader h, TcpOptions o, int seq, int payloadLen, long now) {
        int ack = h.acknowledgmentNumber();
        if (Seq.gt(ack, sndMax)) {
            counters.drop(Drop.ACK_UNSENT);
            ackNow = true;
            output(now);
            return false;
        }
        if (Seq.lt(ack, sndUna - (int) Math.min(maxSndWnd, Integer.MAX_VALUE / 2))) {
            counters.drop(Drop.ACK_TOO_OLD);
            challengeAck(now);
            return false;
        }
        long newWnd = (long) h.window() << sndShift;
        boolean windowChanged = newWnd != sndWnd;
        if (Seq.ge(ack, sndUna) && (Seq.lt(sndWl1, seq) || (sndWl1 == seq && Seq.le(sndWl2, ack)))) {
            boolean opened = sndWnd == 0 && newWnd > 0;
            sndWnd = newWnd;
            sndWl1 = seq;
            sndWl2 = ack;
            maxSndWnd = Math.max(maxSndWnd, sndWnd);
            if (opened) {
                persistAt = NEVER;
                persistBackoff = 0;
                // A zero-window probe byte was beyond the window and dropped: send it again as data.
                if (sndMax - sndUna <= 1) sndNxt = sndUna;
            }
        }
        if (sackOn && o.sackBlocks > 0) {
            for (int i = 0; i < o.sackBlocks; i++) {
                if (!scoreboard.add(o.sackLeft[i], o.sackRight[i], Seq.max(ack, sndUna), sndMax)) counters.drop(Drop.SACK_INVALID);
            }
        }
        if (Seq.gt(ack, sndUna)) {
            onNewAck(ack, o, now);
        } else if (ack == sndUna && payloadLen == 0 && (h.flags() & TcpHeader.FIN) == 0 && !windowChanged
                && sndMax != sndUna && sndWnd != 0) {
            dupAcks++;
            counters.count(Event.DUPLICATE_ACKS);
        }
        if (!inRecovery && sndMax != sndUna && Seq.ge(sndUna, recoveryPoint)
                && (dupAcks >= SackScoreboard.DUP_THRESH || (sackOn && Seq.gt(scoreboard.lossBoundary(sndUna, sndMss), sndUna)))) {
            enterRecovery(now);
        }
        return true;
    }

    private void onNewAck(int ack, TcpOptions o, long now) {
        int acked = ack - sndUna;
        if (tsOn && o.timestamps && o.tsEcr != 0) {
            rtt.sample(Math.max(0, tsClock(now) - o.tsEcr) * MS);
        } else if (timing && Seq.gt(ack, timedSeq)) {
            rtt.sample(now - timedAt);
        }
        if (timing && Seq.gt(ack, timedSeq)) timing = false;
        int dataAcked = Math.min(Math.max(0, ack - bufSeq), sendBuffer.length());
        sendBuffer.consume(dataAcked);
        bufSeq += dataAcked;
        sndUna = ack;
        tcp.ip.confirmNeighbour(remoteAddr);   // forward progress: the neighbour is reachable
        if (Seq.lt(sndNxt, sndUna)) sndNxt = sndUna;
        scoreboard.advance(sndUna);
        retries = 0;
        int flight = sndMax - sndUna;
        if (inRecovery) {
            if (Seq.ge(ack, recoveryPoint)) {
                inRecovery = false;
                dupAcks = 0;
                cc.onExitRecovery(flight, now);
            } else {
                // Partial ACK (RFC 6582): the next hole's first segment is presumed lost too.
                forcedLossEnd = sndUna + sndMss;
                highRxt = Seq.max(highRxt, sndUna);
                dupAcks = Math.max(0, dupAcks - (acked + sndMss - 1) / sndMss);
            }
        } else {
            dupAcks = 0;
            cc.onAck(acked, flight, now);
        }
        rtoAt = sndMax == sndUna ? NEVER : now + rtt.rto();
        if (finQueued && Seq.gt(sndUna, dataEnd())) {
            switch (state) {
                case FIN_WAIT_1 -> {
                    state = TcpState.FIN_WAIT_2;
                    if (userClosed) finWait2At = now + cfg.finWait2Timeout;
                }
                case CLOSING -> enterTimeWait(now);
                case LAST_ACK -> {
                    terminate();
                    return;
                }
                default -> { }
            }
        }
        if (dataAcked > 0) notify(Events.WRITABLE);
    }

    private void enterRecovery(long now) {
        inRecovery = true;
        recoveryPoint = sndMax;
        highRxt = sndUna;
        forcedLossEnd = sndUna + sndMss;
        timing = false;
        cc.onEnterRecovery(sndMax - sndUna, now);
        counters.count(Event.FAST_RECOVERIES);
        // RFC 6675 step 4.3 / RFC 5681 step 2: the first presumed-lost segment goes out at once.
        retransmitHole(sndUna, now);
    }

    /** Step seven: segment text. Returns whether a FIN on this segment is inside the window. */
    private boolean processData(int seq, byte[] data, int at, int len, long now) {
        if (state != TcpState.ESTABLISHED && state != TcpState.FIN_WAIT_1 && state != TcpState.FIN_WAIT_2) {
            counters.drop(Drop.DATA_AFTER_FIN);
            return true;
        }
        if (userClosed) {
            counters.drop(Drop.DATA_AFTER_CLOSE);
            sendReset(sndMax);
            terminate();
            return false;
        }
        if (Seq.lt(seq, rcvNxt)) {
            int skip = rcvNxt - seq;
            if (skip >= len) {
                counters.count(Event.DUPLICATE_SEGMENTS);
                ackNow = true;
                return true;
            }
            at += skip;
            len -= skip;
            seq = rcvNxt;
        }
        long offset = seq - rcvNxt;
        int wnd = receiveWindow();
        boolean whole = true;
        if (offset + len > wnd) {
            counters.drop(Drop.BEYOND_WINDOW);
            len = (int) Math.max(0, wnd - offset);
            whole = false;
            ackNow = true;
            if (len == 0) return false;
        }
        boolean hadHoles = receiveBuffer.hasOutOfOrder();
        int advance = receiveBuffer.accept(offset, data, at, len);
        if (advance < 0) {
            counters.drop(Drop.REASSEMBLY_FULL);
            ackNow = true;
            return false;
        }
        counters.add(Event.BYTES_RECEIVED, len);
        if (offset > 0) {
            // Out of order: a duplicate ACK at once, with SACK (RFC 5681 section 4.2).
            counters.count(Event.OUT_OF_ORDER_SEGMENTS);
            ackNow = true;
            return whole;
        }
        rcvNxt += advance;
        if (hadHoles) {
            ackNow = true;
        } else {
            unackedBytes += len;
            if (unackedBytes >= 2 * (rcvMss - (tsOn ? TcpOptions.TIMESTAMPS_LENGTH : 0))) ackDue = true;
            // A segment larger than the MSS was merged below us (GRO, or the kernel's GSO over a
            // TAP): it is a batch already, and its ACK goes at once, as Linux ACKs a merged skb.
            if (len > rcvMss) ackNow = true;
        }
        if (advance > 0) notify(Events.READABLE);
        return whole;
    }

    /** Step eight: remembers the peer's FIN; {@link #checkFin} acts once every byte before it is in. */
    private void processFin(int finSeq, long now) {
        switch (state) {
            case ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2 -> {
                peerFinKnown = true;
                peerFinSeq = finSeq;
            }
            case TIME_WAIT -> {
                ackNow = true;
                timeWaitAt = now + cfg.timeWait;
            }
            default -> ackNow = true;
        }
    }

    private void checkFin(long now) {
        if (!peerFinKnown || finReceived || rcvNxt != peerFinSeq) return;
        rcvNxt++;
        finReceived = true;
        ackNow = true;
        switch (state) {
            case ESTABLISHED -> state = TcpState.CLOSE_WAIT;
            case FIN_WAIT_1 -> state = TcpState.CLOSING;
            case FIN_WAIT_2 -> enterTimeWait(now);
            default -> { }
        }
        notify(Events.READABLE);
    }

    private void enterTimeWait(long now) {
        state = TcpState.TIME_WAIT;
        timeWaitAt = now + cfg.timeWait;
        rtoAt = persistAt = keepAliveAt = finWait2At = NEVER;
        notify(Events.CLOSED);
    }

    /** In TIME-WAIT, whether a new SYN may take over the port pair (RFC 9293 section 3.6.1, RFC 6191). */
    boolean acceptsNewSyn(TcpHeader h, TcpOptions o) {
        if (state != TcpState.TIME_WAIT) return false;
        if (tsOn && o.timestamps) return Seq.gt(o.tsVal, tsRecent);
        return Seq.gt(h.sequenceNumber(), rcvNxt);
    }

    void onIcmpError(int type, int code, int quotedSeq, long now) {
        if (!Seq.inRange(quotedSeq, sndUna, Seq.max(sndMax, sndUna + 1))) {
            counters.drop(Drop.ICMP_UNMATCHED);
            return;
        }
        if (type == 3 && code == 4) {
            pathMtuShrank(now);
            return;
        }
        boolean portOrProtocol = type == 3 && (code == 2 || code == 3);
        if (state == TcpState.SYN_SENT && portOrProtocol) {
            counters.count(Event.CONNECT_FAILED);
            fail(TcpError.REFUSED);
            return;
        }
        // RFC 5461: in other cases these are soft errors, reported if the connection times out.
        if (type == 3 && code != 4) softError = portOrProtocol ? TcpError.REFUSED : TcpError.UNREACHABLE;
        else if (type == 11) softError = TcpError.UNREACHABLE;
    }

    /** The MSS both ways of counting: {@code base} as in the MSS option, and the payload of a full segment we send. */
    private void useMss(int base) {
        mssBase = base;
        sndMss = mssBase - (tsOn ? TcpOptions.TIMESTAMPS_LENGTH : 0);
    }

    /**
     * "Fragmentation needed" for a segment in flight (RFC 1191; the IP layer has lowered the path
     * MTU already): segments shrink to the new MSS, and what was in flight, too big to pass, is
     * sent again at once, cut to size. Not a sign of congestion, so cwnd stays (as Linux's
     * tcp_simple_retransmit); nor a soft error, since nothing is wrong with the peer.
     */
    private void pathMtuShrank(long now) {
        int base = ip.mtuFor(remoteAddr) - Ipv4Header.MIN_LENGTH - TcpHeader.MIN_LENGTH;
        if (base < 64 || base >= mssBase) return;   // nothing new: an older report, or an absurd MTU
        useMss(base);
        cc.mssChanged(sndMss);
        counters.count(Event.PATH_MTU_REDUCTIONS);
        if (!state.isSynchronized() || sndMax == sndUna) return;
        goBackToSndUna();
        counters.count(Event.RETRANSMITTED_SEGMENTS);
        output(now);
    }

    // =========================================================================================
    // Output
    // =========================================================================================

    /**
     * Sends whatever is due: data the windows allow, retransmissions in recovery, pending ACKs. A
     * segment without data carries the highest sequence number sent (SND.NXT may have gone back for
     * retransmission), so the peer never finds it old and discards the acknowledgment it carries.
     */
    void output(long now) {
        // Within a receive batch, in-order data and ACKs that open the window are answered once,
        // after the whole batch: one cumulative ACK and one burst of new data instead of one per
        // segment, as Linux answers what GRO merged. Anything needing its own answer goes at once.
        if (!ackNow && tcp.batching()) {
            if (!outputHeld) {
                outputHeld = true;
                tcp.holdOutput(this);
            }
            return;
        }
        outputHeld = false;
        switch (state) {
            case CLOSED, LISTEN, SYN_SENT, SYN_RECEIVED -> { return; }
            default -> { }
        }
        if (state != TcpState.TIME_WAIT && state != TcpState.FIN_WAIT_2) sendData(now);
        if (ackNow || ackDue) {
            emit(sndMax, TcpHeader.ACK, 0, now);
        } else if (windowUpdateWanted()) {
            counters.count(Event.WINDOW_UPDATES);
            emit(sndMax, TcpHeader.ACK, 0, now);
        } else if (unackedBytes > 0 && delayedAckAt == NEVER) {
            delayedAckAt = now + cfg.delayedAckTimeout;
        }
        armTimers(now);
    }

    /** The end of a receive batch: what {@link #output} held back goes now. */
    void releaseOutput(long now) {
        if (outputHeld) output(now);
    }

    private int dataEnd() {
        return bufSeq + sendBuffer.length();
    }

    private void sendData(long now) {
        if (sndNxt == sndUna && sndMax == sndUna && now - lastSendAt > rtt.rto() && lastSendAt != 0) cc.onIdleRestart(now);
        while (inRecovery ? sendRecoverySegment(now) : sendNextSegment(now, false)) {
            // keep sending while the windows allow
        }
    }

    /** Largest payload handed down at once: one MSS, or more when the device segments (TSO). */
    private int segmentLimit() {
        if (cfg.tsoMaxBytes > sndMss && ip.segmentationOffloadFor(remoteAddr)) return cfg.tsoMaxBytes - cfg.tsoMaxBytes % sndMss;
        return sndMss;
    }

    /**
     * Sends the segment at SND.NXT if the send and congestion windows, Nagle and sender-side silly
     * window avoidance allow ({@code force}: the persist timer overrides the last two).
     */
    private boolean sendNextSegment(long now, boolean force) {
        int end = dataEnd();
        int unsent = end - sndNxt;
        boolean finDue = finQueued && Seq.le(sndNxt, end) && Seq.le(sndUna, end);
        if (unsent < 0) return false;
        long flight = sndNxt - sndUna;
        long usable = Math.min(sndWnd, cc.cwnd()) - flight;
        int limit = segmentLimit();
        int len = (int) Math.max(0, Math.min(Math.min(unsent, limit), usable));
        if (len == 0) {
            if (!finDue || unsent != 0) return false;
            sndNxt = sendFrom(sndNxt, 0, now);
            sndMax = Seq.max(sndMax, sndNxt);
            return true;
        }
        boolean all = len == unsent;
        if (len < sndMss && !force) {
            boolean retransmission = Seq.lt(sndNxt, sndMax);
            if (!all) {
                if (len < maxSndWnd / 2 && !retransmission) return false; // silly window (RFC 9293 3.8.6.2.1)
            } else if (!(noDelay || Seq.le(sndSmall, sndUna) || finDue || retransmission)) {
                return false; // Nagle (RFC 896), Minshall's form: one small segment in flight at a time
            }
        }
        if (len < sndMss) sndSmall = sndNxt + len;
        sndNxt = sendFrom(sndNxt, len, now);
        sndMax = Seq.max(sndMax, sndNxt);
        return true;
    }

    /**
     * RFC 6675 NextSeg under the pipe: lost holes first, then new data, then other holes below the
     * highest SACKed byte. Returns whether a segment went out.
     */
    private boolean sendRecoverySegment(long now) {
        long pipe = pipe();
        if (cc.cwnd() - pipe < sndMss) return false;
        int boundary = lossBoundary();
        int from = scoreboard.nextUnsacked(Seq.max(highRxt, sndUna));
        if (Seq.lt(from, boundary) && Seq.lt(from, sndMax)) {
            retransmitHole(from, now);
            return true;
        }
        int end = dataEnd();
        if (sndNxt == sndMax && Seq.lt(sndNxt, end)) {
            int len = (int) Math.min(Math.min(end - sndNxt, sndMss), sndUna + sndWnd - sndNxt);
            if (len > 0 && (len == sndMss || len == end - sndNxt)) {
                sndNxt = sendFrom(sndNxt, len, now);
                sndMax = Seq.max(sndMax, sndNxt);
                return true;
            }
        }
        if (sackOn && Seq.lt(from, scoreboard.highestSacked(sndUna)) && Seq.lt(from, sndMax)) {
            retransmitHole(from, now);
            return true;
        }
        return false;
    }

    private void retransmitHole(int from, long now) {
        int holeEnd = scoreboard.holeEnd(from, sndMax);
        int len = Math.min(sndMss, Math.min(holeEnd, dataEnd()) - from);
        highRxt = sendFrom(from, Math.max(0, len), now);
        counters.count(Event.SACK_RECOVERY_RETRANSMITS);
    }

    /** Bytes in the network (RFC 6675 SetPipe); without SACK each duplicate ACK stands for one segment that left. */
    private long pipe() {
        if (sackOn) return scoreboard.pipe(sndUna, sndMax, highRxt, lossBoundary());
        long flight = sndMax - sndUna;
        long p = flight - (long) dupAcks * sndMss;
        if (Seq.le(highRxt, sndUna)) p -= Math.min(sndMss, flight);
        return Math.max(0, p);
    }

    private int lossBoundary() {
        int b = Seq.max(forcedLossEnd, sndUna);
        return sackOn ? Seq.max(b, scoreboard.lossBoundary(sndUna, sndMss)) : b;
    }

    /**
     * Sends {@code len} bytes from {@code seq} (and the FIN when they reach it); returns the sequence
     * number after the segment. Counts retransmissions and starts RTT timing and the RTO.
     */
    private int sendFrom(int seq, int len, long now) {
        int end = dataEnd();
        boolean fin = finQueued && seq + len == end && Seq.le(sndUna, end);
        int flags = TcpHeader.ACK;
        if (len > 0 && seq + len == end) flags |= TcpHeader.PSH;
        if (fin) flags |= TcpHeader.FIN;
        boolean retransmission = Seq.lt(seq, sndMax);
        emit(seq, flags, len, now);
        if (retransmission) {
            counters.count(Event.RETRANSMITTED_SEGMENTS);
            if (timing && Seq.ge(timedSeq, seq) && Seq.lt(timedSeq, seq + len + 1)) timing = false;
        } else if (!timing && !tsOn) {
            timing = true;
            timedSeq = seq;
            timedAt = now;
        }
        if (rtoAt == NEVER) rtoAt = now + rtt.rto();
        return seq + len + (fin ? 1 : 0);
    }

    private void sendReset(int seq) {
        tcp.sendReset(localAddr, localPort, remoteAddr, remotePort, seq, rcvNxt, TcpHeader.RST | TcpHeader.ACK);
    }

    private void challengeAck(long now) {
        if (tcp.allowChallengeAck(now)) {
            counters.count(Event.CHALLENGE_ACKS);
            emit(sndMax, TcpHeader.ACK, 0, now);
        } else {
            counters.drop(Drop.CHALLENGE_ACK_LIMITED);
        }
    }

    /** RCV.WND: what the peer was told it may send (never more than the buffer holds). */
    private int receiveWindow() {
        return Math.max(0, Math.min(rcvAdv - rcvNxt, receiveBuffer.window()));
    }

    /** Whether the window we could offer has grown enough past the one advertised to tell the peer at once. */
    private boolean windowUpdateWanted() {
        if (state != TcpState.ESTABLISHED && state != TcpState.FIN_WAIT_1 && state != TcpState.FIN_WAIT_2) return false;
        if (finReceived || !readSinceAck) return false;
        int grow = (rcvNxt + receiveBuffer.window()) - rcvAdv;
        if ((grow >> rcvShift) <= 0) return false;
        int half = receiveBuffer.capacity() / 2;
        int advertised = rcvAdv - rcvNxt;
        return grow >= Math.min(half, 2 * rcvMss) || (advertised < rcvMss && grow >= Math.min(half, rcvMss));
    }

    /** The window field to send, moving the advertised right edge per receiver SWS avoidance, never back. */
    private int windowField() {
        int right = rcvNxt + receiveBuffer.window();
        int grow = right - rcvAdv;
        if (grow > 0 && grow >= Math.min(receiveBuffer.capacity() / 2, rcvMss)) rcvAdv = right;
        int wnd = Math.max(0, rcvAdv - rcvNxt);
        int field = Math.min(wnd >>> rcvShift, 0xffff);
        rcvAdv = rcvNxt + (field << rcvShift);
        return field;
    }

    private void armTimers(long now) {
        if (!state.isSynchronized() || state == TcpState.TIME_WAIT) return;
        int unsent = dataEnd() - sndNxt;
        boolean outstanding = sndMax != sndUna;
        boolean zeroWindowProbe = sndWnd == 0 && sndMax - sndUna <= 1 && dataEnd() != sndUna;
        if (zeroWindowProbe || (!outstanding && unsent > 0)) {
            rtoAt = NEVER;
            if (persistAt == NEVER) persistAt = now + persistInterval();
        } else {
            persistAt = NEVER;
            if (!outstanding) rtoAt = NEVER;
            else if (rtoAt == NEVER) rtoAt = now + rtt.rto();
        }
        if (!keepAlive) keepAliveAt = NEVER;
        else if (keepAliveAt == NEVER) keepAliveAt = now + cfg.keepAliveIdle;
    }

    private long persistInterval() {
        long base = Math.max(rtt.rto(), cfg.minRto);
        for (int i = 0; i < persistBackoff && base < cfg.maxRto; i++) base *= 2;
        return Math.min(base, cfg.maxRto);
    }

    /**
     * Builds and sends one segment: header, options (SYN options, timestamps, SACK blocks), the
     * window, {@code len} payload bytes from the send buffer at {@code seq}, and a checksum request.
     */
    private void emit(int seq, int flags, int len, long now) {
        boolean syn = (flags & TcpHeader.SYN) != 0;
        boolean synAck = syn && (flags & TcpHeader.ACK) != 0;
        boolean offerTs = synAck ? tsOn : cfg.timestamps;
        boolean offerSack = synAck ? sackOn : cfg.sack;
        boolean offerWs = synAck ? wsOn : cfg.windowScaling;
        int sackBlocks = 0;
        int optLen;
        if (syn) {
            optLen = TcpOptions.synLength(offerSack, offerTs, offerWs);
        } else {
            optLen = tsOn ? TcpOptions.TIMESTAMPS_LENGTH : 0;
            if (sackOn && receiveBuffer.hasOutOfOrder()) {
                int max = tsOn ? 3 : TcpOptions.MAX_SACK_BLOCKS;
                sackBlocks = receiveBuffer.sackRanges(sackStarts, sackEnds, max);
                // A full data segment has no room for SACK blocks: they go on the next pure ACK.
                if (len > 0 && optLen + TcpOptions.sackLength(sackBlocks) + len > mssBase && len <= sndMss) sackBlocks = 0;
                optLen += TcpOptions.sackLength(sackBlocks);
            }
        }
        int hdr = TcpHeader.MIN_LENGTH + optLen;
        PacketBuffer b = ip.allocate(hdr + len);
        int at = b.append(hdr + len);
        byte[] d = b.data();
        boolean ack = (flags & TcpHeader.ACK) != 0;
        out.wrap(d, at)
                .sourcePort(localPort)
                .destinationPort(remotePort)
                .sequenceNumber(seq)
                .acknowledgmentNumber(ack ? rcvNxt : 0)
                .headerLength(hdr)
                .flags(flags)
                .window(syn ? Math.min(receiveBuffer.window(), 0xffff) : windowField())
                .checksum(0)
                .urgentPointer(0);
        if (syn) {
            TcpOptions.writeSyn(d, at + TcpHeader.MIN_LENGTH, rcvMss, offerSack, offerTs, tsClock(now), synAck ? tsRecent : 0,
                    offerWs ? offeredShift : -1);
        } else {
            int o = at + TcpHeader.MIN_LENGTH;
            if (tsOn) o += TcpOptions.writeTimestamps(d, o, tsClock(now), tsRecent);
            if (sackBlocks > 0) {
                for (int i = 0; i < sackBlocks; i++) {
                    sackLeft[i] = rcvNxt + (int) sackStarts[i];
                    sackRight[i] = rcvNxt + (int) sackEnds[i];
                }
                TcpOptions.writeSack(d, o, sackLeft, sackRight, sackBlocks);
            }
        }
        if (len > 0) sendBuffer.copyTo(seq - bufSeq, b, at + hdr, len);
        out.checksum(Checksum.fold(Checksum.pseudoHeader(localAddr, remoteAddr, 6, hdr + len)));
        b.requestChecksum(at, TcpHeader.CHECKSUM_OFFSET);
        if (len > sndMss) b.requestSegmentation(sndMss);
        if (ack) {
            ackNow = false;
            ackDue = false;
            readSinceAck = false;
            unackedBytes = 0;
            delayedAckAt = NEVER;
            lastAckSent = rcvNxt;
        }
        lastSendAt = now;
        counters.count(Event.SEGMENTS_SENT);
        counters.add(Event.BYTES_SENT, len);
        Ipv4Output.SendResult r = ip.send(b, localAddr, remoteAddr, 6, -1, 0, true);
        if (r == Ipv4Output.SendResult.NO_ROUTE || r == Ipv4Output.SendResult.DROPPED) {
            counters.drop(Drop.SEND_FAILED);
            if (r == Ipv4Output.SendResult.NO_ROUTE) softError = TcpError.UNREACHABLE;
        }
    }

    private int tsClock(long now) {
        return (int) (now / MS) + tsOffset;
    }

    // =========================================================================================
    // Timers
    // =========================================================================================

    long nextDeadline() {
        long t = Math.min(rtoAt, Math.min(persistAt, Math.min(keepAliveAt, delayedAckAt)));
        return Math.min(t, Math.min(timeWaitAt, finWait2At));
    }

    void onTimer(long now) {
        if (timeWaitAt <= now) {
            counters.count(Event.TIME_WAIT_EXPIRED);
            terminate();
            return;
        }
        if (finWait2At <= now) {
            counters.count(Event.TIMEOUTS);
            terminate();
            return;
        }
        if (rtoAt <= now) onRetransmissionTimeout(now);
        if (state == TcpState.CLOSED) return;
        if (persistAt <= now) onPersist(now);
        if (keepAliveAt <= now) {
            onKeepAlive(now);
            if (state == TcpState.CLOSED) return;
        }
        if (delayedAckAt <= now) {
            delayedAckAt = NEVER;
            if (unackedBytes > 0) {
                counters.count(Event.DELAYED_ACKS);
                ackNow = true;
            }
        }
        output(now);
    }

    private void onRetransmissionTimeout(long now) {
        rtoAt = NEVER;
        counters.count(Event.RETRANSMISSION_TIMEOUTS);
        if (state == TcpState.SYN_SENT || state == TcpState.SYN_RECEIVED) {
            if (++retries > cfg.synRetries) {
                if (state == TcpState.SYN_SENT) counters.count(Event.CONNECT_FAILED);
                counters.count(Event.TIMEOUTS);
                fail(softError != null ? softError : TcpError.TIMED_OUT);
                return;
            }
            rtt.backOff();
            timing = false;
            counters.count(Event.RETRANSMITTED_SEGMENTS);
            emit(iss, TcpHeader.SYN | (state == TcpState.SYN_RECEIVED ? TcpHeader.ACK : 0), 0, now);
            rtoAt = now + rtt.rto();
            return;
        }
        if (sndMax == sndUna) return;
        if (++retries > cfg.dataRetries) {
            counters.count(Event.TIMEOUTS);
            sendReset(sndMax);
            fail(softError != null ? softError : TcpError.TIMED_OUT);
            return;
        }
        cc.onRetransmissionTimeout(sndMax - sndUna, retries > 1, now);
        rtt.backOff();
        timing = false;
        goBackToSndUna();
        sendNextSegment(now, true);
        rtoAt = now + rtt.rto();
    }

    /**
     * Everything in flight is to be sent again from SND.UNA: recovery ends, and no new one starts
     * until what was sent is acknowledged (RFC 6582, RFC 6675 section 5.1); SACK information is
     * dropped (RFC 2018 section 8).
     */
    private void goBackToSndUna() {
        inRecovery = false;
        recoveryPoint = sndMax;
        dupAcks = 0;
        scoreboard.clear();
        highRxt = sndUna;
        forcedLossEnd = sndUna;
        sndNxt = sndUna;
    }

    private void onPersist(long now) {
        persistAt = NEVER;
        if (sndWnd == 0) {
            // Zero-window probe: the next byte, beyond the window (RFC 9293 section 3.8.6.1).
            counters.count(Event.ZERO_WINDOW_PROBES);
            if (sndMax == sndUna) {
                sndNxt = sendFrom(sndUna, 1, now);
                sndMax = Seq.max(sndMax, sndNxt);
            } else {
                sendFrom(sndUna, 1, now);
            }
            rtoAt = NEVER;
            persistBackoff++;
        } else {
            sendNextSegment(now, true);
        }
        persistAt = now + persistInterval();
    }

    private void onKeepAlive(long now) {
        keepAliveAt = NEVER;
        if (!keepAlive || (state != TcpState.ESTABLISHED && state != TcpState.CLOSE_WAIT)) return;
        if (keepAliveProbesSent >= cfg.keepAliveProbes) {
            counters.count(Event.TIMEOUTS);
            sendReset(sndMax);
            fail(TcpError.TIMED_OUT);
            return;
        }
        keepAliveProbesSent++;
        counters.count(Event.KEEPALIVE_PROBES);
        // RFC 1122 section 4.2.3.6: SEG.SEQ = SND.NXT - 1, no data, which the peer must ACK.
        emit(sndUna - 1, TcpHeader.ACK, 0, now);
        keepAliveAt = now + cfg.keepAliveInterval;
    }

    // =========================================================================================
    // Ending
    // =========================================================================================

    private void fail(TcpError why) {
        if (error == null) error = why;
        terminate();
    }

    /** Goes to CLOSED and leaves the connection table. */
    void terminate() {
        if (state == TcpState.CLOSED) return;
        if (listener != null) {
            listener.handshakeFailed(this);
            listener = null;
        }
        state = TcpState.CLOSED;
        sendBuffer.clear();   // nothing more is sent: zero-copy calls complete, their buffers are the application's
        rtoAt = persistAt = keepAliveAt = timeWaitAt = finWait2At = delayedAckAt = NEVER;
        tcp.remove(this);
        notify(Events.CLOSED | Events.READABLE | Events.WRITABLE);
    }

    private void notify(int what) {
        if (events != null) events.changed(this, what);
    }

    // ---- for tests and diagnostics --------------------------------------------------------------

    int sndUna() { return sndUna; }
    int sndNxt() { return sndNxt; }
    int rcvNxt() { return rcvNxt; }
    int iss() { return iss; }
    long sndWnd() { return sndWnd; }
    boolean inRecovery() { return inRecovery; }
    long rto() { return rtt.rto(); }
    int ssthresh() { return cc.ssthresh(); }

    @Override
    public String toString() {
        return "tcp " + Tcp.addr(localAddr) + ":" + localPort + " -> " + Tcp.addr(remoteAddr) + ":" + remotePort + " " + state
                + " snd.una=" + Integer.toUnsignedString(sndUna) + " snd.nxt=+" + (sndNxt - sndUna) + " snd.max=+" + (sndMax - sndUna)
                + " snd.wnd=" + sndWnd + " rcv.nxt=" + Integer.toUnsignedString(rcvNxt) + " rcv.wnd=" + receiveWindow()
                + " cwnd=" + cc.cwnd() + " ssthresh=" + cc.ssthresh() + (inRecovery ? " recovering" : "") + " rto=" + rtt.rto() / 1_000_000 + "ms"
                + " queued=" + sendBuffer.length() + " readable=" + receiveBuffer.readable() + " ooo=" + receiveBuffer.outOfOrderRanges()
                + (tsOn ? " ts.recent=" + tsRecent : "") + (error != null ? " error=" + error : "");
    }
}

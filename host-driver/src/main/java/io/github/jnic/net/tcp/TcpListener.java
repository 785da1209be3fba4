package io.github.jnic.net.tcp;

import java.util.ArrayDeque;

/**
 * A passive open (RFC 9293 LISTEN) on a local port, with two queues as in Linux: the SYN queue of
 * half-open handshakes ({@link SynRequest}s, small records without buffers, at most
 * {@link #synBacklog()}), and the accept queue of established connections waiting for
 * {@link #accept()} (at most {@link #backlog()}). A SYN that finds the SYN queue full is answered
 * with a SYN cookie instead; a SYN that finds the accept queue full is dropped silently, so the
 * peer's retransmission comes back when the application has made room.
 */
public final class TcpListener {
    final Tcp tcp;
    final int localAddr;
    final int localPort;
    final int backlog;
    final int synBacklog;
    private final ArrayDeque<TcpConnection> ready = new ArrayDeque<>();
    /** Half-open handshakes in the SYN queue. */
    int synQueued;
    /** When a SYN last found the SYN queue full (cookies are checked only for a while after). */
    private long overflowAt;
    private boolean overflowed;
    private boolean closed;
    private TcpConnection.Events events;

    TcpListener(Tcp tcp, int localAddr, int localPort, int backlog, int synBacklog) {
        this.tcp = tcp;
        this.localAddr = localAddr;
        this.localPort = localPort;
        this.backlog = backlog;
        this.synBacklog = synBacklog;
    }

    public int localAddress() { return localAddr; }
    public int localPort() { return localPort; }
    /** Bound of the accept queue. */
    public int backlog() { return backlog; }
    /** Bound of the SYN queue. */
    public int synBacklog() { return synBacklog; }
    /** Half-open handshakes waiting for their final ACK. */
    public int synQueueLength() { return synQueued; }
    public boolean isClosed() { return closed; }
    /** Connections waiting in {@link #accept()}. */
    public int acceptable() { return ready.size(); }

    /** Called with {@code null} as the connection whenever a connection becomes acceptable. */
    public void setEvents(TcpConnection.Events events) { this.events = events; }

    /** The next established connection, or null when none is waiting. */
    public TcpConnection accept() {
        TcpConnection c = ready.poll();
        if (c != null) c.listener = null;
        return c;
    }

    /** Stops listening, forgets its half-open handshakes and resets every connection not yet accepted. */
    public void close() {
        if (closed) return;
        closed = true;
        tcp.unlisten(this);
        TcpConnection c;
        while ((c = ready.poll()) != null) c.abort();
    }

    boolean acceptQueueFull() {
        return ready.size() >= backlog;
    }

    boolean synQueueFull() {
        return synQueued >= synBacklog;
    }

    void synQueueOverflowed(long now) {
        overflowed = true;
        overflowAt = now;
    }

    /** Whether an ACK may carry one of our cookies: one was sent within a cookie's lifetime. */
    boolean cookiesRecentlySent(long now) {
        return overflowed && now - overflowAt < 2 * SynCookies.PERIOD;
    }

    void established(TcpConnection c) {
        ready.add(c);
        if (events != null) events.changed(null, TcpConnection.Events.ACCEPTABLE);
    }

    void handshakeFailed(TcpConnection c) {
        ready.remove(c);
    }
}

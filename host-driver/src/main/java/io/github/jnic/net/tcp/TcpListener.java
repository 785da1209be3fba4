package io.github.jnic.net.tcp;

import java.util.ArrayDeque;

/**
 * A passive open (RFC 9293 LISTEN) on a local port: handshakes in progress count against the
 * backlog together with established connections waiting in the accept queue. When the backlog is
 * full a SYN is answered with RST, so the peer sees the overflow at once instead of timing out.
 */
public final class TcpListener {
    final Tcp tcp;
    final int localAddr;
    final int localPort;
    final int backlog;
    private final ArrayDeque<TcpConnection> ready = new ArrayDeque<>();
    int handshaking;
    private boolean closed;
    private TcpConnection.Events events;

    TcpListener(Tcp tcp, int localAddr, int localPort, int backlog) {
        this.tcp = tcp;
        this.localAddr = localAddr;
        this.localPort = localPort;
        this.backlog = backlog;
    }

    public int localAddress() { return localAddr; }
    public int localPort() { return localPort; }
    public int backlog() { return backlog; }
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

    /** Stops listening and resets every connection not yet accepted. */
    public void close() {
        if (closed) return;
        closed = true;
        tcp.unlisten(this);
        TcpConnection c;
        while ((c = ready.poll()) != null) c.abort();
    }

    boolean full() {
        return handshaking + ready.size() >= backlog;
    }

    void established(TcpConnection c) {
        handshaking--;
        ready.add(c);
        if (events != null) events.changed(null, TcpConnection.Events.ACCEPTABLE);
    }

    void handshakeFailed(TcpConnection c) {
        if (c.state() == TcpState.SYN_RECEIVED) handshaking--;
        else ready.remove(c);
    }
}

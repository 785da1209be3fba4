package io.github.jnic.net.app;

import io.github.jnic.net.stack.NetStack;
import io.github.jnic.net.tcp.Tcp;
import io.github.jnic.net.tcp.TcpConnection;
import io.github.jnic.net.tcp.TcpException;
import io.github.jnic.net.tcp.TcpListener;
import java.util.function.LongFunction;
import java.util.function.LongUnaryOperator;

/**
 * Carries a {@link StreamSession} over a {@link TcpConnection} on the stack thread: reads as much as
 * the session has room for, writes its output (keeping what the send buffer could not take), closes
 * when the session says so, and runs the session's timers as a stack timer. {@link #listen} does
 * this for every connection a listener accepts.
 */
public final class TcpPump {
    private final NetStack stack;
    private final TcpConnection connection;
    private final StreamSession session;
    private final LongUnaryOperator timer = this::poll;
    private final byte[] buffer = new byte[16384];
    private byte[] pending;
    private int pendingOff;
    private boolean finished;
    private boolean sawFin;

    private TcpPump(NetStack stack, TcpConnection connection, StreamSession session) {
        this.stack = stack;
        this.connection = connection;
        this.session = session;
        // Sessions write whole messages (a response head, then its body): Nagle would hold the last
        // piece until the peer's delayed ACK, 40 ms a request on a keep-alive connection.
        connection.setNoDelay(true);
        connection.setEvents((c, what) -> pump(stack.now()));
        stack.addTimer(timer);
    }

    /** Opens a connection to {@code address:port} and carries {@code session} over it. Stack thread. */
    public static TcpPump connect(NetStack stack, Tcp tcp, int address, int port, StreamSession session) throws TcpException {
        TcpPump p = new TcpPump(stack, tcp.connect(address, port), session);
        p.pump(stack.now());
        return p;
    }

    /** Carries {@code session} over an already open connection. Stack thread. */
    public static TcpPump attach(NetStack stack, TcpConnection connection, StreamSession session) {
        TcpPump p = new TcpPump(stack, connection, session);
        p.pump(stack.now());
        return p;
    }

    /** Accepts every connection on {@code port}, each with a new session from {@code sessions}. Stack thread. */
    public static TcpListener listen(NetStack stack, Tcp tcp, int port, int backlog, LongFunction<StreamSession> sessions) throws TcpException {
        TcpListener listener = tcp.listen(0, port, backlog);
        listener.setEvents((c, what) -> {
            TcpConnection accepted;
            while ((accepted = listener.accept()) != null) attach(stack, accepted, sessions.apply(stack.now()));
        });
        return listener;
    }

    public TcpConnection connection() {
        return connection;
    }

    public boolean finished() {
        return finished;
    }

    private long poll(long now) {
        if (finished) return Long.MAX_VALUE;
        long next = session.poll(now);
        pump(now); // the timer may have produced output (a 408) or decided to close
        return finished ? Long.MAX_VALUE : next;
    }

    /** Moves bytes both ways now: call it after giving the session something new to send. Stack thread. */
    public void flush() {
        pump(stack.now());
    }

    private void pump(long now) {
        if (finished) return;
        try {
            if (connection.error() != null) {
                fail(connection.error().message(), now);
                return;
            }
            if (!connection.isConnected() && !sawFin) {
                if (connection.state() == io.github.jnic.net.tcp.TcpState.CLOSED) fail("connection closed", now);
                return; // still opening
            }
            while (!sawFin) {
                int room = Math.min(buffer.length, session.room());
                if (room <= 0) break;
                int n = connection.read(buffer, 0, room);
                if (n < 0) {
                    sawFin = true;
                    session.peerClosed(now);
                } else if (n == 0) {
                    break;
                } else {
                    session.receive(buffer, 0, n, now);
                }
            }
            while (true) {
                if (pending == null) {
                    pending = session.nextOutput();
                    pendingOff = 0;
                    if (pending == null) break;
                }
                int n = connection.write(pending, pendingOff, pending.length - pendingOff);
                pendingOff += n;
                if (pendingOff < pending.length) return; // the send buffer is full: WRITABLE brings us back
                pending = null;
            }
            if (session.shouldClose()) {
                finished = true;
                connection.close();
                stack.removeTimer(timer);
            }
        } catch (TcpException e) {
            fail(e.getMessage(), now);
        }
    }

    private void fail(String why, long now) {
        finished = true;
        stack.removeTimer(timer);
        connection.abort();
        session.failed(why, now);
    }
}

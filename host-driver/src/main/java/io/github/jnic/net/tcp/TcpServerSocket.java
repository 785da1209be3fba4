package io.github.jnic.net.tcp;

import io.github.jnic.net.socket.Readiness;
import io.github.jnic.net.socket.StackExecutor;
import java.io.Closeable;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;

/**
 * A listening TCP socket for application threads, shaped like {@link java.net.ServerSocket}:
 * bound at construction with a backlog, {@link #accept()} blocking up to {@link #setSoTimeout},
 * {@link #tryAccept()} and {@link Readiness#ACCEPTABLE} for non-blocking use. Binding a port
 * already listened on throws {@code BindException} ("Address already in use").
 */
public final class TcpServerSocket implements Closeable {
    private final StackExecutor stack;
    private final Tcp tcp;
    private final TcpListener listener;
    private final Readiness readiness = new Readiness();
    private volatile int soTimeout;
    private volatile boolean closed;

    /** Listens on {@code port} on every local address. */
    public TcpServerSocket(StackExecutor stack, Tcp tcp, int port, int backlog) throws IOException {
        this.stack = stack;
        this.tcp = tcp;
        try {
            this.listener = stack.call(() -> {
                TcpListener l = tcp.listen(0, port, backlog);
                l.setEvents((c, what) -> readiness.set(Readiness.ACCEPTABLE));
                return l;
            }, TcpSocket.CONTROL_TIMEOUT_MILLIS);
        } catch (TcpException e) {
            throw TcpSocket.exception(e.error(), e.getMessage());
        }
    }

    /** Waits up to the timeout for a connection and returns it. */
    public TcpSocket accept() throws IOException {
        long left = Readiness.nanosFor(soTimeout);
        while (true) {
            TcpSocket s = tryAccept();
            if (s != null) return s;
            if (stack.inStackThread()) throw new SocketTimeoutException("no connection yet (and blocking the stack thread would deadlock)");
            readiness.lock().lock();
            try {
                if ((readiness.state() & (Readiness.ACCEPTABLE | Readiness.CLOSED)) == 0) left = readiness.awaitChange(left);
            } finally {
                readiness.lock().unlock();
            }
            if (closed) throw new SocketException("Socket is closed");
            if (left <= 0 && (readiness.state() & Readiness.ACCEPTABLE) == 0) throw new SocketTimeoutException("Accept timed out after " + soTimeout + " ms");
        }
    }

    /** An established connection if one waits, else null; never blocks. */
    public TcpSocket tryAccept() throws IOException {
        if (closed) throw new SocketException("Socket is closed");
        return stack.call(() -> {
            TcpConnection c = listener.accept();
            // Cleared on the stack thread, where it is also set: no wakeup is lost in between.
            if (listener.acceptable() == 0) readiness.clear(Readiness.ACCEPTABLE);
            return c == null ? null : new TcpSocket(stack, tcp, c);
        }, TcpSocket.CONTROL_TIMEOUT_MILLIS);
    }

    public void setSoTimeout(int millis) {
        if (millis < 0) throw new IllegalArgumentException("timeout " + millis);
        soTimeout = millis;
    }

    public int getSoTimeout() { return soTimeout; }
    public int getLocalPort() { return listener.localPort(); }
    public Readiness readiness() { return readiness; }
    public boolean isClosed() { return closed; }

    /** Stops listening; connections not yet accepted are reset. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        readiness.set(Readiness.CLOSED);
        if (stack.inStackThread()) listener.close();
        else stack.execute(listener::close);
    }
}

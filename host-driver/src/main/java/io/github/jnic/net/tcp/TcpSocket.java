package io.github.jnic.net.tcp;

import io.github.jnic.net.socket.Readiness;
import io.github.jnic.net.socket.SocketError;
import io.github.jnic.net.socket.StackExecutor;
import io.github.jnic.net.wire.Ipv4Address;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP connection for application threads, shaped like {@link java.net.Socket}: {@link #connect}
 * with a timeout, {@link #getInputStream()} and {@link #getOutputStream()} that block up to
 * {@link #setSoTimeout}, {@link #shutdownOutput()} for a half-close, {@link #setTcpNoDelay} and
 * {@link #setKeepAlive}. {@link #tryRead} and {@link #tryWrite} never block, and {@link #readiness()}
 * says when to call them. Failures are the usual {@code java.net} exceptions, each naming its cause:
 * {@code ConnectException} (refused), {@code SocketException} "Connection reset",
 * {@code SocketTimeoutException}, {@code NoRouteToHostException}, {@code BindException}.
 *
 * <p>Built on the stack's socket plumbing ({@link StackExecutor}, {@link Readiness}): the
 * {@link TcpConnection} is touched by the stack thread only; bytes cross threads through two
 * staging rings guarded by the readiness lock, which the stack thread fills and drains in place.
 * Called on the stack thread itself (virtual-time tests), calls that would have to wait throw
 * {@link SocketTimeoutException} instead.
 */
public final class TcpSocket implements Closeable {
    static final long CONTROL_TIMEOUT_MILLIS = 10_000;
    // The receive side stages as much as the engine's default receive buffer, so one pump can take
    // a whole window's worth off it; large writes bypass the send side (they lend their array).
    private static final int IN_STAGING = 256 * 1024;
    private static final int OUT_STAGING = 64 * 1024;
    /** Writes from this size on lend their array instead of going through the staging ring. */
    private static final int LEND_AT = OUT_STAGING / 2;

    private final StackExecutor stack;
    private final Tcp tcp;
    private final Readiness readiness = new Readiness();
    // Guarded by readiness.lock():
    private final ByteRing in = ByteRing.onHeap(IN_STAGING);
    private final ByteRing out = ByteRing.onHeap(OUT_STAGING);
    private boolean eof;
    // Why the last pump stopped, so each side asks for another only when one can help: the reader
    // when the `in` ring was full (no more engine events will come for data already received), the
    // writer unless the engine was full (its next ACK pumps anyway). Cross-thread wake-ups cost.
    private boolean inBlocked;
    private boolean outBlocked;
    // A large write lends its array: the stack thread copies from it straight into the engine
    // (after what is staged), and the writer waits until it is taken, saving the staging copy.
    private byte[] lent;
    private int lentOff, lentEnd;
    private boolean outputShut;
    private boolean closing;

    private TcpConnection connection; // stack thread only (set once, read elsewhere after CONNECTED)
    private final AtomicBoolean pumpQueued = new AtomicBoolean();
    private final Runnable pumpTask = () -> {
        pumpQueued.set(false);
        pump();
    };
    // The engine's events (a segment in, an ACK) come one by one while the stack works through a
    // batch of frames: one pump after the batch moves their bytes and wakes the application once,
    // instead of a wake-up per segment (the socket layer's interrupt coalescing). The engine's send
    // buffer holds far more than one batch's ACKs free, so the sender's pipeline does not wait.
    private final TcpConnection.Events events = (c, what) -> queuePump();
    private volatile int soTimeout;
    private volatile boolean closed;
    private volatile InetSocketAddress local;
    private volatile InetSocketAddress remote;
    private final InputStream input = new Input();
    private final OutputStream output = new Output();

    /** An unconnected socket on {@code tcp}, which runs on {@code stack}. */
    public TcpSocket(StackExecutor stack, Tcp tcp) {
        this.stack = stack;
        this.tcp = tcp;
    }

    /** Wraps an accepted connection (stack thread). */
    TcpSocket(StackExecutor stack, Tcp tcp, TcpConnection accepted) {
        this(stack, tcp);
        attach(accepted);
    }

    /** Connects, waiting at most {@code timeoutMillis} (0: until TCP itself gives up). */
    public void connect(InetSocketAddress to, int timeoutMillis) throws IOException {
        if (closed) throw new SocketException("Socket is closed");
        if (remote != null) throw new SocketException("already connected");
        int addr = Ipv4Address.of(to.getAddress());
        int port = to.getPort();
        try {
            stack.call(() -> {
                attach(tcp.connect(addr, port));
                return null;
            }, CONTROL_TIMEOUT_MILLIS);
        } catch (TcpException e) {
            throw exception(e.error(), e.getMessage());
        }
        if (stack.inStackThread()) return; // virtual time: the caller runs the stack until CONNECTED
        int state = readiness.await(Readiness.CONNECTED, Readiness.nanosFor(timeoutMillis));
        if ((state & Readiness.CONNECTED) == 0 || (state & Readiness.ERROR) != 0) {
            if ((state & Readiness.ERROR) != 0) throwError();
            abortOnStack();
            throw new SocketTimeoutException("connect timed out after " + timeoutMillis + " ms");
        }
    }

    public void connect(InetSocketAddress to) throws IOException {
        connect(to, 0);
    }

    /** Stack thread: binds this socket to {@code c}. */
    private void attach(TcpConnection c) {
        connection = c;
        local = new InetSocketAddress(Ipv4Address.toInet(c.localAddress()), c.localPort());
        remote = new InetSocketAddress(Ipv4Address.toInet(c.remoteAddress()), c.remotePort());
        c.setEvents(events);
        pump();
    }

    // ---- the stack side ---------------------------------------------------------------------------

    /** Stack thread: moves bytes between the connection and the staging rings, and updates readiness. */
    private void pump() {
        TcpConnection c = connection;
        if (c == null) return;
        int rising = 0;
        TcpError failed = null;
        readiness.lock().lock();
        try {
            try {
                while (!eof && in.free() > 0) {
                    int n = c.read(in.array(), in.tail(), in.tailRun());
                    if (n < 0) eof = true;
                    if (n <= 0) break;
                    in.commit(n);
                }
                inBlocked = !eof && in.free() == 0;
                while (out.length() > 0 && c.writable() > 0) {
                    int n = c.write(out.array(), out.head(), out.headRun());
                    if (n == 0) break;
                    out.consume(n);
                }
                if (out.length() == 0 && lent != null) {
                    while (lentOff < lentEnd && c.writable() > 0) {
                        int n = c.write(lent, lentOff, lentEnd - lentOff);
                        if (n == 0) break;
                        lentOff += n;
                    }
                    if (lentOff == lentEnd) {
                        lent = null;
                        readiness.signal();   // the writer lending them waits for this
                    }
                }
                outBlocked = out.length() > 0 || lent != null;
                if (!outBlocked) {
                    if (closing) {
                        if (in.length() > 0) c.abort();
                        else c.close();
                    } else if (outputShut) {
                        c.shutdownOutput();
                    }
                }
            } catch (TcpException e) {
                failed = e.error();
            }
            if (c.error() != null && c.error() != TcpError.CLOSED) failed = c.error();
            if (in.length() > 0 || eof) rising |= Readiness.READABLE;
            // Writers wake once half the ring is free, not for every ACK's worth of room.
            if (out.free() >= out.capacity() / 2 && !outputShut) rising |= Readiness.WRITABLE;
            if (c.isConnected() || c.peerClosed() || eof) rising |= Readiness.CONNECTED;
            if (c.state() == TcpState.CLOSED) {
                rising |= Readiness.READABLE | Readiness.WRITABLE;
                if (closing) rising |= Readiness.CLOSED;
            }
            // Still under the lock: bits computed here and applied after unlocking could be stale by
            // then (the application drained the ring and cleared READABLE meanwhile), and a stale bit
            // hides the next rising edge from a thread that went on to wait: a lost wake-up.
            if (failed != null) readiness.fail(socketError(failed), failed.message());
            readiness.set(rising);
        } finally {
            readiness.lock().unlock();
        }
    }

    /**
     * A pump at the stack's next poll, queued once however often asked: from the stack thread that
     * is once the frames at hand are processed; from an application thread, as soon as it can run.
     */
    private void queuePump() {
        if (pumpQueued.compareAndSet(false, true)) stack.execute(pumpTask);
    }

    private void schedulePump() {
        if (stack.inStackThread()) pump();
        else queuePump();
    }

    private void abortOnStack() {
        stack.execute(() -> {
            if (connection != null) connection.abort();
        });
    }

    // ---- the application side ----------------------------------------------------------------------

    /**
     * Reads up to {@code len} bytes, blocking up to the timeout for at least one; returns -1 at the
     * end of the stream.
     */
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        long left = Readiness.nanosFor(soTimeout);
        while (true) {
            int n = tryRead(b, off, len);
            if (n != 0) return n;
            if (stack.inStackThread()) throw new SocketTimeoutException("no data yet (and blocking the stack thread would deadlock)");
            readiness.lock().lock();
            try {
                if (in.length() == 0 && !eof && (readiness.state() & (Readiness.ERROR | Readiness.CLOSED)) == 0 && !connectionGone()) {
                    left = readiness.awaitChange(left);
                }
            } finally {
                readiness.lock().unlock();
            }
            if (left <= 0 && in.length() == 0 && !eof) throw new SocketTimeoutException("Read timed out after " + soTimeout + " ms");
        }
    }

    /** Reads what is there without blocking: the count, 0 when nothing is, -1 at the end of the stream. */
    public int tryRead(byte[] b, int off, int len) throws IOException {
        if (closed) throw new SocketException("Socket is closed");
        int n;
        boolean end;
        boolean refill = false;
        readiness.lock().lock();
        try {
            n = in.take(b, off, len);
            end = n == 0 && eof;
            if (in.length() == 0 && !eof) readiness.clear(Readiness.READABLE);
            if (inBlocked && in.free() >= in.capacity() / 4) {
                inBlocked = false;
                refill = true;   // the engine holds more: move it and let the window open
            }
        } finally {
            readiness.lock().unlock();
        }
        if (refill) schedulePump();
        if (n > 0) return n;
        if (end) return -1;
        throwError();
        if (connectionGone()) return -1;
        return 0;
    }

    /** Writes all of {@code b[off, off+len)}, blocking up to the timeout whenever the buffers are full. */
    public void write(byte[] b, int off, int len) throws IOException {
        if (len >= LEND_AT && !stack.inStackThread()) {
            writeLent(b, off, len);
            return;
        }
        long left = Readiness.nanosFor(soTimeout);
        while (len > 0) {
            int n = tryWrite(b, off, len);
            off += n;
            len -= n;
            if (len == 0) return;
            if (n > 0) continue;
            if (stack.inStackThread()) throw new SocketTimeoutException("send buffer full (and blocking the stack thread would deadlock)");
            readiness.lock().lock();
            try {
                if (out.free() == 0 && (readiness.state() & (Readiness.ERROR | Readiness.CLOSED)) == 0 && !connectionGone()) {
                    left = readiness.awaitChange(left);
                }
            } finally {
                readiness.lock().unlock();
            }
            if (left <= 0) throw new SocketTimeoutException("Write timed out after " + soTimeout + " ms");
        }
    }

    /** {@link #write} of a large array: lends it to the stack thread and waits until all of it is in the engine. */
    private void writeLent(byte[] b, int off, int len) throws IOException {
        checkWritable();
        long left = Readiness.nanosFor(soTimeout);
        boolean taken;
        readiness.lock().lock();
        try {
            lent = b;
            lentOff = off;
            lentEnd = off + len;
            schedulePump();
            while (lent != null && (readiness.state() & (Readiness.ERROR | Readiness.CLOSED)) == 0 && !connectionGone() && left > 0) {
                left = readiness.awaitChange(left);
            }
            taken = lent == null;
            lent = null;   // whatever is left is not sent: the caller gets an exception
        } finally {
            readiness.lock().unlock();
        }
        if (taken) return;
        schedulePump();   // a close or shutdown may have waited for the lent bytes
        if (closed) throw new SocketException("Socket is closed");
        throwError();
        if (connectionGone()) throw new SocketException("Connection closed");
        throw new SocketTimeoutException("Write timed out after " + soTimeout + " ms");
    }

    /** Queues as much of {@code b[off, off+len)} as fits without blocking; returns how much. */
    public int tryWrite(byte[] b, int off, int len) throws IOException {
        checkWritable();
        int n;
        boolean flush;
        readiness.lock().lock();
        try {
            n = out.write(b, off, len);
            if (out.free() == 0) readiness.clear(Readiness.WRITABLE);
            flush = n > 0 && !outBlocked;
        } finally {
            readiness.lock().unlock();
        }
        if (flush) schedulePump();
        return n;
    }

    /** Throws what stands in the way of writing: a closed socket, a pending error, a shut output, a gone connection. */
    private void checkWritable() throws IOException {
        if (closed) throw new SocketException("Socket is closed");
        throwError();
        if (outputShut) throw new SocketException("Socket output is shutdown");
        if (connectionGone()) throw new SocketException("Connection closed");
    }

    /** Half-close: a FIN follows what was written; reading goes on. */
    public void shutdownOutput() {
        readiness.lock().lock();
        try {
            outputShut = true;
            readiness.clear(Readiness.WRITABLE);
        } finally {
            readiness.lock().unlock();
        }
        schedulePump();
    }

    /**
     * Closes the socket: what was written still goes out, then a FIN (or a RST if received data
     * was left unread, as Linux does). A thread blocked on the socket gets a {@code SocketException}.
     */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        readiness.lock().lock();
        try {
            closing = true;
        } finally {
            readiness.lock().unlock();
        }
        readiness.set(Readiness.CLOSED);
        schedulePump();
    }

    public InputStream getInputStream() { return input; }
    public OutputStream getOutputStream() { return output; }

    /** Readiness for non-blocking use: READABLE, WRITABLE, CONNECTED, ERROR, CLOSED. */
    public Readiness readiness() { return readiness; }

    public void setSoTimeout(int millis) {
        if (millis < 0) throw new IllegalArgumentException("timeout " + millis);
        soTimeout = millis;
    }

    public int getSoTimeout() { return soTimeout; }

    public void setTcpNoDelay(boolean on) throws IOException {
        onConnection(c -> c.setNoDelay(on));
    }

    public void setKeepAlive(boolean on) throws IOException {
        onConnection(c -> c.setKeepAlive(on));
    }

    public boolean isConnected() { return (readiness.state() & Readiness.CONNECTED) != 0; }
    public boolean isClosed() { return closed; }
    public InetSocketAddress getLocalSocketAddress() { return local; }
    public InetSocketAddress getRemoteSocketAddress() { return remote; }
    public int getLocalPort() { return local == null ? -1 : local.getPort(); }
    public int getPort() { return remote == null ? 0 : remote.getPort(); }

    /** The engine's connection, for code on the stack thread (counters, state). */
    public TcpConnection connection() { return connection; }

    private void onConnection(java.util.function.Consumer<TcpConnection> op) throws IOException {
        stack.call(() -> {
            if (connection == null) throw new SocketException("Socket is not connected");
            op.accept(connection);
            return null;
        }, CONTROL_TIMEOUT_MILLIS);
    }

    private boolean connectionGone() {
        TcpConnection c = connection;
        return c != null && c.state() == TcpState.CLOSED;
    }

    private void throwError() throws IOException {
        if ((readiness.state() & Readiness.ERROR) == 0) return;
        SocketError e = readiness.error();
        if (e != null) throw e.toException(null);
    }

    static IOException exception(TcpError e, String detail) {
        return socketError(e).toException(detail == null || detail.equals(e.message()) ? null : detail);
    }

    static SocketError socketError(TcpError e) {
        return switch (e) {
            case REFUSED -> SocketError.REFUSED;
            case RESET -> SocketError.RESET;
            case TIMED_OUT -> SocketError.TIMED_OUT;
            case UNREACHABLE -> SocketError.HOST_UNREACHABLE;
            case ADDRESS_IN_USE -> SocketError.ADDRESS_IN_USE;
            case CLOSED -> SocketError.CLOSED;
        };
    }

    @Override
    public String toString() {
        return "TcpSocket[" + local + " -> " + remote + "]";
    }

    private final class Input extends InputStream {
        private final byte[] one = new byte[1];

        @Override public int read() throws IOException {
            int n = TcpSocket.this.read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override public int read(byte[] b, int off, int len) throws IOException {
            return TcpSocket.this.read(b, off, len);
        }

        @Override public int available() {
            readiness.lock().lock();
            try {
                return in.length();
            } finally {
                readiness.lock().unlock();
            }
        }

        @Override public void close() { TcpSocket.this.close(); }
    }

    private final class Output extends OutputStream {
        private final byte[] one = new byte[1];

        @Override public void write(int b) throws IOException {
            one[0] = (byte) b;
            TcpSocket.this.write(one, 0, 1);
        }

        @Override public void write(byte[] b, int off, int len) throws IOException {
            TcpSocket.this.write(b, off, len);
        }

        @Override public void close() { TcpSocket.this.close(); }
    }
}

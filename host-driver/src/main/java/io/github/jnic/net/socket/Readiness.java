package io.github.jnic.net.socket;

import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The meeting point of one socket's two sides: a lock that guards the buffers the stack thread and
 * application threads share, a set of readiness bits, a condition application threads block on
 * (with timeouts), and listeners for non-blocking use. The stack thread changes bits with
 * {@link #set}/{@link #clear}; rising bits wake blocked threads and notify listeners.
 */
public final class Readiness {
    /** Data (or a datagram, or an end-of-stream) can be read without blocking. */
    public static final int READABLE = 1;
    /** There is room to write without blocking. */
    public static final int WRITABLE = 2;
    /** A connection waits to be accepted. */
    public static final int ACCEPTABLE = 4;
    /** A connection attempt finished (check the error). */
    public static final int CONNECTED = 8;
    /** An error is pending ({@link #error()}). */
    public static final int ERROR = 16;
    /** The socket is closed: every wait ends. */
    public static final int CLOSED = 32;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // Copy-on-write array: notifying walks it by index, allocating nothing.
    private volatile ReadinessListener[] listeners = new ReadinessListener[0];
    private volatile int state;
    private volatile SocketError error;
    private volatile String errorDetail;

    /** The lock guarding the socket's shared buffers; {@link #set}/{@link #clear} may be called with it held. */
    public ReentrantLock lock() { return lock; }

    public int state() { return state; }

    /**
     * Turns bits on (stack thread); wakes waiters and tells listeners about bits that were off. A
     * stack side that derives the bits from buffers guarded by {@link #lock()} must call this with the
     * lock still held, so the bits never lag the buffers; listeners then run under the lock and must
     * not block.
     */
    public void set(int bits) {
        int rising;
        lock.lock();
        try {
            rising = bits & ~state;
            state |= bits;
            if (rising != 0) changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (rising != 0) {
            ReadinessListener[] ls = listeners;
            for (int i = 0; i < ls.length; i++) ls[i].ready(this, rising);
        }
    }

    public void clear(int bits) {
        lock.lock();
        try {
            state &= ~bits;
        } finally {
            lock.unlock();
        }
    }

    /** Records an error (the first one sticks until {@link #takeError}) and sets {@link #ERROR}. */
    public void fail(SocketError error, String detail) {
        lock.lock();
        try {
            if (this.error == null) {
                this.error = error;
                this.errorDetail = detail;
            }
        } finally {
            lock.unlock();
        }
        set(ERROR);
    }

    public SocketError error() { return error; }

    /** Returns and clears the pending error (null if none), as SO_ERROR does. */
    public SocketError takeError() {
        lock.lock();
        try {
            SocketError e = error;
            error = null;
            state &= ~ERROR;
            return e;
        } finally {
            lock.unlock();
        }
    }

    public String errorDetail() { return errorDetail; }

    /**
     * Blocks until any of {@code mask}, {@link #ERROR} or {@link #CLOSED} is set, or the timeout
     * passes ({@code timeoutNanos <= 0}: forever). Returns the state bits then (0 bits of mask on timeout).
     */
    public int await(int mask, long timeoutNanos) throws InterruptedIOException {
        int wanted = mask | ERROR | CLOSED;
        lock.lock();
        try {
            long left = timeoutNanos;
            while ((state & wanted) == 0) {
                if (timeoutNanos <= 0) changed.await();
                else {
                    if (left <= 0) break;
                    left = changed.awaitNanos(left);
                }
            }
            return state;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting on a socket");
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits on the condition once, with the lock already held by the caller (the monitor pattern:
     * check the buffer, wait, check again). Returns the nanoseconds left (&lt;= 0: timed out).
     */
    public long awaitChange(long nanosLeft) throws InterruptedIOException {
        try {
            if (nanosLeft == Long.MAX_VALUE) {
                changed.await();
                return Long.MAX_VALUE;
            }
            return changed.awaitNanos(nanosLeft);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting on a socket");
        }
    }

    /** Wakes threads waiting in {@link #awaitChange} without changing bits (e.g. new data while already readable). */
    public void signal() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public synchronized void addListener(ReadinessListener l) {
        ReadinessListener[] ls = java.util.Arrays.copyOf(listeners, listeners.length + 1);
        ls[ls.length - 1] = l;
        listeners = ls;
        int now = state;
        if (now != 0) l.ready(this, now);
    }

    public synchronized void removeListener(ReadinessListener l) {
        listeners = java.util.Arrays.stream(listeners).filter(x -> x != l).toArray(ReadinessListener[]::new);
    }

    /** Converts a timeout in milliseconds (0: forever) to the nanos {@link #awaitChange} takes. */
    public static long nanosFor(long timeoutMillis) {
        return timeoutMillis <= 0 ? Long.MAX_VALUE : TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    }
}

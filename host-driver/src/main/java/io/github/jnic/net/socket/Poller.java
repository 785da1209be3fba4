package io.github.jnic.net.socket;

import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Waits on many sockets at once, like {@code java.nio.channels.Selector}: register each socket's
 * {@link Readiness} with the events of interest and an attachment, then {@link #select} returns the
 * ones ready. Level-triggered: a socket stays in the answer while its bits are set.
 */
public final class Poller {
    /** A registration: what was registered, and the ready events found by the last select. */
    public record Key(Readiness readiness, int interest, Object attachment) {}

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<Readiness, Key> keys = new LinkedHashMap<>();
    private boolean pinged;
    private final ReadinessListener wake = (source, events) -> ping();

    public Key register(Readiness readiness, int interest, Object attachment) {
        Key k = new Key(readiness, interest, attachment);
        lock.lock();
        try {
            keys.put(readiness, k);
        } finally {
            lock.unlock();
        }
        readiness.addListener(wake);
        return k;
    }

    public void cancel(Readiness readiness) {
        readiness.removeListener(wake);
        lock.lock();
        try {
            keys.remove(readiness);
        } finally {
            lock.unlock();
        }
    }

    /** Ends a {@link #select} early (from any thread). */
    public void ping() {
        lock.lock();
        try {
            pinged = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The keys whose interest (or error/close) is ready, waiting up to {@code timeoutMillis} (0: forever). */
    public List<Key> select(long timeoutMillis) throws InterruptedIOException {
        long left = timeoutMillis <= 0 ? Long.MAX_VALUE : TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        lock.lock();
        try {
            while (true) {
                List<Key> ready = new ArrayList<>();
                for (Key k : keys.values()) {
                    if ((k.readiness().state() & (k.interest() | Readiness.ERROR | Readiness.CLOSED)) != 0) ready.add(k);
                }
                if (!ready.isEmpty() || pinged || left <= 0) {
                    pinged = false;
                    return ready;
                }
                left = left == Long.MAX_VALUE ? awaitForever() : changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted in select");
        } finally {
            lock.unlock();
        }
    }

    private long awaitForever() throws InterruptedException {
        changed.await();
        return Long.MAX_VALUE;
    }
}

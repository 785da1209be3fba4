package io.github.jnic.net.dev;

import java.util.ArrayDeque;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A seeded, reproducible impairment for one direction of a link: loss, duplication, corruption,
 * reordering, delay with jitter, and a rate limit with a bounded queue. Frames go in with
 * {@link #submit} and come out, when due on the caller's clock, with {@link #deliver}. The same
 * injector sits inside {@link MemoryLink} and, through {@link FaultyDevice}, in front of any device
 * (a TAP device, since netem is not available everywhere).
 *
 * <p>Decisions come from one {@link SplittableRandom} seeded at construction, so the same seed and
 * the same sequence of frames give the same faults. Thread-safe (the two ends of a link may run on
 * different threads). Frame copies live in pooled slots: nothing is allocated in a steady state.
 */
public final class FaultInjector {

    /** Receives a delivered frame: {@code data[0, length)}, valid only during the call. */
    @FunctionalInterface
    public interface FrameConsumer {
        void accept(byte[] data, int length);
    }

    private static final class Slot {
        byte[] data = new byte[2048];
        int length;
        long due;
        long order;
    }

    private final SplittableRandom random;
    private double loss, duplicate, corrupt, reorder;
    private long delayNanos, jitterNanos, reorderDelayNanos = 1_000_000;
    private long bitsPerSecond;
    private long queueLimitBytes = 256 * 1024;

    private final PriorityQueue<Slot> inFlight = new PriorityQueue<>(64,
            (a, b) -> a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.order, b.order));
    private final ArrayDeque<Slot> free = new ArrayDeque<>();
    private long order;
    private long linkFreeAt = Long.MIN_VALUE;
    private long queuedBytes;

    private long submitted, lost, duplicated, corrupted, reordered, overflowed, delivered;

    public FaultInjector(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** An injector that changes nothing (no faults, no delay, no rate limit). */
    public static FaultInjector none() { return new FaultInjector(0); }

    /** Probability (0..1) that a frame is dropped. */
    public synchronized FaultInjector loss(double p) { this.loss = check(p); return this; }
    /** Probability that a frame is delivered twice. */
    public synchronized FaultInjector duplicate(double p) { this.duplicate = check(p); return this; }
    /** Probability that one random bit of a frame is flipped. */
    public synchronized FaultInjector corrupt(double p) { this.corrupt = check(p); return this; }
    /** Probability that a frame is held back by {@code extraDelayNanos}, so later frames overtake it. */
    public synchronized FaultInjector reorder(double p, long extraDelayNanos) {
        this.reorder = check(p);
        this.reorderDelayNanos = extraDelayNanos;
        return this;
    }
    /** Fixed one-way delay plus a uniformly random jitter in {@code [0, jitterNanos)}. */
    public synchronized FaultInjector delay(long nanos, long jitterNanos) {
        this.delayNanos = nanos;
        this.jitterNanos = jitterNanos;
        return this;
    }
    /** Serializes frames at {@code bitsPerSecond} (0: unlimited), queueing at most {@code queueLimitBytes}. */
    public synchronized FaultInjector rate(long bitsPerSecond, long queueLimitBytes) {
        this.bitsPerSecond = bitsPerSecond;
        this.queueLimitBytes = queueLimitBytes;
        return this;
    }

    private static double check(double p) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("probability " + p + " not in [0, 1]");
        return p;
    }

    /** Offers a copy of {@code data[off, off+len)} at time {@code now}; it is delivered 0, 1 or 2 times. */
    public synchronized void submit(byte[] data, int off, int len, long now) {
        submitted++;
        if (loss > 0 && random.nextDouble() < loss) { lost++; return; }
        long due = now;
        if (bitsPerSecond > 0) {
            if (queuedBytes + len > queueLimitBytes) { overflowed++; return; }
            linkFreeAt = Math.max(linkFreeAt, now) + len * 8L * 1_000_000_000L / bitsPerSecond;
            due = linkFreeAt;
        }
        due += delayNanos;
        if (jitterNanos > 0) due += random.nextLong(jitterNanos);
        if (reorder > 0 && random.nextDouble() < reorder) { reordered++; due += reorderDelayNanos; }
        Slot s = enqueue(data, off, len, due);
        if (corrupt > 0 && random.nextDouble() < corrupt && len > 0) {
            corrupted++;
            int bit = random.nextInt(len * 8);
            s.data[bit >>> 3] ^= (byte) (1 << (bit & 7));
        }
        if (duplicate > 0 && random.nextDouble() < duplicate) {
            duplicated++;
            enqueue(s.data, 0, len, due);
        }
    }

    private Slot enqueue(byte[] data, int off, int len, long due) {
        Slot s = free.poll();
        if (s == null) s = new Slot();
        if (s.data.length < len) s.data = new byte[len];
        System.arraycopy(data, off, s.data, 0, len);
        s.length = len;
        s.due = due;
        s.order = order++;
        queuedBytes += len;
        inFlight.add(s);
        return s;
    }

    /** Hands frames due at {@code now} to {@code sink}, at most {@code budget}; returns how many. */
    public int deliver(long now, FrameConsumer sink, int budget) {
        int n = 0;
        while (n < budget) {
            Slot s;
            synchronized (this) {
                s = inFlight.peek();
                if (s == null || s.due > now) break;
                inFlight.poll();
                queuedBytes -= s.length;
                delivered++;
            }
            n++;
            // Outside the lock: the receiver may answer at once (a TCP ACK) through the opposite
            // injector, whose own deliverer may be answering us; holding this lock would deadlock.
            sink.accept(s.data, s.length);
            synchronized (this) {
                free.push(s);
            }
        }
        return n;
    }

    /** When the next held frame is due, or {@link Long#MAX_VALUE}. */
    public synchronized long nextDeadline() {
        Slot s = inFlight.peek();
        return s == null ? Long.MAX_VALUE : s.due;
    }

    public synchronized int pending() { return inFlight.size(); }
    public synchronized long submitted() { return submitted; }
    public synchronized long lost() { return lost; }
    public synchronized long duplicated() { return duplicated; }
    public synchronized long corrupted() { return corrupted; }
    /** Whether this injector may corrupt frames (a checksum must then be real to catch it). */
    public synchronized boolean corrupts() { return corrupt > 0; }
    public synchronized long reordered() { return reordered; }
    public synchronized long overflowed() { return overflowed; }
    public synchronized long delivered() { return delivered; }

    @Override public synchronized String toString() {
        return "submitted=" + submitted + " lost=" + lost + " duplicated=" + duplicated + " corrupted=" + corrupted
                + " reordered=" + reordered + " overflowed=" + overflowed + " delivered=" + delivered;
    }
}

package io.github.jnic.net.stack;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Virtual time for tests: drives any number of stacks (joined by {@code MemoryLink}s built on
 * {@link #clock()}) on the calling thread, jumping from one deadline to the next, so a minute of
 * timeouts takes milliseconds and every run is the same.
 */
public final class Simulation {
    private static final int MAX_ROUNDS_PER_INSTANT = 100_000;

    private final List<NetStack> stacks = new ArrayList<>();
    private long now = 1_000_000_000L;
    private final LongSupplier clock = () -> now;

    /** The virtual clock (nanoseconds). */
    public LongSupplier clock() { return clock; }

    public long now() { return now; }

    public NetStack add(NetStack stack) {
        stacks.add(stack);
        return stack;
    }

    /** Runs for {@code nanos} of virtual time. */
    public void runFor(long nanos) {
        runUntil(() -> false, nanos);
    }

    /** Runs until {@code done} holds (checked after each round) or {@code maxNanos} pass; returns {@code done}. */
    public boolean runUntil(BooleanSupplier done, long maxNanos) {
        long end = now + maxNanos;
        int rounds = 0;
        while (true) {
            for (NetStack s : stacks) s.poll(now);
            if (done.getAsBoolean()) return true;
            long next = Long.MAX_VALUE;
            for (NetStack s : stacks) next = Math.min(next, s.nextDeadline());
            if (next <= now) {
                if (++rounds > MAX_ROUNDS_PER_INSTANT) throw new IllegalStateException("stacks keep asking to run at the same instant (livelock?)");
                continue;
            }
            rounds = 0;
            if (next > end) {
                now = end;
                for (NetStack s : stacks) s.poll(now);
                return done.getAsBoolean();
            }
            now = next;
        }
    }
}

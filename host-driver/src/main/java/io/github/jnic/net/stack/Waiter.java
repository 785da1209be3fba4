package io.github.jnic.net.stack;

/** How a {@link StackRunner} sleeps until its next deadline, and how other threads wake it. */
interface Waiter extends AutoCloseable {
    /** Sleeps at most {@code nanos}, or until {@link #wake} or (for descriptor waiters) a device is readable. */
    void await(long nanos);

    /** Ends the current or the next {@link #await} early. Any thread. */
    void wake();

    @Override default void close() {}
}

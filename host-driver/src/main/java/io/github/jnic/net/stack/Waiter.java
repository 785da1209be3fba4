package io.github.jnic.net.stack;

/** How a {@link StackRunner} sleeps until its next deadline, and how other threads wake it. */
interface Waiter extends AutoCloseable {
    /** Sleeps at most {@code nanos}, or until {@link #wake} or (for descriptor waiters) a device is readable. */
    void await(long nanos);

    /**
     * The runner is about to look for work one last time and then sleep: from now on {@link #wake}
     * must reach the sleeper. Waiters whose wake-up is costly skip it while not armed.
     */
    default void arm() {}

    /** The runner is awake again. */
    default void disarm() {}

    /** Ends the current or the next {@link #await} early. Any thread. */
    void wake();

    @Override default void close() {}
}

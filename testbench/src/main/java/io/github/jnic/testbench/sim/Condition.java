package io.github.jnic.testbench.sim;

/**
 * A test on one port (at most 64 bits) that the native loop evaluates after each rising edge,
 * so {@link Simulator#runUntil} crosses JNI once however many cycles it runs:
 * {@code (port & mask) == value}, or {@code !=} when {@code equal} is false.
 */
public record Condition(Port port, long mask, long value, boolean equal) {
    public Condition {
        if (port.width() > 64) throw new IllegalArgumentException(port + ": conditions take ports of at most 64 bits");
    }

    public static Condition equalTo(Port port, long value) {
        return new Condition(port, -1L, value, true);
    }

    public static Condition nonZero(Port port) {
        return new Condition(port, -1L, 0, false);
    }

    /** All the bits of {@code mask} set. */
    public static Condition allSet(Port port, long mask) {
        return new Condition(port, mask, mask, true);
    }

    public Condition negate() {
        return new Condition(port, mask, value, !equal);
    }

    boolean holds() {
        return ((port.get() & mask) == value) == equal;
    }
}

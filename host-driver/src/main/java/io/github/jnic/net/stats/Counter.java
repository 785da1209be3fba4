package io.github.jnic.net.stats;

/**
 * One named count. Written by the stack thread only; readable from any thread (the value is
 * volatile, and with a single writer {@code value++} loses nothing).
 */
public final class Counter {
    private final String name;
    private final String description;
    private final boolean drop;
    private volatile long value;

    Counter(String name, String description, boolean drop) {
        this.name = name;
        this.description = description;
        this.drop = drop;
    }

    public void increment() { value++; }
    public void add(long n) { value += n; }
    public long get() { return value; }
    public String name() { return name; }
    public String description() { return description; }
    /** Whether this counts packets dropped or rejected (as opposed to traffic statistics). */
    public boolean isDrop() { return drop; }

    @Override public String toString() { return name + "=" + value; }
}

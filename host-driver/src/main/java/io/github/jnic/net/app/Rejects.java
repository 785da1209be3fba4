package io.github.jnic.net.app;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts of rejected input, one counter per reason. Every engine in this package owns one, so a
 * malformed message is never silently lost: it is counted under the reason it was refused for.
 * Not thread-safe (engines run on the stack thread).
 */
public final class Rejects {
    private final Map<Enum<?>, Long> counts = new LinkedHashMap<>();
    private long total;

    public void count(Enum<?> reason) {
        counts.merge(reason, 1L, Long::sum);
        total++;
    }

    public long get(Enum<?> reason) {
        return counts.getOrDefault(reason, 0L);
    }

    public long total() {
        return total;
    }

    /** Reasons seen so far with their counts, in order of first occurrence. */
    public Map<Enum<?>, Long> snapshot() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(counts));
    }

    @Override
    public String toString() {
        return counts.toString();
    }
}

package io.github.jnic.net.stats;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The named counters of one stack. Every packet the stack drops or rejects is counted under a
 * reason: {@code <layer>.drop.<reason>} (e.g. {@code ipv4.drop.bad-checksum}); traffic statistics
 * are {@code <layer>.<name>} (e.g. {@code udp.rx-datagrams}). Layers create their counters once,
 * at construction, and keep the {@link Counter} objects, so counting allocates nothing.
 */
public final class Counters {
    private final Map<String, Counter> byName = new LinkedHashMap<>();

    /** The drop counter {@code layer.drop.reason}, created on first use. */
    public synchronized Counter drop(String layer, String reason, String description) {
        return byName.computeIfAbsent(layer + ".drop." + reason, n -> new Counter(n, description, true));
    }

    /** The statistics counter {@code layer.name}, created on first use. */
    public synchronized Counter stat(String layer, String name, String description) {
        return byName.computeIfAbsent(layer + "." + name, n -> new Counter(n, description, false));
    }

    /** The value of a counter by full name; 0 for a counter never created. */
    public synchronized long get(String name) {
        Counter c = byName.get(name);
        return c == null ? 0 : c.get();
    }

    /** All counters, in creation order. */
    public synchronized Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Counter c : byName.values()) m.put(c.name(), c.get());
        return m;
    }

    /** The drop counters that are not zero. */
    public synchronized Map<String, Long> drops() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Counter c : byName.values()) if (c.isDrop() && c.get() != 0) m.put(c.name(), c.get());
        return m;
    }

    /** Sum of all drop counters whose name starts with {@code prefix} (e.g. "ipv4."). */
    public synchronized long dropsUnder(String prefix) {
        long n = 0;
        for (Counter c : byName.values()) if (c.isDrop() && c.name().startsWith(prefix)) n += c.get();
        return n;
    }

    /** A human-readable table of the non-zero counters, with what each means. */
    public synchronized String report() {
        StringBuilder s = new StringBuilder();
        for (Counter c : byName.values()) {
            if (c.get() == 0) continue;
            s.append(String.format("%-40s %12d  %s%n", c.name(), c.get(), c.description()));
        }
        return s.toString();
    }
}

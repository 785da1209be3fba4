package io.github.jnic.net.app.dns;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A resolver's cache of RRsets and negative answers, keyed by (name, type), in the stack's clock
 * (nanoseconds). An RRset lives for its smallest TTL; a negative answer for the TTL derived from the
 * SOA (RFC 2308 §5), NXDOMAIN covering every type of the name. TTLs are capped, and the least
 * recently used entry goes when the cache is full.
 */
public final class DnsCache {
    private static final long SECOND = 1_000_000_000L;
    /** The type under which an NXDOMAIN is stored: it answers for all types. */
    private static final int ALL_TYPES = -1;

    public enum Kind { RECORDS, NXDOMAIN, NODATA }

    /** A cache hit: records carry their remaining TTL. */
    public record Hit(Kind kind, List<ResourceRecord> records) {}

    private record Entry(Kind kind, List<ResourceRecord> records, long expires) {}

    private record Key(String name, int type) {}

    private final int maxEntries;
    private final long maxTtl;
    private final long maxNegativeTtl;
    private final Map<Key, Entry> entries;

    /** @param maxTtl and maxNegativeTtl caps in seconds (one day and three hours are usual) */
    public DnsCache(int maxEntries, long maxTtl, long maxNegativeTtl) {
        this.maxEntries = maxEntries;
        this.maxTtl = maxTtl;
        this.maxNegativeTtl = maxNegativeTtl;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Entry> eldest) {
                return size() > DnsCache.this.maxEntries;
            }
        };
    }

    public DnsCache() {
        this(10_000, 86_400, 10_800);
    }

    /** Stores records, grouped into RRsets by (name, type); a TTL of 0 is not stored. */
    public void put(List<ResourceRecord> records, long now) {
        Map<Key, List<ResourceRecord>> sets = new LinkedHashMap<>();
        for (ResourceRecord rr : records) {
            if (rr.type() == DnsType.OPT || rr.dnsClass() != DnsType.CLASS_IN) continue;
            sets.computeIfAbsent(new Key(rr.name(), rr.type()), k -> new ArrayList<>()).add(rr);
        }
        for (Map.Entry<Key, List<ResourceRecord>> e : sets.entrySet()) {
            long ttl = Math.min(maxTtl, e.getValue().stream().mapToLong(ResourceRecord::ttl).min().orElse(0));
            if (ttl <= 0) continue;
            List<ResourceRecord> set = e.getValue().stream().distinct().toList();
            entries.put(e.getKey(), new Entry(Kind.RECORDS, set, now + ttl * SECOND));
            entries.remove(new Key(e.getKey().name(), ALL_TYPES));
        }
    }

    /** Stores NXDOMAIN for {@code name} (all types) for {@code ttl} seconds. */
    public void putNxdomain(String name, long ttl, long now) {
        putNegative(new Key(name, ALL_TYPES), Kind.NXDOMAIN, ttl, now);
    }

    /** Stores "the name exists but has no {@code type} records" for {@code ttl} seconds. */
    public void putNodata(String name, int type, long ttl, long now) {
        putNegative(new Key(name, type), Kind.NODATA, ttl, now);
    }

    private void putNegative(Key key, Kind kind, long ttl, long now) {
        ttl = Math.min(ttl, maxNegativeTtl);
        if (ttl > 0) entries.put(key, new Entry(kind, List.of(), now + ttl * SECOND));
    }

    /** What the cache knows about (name, type) at {@code now}, or null. */
    public Hit get(String name, int type, long now) {
        Entry nx = live(new Key(name, ALL_TYPES), now);
        if (nx != null) return new Hit(Kind.NXDOMAIN, List.of());
        Entry e = live(new Key(name, type), now);
        if (e == null) return null;
        if (e.kind() != Kind.RECORDS) return new Hit(e.kind(), List.of());
        long remaining = (e.expires() - now) / SECOND;
        List<ResourceRecord> out = new ArrayList<>(e.records().size());
        for (ResourceRecord rr : e.records()) out.add(rr.withTtl(remaining));
        return new Hit(Kind.RECORDS, out);
    }

    private Entry live(Key key, long now) {
        Entry e = entries.get(key);
        if (e != null && e.expires() <= now) {
            entries.remove(key);
            return null;
        }
        return e;
    }

    public int size() {
        return entries.size();
    }
}

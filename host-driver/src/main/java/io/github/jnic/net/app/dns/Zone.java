package io.github.jnic.net.app.dns;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The records of one zone, checked for consistency when built: one SOA at the apex, NS records at
 * the apex, every name inside the origin, no CNAME beside other data (RFC 1034 §3.6.2).
 */
public final class Zone {
    private final String origin;
    private final ResourceRecord soa;
    private final Map<String, List<ResourceRecord>> byName = new HashMap<>();
    /** Every owner name and every name between an owner and the apex (empty non-terminals). */
    private final Set<String> names = new HashSet<>();

    public Zone(String origin, List<ResourceRecord> records) {
        this.origin = DnsName.of(origin);
        ResourceRecord foundSoa = null;
        boolean apexNs = false;
        for (ResourceRecord rr : records) {
            if (!DnsName.isWithin(rr.name(), this.origin)) {
                throw new IllegalArgumentException(rr.name() + " is outside the zone " + DnsName.absolute(this.origin));
            }
            if (rr.type() == DnsType.SOA) {
                if (!rr.name().equals(this.origin)) throw new IllegalArgumentException("SOA away from the apex: " + rr);
                if (foundSoa != null) throw new IllegalArgumentException("two SOA records in " + DnsName.absolute(this.origin));
                foundSoa = rr;
            }
            if (rr.type() == DnsType.NS && rr.name().equals(this.origin)) apexNs = true;
            byName.computeIfAbsent(rr.name(), k -> new ArrayList<>()).add(rr);
            for (String n = rr.name(); names.add(n) && !n.equals(this.origin); n = DnsName.parent(n)) {
                // walk up to the apex, marking empty non-terminals
            }
        }
        if (foundSoa == null) throw new IllegalArgumentException("no SOA record at " + DnsName.absolute(this.origin));
        if (!apexNs) throw new IllegalArgumentException("no NS record at " + DnsName.absolute(this.origin));
        for (List<ResourceRecord> set : byName.values()) {
            boolean cname = set.stream().anyMatch(r -> r.type() == DnsType.CNAME);
            if (cname && set.size() > 1) throw new IllegalArgumentException("CNAME beside other data at " + DnsName.absolute(set.get(0).name()));
        }
        this.soa = foundSoa;
    }

    /** Parses a zone file (see {@link ZoneFile}) with {@code origin} as its origin. */
    public static Zone parse(String zoneFileText, String origin) {
        return new Zone(origin, ZoneFile.parse(zoneFileText, origin));
    }

    public String origin() {
        return origin;
    }

    public ResourceRecord soa() {
        return soa;
    }

    /** The TTL for negative answers from this zone: min(SOA TTL, SOA minimum), RFC 2308 §5. */
    public long negativeTtl() {
        return Math.min(soa.ttl(), ((Rdata.Soa) soa.data()).minimum());
    }

    public List<ResourceRecord> records(String name, int type) {
        List<ResourceRecord> out = new ArrayList<>();
        for (ResourceRecord rr : byName.getOrDefault(name, List.of())) {
            if (rr.type() == type || type == DnsType.ANY) out.add(rr);
        }
        return out;
    }

    /** Whether the name owns records or has descendants that do. */
    public boolean exists(String name) {
        return names.contains(name);
    }

    /**
     * The closest zone cut at or above {@code name} and below the apex (a name owning NS records),
     * or null when {@code name} is served by this zone itself.
     */
    public String delegation(String name) {
        String cut = null;
        for (String n = name; !n.equals(origin); n = DnsName.parent(n)) {
            if (!records(n, DnsType.NS).isEmpty()) cut = n;
        }
        return cut;
    }
}

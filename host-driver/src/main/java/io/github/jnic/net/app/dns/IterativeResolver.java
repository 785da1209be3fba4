package io.github.jnic.net.app.dns;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * An iterative resolver, as a caching recursive server works: from the root hints it asks
 * authoritative servers (RD clear) and follows their referrals down to the zone that answers,
 * using glue, resolving server names that came without glue, and following CNAME chains. Each
 * answer is checked for bailiwick (RFC 2181 §5.4.1): a server may only speak for names inside the
 * zone it was asked as, and anything else it says is counted as {@link DnsReject#OUT_OF_BAILIWICK}
 * and ignored, which keeps a server from poisoning the cache for names it does not own.
 */
public final class IterativeResolver extends DnsResolver {
    private static final int MAX_DEPTH = 4;

    /** The IPv4 addresses of the thirteen root servers (IANA root hints, {@code named.root}). */
    public static final List<Integer> IANA_ROOT_HINTS = List.of(
            ZoneFile.ipv4("198.41.0.4"), ZoneFile.ipv4("170.247.170.2"), ZoneFile.ipv4("192.33.4.12"),
            ZoneFile.ipv4("199.7.91.13"), ZoneFile.ipv4("192.203.230.10"), ZoneFile.ipv4("192.5.5.241"),
            ZoneFile.ipv4("192.112.36.4"), ZoneFile.ipv4("198.97.190.53"), ZoneFile.ipv4("192.36.148.17"),
            ZoneFile.ipv4("192.58.128.30"), ZoneFile.ipv4("193.0.14.129"), ZoneFile.ipv4("199.7.83.42"),
            ZoneFile.ipv4("202.12.27.33"));

    private final List<Integer> rootHints;

    public IterativeResolver(List<Integer> rootHints, RandomGenerator random, DnsCache cache, long timeoutNanos, int rounds, int serverPort) {
        super(cache, random, timeoutNanos, rounds, serverPort);
        if (rootHints.isEmpty()) throw new IllegalArgumentException("an iterative resolver needs root hints");
        this.rootHints = List.copyOf(rootHints);
    }

    /** Root hints, one-second first timeout, two rounds, port 53. */
    public IterativeResolver(List<Integer> rootHints, RandomGenerator random) {
        this(rootHints, random, new DnsCache(), 1_000_000_000L, 2, DnsExchanger.SERVER_PORT);
    }

    @Override
    void ask(Resolution r, long now) {
        if (r.zone == null) closestServers(r, now);
        if (r.servers.isEmpty()) {
            resolveServerAddress(r, now);
            return;
        }
        String zone = r.zone;
        exchanger.start(new DnsMessage.Question(r.name, r.qtype, DnsType.CLASS_IN), false, r.servers, new DnsExchanger.Done() {
            @Override
            public void answered(DnsMessage m, int server, long at) {
                onAnswer(r, zone, m, at);
            }

            @Override
            public void failed(String why, long at) {
                finish(r, DnsResult.Status.FAILED, List.of(), "servers for " + DnsName.absolute(zone) + ": " + why);
            }
        }, now);
    }

    /** Sets {@code r.zone} to the closest enclosing zone the cache knows servers for (the root at worst). */
    private void closestServers(Resolution r, long now) {
        for (String n = r.name; ; n = DnsName.parent(n)) {
            DnsCache.Hit ns = cache.get(n, DnsType.NS, now);
            if (ns != null && ns.kind() == DnsCache.Kind.RECORDS) {
                List<Integer> addresses = new ArrayList<>();
                List<String> unresolved = new ArrayList<>();
                for (ResourceRecord rr : ns.records()) {
                    DnsCache.Hit a = cache.get(rr.targetName(), DnsType.A, now);
                    if (a != null && a.kind() == DnsCache.Kind.RECORDS) {
                        for (ResourceRecord x : a.records()) addresses.add(((Rdata.A) x.data()).address());
                    } else if (!DnsName.isWithin(rr.targetName(), n)) {
                        unresolved.add(rr.targetName()); // inside the zone it would need glue we lack
                    }
                }
                if (!addresses.isEmpty() || !unresolved.isEmpty()) {
                    r.zone = n;
                    r.servers = addresses;
                    r.unresolvedServers = unresolved;
                    return;
                }
            }
            if (n.isEmpty()) break;
        }
        r.zone = "";
        r.servers = rootHints;
        r.unresolvedServers = List.of();
    }

    /** A delegation without usable glue: resolve a server's name, then ask it. */
    private void resolveServerAddress(Resolution r, long now) {
        if (r.unresolvedServers.isEmpty() || r.depth >= MAX_DEPTH) {
            finish(r, DnsResult.Status.FAILED, List.of(), "no reachable server for " + DnsName.absolute(r.zone));
            return;
        }
        String server = r.unresolvedServers.get(0);
        r.unresolvedServers = r.unresolvedServers.subList(1, r.unresolvedServers.size());
        Resolution sub = new Resolution(server, DnsType.A, result -> {
            if (r.finished) return;
            List<Integer> addresses = result.ipv4Addresses();
            if (addresses.isEmpty()) {
                resolveServerAddress(r, lastNow);
            } else {
                r.servers = addresses;
                ask(r, lastNow);
            }
        }, r.budget, r.depth + 1);
        step(sub, now);
    }

    private void onAnswer(Resolution r, String zone, DnsMessage m, long now) {
        List<ResourceRecord> answer = inBailiwick(m.records(DnsMessage.Section.ANSWER), zone);
        List<ResourceRecord> authority = inBailiwick(m.records(DnsMessage.Section.AUTHORITY), zone);
        List<ResourceRecord> additional = inBailiwick(m.records(DnsMessage.Section.ADDITIONAL), zone);
        r.zone = null;
        if (applyAnswer(r, m.rcode(), answer, authority, now)) return;

        // A referral: NS records for a zone strictly below the one asked and above the name.
        String child = null;
        Set<String> servers = new LinkedHashSet<>();
        List<ResourceRecord> nsSet = new ArrayList<>();
        for (ResourceRecord rr : authority) {
            if (rr.type() != DnsType.NS) continue;
            if (rr.name().equals(zone) || !DnsName.isWithin(r.name, rr.name())) continue;
            if (child != null && !child.equals(rr.name())) continue;
            child = rr.name();
            nsSet.add(rr);
            servers.add(rr.targetName());
        }
        if (child == null) {
            if (m.authoritative() || soa(authority) != null) {
                nodata(r, authority, now);
            } else {
                finish(r, DnsResult.Status.FAILED, List.of(), "lame answer from servers for " + DnsName.absolute(zone));
            }
            return;
        }
        cache.put(nsSet, now);
        List<ResourceRecord> glue = new ArrayList<>();
        List<Integer> addresses = new ArrayList<>();
        for (ResourceRecord rr : additional) {
            if (rr.type() == DnsType.A && servers.contains(rr.name())) {
                glue.add(rr);
                addresses.add(((Rdata.A) rr.data()).address());
            }
        }
        cache.put(glue, now);
        r.zone = child;
        r.servers = addresses;
        List<String> unresolved = new ArrayList<>();
        for (String s : servers) {
            if (!DnsName.isWithin(s, child)) unresolved.add(s);
        }
        r.unresolvedServers = unresolved;
        if (r.budget.left-- <= 0) {
            finish(r, DnsResult.Status.FAILED, List.of(), "too many queries");
            return;
        }
        ask(r, now);
    }

    private List<ResourceRecord> inBailiwick(List<ResourceRecord> records, String zone) {
        List<ResourceRecord> kept = new ArrayList<>(records.size());
        for (ResourceRecord rr : records) {
            if (rr.type() == DnsType.OPT) continue;
            if (DnsName.isWithin(rr.name(), zone)) {
                kept.add(rr);
            } else {
                rejects.count(DnsReject.OUT_OF_BAILIWICK);
            }
        }
        return kept;
    }
}

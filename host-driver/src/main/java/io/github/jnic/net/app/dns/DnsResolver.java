package io.github.jnic.net.app.dns;

import io.github.jnic.net.app.Rejects;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * What the stub and the iterative resolver share: the cache walk (CNAME chains and negative entries
 * included), the reading of an answer into the cache, and the sans-IO surface. Drive it with
 * {@link #resolve}, {@link #receiveUdp}, {@link #receiveTcp}, {@link #tcpFailed} and {@link #poll};
 * send what {@link #nextTransmission} yields. Time is the stack's clock in nanoseconds.
 */
public abstract sealed class DnsResolver permits StubResolver, IterativeResolver {
    static final int MAX_CNAMES = 8;
    static final int MAX_QUERIES = 64;

    protected final DnsCache cache;
    protected final Rejects rejects = new Rejects();
    protected final DnsExchanger exchanger;
    /** The time of the latest call in, for work that resumes from a callback (a sub-resolution's end). */
    long lastNow;

    /** Queries one resolution (with its sub-resolutions) may still send. */
    static final class Budget {
        int left = MAX_QUERIES;
    }

    /** One name being resolved. */
    final class Resolution {
        final String qname;
        final int qtype;
        final Consumer<DnsResult> done;
        final Budget budget;
        final int depth;
        final List<ResourceRecord> chain = new ArrayList<>();
        String name;
        boolean finished;
        /** Iterative only: the zone and servers a referral pointed at, used before the cache. */
        String zone;
        List<Integer> servers = List.of();
        List<String> unresolvedServers = List.of();

        Resolution(String qname, int qtype, Consumer<DnsResult> done, Budget budget, int depth) {
            this.qname = qname;
            this.qtype = qtype;
            this.done = done;
            this.budget = budget;
            this.depth = depth;
            this.name = qname;
        }
    }

    DnsResolver(DnsCache cache, RandomGenerator random, long timeoutNanos, int rounds, int serverPort) {
        this.cache = cache;
        this.exchanger = new DnsExchanger(random, rejects, timeoutNanos, rounds, serverPort);
    }

    /** Resolves {@code name}/{@code type}; {@code done} runs once, maybe at once from the cache. */
    public void resolve(String name, int type, long now, Consumer<DnsResult> done) {
        lastNow = now;
        step(new Resolution(DnsName.of(name), type, done, new Budget(), 0), now);
    }

    public DnsTransmission nextTransmission() {
        return exchanger.nextTransmission();
    }

    /** A UDP datagram that arrived on {@code localPort} from {@code src:srcPort}. */
    public void receiveUdp(int localPort, int src, int srcPort, byte[] b, int off, int len, long now) {
        lastNow = now;
        exchanger.receiveUdp(localPort, src, srcPort, b, off, len, now);
    }

    /** The (unframed) answer read from the TCP connection of a {@link DnsTransmission#tcp()} exchange. */
    public void receiveTcp(long exchange, byte[] b, int off, int len, long now) {
        lastNow = now;
        exchanger.receiveTcp(exchange, b, off, len, now);
    }

    public void tcpFailed(long exchange, long now) {
        lastNow = now;
        exchanger.tcpFailed(exchange, now);
    }

    /** Runs retransmission timers; returns the next deadline, or {@link Long#MAX_VALUE}. */
    public long poll(long now) {
        lastNow = now;
        return exchanger.poll(now);
    }

    /** Whether an outstanding UDP query waits for its answer on {@code localPort}. */
    public boolean listensOn(int localPort) {
        return exchanger.listensOn(localPort);
    }

    /** Queries in flight. */
    public int pending() {
        return exchanger.pending();
    }

    public DnsCache cache() {
        return cache;
    }

    public Rejects rejects() {
        return rejects;
    }

    /** Answers what the cache can, then asks the network for the rest. */
    void step(Resolution r, long now) {
        while (true) {
            DnsCache.Hit hit = cache.get(r.name, r.qtype, now);
            if (hit != null) {
                switch (hit.kind()) {
                    case RECORDS -> finish(r, DnsResult.Status.ANSWER, hit.records(), "from cache");
                    case NXDOMAIN -> finish(r, DnsResult.Status.NXDOMAIN, List.of(), "from cache");
                    case NODATA -> finish(r, DnsResult.Status.NODATA, List.of(), "from cache");
                }
                return;
            }
            DnsCache.Hit cname = r.qtype == DnsType.CNAME ? null : cache.get(r.name, DnsType.CNAME, now);
            if (cname == null || cname.kind() != DnsCache.Kind.RECORDS) break;
            if (!follow(r, cname.records().get(0))) return;
        }
        if (r.budget.left-- <= 0) {
            finish(r, DnsResult.Status.FAILED, List.of(), "too many queries");
            return;
        }
        ask(r, now);
    }

    /** Sends the query for {@code r.name} to whichever servers this resolver asks. */
    abstract void ask(Resolution r, long now);

    /** Adds a CNAME to the chain; false (and the resolution failed) when the chain is too long. */
    boolean follow(Resolution r, ResourceRecord cname) {
        r.chain.add(cname);
        if (r.chain.size() > MAX_CNAMES) {
            finish(r, DnsResult.Status.FAILED, List.of(), "CNAME chain longer than " + MAX_CNAMES);
            return false;
        }
        r.name = cname.targetName();
        r.zone = null;
        return true;
    }

    /**
     * Reads an answer for {@code r} (already filtered for bailiwick by the iterative resolver) into the
     * cache and the resolution. Returns false when it holds neither data, CNAME nor NXDOMAIN for the
     * name: a NODATA or, for the iterative resolver, maybe a referral.
     */
    boolean applyAnswer(Resolution r, int rcode, List<ResourceRecord> answer, List<ResourceRecord> authority, long now) {
        cache.put(answer, now);
        boolean moved = false;
        while (true) {
            List<ResourceRecord> set = new ArrayList<>();
            ResourceRecord cname = null;
            for (ResourceRecord rr : answer) {
                if (!rr.name().equals(r.name) || rr.dnsClass() != DnsType.CLASS_IN) continue;
                if (rr.type() == r.qtype || (r.qtype == DnsType.ANY && rr.type() != DnsType.CNAME)) set.add(rr);
                else if (rr.type() == DnsType.CNAME && cname == null) cname = rr;
            }
            if (!set.isEmpty()) {
                finish(r, DnsResult.Status.ANSWER, set, "answered");
                return true;
            }
            if (cname == null || r.qtype == DnsType.CNAME) break;
            if (!follow(r, cname)) return true;
            moved = true;
        }
        if (rcode == DnsType.NXDOMAIN) {
            ResourceRecord soa = soa(authority);
            if (soa != null) cache.putNxdomain(r.name, negativeTtl(soa), now);
            finish(r, DnsResult.Status.NXDOMAIN, List.of(), "NXDOMAIN");
            return true;
        }
        if (moved) {
            step(r, now); // the chain left this answer: resolve its target afresh
            return true;
        }
        return false;
    }

    void nodata(Resolution r, List<ResourceRecord> authority, long now) {
        ResourceRecord soa = soa(authority);
        if (soa != null) cache.putNodata(r.name, r.qtype, negativeTtl(soa), now);
        finish(r, DnsResult.Status.NODATA, List.of(), "NODATA");
    }

    void finish(Resolution r, DnsResult.Status status, List<ResourceRecord> records, String detail) {
        if (r.finished) return;
        r.finished = true;
        List<ResourceRecord> all = new ArrayList<>(r.chain);
        all.addAll(records);
        r.done.accept(new DnsResult(status, r.qname, r.qtype, List.copyOf(all), detail));
    }

    static ResourceRecord soa(List<ResourceRecord> authority) {
        for (ResourceRecord rr : authority) {
            if (rr.type() == DnsType.SOA) return rr;
        }
        return null;
    }

    /** RFC 2308 §5: the smaller of the SOA's own TTL and its minimum field. */
    static long negativeTtl(ResourceRecord soa) {
        return Math.min(soa.ttl(), ((Rdata.Soa) soa.data()).minimum());
    }
}

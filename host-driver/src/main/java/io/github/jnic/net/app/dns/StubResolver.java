package io.github.jnic.net.app.dns;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A stub resolver: asks recursive servers (with RD set), trying them in turn, and caches what they
 * say, negative answers included. A chain that leaves an answer unfinished (a CNAME whose target the
 * server did not include) is followed with a new query.
 */
public final class StubResolver extends DnsResolver {
    private final List<Integer> servers;

    /**
     * @param servers      recursive servers' IPv4 addresses, asked in this order
     * @param random       source of query ids and ports (a {@code SecureRandom} outside tests)
     * @param timeoutNanos first retransmission timeout, doubled after each round over all servers
     * @param rounds       how many times each server is tried
     */
    public StubResolver(List<Integer> servers, RandomGenerator random, DnsCache cache, long timeoutNanos, int rounds, int serverPort) {
        super(cache, random, timeoutNanos, rounds, serverPort);
        if (servers.isEmpty()) throw new IllegalArgumentException("a stub resolver needs a server");
        this.servers = List.copyOf(servers);
    }

    /** One-second first timeout, two rounds, port 53. */
    public StubResolver(List<Integer> servers, RandomGenerator random) {
        this(servers, random, new DnsCache(), 1_000_000_000L, 2, DnsExchanger.SERVER_PORT);
    }

    @Override
    void ask(Resolution r, long now) {
        exchanger.start(new DnsMessage.Question(r.name, r.qtype, DnsType.CLASS_IN), true, servers, new DnsExchanger.Done() {
            @Override
            public void answered(DnsMessage m, int server, long at) {
                List<ResourceRecord> authority = m.records(DnsMessage.Section.AUTHORITY);
                if (!applyAnswer(r, m.rcode(), m.records(DnsMessage.Section.ANSWER), authority, at)) nodata(r, authority, at);
            }

            @Override
            public void failed(String why, long at) {
                finish(r, DnsResult.Status.FAILED, List.of(), why);
            }
        }, now);
    }
}

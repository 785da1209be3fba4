package io.github.jnic.net.app.dns;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * A network of DNS servers in virtual time for resolver tests: each address answers with a
 * function of (query, over TCP), usually a real {@link DnsServer}. Addresses in {@link #dead}
 * swallow everything.
 */
final class FakeDnsNetwork {
    final Map<Integer, BiFunction<byte[], Boolean, byte[]>> servers = new HashMap<>();
    final Set<Integer> dead = new HashSet<>();
    final List<DnsTransmission> sent = new ArrayList<>();
    long now;

    void serve(int address, DnsServer server) {
        servers.put(address, (q, tcp) -> server.answer(q, 0, q.length, tcp));
    }

    /** One-way delay of every message (virtual nanoseconds). */
    long latency;

    private record Delivery(long at, DnsTransmission t, byte[] answer) {}

    /** Delivers everything the resolver wants sent, and the answers back after the round trip, until it is quiet. */
    void run(DnsResolver resolver) {
        java.util.PriorityQueue<Delivery> inFlight = new java.util.PriorityQueue<>(java.util.Comparator.comparingLong(Delivery::at));
        for (int guard = 0; guard < 10_000; guard++) {
            DnsTransmission t = resolver.nextTransmission();
            if (t != null) {
                sent.add(t);
                if (dead.contains(t.server())) continue;
                var server = servers.get(t.server());
                if (server == null) continue;
                byte[] query = t.tcp() ? java.util.Arrays.copyOfRange(t.message(), 2, t.message().length) : t.message();
                byte[] answer = server.apply(query, t.tcp());
                if (answer != null) inFlight.add(new Delivery(now + 2 * latency, t, answer));
                continue;
            }
            long next = Math.min(resolver.poll(now), inFlight.isEmpty() ? Long.MAX_VALUE : inFlight.peek().at());
            if (next == Long.MAX_VALUE) return;
            now = Math.max(now, next);
            while (!inFlight.isEmpty() && inFlight.peek().at() <= now) {
                Delivery d = inFlight.poll();
                if (d.t().tcp()) resolver.receiveTcp(d.t().exchange(), d.answer(), 0, d.answer().length, now);
                else resolver.receiveUdp(d.t().localPort(), d.t().server(), d.t().serverPort(), d.answer(), 0, d.answer().length, now);
            }
            resolver.poll(now);
        }
        throw new AssertionError("the resolver never went quiet");
    }

    static int ip(String dotted) {
        return ZoneFile.ipv4(dotted);
    }
}

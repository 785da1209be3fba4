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

    /** Delivers everything the resolver wants sent, and the answers back, until it is quiet. */
    void run(DnsResolver resolver) {
        for (int guard = 0; guard < 10_000; guard++) {
            DnsTransmission t = resolver.nextTransmission();
            if (t == null) {
                long next = resolver.poll(now);
                if (next == Long.MAX_VALUE) return;
                now = Math.max(now, next);
                resolver.poll(now);
                continue;
            }
            sent.add(t);
            if (dead.contains(t.server())) continue;
            var server = servers.get(t.server());
            if (server == null) continue;
            byte[] query = t.tcp() ? java.util.Arrays.copyOfRange(t.message(), 2, t.message().length) : t.message();
            byte[] answer = server.apply(query, t.tcp());
            if (answer == null) continue;
            if (t.tcp()) resolver.receiveTcp(t.exchange(), answer, 0, answer.length, now);
            else resolver.receiveUdp(t.localPort(), t.server(), t.serverPort(), answer, 0, answer.length, now);
        }
        throw new AssertionError("the resolver never went quiet");
    }

    static int ip(String dotted) {
        return ZoneFile.ipv4(dotted);
    }
}

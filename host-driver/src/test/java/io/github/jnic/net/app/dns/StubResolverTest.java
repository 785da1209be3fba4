package io.github.jnic.net.app.dns;

import static io.github.jnic.net.app.dns.FakeDnsNetwork.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.net.app.dns.DnsMessage.Section;
import io.github.jnic.net.app.dns.DnsResult.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class StubResolverTest {
    static final long SECOND = 1_000_000_000L;
    static final int S1 = ip("10.0.0.53");
    static final int S2 = ip("10.0.1.53");

    static final String OTHER = """
            $TTL 600
            @ SOA ns hostmaster 1 3600 600 86400 60
            @ NS ns
            ns A 10.0.1.53
            web A 198.51.100.7
            """;

    final FakeDnsNetwork net = new FakeDnsNetwork();
    final DnsServer server = new DnsServer(List.of(DnsServerTest.exampleZone(), Zone.parse(OTHER + "alias CNAME web.example.com.\n", "other.org"),
            Zone.parse("$TTL 600\n@ SOA ns h 1 1 1 1 60\n@ NS ns\nns A 1.1.1.1\nhop CNAME alias.other.org.\n", "third.net")));
    final List<DnsResult> results = new ArrayList<>();
    StubResolver resolver = new StubResolver(List.of(S1, S2), new SplittableRandom(7));

    DnsResult resolve(String name, int type) {
        results.clear();
        resolver.resolve(name, type, net.now, results::add);
        net.run(resolver);
        assertEquals(1, results.size(), "exactly one result");
        return results.get(0);
    }

    @Test
    void resolvesAndCachesForTheTtl() {
        net.serve(S1, server);
        DnsResult r = resolve("mail.example.com", DnsType.A);
        assertEquals(Status.ANSWER, r.status());
        assertEquals(List.of(ip("192.0.2.25")), r.ipv4Addresses());
        assertEquals(1, net.sent.size());
        DnsTransmission t = net.sent.get(0);
        assertEquals(S1, t.server());
        assertEquals(53, t.serverPort());
        assertTrue(t.localPort() >= 49152 && t.localPort() <= 65535);
        DnsMessage q = DnsMessage.parse(t.message());
        assertTrue(q.recursionDesired());
        assertEquals(1232, q.ednsUdpSize());

        net.now += 299 * SECOND;
        DnsResult cached = resolve("mail.example.com", DnsType.A);
        assertEquals(1, net.sent.size(), "answered from the cache");
        assertEquals(1, cached.records().get(0).ttl(), "with the remaining TTL");
        net.now += SECOND;
        resolve("mail.example.com", DnsType.A);
        assertEquals(2, net.sent.size(), "expired after 300 s");
    }

    @Test
    void idsAndPortsComeFromTheInjectedRandomSource() {
        net.serve(S1, server);
        resolve("mail.example.com", DnsType.A);
        resolve("web.example.com", DnsType.A);
        DnsMessage a = DnsMessage.parse(net.sent.get(0).message());
        DnsMessage b = DnsMessage.parse(net.sent.get(1).message());
        assertNotEquals(a.id(), b.id());
        assertNotEquals(net.sent.get(0).localPort(), net.sent.get(1).localPort());
        RandomGenerator same = new SplittableRandom(7);
        assertEquals(same.nextInt(0x10000), a.id(), "the first id is the first draw");
        assertEquals(49152 + same.nextInt(65536 - 49152), net.sent.get(0).localPort());
    }

    @Test
    void followsCnameChainsAcrossZones() {
        net.serve(S1, server);
        DnsResult r = resolve("hop.third.net", DnsType.A);
        assertEquals(Status.ANSWER, r.status());
        assertEquals(List.of("hop.third.net", "alias.other.org"), r.records().stream().filter(x -> x.type() == DnsType.CNAME).map(ResourceRecord::name).toList());
        assertEquals("web.example.com", r.canonicalName());
        assertEquals(List.of(ip("192.0.2.80")), r.ipv4Addresses());
        assertEquals(3, net.sent.size(), "one query per zone the chain crosses");
        // The pieces are cached: the chain resolves again without the network.
        assertEquals(r.records(), resolve("hop.third.net", DnsType.A).records());
        assertEquals(3, net.sent.size());
    }

    @Test
    void cachesNegativeAnswersForTheSoaDerivedTtl() {
        net.serve(S1, server);
        assertEquals(Status.NXDOMAIN, resolve("nope.example.com", DnsType.A).status());
        assertEquals(Status.NXDOMAIN, resolve("nope.example.com", DnsType.MX).status(), "NXDOMAIN covers every type");
        assertEquals(1, net.sent.size());
        assertEquals(Status.NODATA, resolve("web.example.com", DnsType.AAAA).status());
        assertEquals(Status.NODATA, resolve("web.example.com", DnsType.AAAA).status());
        assertEquals(2, net.sent.size());
        net.now += 300 * SECOND; // min(SOA TTL 3600, minimum 300)
        resolve("nope.example.com", DnsType.A);
        resolve("web.example.com", DnsType.AAAA);
        assertEquals(4, net.sent.size());
    }

    @Test
    void retriesAcrossServersWithBackoffAndFreshIds() {
        net.serve(S2, server);
        net.dead.add(S1);
        DnsResult r = resolve("mail.example.com", DnsType.A);
        assertEquals(Status.ANSWER, r.status());
        assertEquals(List.of(S1, S2), net.sent.stream().map(DnsTransmission::server).toList());
        assertEquals(SECOND, net.now, "the second server was asked after the first timeout");
        assertNotEquals(DnsMessage.parse(net.sent.get(0).message()).id(), DnsMessage.parse(net.sent.get(1).message()).id());
    }

    @Test
    void failsAfterEveryServerWasTriedEachRound() {
        net.dead.add(S1);
        net.dead.add(S2);
        DnsResult r = resolve("mail.example.com", DnsType.A);
        assertEquals(Status.FAILED, r.status());
        assertEquals(List.of(S1, S2, S1, S2), net.sent.stream().map(DnsTransmission::server).toList());
        assertEquals(6 * SECOND, net.now, "1 s, 1 s, then doubled: 2 s, 2 s");
    }

    @Test
    void servfailMovesOnAtOnce() {
        net.servers.put(S1, (q, tcp) -> {
            DnsMessage m = DnsMessage.parse(q);
            DnsWriter w = new DnsWriter(512);
            w.header(m.id(), DnsMessage.QR | DnsType.SERVFAIL);
            w.question(m.question(0).name(), m.question(0).type(), 1);
            return w.toByteArray();
        });
        net.serve(S2, server);
        assertEquals(Status.ANSWER, resolve("mail.example.com", DnsType.A).status());
        assertEquals(0, net.now);
    }

    @Test
    void truncatedAnswerIsRetriedOverTcp() {
        net.serve(S1, server);
        DnsResult r = resolve("big.example.com", DnsType.TXT);
        assertEquals(Status.ANSWER, r.status());
        assertEquals(40, r.records().size());
        assertEquals(List.of(false, true), net.sent.stream().map(DnsTransmission::tcp).toList());
        byte[] framed = net.sent.get(1).message();
        assertEquals(framed.length - 2, ((framed[0] & 0xff) << 8) | (framed[1] & 0xff));
    }

    @Test
    void forgedAnswersAreCountedAndIgnored() {
        resolver.resolve("mail.example.com", DnsType.A, 0, results::add);
        DnsTransmission t = resolver.nextTransmission();
        DnsMessage q = DnsMessage.parse(t.message());
        byte[] genuine = server.answer(t.message(), 0, t.message().length, false);
        byte[] wrongId = genuine.clone();
        wrongId[0] ^= 1;
        resolver.receiveUdp(t.localPort(), t.server(), 53, wrongId, 0, wrongId.length, 0);
        resolver.receiveUdp(t.localPort(), ip("6.6.6.6"), 53, genuine, 0, genuine.length, 0);
        resolver.receiveUdp(t.localPort(), t.server(), 5353, genuine, 0, genuine.length, 0);
        resolver.receiveUdp(t.localPort() == 65535 ? 65534 : t.localPort() + 1, t.server(), 53, genuine, 0, genuine.length, 0);
        byte[] otherQuestion = server.answer(DnsServerTest.query("web.example.com", DnsType.A, 0), 0, 33, false);
        otherQuestion[0] = (byte) (q.id() >>> 8);
        otherQuestion[1] = (byte) q.id();
        resolver.receiveUdp(t.localPort(), t.server(), 53, otherQuestion, 0, otherQuestion.length, 0);
        resolver.receiveUdp(t.localPort(), t.server(), 53, new byte[] {1, 2, 3}, 0, 3, 0);
        assertTrue(results.isEmpty());
        assertEquals(5, resolver.rejects().get(DnsReject.UNSOLICITED));
        assertEquals(1, resolver.rejects().get(DnsReject.TRUNCATED));
        resolver.receiveUdp(t.localPort(), t.server(), 53, genuine, 0, genuine.length, 0);
        assertEquals(Status.ANSWER, results.get(0).status());
        assertEquals(0, DnsMessage.parse(genuine).count(Section.AUTHORITY));
    }
}

package io.github.jnic.net.app.dns;

import static io.github.jnic.net.app.dns.FakeDnsNetwork.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.net.app.dns.DnsMessage.Section;
import io.github.jnic.net.app.dns.DnsResult.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The iterative resolver walks a small DNS tree made of real {@link DnsServer}s. */
class IterativeResolverTest {
    static final int ROOT = ip("10.0.0.1");
    static final int ROOT2 = ip("10.0.0.2");
    static final int COM = ip("10.0.1.1");
    static final int ORG = ip("10.0.2.1");
    static final int EXAMPLE_COM = ip("10.0.1.53");
    static final int EXAMPLE_ORG = ip("10.0.2.53");

    static final String SOA = "@ SOA ns hostmaster 1 3600 600 86400 300\n";

    final FakeDnsNetwork net = new FakeDnsNetwork();
    final List<DnsResult> results = new ArrayList<>();
    final IterativeResolver resolver = new IterativeResolver(List.of(ROOT, ROOT2), new SplittableRandom(1));

    IterativeResolverTest() {
        DnsServer root = new DnsServer(List.of(Zone.parse("$TTL 86400\n" + SOA + """
                @ NS a.root.
                a.root. A 10.0.0.1
                com. NS a.gtld.com.
                a.gtld.com. A 10.0.1.1
                org. NS ns.org.
                ns.org. A 10.0.2.1
                """, ".")));
        net.serve(ROOT, root);
        net.serve(ROOT2, root);
        net.serve(COM, new DnsServer(List.of(Zone.parse("$TTL 3600\n" + SOA + """
                @ NS a.gtld
                a.gtld A 10.0.1.1
                example NS ns1.example
                ns1.example A 10.0.1.53
                glueless NS ns.example.org.
                """, "com"))));
        net.serve(ORG, new DnsServer(List.of(Zone.parse("$TTL 3600\n" + SOA + """
                @ NS ns
                ns A 10.0.2.1
                example NS ns.example
                ns.example A 10.0.2.53
                """, "org"))));
        net.serve(EXAMPLE_COM, new DnsServer(List.of(Zone.parse("$TTL 300\n" + SOA + """
                @ NS ns1
                ns1 A 10.0.1.53
                www CNAME www.example.org.
                mail A 192.0.2.25
                """, "example.com"))));
        net.serve(EXAMPLE_ORG, new DnsServer(List.of(
                Zone.parse("$TTL 300\n" + SOA + "@ NS ns\nns A 10.0.2.53\nwww A 198.51.100.80\n", "example.org"),
                Zone.parse("$TTL 300\n" + SOA + "@ NS ns.example.org.\nhost A 203.0.113.5\n", "glueless.com"))));
    }

    DnsResult resolve(String name, int type) {
        results.clear();
        net.sent.clear();
        resolver.resolve(name, type, net.now, results::add);
        net.run(resolver);
        assertEquals(1, results.size());
        return results.get(0);
    }

    List<Integer> servers() {
        return net.sent.stream().map(DnsTransmission::server).toList();
    }

    @Test
    void walksFromTheRootThroughReferralsAndAcrossACname() {
        DnsResult r = resolve("www.example.com", DnsType.A);
        assertEquals(Status.ANSWER, r.status(), r.detail());
        assertEquals("www.example.org", r.canonicalName());
        assertEquals(List.of(ip("198.51.100.80")), r.ipv4Addresses());
        assertEquals(List.of(ROOT, COM, EXAMPLE_COM, ROOT, ORG, EXAMPLE_ORG), servers());
        for (DnsTransmission t : net.sent) assertFalse(DnsMessage.parse(t.message()).recursionDesired(), "iterative queries clear RD");

        // The delegations are cached: the next name in example.com goes straight to its server.
        assertEquals(List.of(ip("192.0.2.25")), resolve("mail.example.com", DnsType.A).ipv4Addresses());
        assertEquals(List.of(EXAMPLE_COM), servers());
    }

    @Test
    void resolvesServerNamesThatCameWithoutGlue() {
        DnsResult r = resolve("host.glueless.com", DnsType.A);
        assertEquals(Status.ANSWER, r.status(), r.detail());
        assertEquals(List.of(ip("203.0.113.5")), r.ipv4Addresses());
        assertEquals(List.of(ROOT, COM, ROOT, ORG, EXAMPLE_ORG, EXAMPLE_ORG), servers());
    }

    @Test
    void aSlowNetworkCausesNoSpuriousRetries() {
        net.latency = 150_000_000L; // 300 ms round trips against a 1 s timeout
        DnsResult r = resolve("host.glueless.com", DnsType.A);
        assertEquals(Status.ANSWER, r.status(), r.detail());
        assertEquals(List.of(ROOT, COM, ROOT, ORG, EXAMPLE_ORG, EXAMPLE_ORG), servers(), "one query per step, none timed out");
        assertEquals(6 * 300_000_000L, net.now);
    }

    @Test
    void negativeAnswersComeFromTheAuthoritativeServer() {
        assertEquals(Status.NXDOMAIN, resolve("nope.example.com", DnsType.A).status());
        assertEquals(Status.NODATA, resolve("mail.example.com", DnsType.MX).status());
        assertEquals(List.of(EXAMPLE_COM), servers());
        assertEquals(Status.NXDOMAIN, resolve("nope.example.com", DnsType.TXT).status());
        assertTrue(net.sent.isEmpty(), "negative answer cached");
    }

    @Test
    void triesTheNextRootWhenOneIsDown() {
        net.dead.add(ROOT);
        assertEquals(Status.ANSWER, resolve("mail.example.com", DnsType.A).status());
        assertEquals(List.of(ROOT, ROOT2, COM, EXAMPLE_COM), servers());
    }

    @Test
    void ignoresRecordsOutsideTheServersBailiwick() {
        // A com server that tries to slip in an address for a name it does not own.
        DnsServer com = new DnsServer(List.of(Zone.parse("$TTL 3600\n" + SOA + "@ NS a.gtld\na.gtld A 10.0.1.1\nexample NS ns1.example\nns1.example A 10.0.1.53\n", "com")));
        net.servers.put(COM, (q, tcp) -> {
            DnsMessage honest = DnsMessage.parse(com.answer(q, 0, q.length, tcp));
            DnsWriter w = new DnsWriter(1232);
            w.header(honest.id(), honest.flags());
            w.question(honest.question(0).name(), honest.question(0).type(), 1);
            for (ResourceRecord rr : honest.records(Section.AUTHORITY)) w.record(Section.AUTHORITY, rr);
            w.record(Section.AUTHORITY, ResourceRecord.in("org", DnsType.NS, 86400, new Rdata.Name("ns.evil.com")));
            for (ResourceRecord rr : honest.records(Section.ADDITIONAL)) w.record(Section.ADDITIONAL, rr);
            w.record(Section.ADDITIONAL, ResourceRecord.in("www.example.org", DnsType.A, 86400, new Rdata.A(ip("6.6.6.6"))));
            return w.toByteArray();
        });
        assertEquals(Status.ANSWER, resolve("mail.example.com", DnsType.A).status());
        assertEquals(2, resolver.rejects().get(DnsReject.OUT_OF_BAILIWICK));
        assertNull(resolver.cache().get("www.example.org", DnsType.A, net.now));
        assertNull(resolver.cache().get("org", DnsType.NS, net.now));
        assertEquals(List.of(ip("198.51.100.80")), resolve("www.example.org", DnsType.A).ipv4Addresses());
    }

    @Test
    void givesUpOnAnEndlessChain() {
        net.serve(EXAMPLE_COM, new DnsServer(List.of(Zone.parse("$TTL 300\n" + SOA + "@ NS ns1\nns1 A 10.0.1.53\nloop CNAME loop2\nloop2 CNAME loop\n", "example.com"))));
        DnsResult r = resolve("loop.example.com", DnsType.A);
        assertEquals(Status.FAILED, r.status());
    }
}

package io.github.jnic.net.app.dns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.net.app.Rejects;
import io.github.jnic.net.app.dns.DnsMessage.Section;
import java.util.List;
import org.junit.jupiter.api.Test;

class DnsServerTest {

    static Zone exampleZone() {
        String text = ZoneFileTest.EXAMPLE.substring(0, ZoneFileTest.EXAMPLE.indexOf("$ORIGIN 2.0"));
        StringBuilder big = new StringBuilder(text);
        for (int i = 0; i < 40; i++) big.append("big TXT \"").append("x".repeat(60)).append(i).append("\"\n");
        return Zone.parse(big.toString(), "example.com");
    }

    final DnsServer server = new DnsServer(List.of(exampleZone()));

    static byte[] query(String name, int type, int ednsSize) {
        DnsWriter w = new DnsWriter(512);
        w.header(0xbeef, DnsMessage.RD);
        w.question(name, type, DnsType.CLASS_IN);
        if (ednsSize > 0) w.opt(ednsSize);
        return w.toByteArray();
    }

    DnsMessage ask(String name, int type) {
        byte[] q = query(name, type, 0);
        return DnsMessage.parse(server.answer(q, 0, q.length, false));
    }

    @Test
    void answersAuthoritativelyWithAdditionalAddresses() {
        DnsMessage m = ask("example.com", DnsType.MX);
        assertEquals(0xbeef, m.id());
        assertTrue(m.isResponse() && m.authoritative() && m.recursionDesired() && !m.recursionAvailable());
        assertEquals(DnsType.NOERROR, m.rcode());
        assertEquals(new DnsMessage.Question("example.com", DnsType.MX, 1), m.question(0));
        assertEquals(List.of(ResourceRecord.in("example.com", DnsType.MX, 3600, new Rdata.Mx(10, "mail.example.com"))), m.records(Section.ANSWER));
        assertEquals(List.of(ResourceRecord.in("mail.example.com", DnsType.A, 300, new Rdata.A(0xc0000219))), m.records(Section.ADDITIONAL));
    }

    @Test
    void followsCnameInsideTheZone() {
        DnsMessage m = ask("WWW.Example.COM", DnsType.A);
        assertEquals("www.example.com", m.question(0).name());
        List<ResourceRecord> a = m.records(Section.ANSWER);
        assertEquals(2, a.size());
        assertEquals(DnsType.CNAME, a.get(0).type());
        assertEquals(ResourceRecord.in("web.example.com", DnsType.A, 3600, new Rdata.A(0xc0000250)), a.get(1));
    }

    @Test
    void nxdomainAndNodataCarryTheSoaWithTheNegativeTtl() {
        DnsMessage nx = ask("nope.example.com", DnsType.A);
        assertEquals(DnsType.NXDOMAIN, nx.rcode());
        assertTrue(nx.authoritative());
        assertEquals(0, nx.count(Section.ANSWER));
        ResourceRecord soa = nx.record(Section.AUTHORITY, 0);
        assertEquals(DnsType.SOA, soa.type());
        assertEquals(300, soa.ttl()); // min(3600, minimum 300)

        DnsMessage nodata = ask("web.example.com", DnsType.AAAA);
        assertEquals(DnsType.NOERROR, nodata.rcode());
        assertEquals(0, nodata.count(Section.ANSWER));
        assertEquals(DnsType.SOA, nodata.record(Section.AUTHORITY, 0).type());

        DnsMessage ent = ask("deep.example.com", DnsType.A); // exists only as a parent of a.b.deep
        assertEquals(DnsType.NOERROR, ent.rcode());
    }

    @Test
    void refersToDelegatedChildWithGlue() {
        DnsMessage m = ask("host.sub.example.com", DnsType.A);
        assertFalse(m.authoritative());
        assertEquals(DnsType.NOERROR, m.rcode());
        assertEquals(0, m.count(Section.ANSWER));
        assertEquals(List.of(ResourceRecord.in("sub.example.com", DnsType.NS, 3600, new Rdata.Name("ns.sub.example.com"))), m.records(Section.AUTHORITY));
        assertEquals(List.of(ResourceRecord.in("ns.sub.example.com", DnsType.A, 3600, new Rdata.A(0xc0000263))), m.records(Section.ADDITIONAL));
    }

    @Test
    void refusesNamesOutsideItsZones() {
        assertEquals(DnsType.REFUSED, ask("example.org", DnsType.A).rcode());
    }

    @Test
    void truncatesOverUdpAndAnswersInFullOverTcp() {
        byte[] q = query("big.example.com", DnsType.TXT, 0);
        DnsMessage udp = DnsMessage.parse(server.answer(q, 0, q.length, false));
        assertTrue(udp.truncated());
        assertEquals(0, udp.count(Section.ANSWER));
        assertEquals(1, udp.count(Section.QUESTION));
        DnsMessage tcp = DnsMessage.parse(server.answer(q, 0, q.length, true));
        assertFalse(tcp.truncated());
        assertEquals(40, tcp.count(Section.ANSWER));
        byte[] qe = query("big.example.com", DnsType.TXT, 4096); // EDNS: 1232 bytes is still too small
        DnsMessage edns = DnsMessage.parse(server.answer(qe, 0, qe.length, false));
        assertTrue(edns.truncated());
        assertEquals(DnsServer.MAX_UDP_SIZE, edns.ednsUdpSize());
    }

    @Test
    void malformedQueriesGetFormerrOrNothingAndAreCounted() {
        byte[] loop = DnsMessageTest.hex("abcd 0100 0001 0000 0000 0000 c00c 0001 0001");
        DnsMessage formerr = DnsMessage.parse(server.answer(loop, 0, loop.length, false));
        assertEquals(DnsType.FORMERR, formerr.rcode());
        assertEquals(0xabcd, formerr.id());
        assertEquals(1, server.rejects().get(DnsReject.BAD_POINTER));

        byte[] response = DnsMessageTest.hex(DnsMessageTest.RESPONSE_HEX);
        assertNull(server.answer(response, 0, response.length, false));
        assertNull(server.answer(new byte[5], 0, 5, false));
        byte[] notify = DnsMessageTest.hex("0001 2000 0001 0000 0000 0000 00 0006 0001"); // opcode 4
        assertEquals(DnsType.NOTIMP, DnsMessage.parse(server.answer(notify, 0, notify.length, false)).rcode());
        assertEquals(2, server.rejects().get(DnsReject.BAD_QUERY));
        assertEquals(1, server.rejects().get(DnsReject.TRUNCATED));
        assertEquals(4, server.rejects().total());
    }

    @Test
    void tcpFramingSplitsAStreamIntoMessages() {
        Rejects rejects = new Rejects();
        DnsStream s = new DnsStream(rejects);
        byte[] a = DnsStream.frame(query("a.example.com", DnsType.A, 0));
        byte[] b = DnsStream.frame(query("b.example.com", DnsType.A, 0));
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        s.feed(both, 0, 1);
        assertNull(s.next());
        s.feed(both, 1, both.length - 3);
        assertArrayEquals(query("a.example.com", DnsType.A, 0), s.next());
        assertNull(s.next());
        s.feed(both, both.length - 2, 2);
        assertArrayEquals(query("b.example.com", DnsType.A, 0), s.next());
        s.feed(new byte[] {0, 3, 1, 2, 3}, 0, 5);
        assertNull(s.next());
        assertTrue(s.broken());
        assertEquals(1, rejects.get(DnsReject.BAD_FRAME));
    }

    @Test
    void tcpSessionAnswersEveryFramedQueryAndClosesWhenIdleOrBroken() {
        DnsTcpSession session = new DnsTcpSession(server, 10_000_000_000L, 0);
        byte[] a = DnsStream.frame(query("mail.example.com", DnsType.A, 0));
        byte[] b = DnsStream.frame(query("big.example.com", DnsType.TXT, 0));
        byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        session.receive(both, 0, both.length, 1_000_000_000L);
        Rejects unused = new Rejects();
        DnsStream answers = new DnsStream(unused);
        byte[] out;
        while ((out = session.nextOutput()) != null) answers.feed(out, 0, out.length);
        assertEquals(DnsType.A, DnsMessage.parse(answers.next()).record(Section.ANSWER, 0).type());
        DnsMessage big = DnsMessage.parse(answers.next());
        assertFalse(big.truncated(), "no size limit over TCP");
        assertEquals(40, big.count(Section.ANSWER));
        assertEquals(11_000_000_000L, session.poll(1_000_000_000L), "idle timeout counts from the last query");
        assertFalse(session.shouldClose());
        session.poll(11_000_000_000L);
        assertTrue(session.shouldClose());

        DnsTcpSession broken = new DnsTcpSession(server, 10_000_000_000L, 0);
        broken.receive(new byte[] {0, 5, 1, 2, 3, 4, 5}, 0, 7, 0);
        assertTrue(broken.shouldClose());
        assertEquals(1, server.rejects().get(DnsReject.BAD_FRAME));
    }
}

package io.github.jnic.net.app.dns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.net.app.MalformedException;
import io.github.jnic.net.app.dns.DnsMessage.Section;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class DnsMessageTest {

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("\\s", ""));
    }

    /** www.example.com A, id 0x1234, RD: every byte checked by hand against RFC 1035 §4.1. */
    static final String QUERY_HEX = "1234 0100 0001 0000 0000 0000"
            + "03 777777 07 6578616d706c65 03 636f6d 00 0001 0001";

    @Test
    void writesAQueryByteForByte() {
        DnsWriter w = new DnsWriter(512);
        w.header(0x1234, DnsMessage.RD);
        assertTrue(w.question("www.example.com", DnsType.A, DnsType.CLASS_IN));
        assertArrayEquals(hex(QUERY_HEX), w.toByteArray());
    }

    @Test
    void readsAQuery() {
        DnsMessage m = DnsMessage.parse(hex(QUERY_HEX));
        assertEquals(0x1234, m.id());
        assertFalse(m.isResponse());
        assertTrue(m.recursionDesired());
        assertEquals(0, m.opcode());
        assertEquals(1, m.count(Section.QUESTION));
        assertEquals(new DnsMessage.Question("www.example.com", DnsType.A, 1), m.question(0));
        assertEquals(-1, m.ednsUdpSize());
    }

    /** A response whose answer owner points back at the question (c00c) and whose CNAME target shares a suffix (c010). */
    static final String RESPONSE_HEX = "1234 8580 0001 0002 0000 0000"
            + "03 777777 07 6578616d706c65 03 636f6d 00 0001 0001"
            + "c00c 0005 0001 00000e10 0006 03 776562 c010"           // www CNAME web.example.com, TTL 3600
            + "c02d 0001 0001 0000012c 0004 c0000201";                  // web A 192.0.2.1, TTL 300

    @Test
    void readsCompressedResponse() {
        DnsMessage m = DnsMessage.parse(hex(RESPONSE_HEX));
        assertTrue(m.isResponse());
        assertTrue(m.authoritative());
        assertTrue(m.recursionAvailable());
        assertEquals(DnsType.NOERROR, m.rcode());
        List<ResourceRecord> answers = m.records(Section.ANSWER);
        assertEquals(ResourceRecord.in("www.example.com", DnsType.CNAME, 3600, new Rdata.Name("web.example.com")), answers.get(0));
        assertEquals(ResourceRecord.in("web.example.com", DnsType.A, 300, new Rdata.A(0xc0000201)), answers.get(1));
    }

    @Test
    void writerCompressesLikeTheHandWrittenResponse() {
        DnsWriter w = new DnsWriter(512);
        w.header(0x1234, 0x8580);
        w.question("www.example.com", DnsType.A, 1);
        w.record(Section.ANSWER, ResourceRecord.in("www.example.com", DnsType.CNAME, 3600, new Rdata.Name("web.example.com")));
        w.record(Section.ANSWER, ResourceRecord.in("web.example.com", DnsType.A, 300, new Rdata.A(0xc0000201)));
        assertArrayEquals(hex(RESPONSE_HEX), w.toByteArray());
    }

    @Test
    void everyRecordTypeRoundTrips() {
        List<ResourceRecord> rrs = List.of(
                ResourceRecord.in("example.com", DnsType.SOA, 3600, new Rdata.Soa("ns1.example.com", "hostmaster.example.com", 2024010101L, 7200, 900, 1209600, 300)),
                ResourceRecord.in("example.com", DnsType.NS, 3600, new Rdata.Name("ns1.example.com")),
                ResourceRecord.in("example.com", DnsType.MX, 3600, new Rdata.Mx(10, "mail.example.com")),
                ResourceRecord.in("example.com", DnsType.TXT, 60, new Rdata.Txt(List.of("v=spf1 -all", "", "second"))),
                ResourceRecord.in("ns1.example.com", DnsType.A, 60, new Rdata.A(0x0a000001)),
                ResourceRecord.in("ns1.example.com", DnsType.AAAA, 60, new Rdata.Aaaa(ZoneFile.ipv6("2001:db8::1"))),
                ResourceRecord.in("1.0.0.10.in-addr.arpa", DnsType.PTR, 60, new Rdata.Name("ns1.example.com")),
                ResourceRecord.in("x.example.com", 99, 60, new Rdata.Opaque(new byte[] {1, 2, 3})));
        DnsWriter w = new DnsWriter(1024);
        w.header(7, DnsMessage.QR);
        for (ResourceRecord rr : rrs) assertTrue(w.record(Section.ANSWER, rr));
        DnsMessage m = DnsMessage.parse(w.toByteArray());
        assertEquals(rrs, m.records(Section.ANSWER));
    }

    @Test
    void writerRollsBackWhatDoesNotFit() {
        DnsWriter w = new DnsWriter(43);
        w.header(1, DnsMessage.QR);
        assertTrue(w.question("a.example", DnsType.A, 1)); // 12 + 15
        assertFalse(w.record(Section.ANSWER, ResourceRecord.in("long-name-that-does-not-fit.example", DnsType.A, 1, new Rdata.A(1))));
        assertTrue(w.record(Section.ANSWER, ResourceRecord.in("a.example", DnsType.A, 1, new Rdata.A(1)))); // as a pointer (c00c) it takes the 16 bytes left
        DnsMessage m = DnsMessage.parse(w.toByteArray());
        assertEquals(1, m.count(Section.ANSWER));
        assertEquals("a.example", m.record(Section.ANSWER, 0).name());
    }

    @Test
    void namesWithOddBytesAreEscapedAndSurvive() {
        String name = DnsName.of("A\\.b\\032c.Example.");
        assertEquals("a\\.b\\032c.example", name);
        assertEquals(List.of("a\\.b\\032c", "example"), DnsName.split(name));
        DnsWriter w = new DnsWriter(100);
        w.question(name, DnsType.TXT, 1);
        assertEquals(name, DnsMessage.parse(w.toByteArray()).question(0).name());
        assertTrue(DnsName.isWithin("www.example.com", "example.com"));
        assertFalse(DnsName.isWithin("wwwexample.com", "example.com"));
        assertFalse(DnsName.isWithin("a\\.example.com", "example"));
        assertEquals("example.com", DnsName.parent("www.example.com"));
        assertEquals("", DnsName.parent("com"));
    }

    private static Enum<?> reason(String hexMessage) {
        return assertThrows(MalformedException.class, () -> DnsMessage.parse(hex(hexMessage))).reason();
    }

    @Test
    void rejectsPointerLoops() {
        // The question name is a pointer to itself.
        assertEquals(DnsReject.BAD_POINTER, reason("0001 0000 0001 0000 0000 0000 c00c 0001 0001"));
        // Two names pointing at each other: the second label sequence points back into the first, which points forward.
        assertEquals(DnsReject.BAD_POINTER, reason("0001 0000 0001 0000 0000 0000 01 61 c00c 0001 0001"));
    }

    @Test
    void rejectsForwardPointersAndPointersIntoTheHeader() {
        assertEquals(DnsReject.BAD_POINTER, reason("0001 0000 0001 0000 0000 0000 c010 0001 0001 01 61 00"));
        assertEquals(DnsReject.BAD_POINTER, reason("0001 0000 0001 0000 0000 0000 c002 0001 0001"));
    }

    @Test
    void rejectsBadLabelsAndLongNames() {
        assertEquals(DnsReject.BAD_LABEL, reason("0001 0000 0001 0000 0000 0000 40" + "61".repeat(64) + "00 0001 0001"));
        assertEquals(DnsReject.BAD_LABEL, reason("0001 0000 0001 0000 0000 0000 8001 0001 0001"));
        String longName = ("3f" + "61".repeat(63)).repeat(4) + "00"; // 4 * 64 + 1 = 257 bytes
        assertEquals(DnsReject.NAME_TOO_LONG, reason("0001 0000 0001 0000 0000 0000 " + longName + "0001 0001"));
    }

    @Test
    void rejectsTruncationBadRdataAndTrailingBytes() {
        assertEquals(DnsReject.TRUNCATED, reason("0001 0000 0001"));
        assertEquals(DnsReject.TRUNCATED, reason("0001 0000 0001 0000 0000 0000 03 777777"));
        assertEquals(DnsReject.TRUNCATED, reason("0001 0000 ffff ffff 0000 0000 00 0001 0001"));
        assertEquals(DnsReject.BAD_RDATA, reason("0001 8000 0000 0001 0000 0000 00 0001 0001 00000001 0003 010203"));
        assertEquals(DnsReject.BAD_RDATA, reason("0001 8000 0000 0001 0000 0000 00 0005 0001 00000001 0004 016100ff"));
        assertEquals(DnsReject.TRUNCATED, reason("0001 8000 0000 0001 0000 0000 00 0001 0001 00000001 0005 01020304"));
        assertEquals(DnsReject.TRAILING_BYTES, reason(QUERY_HEX + "00"));
    }

    @Test
    void ttlWithTheTopBitSetReadsAsZero() {
        DnsMessage m = DnsMessage.parse(hex("0001 8000 0000 0001 0000 0000 00 0001 0001 80000000 0004 01020304"));
        assertEquals(0, m.record(Section.ANSWER, 0).ttl());
    }

    @Test
    void readsEdnsPayloadSize() {
        DnsWriter w = new DnsWriter(512);
        w.header(1, 0);
        w.question("example.com", DnsType.A, 1);
        w.opt(1232);
        assertEquals(1232, DnsMessage.parse(w.toByteArray()).ednsUdpSize());
    }
}

package io.github.jnic.net.app.dns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ZoneFileTest {

    static final String EXAMPLE = """
            $ORIGIN example.com.
            $TTL 1h                  ; default TTL
            @   IN  SOA ns1 hostmaster (
                        2024010101 ; serial
                        2h 15m 2w  ; refresh retry expire
                        300 )      ; minimum
                IN  NS  ns1
                IN  NS  ns.elsewhere.net.
                IN  MX  10 mail
                IN  TXT "v=spf1 mx -all" "two\\"quoted\\""
            ns1     A     192.0.2.53
                    AAAA  2001:db8::53
            mail 300 IN A 192.0.2.25
            www  IN 60 CNAME web
            web      A 192.0.2.80
            a.b.deep A 192.0.2.9
            sub      NS ns.sub
            ns.sub   A 192.0.2.99
            $ORIGIN 2.0.192.in-addr.arpa.
            80 PTR web.example.com.
            """;

    @Test
    void parsesTheRfc1035Subset() {
        List<ResourceRecord> rrs = ZoneFile.parse(EXAMPLE, "example.com");
        assertEquals(ResourceRecord.in("example.com", DnsType.SOA, 3600,
                new Rdata.Soa("ns1.example.com", "hostmaster.example.com", 2024010101L, 7200, 900, 1209600, 300)), rrs.get(0));
        assertEquals(ResourceRecord.in("example.com", DnsType.NS, 3600, new Rdata.Name("ns1.example.com")), rrs.get(1));
        assertEquals(ResourceRecord.in("example.com", DnsType.NS, 3600, new Rdata.Name("ns.elsewhere.net")), rrs.get(2));
        assertEquals(ResourceRecord.in("example.com", DnsType.MX, 3600, new Rdata.Mx(10, "mail.example.com")), rrs.get(3));
        assertEquals(new Rdata.Txt(List.of("v=spf1 mx -all", "two\"quoted\"")), rrs.get(4).data());
        assertEquals(ResourceRecord.in("ns1.example.com", DnsType.A, 3600, new Rdata.A(0xc0000235)), rrs.get(5));
        assertEquals("ns1.example.com", rrs.get(6).name()); // blank owner: the previous one
        assertArrayEquals(new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x53}, ((Rdata.Aaaa) rrs.get(6).data()).address());
        assertEquals(300, rrs.get(7).ttl());
        assertEquals(ResourceRecord.in("www.example.com", DnsType.CNAME, 60, new Rdata.Name("web.example.com")), rrs.get(8));
        assertEquals(ResourceRecord.in("80.2.0.192.in-addr.arpa", DnsType.PTR, 3600, new Rdata.Name("web.example.com")), rrs.get(rrs.size() - 1));
    }

    @Test
    void ttlUnitsAndIpv6Forms() {
        assertEquals(5400, ZoneFile.ttl("1h30m"));
        assertEquals(694861, ZoneFile.ttl("1w1d1h1m1s"));
        assertEquals(-1, ZoneFile.ttl("IN"));
        assertEquals(-1, ZoneFile.ttl("1x"));
        assertArrayEquals(new byte[16], ZoneFile.ipv6("::"));
        byte[] mapped = ZoneFile.ipv6("::ffff:192.0.2.1");
        assertEquals((byte) 0xff, mapped[10]);
        assertEquals((byte) 192, mapped[12]);
        assertThrows(IllegalArgumentException.class, () -> ZoneFile.ipv6("1::2::3"));
        assertThrows(IllegalArgumentException.class, () -> ZoneFile.ipv6("1:2:3"));
    }

    @Test
    void errorsNameTheirLine() {
        var e = assertThrows(ZoneFile.ZoneFileException.class, () -> ZoneFile.parse("$TTL 60\n@ SOA a b 1 2 3 4 5\nwww A 300.1.1.1\n", "x"));
        assertEquals(3, e.line());
        assertEquals(2, assertThrows(ZoneFile.ZoneFileException.class, () -> ZoneFile.parse("$TTL 60\nwww BOGUS x\n", "x")).line());
        assertEquals(1, assertThrows(ZoneFile.ZoneFileException.class, () -> ZoneFile.parse("www A 1.2.3.4\n", "x")).line()); // no TTL
        assertEquals(1, assertThrows(ZoneFile.ZoneFileException.class, () -> ZoneFile.parse("$INCLUDE other\n", "x")).line());
        assertEquals(2, assertThrows(ZoneFile.ZoneFileException.class, () -> ZoneFile.parse("$TTL 1\n@ SOA a b ( 1 2 3 4 5\n", "x")).line());
        assertEquals(2, assertThrows(ZoneFile.ZoneFileException.class, () -> ZoneFile.parse("$TTL 1\nw A 1.2.3.4 extra\n", "x")).line());
    }

    @Test
    void zoneChecksConsistency() {
        Zone z = Zone.parse(EXAMPLE.substring(0, EXAMPLE.indexOf("$ORIGIN 2.0")), "example.com");
        assertEquals(300, z.negativeTtl());
        assertTrue(z.exists("b.deep.example.com")); // empty non-terminal
        assertEquals("sub.example.com", z.delegation("x.y.sub.example.com"));
        assertEquals(null, z.delegation("www.example.com"));
        assertThrows(IllegalArgumentException.class, () -> Zone.parse(EXAMPLE, "example.com")); // the PTR lies outside
        assertThrows(IllegalArgumentException.class, () -> Zone.parse("$TTL 1\n@ NS ns\n", "x")); // no SOA
        assertThrows(IllegalArgumentException.class, () -> Zone.parse("$TTL 1\n@ SOA a b 1 2 3 4 5\n@ NS a\nw CNAME a\nw A 1.1.1.1\n", "x"));
    }
}

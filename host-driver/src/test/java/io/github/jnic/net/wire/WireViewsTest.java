package io.github.jnic.net.wire;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Header views against known vectors. */
class WireViewsTest {
    private static byte[] hex(String s) { return HexFormat.of().parseHex(s.replace(" ", "")); }

    @Test
    void ipv4HeaderOfACapturedPacket() {
        // A captured UDP datagram's header, 192.168.0.1 -> 192.168.0.199, checksum 0xb861.
        byte[] h = hex("4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7");
        Ipv4Header ip = new Ipv4Header().wrap(h, 0);
        assertTrue(ip.checksumValid());
        assertEquals(0x73, ip.totalLength());
        assertTrue(ip.dontFragment());
        assertFalse(ip.isFragment());
        assertEquals(17, ip.protocol());
        assertEquals("192.168.0.1", Ipv4Address.toString(ip.source()));
        assertEquals("192.168.0.199", Ipv4Address.toString(ip.destination()));
        byte[] again = new byte[20];
        Ipv4Header.write(again, 0, 0, 0x73, 0, Ipv4Header.FLAG_DF, 64, 17, ip.source(), ip.destination());
        assertArrayEquals(h, again, "writing the same fields gives the same bytes, checksum included");
    }

    @Test
    void addresses() {
        assertEquals(0x0a000001, Ipv4Address.parse("10.0.0.1"));
        for (String bad : new String[]{"10.0.0", "10.0.0.256", "a.b.c.d", "1..2.3", "10.0.0.1.2", "-1.0.0.0"}) {
            assertThrows(IllegalArgumentException.class, () -> Ipv4Address.parse(bad), bad);
        }
        assertEquals(0xffffff00, Ipv4Address.mask(24));
        assertEquals(0, Ipv4Address.mask(0));
        byte[] mac = new byte[6];
        MacAddress.writeMulticast(Ipv4Address.parse("239.255.255.250"), mac, 0);
        assertEquals("01:00:5e:7f:ff:fa", MacAddress.toString(mac));
        assertEquals(2, MacAddress.local(7)[0] & 3, "locally administered, unicast");
    }

    @Test
    void ethernetTagsAreParsed() {
        byte[] f = hex("ffffffffffff 020000000001 88a8 0064 8100 002a 0800 45");
        EthernetFrame e = new EthernetFrame();
        assertTrue(e.wrap(f, 0, f.length));
        assertEquals(0x0800, e.etherType());
        assertEquals(42, e.vlanId(), "the inner tag");
        assertEquals(22, e.headerLength());
        byte[] threeTags = hex("ffffffffffff 020000000001 8100 0001 8100 0002 8100 0003 0800");
        assertFalse(e.wrap(threeTags, 0, threeTags.length), "deeper than two tags");
    }

    @Test
    void checksumsOfUdpAndIcmp() {
        byte[] udp = new byte[12];
        UdpHeader.write(udp, 0, 1234, 53, 12, 0x0a000001, 0x0a000002);
        udp[8] = 'a'; udp[9] = 'b'; udp[10] = 'c'; udp[11] = 'd';
        Bytes.put16(udp, 6, 0);
        int sum = Checksum.finish(Checksum.add(Checksum.pseudoHeader(0x0a000001, 0x0a000002, 17, 12), udp, 0, 12));
        Bytes.put16(udp, 6, sum);
        assertTrue(new UdpHeader().wrap(udp, 0).checksumValid(0x0a000001, 0x0a000002, 12));
        udp[11] ^= 1;
        assertFalse(new UdpHeader().wrap(udp, 0).checksumValid(0x0a000001, 0x0a000002, 12));
        // An echo request as ping sends it: id 0x1234, seq 1, no data: checksum 0xe5ca.
        byte[] echo = hex("0800 0000 1234 0001");
        IcmpMessage.fillChecksum(echo, 0, 8);
        assertEquals(0xe5ca, new IcmpMessage().wrap(echo, 0).checksum());
    }
}

package io.github.jnic.net.stack;

import static org.junit.jupiter.api.Assertions.*;

import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.net.wire.Bytes;
import io.github.jnic.net.wire.Checksum;
import io.github.jnic.net.wire.EthernetFrame;
import io.github.jnic.net.wire.MacAddress;
import java.util.Arrays;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Broken input of every layer is dropped and counted under its reason, and nothing else happens.
 * Frames are injected from host B's end of the link straight into host A.
 */
class MalformedInputTest {
    private final TwoHosts net = new TwoHosts();
    private final byte[] macA = net.link.a().macAddress();
    private final byte[] macB = net.link.b().macAddress();

    /** Sends {@code frame} into A and checks that exactly {@code counter} went up by one, and no other drop counter. */
    private void expectDrop(byte[] frame, String counter) {
        net.sim.runFor(10_000_000);
        var before = net.a.counters().snapshot();
        net.link.b().transmit(PacketBuffer.of(frame));
        net.sim.runFor(10_000_000);
        var after = net.a.counters().drops();
        assertEquals(before.getOrDefault(counter, 0L) + 1, after.getOrDefault(counter, 0L), () -> counter + " in " + after);
        for (var e : after.entrySet()) {
            if (!e.getKey().equals(counter)) assertEquals(before.getOrDefault(e.getKey(), 0L), e.getValue(), "unexpected drop " + e.getKey());
        }
    }

    private byte[] ipFrame(byte[] ip) { return Frames.ethernet(macA, macB, EthernetFrame.TYPE_IPV4, ip); }

    private byte[] udpFrame(byte[] data, int port) {
        return ipFrame(Frames.ipv4(TwoHosts.B, TwoHosts.A, 17, 1, 0, Frames.udp(TwoHosts.B, TwoHosts.A, 4000, port, data)));
    }

    private static byte[] with(byte[] frame, Consumer<byte[]> change) {
        byte[] f = frame.clone();
        change.accept(f);
        return f;
    }

    /** Recomputes the IP header checksum of a frame (offset 14, IHL from the frame). */
    private static void fixIpChecksum(byte[] f) {
        int ihl = (f[14] & 0xf) * 4;
        Bytes.put16(f, 24, 0);
        Bytes.put16(f, 24, Checksum.of(f, 14, ihl));
    }

    @Test
    void ethernet() {
        expectDrop(new byte[10], "eth.drop.truncated");
        expectDrop(Frames.ethernet(MacAddress.parse("02:99:99:99:99:99"), macB, EthernetFrame.TYPE_IPV4, new byte[46]), "eth.drop.not-for-us");
        expectDrop(Frames.ethernet(macA, macB, 0x86dd, new byte[46]), "eth.drop.unknown-ethertype");
        byte[] tagged = new byte[18 + 46];
        EthernetFrame.write(tagged, 0, macA, 0, macB, 42, EthernetFrame.TYPE_IPV4);
        expectDrop(tagged, "eth.drop.wrong-vlan");
        byte[] truncatedTag = Arrays.copyOf(tagged, 15);
        expectDrop(truncatedTag, "eth.drop.truncated");   // cut short by the device
        byte[] threeTags = new byte[26 + 46];
        EthernetFrame.write(threeTags, 0, macA, 0, macB, 1, EthernetFrame.TYPE_VLAN);
        Bytes.put16(threeTags, 16, EthernetFrame.TYPE_VLAN);
        Bytes.put16(threeTags, 18, 2);
        Bytes.put16(threeTags, 20, EthernetFrame.TYPE_VLAN);
        Bytes.put16(threeTags, 22, 3);
        Bytes.put16(threeTags, 24, EthernetFrame.TYPE_IPV4);
        expectDrop(threeTags, "eth.drop.too-many-tags");
        expectDrop(Arrays.copyOf(threeTags, 24), "eth.drop.too-many-tags");   // the third tag itself cut short: still too many
    }

    @Test
    void arp() {
        expectDrop(Frames.ethernet(macA, macB, EthernetFrame.TYPE_ARP, new byte[20]), "arp.drop.truncated");
        byte[] arp = new byte[28];
        io.github.jnic.net.wire.ArpPacket.write(arp, 0, 1, macB, TwoHosts.B, null, 0, TwoHosts.A);
        expectDrop(Frames.ethernet(macA, macB, EthernetFrame.TYPE_ARP, with(arp, a -> a[4] = 8)), "arp.drop.unsupported-format");
        expectDrop(Frames.ethernet(macA, macB, EthernetFrame.TYPE_ARP, with(arp, a -> a[7] = 9)), "arp.drop.bad-opcode");
        expectDrop(Frames.ethernet(macA, macB, EthernetFrame.TYPE_ARP, with(arp, a -> a[8] = 1)), "arp.drop.bad-sender");
        expectDrop(Frames.ethernet(macA, macB, EthernetFrame.TYPE_ARP, with(arp, a -> Bytes.put32(a, 24, 0x0a000063))), "arp.drop.not-for-us");
    }

    @Test
    void ipv4() {
        byte[] good = udpFrame(new byte[10], 9);
        expectDrop(ipFrame(new byte[19]), "ipv4.drop.truncated");
        expectDrop(with(good, f -> { f[14] = 0x65; fixIpChecksum(f); }), "ipv4.drop.bad-version");
        expectDrop(with(good, f -> f[14] = 0x44), "ipv4.drop.bad-header-length");
        expectDrop(with(good, f -> { Bytes.put16(f, 16, 19); fixIpChecksum(f); }), "ipv4.drop.bad-length");
        expectDrop(with(good, f -> { Bytes.put16(f, 16, 900); fixIpChecksum(f); }), "ipv4.drop.truncated");
        expectDrop(with(good, f -> f[24] ^= 1), "ipv4.drop.bad-checksum");
        expectDrop(with(good, f -> { Bytes.put32(f, 26, 0xe0000005); fixIpChecksum(f); }), "ipv4.drop.source-multicast");
        expectDrop(with(good, f -> { Bytes.put32(f, 26, 0xf0000005); fixIpChecksum(f); }), "ipv4.drop.bad-source");
        expectDrop(with(good, f -> { Bytes.put32(f, 30, 0x0a000063); fixIpChecksum(f); }), "ipv4.drop.not-for-us");
        expectDrop(with(good, f -> { f[23] = 99; fixIpChecksum(f); }), "ipv4.drop.unknown-protocol");
        // An options area whose option claims to run past the header.
        byte[] udp = Frames.udp(TwoHosts.B, TwoHosts.A, 4000, 9, new byte[4]);
        byte[] ip = new byte[24 + udp.length];
        io.github.jnic.net.wire.Ipv4Header.write(ip, 0, 0, ip.length, 1, 0, 64, 17, TwoHosts.B, TwoHosts.A);
        ip[0] = 0x46;
        ip[20] = (byte) 0x94;
        ip[21] = 9;               // length 9 > 4 bytes of options left
        System.arraycopy(udp, 0, ip, 24, udp.length);
        Bytes.put16(ip, 10, 0);
        Bytes.put16(ip, 10, Checksum.of(ip, 0, 24));
        expectDrop(ipFrame(ip), "ipv4.drop.bad-options");
        // The same with a well-formed Router Alert option is accepted (and reaches UDP, which has no socket on 9).
        ip[21] = 4;
        Bytes.put16(ip, 10, 0);
        Bytes.put16(ip, 10, Checksum.of(ip, 0, 24));
        expectDrop(ipFrame(ip), "udp.drop.no-socket");
        // A fragment whose payload is not a multiple of 8 bytes.
        expectDrop(ipFrame(Frames.ipv4(TwoHosts.B, TwoHosts.A, 17, 7, 0x2000, new byte[13])), "ipv4.drop.bad-fragment");
    }

    @Test
    void udp() {
        byte[] good = udpFrame(new byte[10], 9);
        expectDrop(good, "udp.drop.no-socket");
        expectDrop(ipFrame(Frames.ipv4(TwoHosts.B, TwoHosts.A, 17, 1, 0, new byte[5])), "udp.drop.truncated");
        expectDrop(with(good, f -> Bytes.put16(f, 38, 7)), "udp.drop.bad-length");
        expectDrop(with(good, f -> Bytes.put16(f, 38, 100)), "udp.drop.bad-length");
        expectDrop(with(good, f -> f[45] ^= 0x10), "udp.drop.bad-checksum");
    }

    @Test
    void icmp() {
        byte[] echo = Frames.icmpEcho(1, 1, new byte[8]);
        expectDrop(ipFrame(Frames.ipv4(TwoHosts.B, TwoHosts.A, 1, 1, 0, new byte[4])), "icmp.drop.truncated");
        expectDrop(ipFrame(Frames.ipv4(TwoHosts.B, TwoHosts.A, 1, 1, 0, with(echo, m -> m[9] ^= 1))), "icmp.drop.bad-checksum");
        byte[] unknown = with(echo, m -> { m[0] = 42; Bytes.put16(m, 2, 0); Bytes.put16(m, 2, Checksum.of(m, 0, m.length)); });
        expectDrop(ipFrame(Frames.ipv4(TwoHosts.B, TwoHosts.A, 1, 1, 0, unknown)), "icmp.drop.unhandled-type");
        byte[] shortError = new byte[12];
        shortError[0] = 3;
        shortError[1] = 3;
        Bytes.put16(shortError, 2, Checksum.of(shortError, 0, 12));
        expectDrop(ipFrame(Frames.ipv4(TwoHosts.B, TwoHosts.A, 1, 1, 0, shortError)), "icmp.drop.bad-quote");
        // An error quoting one of our datagrams whose protocol has no transport: one event, one counter.
        byte[] quote = Frames.ipv4(TwoHosts.A, TwoHosts.B, 99, 1, 0, new byte[8]);
        byte[] error = new byte[8 + quote.length];
        error[0] = 3;
        error[1] = 2;
        System.arraycopy(quote, 0, error, 8, quote.length);
        Bytes.put16(error, 2, Checksum.of(error, 0, error.length));
        long received = net.a.counters().get("icmp.errors-received");
        expectDrop(ipFrame(Frames.ipv4(TwoHosts.B, TwoHosts.A, 1, 1, 0, error)), "icmp.drop.bad-quote");
        assertEquals(received, net.a.counters().get("icmp.errors-received"), "not also counted as received");
        byte[] reply = with(echo, m -> { m[0] = 0; Bytes.put16(m, 2, 0); Bytes.put16(m, 2, Checksum.of(m, 0, m.length)); });
        expectDrop(ipFrame(Frames.ipv4(TwoHosts.B, TwoHosts.A, 1, 1, 0, reply)), "icmp.drop.echo-reply-unexpected");
    }

    @Test
    void igmp() {
        expectDrop(ipFrame(Frames.ipv4(TwoHosts.B, TwoHosts.A, 2, 1, 0, new byte[4])), "igmp.drop.truncated");
        byte[] q = new byte[8];
        q[0] = 0x11;
        expectDrop(ipFrame(Frames.ipv4(TwoHosts.B, TwoHosts.A, 2, 1, 0, q)), "igmp.drop.bad-checksum");
    }
}

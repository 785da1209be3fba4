package io.github.jnic.net.stack;

import static org.junit.jupiter.api.Assertions.*;

import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.net.dev.NetDevice;
import io.github.jnic.net.ip.Ipv4Output;
import io.github.jnic.net.ip.Ipv4Transport;
import io.github.jnic.net.socket.DatagramSocket;
import io.github.jnic.net.wire.Bytes;
import io.github.jnic.net.wire.Checksum;
import io.github.jnic.net.wire.EthernetFrame;
import io.github.jnic.net.wire.Ipv4Address;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Timers, bounds and less common paths of ARP, IPv4, ICMP, IGMP and UDP, in virtual time. */
class ProtocolBehaviourTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void arpGivesUpAfterRetriesAndTellsTheConnectedSocket() throws Exception {
        TwoHosts net = new TwoHosts();
        DatagramSocket s = new DatagramSocket(net.a);
        s.connect(new InetSocketAddress(InetAddress.getByName("10.0.0.77"), 53));   // nobody there
        s.send(new DatagramPacket(new byte[10], 10));
        net.sim.runFor(SECOND / 1000);
        // The queue is bounded in bytes (212 992, each packet counted as its length + 256): 1400-byte datagrams fill it.
        int small = 20 + 8 + 10 + 256, large = 20 + 8 + 1400 + 256;
        int fit = (212_992 - small) / large;
        for (int i = 0; i < fit + 4; i++) net.a.udp().send(net.a.udp().newSocket(), new byte[1400], 0, 1400, Ipv4Address.parse("10.0.0.77"), 53);
        net.sim.runFor(10 * SECOND);
        assertEquals(3, net.a.counters().get("arp.requests-sent") - 1, "3 requests (after the gratuitous one)");
        assertEquals(1 + fit, net.a.counters().get("arp.drop.unresolved"));
        assertEquals(4, net.a.counters().get("arp.drop.queue-full"));
        assertThrows(NoRouteToHostException.class, () -> s.receive(new DatagramPacket(new byte[10], 10)));
    }

    @Test
    void unusedStaleEntriesAreForgottenAndResolvedAgain() {
        TwoHosts net = new TwoHosts();
        net.a.icmp().sendEcho(TwoHosts.B, 1, 1, new byte[0], 0, 0);
        net.sim.runFor(SECOND);
        long requests = net.a.counters().get("arp.requests-sent");
        assertEquals(io.github.jnic.net.arp.ArpLayer.State.REACHABLE, net.a.arp().state(net.ifA, TwoHosts.B));
        net.sim.runFor(46 * SECOND);   // reachable for 30 s ×[0.5, 1.5)
        assertEquals(io.github.jnic.net.arp.ArpLayer.State.STALE, net.a.arp().state(net.ifA, TwoHosts.B));
        assertNotNull(net.a.arp().lookup(net.ifA, TwoHosts.B, net.sim.now()), "a stale entry still answers");
        net.sim.runFor(61 * SECOND);   // unused for Linux's gc_stale_time
        assertNull(net.a.arp().lookup(net.ifA, TwoHosts.B, net.sim.now()), "forgotten");
        net.a.icmp().sendEcho(TwoHosts.B, 1, 2, new byte[0], 0, 0);
        net.sim.runFor(SECOND);
        assertEquals(requests + 1, net.a.counters().get("arp.requests-sent"), "resolved by broadcast again");
        assertEquals(2, net.b.counters().get("icmp.echo-requests-answered"));
    }

    @Test
    void reassemblyTimesOutWithTimeExceededAndIsBoundedInMemory() {
        TwoHosts net = new TwoHosts();
        byte[] macA = net.link.a().macAddress();
        byte[] macB = net.link.b().macAddress();
        // First fragments of 20 datagrams, never completed: 16 slots, so 4 are evicted.
        for (int id = 0; id < 20; id++) {
            byte[] udp = Frames.udp(TwoHosts.A, TwoHosts.B, 4000, 9, new byte[64]);
            byte[] frag = Frames.ipv4(TwoHosts.A, TwoHosts.B, 17, id, 0x2000, java.util.Arrays.copyOf(udp, 40));
            net.link.a().transmit(PacketBuffer.of(Frames.ethernet(macB, macA, EthernetFrame.TYPE_IPV4, frag)));
        }
        net.sim.runFor(SECOND);
        assertEquals(4, net.b.counters().get("ipv4.drop.reassembly-evicted"));
        net.sim.runFor(31 * SECOND);
        assertEquals(16, net.b.counters().get("ipv4.drop.reassembly-timeout"));
        // Time exceeded is rate limited (burst 20): all 16 go out, and A hands them to UDP (no socket matches).
        assertEquals(16, net.b.counters().get("icmp.errors-sent"));
        assertEquals(16, net.a.counters().get("udp.drop.icmp-error-unmatched"));
    }

    @Test
    void icmpErrorsAreRateLimited() {
        TwoHosts net = new TwoHosts();
        net.a.icmp().sendEcho(TwoHosts.B, 1, 1, new byte[0], 0, 0);   // resolve ARP first
        net.sim.runFor(SECOND);
        for (int i = 0; i < 100; i++) {
            net.a.udp().send(net.a.udp().newSocket(), new byte[4], 0, 4, TwoHosts.B, 9999);
        }
        net.sim.runFor(SECOND / 1000);
        assertEquals(100, net.b.counters().get("udp.drop.no-socket"));
        assertEquals(20, net.b.counters().get("icmp.errors-sent"), "the burst");
        assertEquals(80, net.b.counters().get("icmp.drop.error-rate-limited"));
    }

    @Test
    void broadcastAndMulticastUdp() throws Exception {
        TwoHosts net = new TwoHosts();
        DatagramSocket rx = new DatagramSocket(net.b, 6000);
        DatagramSocket tx = new DatagramSocket(net.a);
        tx.send(new DatagramPacket(new byte[]{1}, 1, InetAddress.getByName("255.255.255.255"), 6000));
        tx.send(new DatagramPacket(new byte[]{2}, 1, InetAddress.getByName("10.0.0.255"), 6000));
        InetAddress group = InetAddress.getByName("239.1.2.3");
        tx.send(new DatagramPacket(new byte[]{3}, 1, group, 6000));      // B not a member yet: filtered
        net.sim.runFor(SECOND / 10);
        rx.joinGroup(group);
        net.sim.runFor(SECOND / 10);
        tx.send(new DatagramPacket(new byte[]{4}, 1, group, 6000));
        net.sim.runFor(2 * SECOND);
        List<Integer> got = new ArrayList<>();
        DatagramPacket p = new DatagramPacket(new byte[10], 10);
        while (rx.tryReceive(p)) got.add((int) p.getData()[0]);
        assertEquals(List.of(1, 2, 4), got);
        assertEquals(1, net.b.counters().get("eth.drop.not-for-us"), "the group frame before joining");
        assertEquals(2, net.b.counters().get("igmp.reports-sent"), "unsolicited report, repeated once");
        rx.leaveGroup(group);
        assertEquals(1, net.b.counters().get("igmp.leaves-sent"));
    }

    @Test
    void routingPicksLongestPrefixGatewayAndSource() {
        TwoHosts net = new TwoHosts();
        net.a.addAddress(net.ifA, "192.168.50.9/24");
        net.a.setDefaultGateway("10.0.0.2");
        net.a.addRoute("172.16.0.0/12", "192.168.50.1");
        var routes = net.a.routes();
        assertEquals(Ipv4Address.parse("10.0.0.2"), routes.lookup(Ipv4Address.parse("8.8.8.8")).gateway());
        assertEquals(Ipv4Address.parse("192.168.50.1"), routes.lookup(Ipv4Address.parse("172.20.1.1")).gateway());
        assertEquals(0, routes.lookup(Ipv4Address.parse("10.0.0.200")).gateway(), "connected");
        assertEquals(Ipv4Address.parse("192.168.50.9"), net.a.ipv4().sourceAddressFor(Ipv4Address.parse("172.20.1.1")));
        assertEquals(TwoHosts.A, net.a.ipv4().sourceAddressFor(Ipv4Address.parse("8.8.8.8")));
        assertEquals(1500, net.a.ipv4().mtuFor(Ipv4Address.parse("8.8.8.8")));
        // Off-link traffic is ARPed for the gateway (B), which does not forward: B counts it as not for it.
        net.a.udp().send(net.a.udp().newSocket(), new byte[4], 0, 4, Ipv4Address.parse("8.8.8.8"), 53);
        net.sim.runFor(SECOND);
        assertEquals(1, net.b.counters().get("ipv4.drop.not-for-us"));
        net.a.removeAddress(net.ifA, Ipv4Address.parse("192.168.50.9"));
        assertEquals(Ipv4Address.parse("10.0.0.2"), routes.lookup(Ipv4Address.parse("192.168.50.1")).gateway(), "connected route gone");
        TwoHosts lonely = new TwoHosts();
        assertEquals(Ipv4Output.SendResult.NO_ROUTE,
                lonely.a.icmp().sendEcho(Ipv4Address.parse("8.8.8.8"), 1, 1, new byte[0], 0, 0));
        assertEquals(1, lonely.a.counters().get("ipv4.drop.no-route"));
    }

    /** Collects TCP segments handed up by IPv4, as the TCP layer would get them. */
    static final class Segments implements Ipv4Transport {
        final List<byte[]> got = new ArrayList<>();
        final List<Boolean> checksumOk = new ArrayList<>();
        @Override public int protocol() { return 6; }
        @Override public void receive(PacketBuffer seg, int src, int dst, long now) {
            got.add(seg.toByteArray());
            long sum = Checksum.add(Checksum.pseudoHeader(src, dst, 6, seg.length()), seg.data(), seg.start(), seg.length());
            checksumOk.add(Checksum.fold(sum) == 0xffff);
            seg.release();
        }
        @Override public void icmpError(int t, int c, int s, int d, byte[] q, int o, int l, long now) {}
        @Override public long poll(long now) { return Long.MAX_VALUE; }
    }

    @Test
    void segmentationAndChecksumAreDoneInSoftwareWhenTheDeviceCannot() {
        TwoHosts net = new TwoHosts();
        Segments tcp = new Segments();
        net.b.register(tcp);
        Ipv4Output out = net.a.ipv4();
        assertFalse(out.segmentationOffloadFor(TwoHosts.B));
        int payload = 4000, mss = 1460;
        PacketBuffer seg = out.allocate(20 + payload);
        int at = seg.append(20 + payload);
        byte[] d = seg.data();
        Bytes.put16(d, at, 1234);
        Bytes.put16(d, at + 2, 80);
        Bytes.put32(d, at + 4, 1000);          // sequence number
        d[at + 12] = 0x50;                     // data offset 5
        d[at + 13] = 0x18 | 0x01;              // PSH ACK FIN
        for (int i = 0; i < payload; i++) d[at + 20 + i] = (byte) i;
        Bytes.put16(d, at + 16, Checksum.fold(Checksum.pseudoHeader(TwoHosts.A, TwoHosts.B, 6, 20 + payload)));
        seg.requestChecksum(at, 16);
        seg.requestSegmentation(mss);
        out.send(seg, 0, TwoHosts.B, 6, -1, 0, true);
        net.sim.runFor(SECOND);
        assertEquals(3, tcp.got.size());
        assertEquals(List.of(true, true, true), tcp.checksumOk);
        int expectedSeq = 1000;
        for (int i = 0; i < 3; i++) {
            byte[] s = tcp.got.get(i);
            assertEquals(expectedSeq, Bytes.get32(s, 4));
            int flags = s[13] & 0xff;
            assertEquals(i == 2 ? 0x19 : 0x10, flags, "FIN and PSH only on the last piece");
            for (int j = 20; j < s.length; j++) assertEquals((byte) (expectedSeq - 1000 + j - 20), s[j]);
            expectedSeq += s.length - 20;
        }
        assertEquals(1000 + payload, expectedSeq);
    }

    @Test
    void checksumRequestReachesAnOffloadingDevice() {
        TwoHosts net = new TwoHosts();
        net.link.a().features(EnumSet.of(NetDevice.Feature.TX_CHECKSUM));
        net.a.udp().send(net.a.udp().newSocket(), new byte[4], 0, 4, TwoHosts.B, 9);
        net.sim.runFor(SECOND);
        // The link does not compute checksums: the pseudo-header sum arrives as is and B rejects it.
        assertEquals(1, net.b.counters().get("udp.drop.bad-checksum"));
    }

    @Test
    void igmpQueriesAreAnsweredWithinTheirResponseTimeAndSuppressedByOtherMembers() throws Exception {
        TwoHosts net = new TwoHosts();
        DatagramSocket member = new DatagramSocket(net.b, 6000);
        member.joinGroup(InetAddress.getByName("239.1.2.3"));
        net.sim.runFor(2 * SECOND);
        assertEquals(2, net.b.counters().get("igmp.reports-sent"));
        byte[] query = new byte[8];
        io.github.jnic.net.wire.IgmpMessage.write(query, 0, 0x11, 0);
        query[1] = 50;   // answer within 5 s
        Bytes.put16(query, 2, 0);
        Bytes.put16(query, 2, Checksum.of(query, 0, 8));
        byte[] allHosts = new byte[6];
        io.github.jnic.net.wire.MacAddress.writeMulticast(0xe0000001, allHosts, 0);
        byte[] frame = Frames.ethernet(allHosts, net.link.a().macAddress(), EthernetFrame.TYPE_IPV4,
                Frames.ipv4(TwoHosts.A, 0xe0000001, 2, 9, 0, query));
        net.link.a().transmit(PacketBuffer.of(frame));
        net.sim.runFor(5 * SECOND + 1);
        assertEquals(1, net.b.counters().get("igmp.queries"));
        assertEquals(3, net.b.counters().get("igmp.reports-sent"), "one report within the 5 s");
        // Another member's report for the group, heard before our delay ends, suppresses ours.
        net.link.a().transmit(PacketBuffer.of(frame));
        net.sim.runFor(1);
        byte[] report = new byte[8];
        io.github.jnic.net.wire.IgmpMessage.write(report, 0, 0x16, 0xef010203);
        byte[] groupMac = new byte[6];
        io.github.jnic.net.wire.MacAddress.writeMulticast(0xef010203, groupMac, 0);
        net.link.a().transmit(PacketBuffer.of(Frames.ethernet(groupMac, net.link.a().macAddress(), EthernetFrame.TYPE_IPV4,
                Frames.ipv4(TwoHosts.A, 0xef010203, 2, 10, 0, report))));
        net.sim.runFor(6 * SECOND);
        assertEquals(3, net.b.counters().get("igmp.reports-sent"), "suppressed");
    }

    @Test
    void anotherHostClaimingOurAddressIsCounted() {
        TwoHosts net = new TwoHosts();
        byte[] arp = new byte[28];
        byte[] impostor = io.github.jnic.net.wire.MacAddress.parse("02:66:66:66:66:66");
        io.github.jnic.net.wire.ArpPacket.write(arp, 0, 1, impostor, TwoHosts.A, null, 0, TwoHosts.A);
        net.link.b().transmit(PacketBuffer.of(Frames.ethernet(io.github.jnic.net.wire.MacAddress.broadcast(), impostor,
                EthernetFrame.TYPE_ARP, arp)));
        net.sim.runFor(SECOND);
        assertEquals(1, net.a.counters().get("arp.drop.address-conflict"));
    }

    @Test
    void arpProbesFindAddressesInUse() {
        TwoHosts net = new TwoHosts();
        List<String> results = new ArrayList<>();
        net.a.arp().probe(net.ifA, TwoHosts.B, net.sim.now(), (addr, inUse) -> results.add(Ipv4Address.toString(addr) + "=" + inUse));
        net.a.arp().probe(net.ifA, Ipv4Address.parse("10.0.0.9"), net.sim.now(), (addr, inUse) -> results.add(Ipv4Address.toString(addr) + "=" + inUse));
        net.sim.runFor(SECOND / 10);
        assertEquals(List.of("10.0.0.2=true"), results, "B answers the first probe");
        net.sim.runFor(5 * SECOND);
        assertEquals(List.of("10.0.0.2=true", "10.0.0.9=false"), results, "nobody answers for .9: free after 3 probes and 2 s");
        assertNull(net.b.arp().lookup(net.ifB, 0, net.sim.now()), "probes (sender 0.0.0.0) teach nothing");
    }
}

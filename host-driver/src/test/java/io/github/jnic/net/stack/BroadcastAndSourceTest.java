package io.github.jnic.net.stack;

import static org.junit.jupiter.api.Assertions.*;

import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.net.tcp.Tcp;
import io.github.jnic.net.tcp.TcpCounters;
import io.github.jnic.net.tcp.TcpException;
import io.github.jnic.net.wire.EthernetFrame;
import io.github.jnic.net.wire.Ipv4Address;
import io.github.jnic.net.wire.MacAddress;
import io.github.jnic.net.wire.TcpHeader;
import org.junit.jupiter.api.Test;

/**
 * RFC 1122 3.2.1.3 and 4.2.3.10: no TCP endpoint on a broadcast or multicast address, nothing
 * answered to a broadcast, multicast, zero, loopback or own source, echo to a broadcast answered
 * only when asked. Hostile frames go from B's end of the link into A (10.0.0.1/24, TCP listening on
 * port 80); "answered by nothing" is A sending no frame at all.
 */
class BroadcastAndSourceTest {
    private static final int SUBNET_BROADCAST = Ipv4Address.parse("10.0.0.255");
    private final TwoHosts net = new TwoHosts();
    private final byte[] macA = net.link.a().macAddress();
    private final byte[] macB = net.link.b().macAddress();
    private final Tcp tcp = new Tcp(net.a.ipv4());

    BroadcastAndSourceTest() throws TcpException {
        net.a.register(tcp);
        tcp.listen(0, 80, 8);
        net.a.icmp().sendEcho(TwoHosts.B, 9, 1, new byte[0], 0, 0);   // A learns B first: an answer is then one frame
        net.sim.runFor(10_000_000);
    }

    /** Injects {@code ip} (an IPv4 datagram) into A and returns how many frames A sent in answer. */
    private long inject(byte[] ip, boolean linkBroadcast) {
        long before = net.a.counters().get("eth.tx-frames");
        byte[] dst = linkBroadcast ? MacAddress.broadcast() : macA;
        net.link.b().transmit(PacketBuffer.of(Frames.ethernet(dst, macB, EthernetFrame.TYPE_IPV4, ip)));
        net.sim.runFor(10_000_000);
        return net.a.counters().get("eth.tx-frames") - before;
    }

    private static byte[] syn(int src, int dst, int flags) {
        return Frames.ipv4(src, dst, 6, 1, 0, Frames.tcp(src, dst, 40000, 80, 1000, 0, flags));
    }

    private static byte[] echo(int src, int dst) {
        return Frames.ipv4(src, dst, 1, 1, 0, Frames.icmpEcho(7, 1, new byte[16]));
    }

    private long counter(String name) { return net.a.counters().get(name); }

    @Test
    void aSynIsAnsweredOnlyWhenAddressedToUsFromAUnicastSource() {
        assertEquals(1, inject(syn(TwoHosts.B, TwoHosts.A, TcpHeader.SYN), false), "the control: a SYN-ACK");
        assertEquals(0, inject(syn(TwoHosts.B, SUBNET_BROADCAST, TcpHeader.SYN), true), "SYN to the subnet broadcast");
        assertEquals(0, inject(syn(TwoHosts.B, Ipv4Address.BROADCAST, TcpHeader.SYN), true), "SYN to the limited broadcast");
        assertEquals(0, inject(syn(TwoHosts.B, 0xe0000001, TcpHeader.SYN), true), "SYN to all-hosts multicast");
        assertEquals(3, tcp.counters().get(TcpCounters.Drop.BAD_ADDRESS));
        assertEquals(0, inject(syn(SUBNET_BROADCAST, TwoHosts.A, TcpHeader.SYN), false), "SYN from the subnet broadcast");
        assertEquals(1, counter("ipv4.drop.source-broadcast"));
        assertEquals(0, inject(syn(TwoHosts.B, TwoHosts.A, TcpHeader.SYN | TcpHeader.FIN), false), "SYN+FIN");
        assertEquals(1, tcp.counters().get(TcpCounters.Drop.SYN_FIN));
        assertThrows(TcpException.class, () -> tcp.connect(SUBNET_BROADCAST, 80), "no active open to a broadcast either");
        assertEquals(1, tcp.counters().get(TcpCounters.Event.PASSIVE_OPENS), "only the control opened anything");
    }

    @Test
    void nothingIsAnsweredToARefusedSource() {
        net.a.addAddress(net.ifA, "192.168.5.1/24");   // a second subnet: its broadcast is refused as a source too
        net.sim.runFor(10_000_000);
        int[] sources = {SUBNET_BROADCAST, Ipv4Address.parse("192.168.5.255"), Ipv4Address.BROADCAST, 0xe0000005, 0,
                Ipv4Address.parse("127.0.0.1"), TwoHosts.A, Ipv4Address.parse("192.168.5.1")};
        String[] counters = {"ipv4.drop.source-broadcast", "ipv4.drop.source-broadcast", "ipv4.drop.source-broadcast",
                "ipv4.drop.source-multicast", "ipv4.drop.source-zero", "ipv4.drop.source-loopback", "ipv4.drop.source-own",
                "ipv4.drop.source-own"};
        for (int i = 0; i < sources.length; i++) {
            int src = sources[i];
            String reason = counters[i];
            long before = counter(reason);
            byte[] udp = Frames.ipv4(src, TwoHosts.A, 17, 1, 0, Frames.udp(src, TwoHosts.A, 4000, 9, new byte[8]));   // port 9: closed
            assertEquals(0, inject(udp, false), () -> "UDP to a closed port from " + Ipv4Address.toString(src));
            assertEquals(0, inject(syn(src, TwoHosts.A, TcpHeader.SYN), false), () -> "SYN from " + Ipv4Address.toString(src));
            assertEquals(0, inject(echo(src, TwoHosts.A), false), () -> "echo from " + Ipv4Address.toString(src));
            assertEquals(before + 3, counter(reason), () -> reason + " for " + Ipv4Address.toString(src));
        }
        assertEquals(0, counter("icmp.echo-requests-answered"), "echoes from 0.0.0.0 and 127.0.0.1 are not 'answered'");
        assertEquals(0, counter("ipv4.drop.no-route"), "nor do their answers die as no-route");
        assertEquals(0, counter("udp.drop.no-socket"), "UDP never saw any of them");
    }

    @Test
    void dhcpMayStillSendFromZeroToTheLimitedBroadcast() {
        byte[] discover = Frames.ipv4(0, Ipv4Address.BROADCAST, 17, 1, 0, Frames.udp(0, Ipv4Address.BROADCAST, 68, 67, new byte[8]));
        assertEquals(0, inject(discover, true), "no server on port 67, and no port unreachable to a broadcast");
        assertEquals(1, counter("udp.drop.no-socket"), "UDP got it");
        assertEquals(0, counter("ipv4.drop.source-zero"));
        assertEquals(0, inject(echo(0, Ipv4Address.BROADCAST), true), "but not ICMP from 0.0.0.0");
        assertEquals(1, counter("ipv4.drop.source-zero"));
    }

    @Test
    void echoToABroadcastIsAnsweredOnlyWhenConfigured() {
        assertEquals(0, inject(echo(TwoHosts.B, SUBNET_BROADCAST), true));
        assertEquals(0, inject(echo(TwoHosts.B, Ipv4Address.BROADCAST), true));
        assertEquals(2, counter("icmp.drop.echo-to-broadcast"), "off by default, as Linux's icmp_echo_ignore_broadcasts");
        net.a.icmp().setAnswerBroadcastEcho(true);
        assertEquals(1, inject(echo(TwoHosts.B, SUBNET_BROADCAST), true));
        assertEquals(1, counter("icmp.echo-requests-answered"));
        assertEquals(1, net.b.counters().get("icmp.drop.echo-reply-unexpected"), "the reply reached B, from A's own address");
    }
}

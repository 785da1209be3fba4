package io.github.jnic.net.stack;

import static org.junit.jupiter.api.Assertions.*;

import io.github.jnic.net.dev.FaultInjector;
import io.github.jnic.net.icmp.EchoListener;
import io.github.jnic.net.socket.DatagramSocket;
import io.github.jnic.net.wire.Ipv4Address;
import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Two stacks over an in-memory link, in virtual time. */
class TwoHostsTest {

    /** Collects echo replies. */
    static final class Replies implements EchoListener {
        final List<Integer> sequences = new ArrayList<>();
        final List<byte[]> data = new ArrayList<>();
        final List<Integer> errors = new ArrayList<>();
        @Override public void reply(int from, int sequence, byte[] d, int off, int len, long now) {
            sequences.add(sequence);
            data.add(Arrays.copyOfRange(d, off, off + len));
        }
        @Override public void error(int type, int code, int destination, int sequence, long now) {
            errors.add(type << 8 | code);
        }
    }

    @Test
    void arpResolvesAndPingIsAnswered() {
        TwoHosts net = new TwoHosts();
        Replies replies = new Replies();
        net.a.icmp().addEchoListener(7, replies);
        byte[] payload = "hello jnic".getBytes();
        net.a.icmp().sendEcho(TwoHosts.B, 7, 1, payload, 0, payload.length);
        assertTrue(net.sim.runUntil(() -> replies.sequences.size() == 1, 5_000_000_000L));
        assertArrayEquals(payload, replies.data.get(0));
        assertNotNull(net.a.arp().lookup(net.ifA, TwoHosts.B, net.sim.now()), "A learned B's MAC");
        assertNotNull(net.b.arp().lookup(net.ifB, TwoHosts.A, net.sim.now()), "B learned A's MAC from the request");
        assertEquals(1, net.b.counters().get("icmp.echo-requests-answered"));
        assertEquals(0, net.a.counters().drops().size() + net.b.counters().drops().size(),
                () -> "no drops expected: " + net.a.counters().drops() + net.b.counters().drops());
    }

    @Test
    void largePingIsFragmentedAndReassembledUnderReorderingAndLoss() {
        // Reordering on both directions, loss on A->B; the ping is retried until one gets through whole.
        FaultInjector ab = new FaultInjector(42).reorder(0.3, 2_000_000).loss(0.05);
        FaultInjector ba = new FaultInjector(43).reorder(0.3, 2_000_000);
        TwoHosts net = new TwoHosts(ab, ba);
        Replies replies = new Replies();
        net.a.icmp().addEchoListener(9, replies);
        byte[] payload = new byte[8000];
        new Random(1).nextBytes(payload);
        for (int seq = 0; seq < 20 && replies.sequences.isEmpty(); seq++) {
            net.a.icmp().sendEcho(TwoHosts.B, 9, seq, payload, 0, payload.length);
            net.sim.runUntil(() -> !replies.sequences.isEmpty(), 1_000_000_000L);
        }
        assertFalse(replies.sequences.isEmpty(), "some 8000-byte ping made it through");
        assertArrayEquals(payload, replies.data.get(0));
        assertTrue(net.b.counters().get("ipv4.reassembled") >= 1);
        assertTrue(net.a.counters().get("ipv4.tx-fragments") >= 6, "8008 bytes in 1480-byte fragments");
        assertTrue(ab.reordered() > 0, "the injector did reorder");
    }

    @Test
    void udpBothWaysAndPortUnreachableReachesConnectedSocket() throws Exception {
        TwoHosts net = new TwoHosts();
        DatagramSocket server = new DatagramSocket(net.b, 5000);
        DatagramSocket client = new DatagramSocket(net.a);
        byte[] msg = "ping over udp".getBytes();
        client.send(new DatagramPacket(msg, msg.length, Ipv4Address.toInet(TwoHosts.B), 5000));
        DatagramPacket in = new DatagramPacket(new byte[100], 100);
        assertTrue(net.sim.runUntil(() -> server.readiness().state() != 2, 1_000_000_000L));
        assertTrue(server.tryReceive(in));
        assertEquals("ping over udp", new String(in.getData(), 0, in.getLength()));
        assertEquals(client.getLocalPort(), in.getPort());
        assertEquals(Ipv4Address.toInet(TwoHosts.A), in.getAddress());

        server.send(new DatagramPacket("pong".getBytes(), 4, in.getAddress(), in.getPort()));
        DatagramPacket back = new DatagramPacket(new byte[100], 100);
        assertTrue(net.sim.runUntil(() -> client.udpSocket().available() > 0, 1_000_000_000L));
        assertTrue(client.tryReceive(back));
        assertEquals("pong", new String(back.getData(), 0, back.getLength()));

        // A connected socket hears of the peer's "port unreachable".
        DatagramSocket lonely = new DatagramSocket(net.a);
        lonely.connect(new InetSocketAddress(Ipv4Address.toInet(TwoHosts.B), 5999));
        lonely.send(new DatagramPacket(msg, msg.length));
        net.sim.runFor(100_000_000L);
        assertEquals(1, net.b.counters().get("udp.drop.no-socket"));
        assertEquals(1, net.a.counters().get("udp.icmp-errors"));
        assertThrows(PortUnreachableException.class, () -> lonely.receive(new DatagramPacket(new byte[10], 10)));
    }

    @Test
    void datagramsToOurOwnAddressLoopBack() throws Exception {
        TwoHosts net = new TwoHosts();
        DatagramSocket server = new DatagramSocket(net.a, 5353);
        DatagramSocket client = new DatagramSocket(net.a);
        client.send(new DatagramPacket(new byte[3000], 3000, Ipv4Address.toInet(TwoHosts.A), 5353));
        net.sim.runFor(1_000_000L);
        DatagramPacket in = new DatagramPacket(new byte[4000], 4000);
        assertTrue(server.tryReceive(in));
        assertEquals(3000, in.getLength());
        assertEquals(0, net.a.counters().get("eth.tx-frames") - 1, "only the gratuitous ARP went on the wire");
    }

    @Test
    void vlanTaggedInterfacesTalkAndIgnoreOtherVlans() {
        Simulation sim = new Simulation();
        io.github.jnic.net.dev.MemoryLink link = new io.github.jnic.net.dev.MemoryLink(sim.clock());
        NetStack a = sim.add(new NetStack());
        NetStack b = sim.add(new NetStack());
        NetStack c = sim.add(new NetStack());
        a.addAddress(a.addInterface(link.a(), 42), "10.0.0.1/24");
        b.addAddress(b.addInterface(link.b(), 42), "10.0.0.2/24");
        Replies replies = new Replies();
        a.icmp().addEchoListener(3, replies);
        a.icmp().sendEcho(TwoHosts.B, 3, 1, new byte[100], 0, 100);
        assertTrue(sim.runUntil(() -> replies.sequences.size() == 1, 1_000_000_000L));
        // A host on VLAN 7 hears nothing meant for VLAN 42.
        io.github.jnic.net.dev.MemoryLink link2 = new io.github.jnic.net.dev.MemoryLink(sim.clock());
        NetStack d = sim.add(new NetStack());
        d.addAddress(d.addInterface(link2.a(), 42), "10.0.0.1/24");
        c.addAddress(c.addInterface(link2.b(), 7), "10.0.0.2/24");
        d.icmp().sendEcho(TwoHosts.B, 3, 1, new byte[100], 0, 100);
        sim.runFor(5_000_000_000L);
        assertEquals(4, c.counters().get("eth.drop.wrong-vlan"), "gratuitous ARP and 3 ARP requests, all tagged 42");
        assertEquals(0, c.counters().get("icmp.echo-requests-answered"));
    }

    @Test
    void jumboFramesAndLargeDatagramsUsePools() throws Exception {
        TwoHosts net = new TwoHosts(FaultInjector.none(), FaultInjector.none(), 9000);
        DatagramSocket server = new DatagramSocket(net.b, 5000);
        DatagramSocket client = new DatagramSocket(net.a);
        for (int round = 0; round < 3; round++) {
            client.send(new DatagramPacket(new byte[60000], 60000, Ipv4Address.toInet(TwoHosts.B), 5000));
            net.sim.runFor(100_000_000L);
            DatagramPacket in = new DatagramPacket(new byte[65536], 65536);
            assertTrue(server.tryReceive(in));
            assertEquals(60000, in.getLength());
        }
        assertEquals(7 * 3, net.a.counters().get("ipv4.tx-fragments"), "60008 bytes in 8976-byte fragments");
        long pooled = net.a.pool().allocated();
        client.send(new DatagramPacket(new byte[60000], 60000, Ipv4Address.toInet(TwoHosts.B), 5000));
        net.sim.runFor(100_000_000L);
        assertEquals(pooled, net.a.pool().allocated(), "steady state: no new buffers");
    }

    @Test
    void nothingCrossesAnUnpluggedLink() {
        TwoHosts net = new TwoHosts();
        Replies replies = new Replies();
        net.a.icmp().addEchoListener(4, replies);
        net.sim.runFor(1_000_000L);   // the gratuitous announcements pass first
        net.link.a().setLinkUp(false);
        net.a.icmp().sendEcho(TwoHosts.B, 4, 1, new byte[8], 0, 8);
        net.sim.runFor(5_000_000_000L);
        assertTrue(replies.sequences.isEmpty());
        assertEquals(3, net.a.counters().get("eth.drop.link-down"), "the three ARP requests");
        assertEquals(1, net.a.counters().get("arp.drop.unresolved"), "the echo request");
        net.link.a().setLinkUp(true);
        net.a.icmp().sendEcho(TwoHosts.B, 4, 2, new byte[8], 0, 8);
        assertTrue(net.sim.runUntil(() -> replies.sequences.equals(java.util.List.of(2)), 5_000_000_000L));
    }
}

package io.github.jnic.net.stack;

import static org.junit.jupiter.api.Assertions.*;

import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.net.dev.MemoryLink;
import io.github.jnic.net.dev.ObservedDevice;
import io.github.jnic.net.socket.DatagramSocket;
import io.github.jnic.net.wire.Bytes;
import io.github.jnic.net.wire.Checksum;
import io.github.jnic.net.wire.EthernetFrame;
import io.github.jnic.net.wire.Ipv4Address;
import java.net.DatagramPacket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Reassembly limits (no datagram beyond 65 535 bytes, overlaps discard the datagram, duplicates
 * are ignored) and per-destination IPv4 IDs, in virtual time. Fragments go from B's end into A.
 */
class ReassemblyLimitsTest {
    private final TwoHosts net = new TwoHosts();
    private final byte[] macA = net.link.a().macAddress();
    private final byte[] macB = net.link.b().macAddress();
    private final DatagramSocket socket = new DatagramSocket(net.a, 9);

    ReassemblyLimitsTest() throws Exception {}

    private static final int UDP_LENGTH = 8 + 2992;   // payload 3000 bytes: blocks 0..374
    private final byte[] udp = Frames.udp(TwoHosts.B, TwoHosts.A, 4000, 9, pattern(UDP_LENGTH - 8));

    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * 7 + 1);
        return b;
    }

    /** Sends bytes {@code [from, to)} of the UDP datagram as a fragment of datagram {@code id}. */
    private void fragment(int id, int from, int to) {
        boolean more = to < udp.length;
        byte[] ip = Frames.ipv4(TwoHosts.B, TwoHosts.A, 17, id, (more ? 0x2000 : 0) | (from >>> 3), Arrays.copyOfRange(udp, from, to));
        inject(ip);
    }

    private void inject(byte[] ip) {
        net.link.b().transmit(PacketBuffer.of(Frames.ethernet(macA, macB, EthernetFrame.TYPE_IPV4, ip)));
        net.sim.runFor(1_000_000);
    }

    private List<Integer> received() throws Exception {
        List<Integer> lengths = new ArrayList<>();
        DatagramPacket p = new DatagramPacket(new byte[70000], 70000);
        while (socket.tryReceive(p)) {
            assertArrayEquals(Arrays.copyOfRange(udp, 8, udp.length), Arrays.copyOf(p.getData(), p.getLength()), "whole and intact");
            lengths.add(p.getLength());
        }
        return lengths;
    }

    private long count(String name) { return net.a.counters().get(name); }

    @Test
    void duplicatesAreIgnoredAndTheDatagramCompletes() throws Exception {
        fragment(1, 0, 1000);
        fragment(1, 1000, 2000);
        fragment(1, 0, 1000);       // again
        fragment(1, 1000, 1496);    // a subset of what arrived
        fragment(1, 2000, UDP_LENGTH);
        assertEquals(List.of(UDP_LENGTH - 8), received());
        assertEquals(2, count("ipv4.drop.fragment-duplicate"));
        assertEquals(0, count("ipv4.drop.fragment-overlap"));
    }

    @Test
    void anOverlapDiscardsTheWholeDatagram() throws Exception {
        fragment(2, 0, 1000);
        fragment(2, 504, 1504);     // half old, half new
        fragment(2, 1504, UDP_LENGTH);
        assertEquals(List.of(), received(), "nothing delivered, not even the later fragments' datagram");
        assertEquals(1, count("ipv4.drop.fragment-overlap"));
        // The same fragments without the overlap arrive as one datagram.
        fragment(3, 0, 1000);
        fragment(3, 1000, 2000);
        fragment(3, 2000, UDP_LENGTH);
        assertEquals(List.of(UDP_LENGTH - 8), received());
    }

    @Test
    void fragmentsBeyond65535BytesAreDroppedWithTheirDatagram() throws Exception {
        // The classic shape: the last fragment at offset 65 528 with 100 bytes.
        inject(Frames.ipv4(TwoHosts.B, TwoHosts.A, 17, 4, 65528 >>> 3, new byte[100]));
        assertEquals(1, count("ipv4.drop.reassembly-too-long"));
        // The subtle one: each fragment fits, but the first carries 40 bytes of options, so the
        // whole would be 60 + 65 480 bytes.
        byte[] first = Frames.ipv4(TwoHosts.B, TwoHosts.A, 17, 5, 0x2000, new byte[1480]);
        byte[] withOptions = new byte[60 + 1480];
        System.arraycopy(first, 0, withOptions, 0, 20);
        withOptions[0] = 0x4f;          // IHL 15: 40 bytes of options, all NOPs
        Arrays.fill(withOptions, 20, 60, (byte) 1);
        Bytes.put16(withOptions, 2, withOptions.length);
        Bytes.put16(withOptions, 10, 0);
        Bytes.put16(withOptions, 10, Checksum.of(withOptions, 0, 60));
        inject(withOptions);
        inject(Frames.ipv4(TwoHosts.B, TwoHosts.A, 17, 5, 65472 >>> 3, new byte[8]));   // ends at 65 480: 20 + 65 480 fits, 60 + 65 480 does not
        assertEquals(2, count("ipv4.drop.reassembly-too-long"));
        assertEquals(0, count("ipv4.reassembled"));
    }

    @Test
    void eachDestinationSeesItsOwnSequenceOfIds() {
        // A second stack beside B, so A talks to two destinations; A's frames are recorded.
        Simulation sim = new Simulation();
        List<byte[]> sent = new ArrayList<>();
        MemoryLink link = new MemoryLink(sim.clock());
        NetStack a = sim.add(new NetStack());
        byte[] mac = link.a().macAddress();
        var ifA = a.addInterface(new ObservedDevice(link.a(), (t, d, off, len) -> {
            if (Bytes.equal(d, off + 6, mac, 0, 6) && Bytes.get16(d, off + 12) == EthernetFrame.TYPE_IPV4) sent.add(Arrays.copyOfRange(d, off, off + len));
        }, sim.clock()));
        a.addAddress(ifA, "10.0.0.1/24");
        int x = Ipv4Address.parse("10.0.0.2"), y = Ipv4Address.parse("10.0.0.3");
        a.arp().addStatic(ifA, x, link.b().macAddress(), 0);
        a.arp().addStatic(ifA, y, link.b().macAddress(), 0);
        var udp = a.udp();
        var s = udp.newSocket();
        for (int i = 0; i < 10; i++) {
            udp.send(s, new byte[4], 0, 4, x, 9);
            for (int k = 0; k < i; k++) udp.send(s, new byte[4], 0, 4, y, 9);   // traffic to y between x's datagrams
        }
        sim.runFor(1_000_000);
        List<Integer> toX = new ArrayList<>(), toY = new ArrayList<>();
        for (byte[] f : sent) (Bytes.get32(f, 30) == x ? toX : toY).add(Bytes.get16(f, 18));
        assertEquals(10, toX.size());
        assertEquals(45, toY.size());
        for (int i = 1; i < toX.size(); i++) assertEquals((toX.get(0) + i) & 0xffff, toX.get(i), "x's IDs move by one however much went to y: " + toX);
        for (int i = 1; i < toY.size(); i++) assertEquals((toY.get(0) + i) & 0xffff, toY.get(i), "y's IDs: " + toY);
        assertNotEquals(firstId(seeded(1), x), firstId(seeded(2), x), "the counters start from the stack's secret");
    }

    private static NetStack.Config seeded(long seed) {
        NetStack.Config c = new NetStack.Config();
        c.seed = seed;
        return c;
    }

    /** The ID of the first datagram a stack configured by {@code c} sends to {@code dst}. */
    private static int firstId(NetStack.Config c, int dst) {
        Simulation sim = new Simulation();
        MemoryLink link = new MemoryLink(sim.clock());
        NetStack s = sim.add(new NetStack(c));
        int[] id = {-1};
        byte[] mac = link.a().macAddress();
        var iface = s.addInterface(new ObservedDevice(link.a(), (t, d, off, len) -> {
            if (id[0] < 0 && Bytes.equal(d, off + 6, mac, 0, 6) && Bytes.get16(d, off + 12) == EthernetFrame.TYPE_IPV4) id[0] = Bytes.get16(d, off + 18);
        }, sim.clock()));
        s.addAddress(iface, "10.0.0.1/24");
        s.arp().addStatic(iface, dst, link.b().macAddress(), 0);
        s.udp().send(s.udp().newSocket(), new byte[4], 0, 4, dst, 9);
        sim.runFor(1_000_000);
        return id[0];
    }
}

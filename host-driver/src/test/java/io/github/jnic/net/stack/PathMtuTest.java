package io.github.jnic.net.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.net.ip.Ipv4Layer;
import io.github.jnic.net.wire.Bytes;
import io.github.jnic.net.wire.Checksum;
import io.github.jnic.net.wire.EthernetFrame;
import io.github.jnic.net.wire.Ipv4Header;
import org.junit.jupiter.api.Test;

/**
 * RFC 1191 at the IP layer: what "fragmentation needed" teaches host A about a destination, from
 * frames host B sends it. (TCP's side is in TcpPathMtuTest; a real router's in LinuxRoutersTest.)
 */
class PathMtuTest {
    private static final int FAR = 0x0a000009;   // on A's link, so it has a route (MTU 1500)
    private static final long SECOND = 1_000_000_000L;

    /** B tells A that a {@code datagramLength}-byte datagram from A to FAR needed fragmenting; next-hop MTU as given. */
    private static void fragmentationNeeded(TwoHosts net, int nextHopMtu, int datagramLength) {
        byte[] quoted = new byte[28];
        Ipv4Header.write(quoted, 0, 0, datagramLength, 1, Ipv4Header.FLAG_DF, 63, Ipv4Header.PROTO_UDP, TwoHosts.A, FAR);
        byte[] icmp = new byte[8 + quoted.length];
        icmp[0] = 3;
        icmp[1] = 4;
        Bytes.put16(icmp, 6, nextHopMtu);
        System.arraycopy(quoted, 0, icmp, 8, quoted.length);
        Bytes.put16(icmp, 2, Checksum.of(icmp, 0, icmp.length));
        byte[] frame = Frames.ethernet(net.link.a().macAddress(), net.link.b().macAddress(), EthernetFrame.TYPE_IPV4,
                Frames.ipv4(TwoHosts.B, TwoHosts.A, Ipv4Header.PROTO_ICMP, 2, 0, icmp));
        net.link.b().transmit(PacketBuffer.of(frame));
        net.sim.runFor(SECOND / 1000);
    }

    @Test
    void theNextHopMtuARouterNamesBecomesThePathMtuAndIsCounted() {
        TwoHosts net = new TwoHosts();
        assertEquals(1500, net.a.ipv4().mtuFor(FAR));
        fragmentationNeeded(net, 1200, 1500);
        assertEquals(1200, net.a.ipv4().mtuFor(FAR));
        assertEquals(1500, net.a.ipv4().mtuFor(TwoHosts.B), "only that destination");
        assertEquals(1, net.a.counters().get("ipv4.path-mtu-lowered"));
        fragmentationNeeded(net, 1400, 1500);   // never raised by a report
        assertEquals(1200, net.a.ipv4().mtuFor(FAR));
        fragmentationNeeded(net, 1300, 1200);   // a datagram that would have fitted: a confused router, ignored
        assertEquals(1200, net.a.ipv4().mtuFor(FAR));
        assertEquals(1, net.a.counters().get("ipv4.path-mtu-lowered"));
    }

    @Test
    void aRouterOlderThanRfc1191GetsTheNextPlateauBelowTheDatagram() {
        TwoHosts net = new TwoHosts();
        fragmentationNeeded(net, 0, 1500);
        assertEquals(1492, net.a.ipv4().mtuFor(FAR));
        fragmentationNeeded(net, 0, 1492);
        assertEquals(1006, net.a.ipv4().mtuFor(FAR));
        fragmentationNeeded(net, 0, 1006);
        assertEquals(Ipv4Layer.MIN_PATH_MTU, net.a.ipv4().mtuFor(FAR), "508 is the next plateau, but the floor holds");
    }

    @Test
    void aTinyMtuIsNotBelievedBelowTheFloor() {
        TwoHosts net = new TwoHosts();
        fragmentationNeeded(net, 100, 1500);
        assertEquals(Ipv4Layer.MIN_PATH_MTU, net.a.ipv4().mtuFor(FAR));
    }

    @Test
    void aLearnedPathMtuAgesOutAfterTenMinutes() {
        TwoHosts net = new TwoHosts();
        fragmentationNeeded(net, 1280, 1500);
        net.sim.runFor(Ipv4Layer.PATH_MTU_AGE_NANOS - SECOND);
        assertEquals(1280, net.a.ipv4().mtuFor(FAR));
        net.sim.runFor(2 * SECOND);
        assertEquals(1500, net.a.ipv4().mtuFor(FAR), "the route's MTU is tried again");
    }
}

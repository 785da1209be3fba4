package io.github.jnic.net.tools;

import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.net.dev.NetDevice;
import io.github.jnic.net.wire.ArpPacket;
import io.github.jnic.net.wire.Bytes;
import io.github.jnic.net.wire.EthernetFrame;
import io.github.jnic.net.wire.IcmpMessage;
import io.github.jnic.net.wire.Ipv4Address;
import io.github.jnic.net.wire.Ipv4Header;
import io.github.jnic.net.wire.MacAddress;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * A device that is a whole routed path, for tests: the stack's link leads to router 1 (its
 * gateway), then router 2, ..., then the target, each hop {@code hopDelay} away. It answers ARP
 * for the gateway and, for each IPv4 datagram to the target, what the real path would: time
 * exceeded from the router where the TTL runs out, or at the target port unreachable (UDP) or an
 * echo reply (ICMP echo). Answers are built here, byte by byte, independently of the stack, and
 * arrive after the round trip to the answering hop. Routers can be made silent, slow or to say
 * "unreachable"; the target can be made silent.
 */
final class RoutedPath implements NetDevice {
    /** What a datagram the stack sent looked like on the wire. */
    record Sent(int ttl, int protocol, int dst, int dstPort, int echoId, int echoSeq) {}

    private record Due(long at, long order, byte[] frame) {}

    private final LongSupplier clock;
    private final byte[] mac = MacAddress.local(77);
    private final byte[] gatewayMac = MacAddress.local(78);
    private final int[] routers;
    private final int target;
    private final long hopDelay;
    private final PriorityQueue<Due> due = new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.order, b.order));
    private long order;
    private final List<Sent> sent = new ArrayList<>();
    private final Set<Integer> silent = new java.util.HashSet<>();
    private final Map<Integer, Long> extraDelay = new HashMap<>();
    private final Map<Integer, Integer> unreachableCodeAt = new HashMap<>();
    private boolean targetSilent;
    private int echoRequestsToDrop, echoRequestsSeen;
    private final Set<Integer> echoRequestsDropped = new java.util.HashSet<>();

    /** {@code routers[0]} is the gateway on the stack's link; the target is one hop past the last. */
    RoutedPath(LongSupplier clock, String target, long hopDelayNanos, String... routers) {
        this.clock = clock;
        this.target = Ipv4Address.parse(target);
        this.hopDelay = hopDelayNanos;
        this.routers = new int[routers.length];
        for (int i = 0; i < routers.length; i++) this.routers[i] = Ipv4Address.parse(routers[i]);
    }

    /** Router {@code hop} (1-based) sends no time exceeded. */
    RoutedPath silent(int hop) { silent.add(hop); return this; }

    /** Router {@code hop}'s answers take {@code nanos} longer. */
    RoutedPath slow(int hop, long nanos) { extraDelay.put(hop, nanos); return this; }

    /** Router {@code hop} answers destination unreachable with {@code code} for datagrams that would pass it. */
    RoutedPath unreachableAt(int hop, int code) { unreachableCodeAt.put(hop, code); return this; }

    RoutedPath targetSilent() { targetSilent = true; return this; }

    /** The {@code nth} echo requests (1-based, in the order seen) reaching the target go unanswered. */
    RoutedPath dropEchoRequest(int nth) { echoRequestsDropped.add(nth); return this; }

    List<Sent> sent() { return sent; }

    String gatewayMacText() { return MacAddress.toString(gatewayMac); }

    // ---- NetDevice ---------------------------------------------------------------------------

    @Override public String name() { return "routed-path"; }
    @Override public byte[] macAddress() { return mac.clone(); }
    @Override public int mtu() { return 1500; }
    @Override public boolean linkUp() { return true; }
    @Override public Set<Feature> features() { return EnumSet.noneOf(Feature.class); }

    @Override public boolean transmit(PacketBuffer frame) {
        try {
            byte[] f = frame.toByteArray();
            int type = Bytes.get16(f, 12);
            if (type == EthernetFrame.TYPE_ARP) answerArp(f);
            else if (type == EthernetFrame.TYPE_IPV4) route(f, EthernetFrame.HEADER_LENGTH);
        } finally {
            frame.release();
        }
        return true;
    }

    @Override public int receive(FrameSink sink, int budget) {
        int n = 0;
        long now = clock.getAsLong();
        while (n < budget && !due.isEmpty() && due.peek().at <= now) {
            sink.accept(PacketBuffer.of(due.poll().frame));
            n++;
        }
        return n;
    }

    @Override public long nextDeadline() { return due.isEmpty() ? Long.MAX_VALUE : due.peek().at; }

    // ---- the path ----------------------------------------------------------------------------

    private void answerArp(byte[] f) {
        int at = EthernetFrame.HEADER_LENGTH;
        ArpPacket arp = new ArpPacket().wrap(f, at);
        if (arp.operation() != ArpPacket.OP_REQUEST || arp.targetProtocolAddress() != routers[0]) return;
        byte[] reply = new byte[EthernetFrame.HEADER_LENGTH + ArpPacket.LENGTH];
        EthernetFrame.write(reply, 0, f, 6, gatewayMac, -1, EthernetFrame.TYPE_ARP);
        ArpPacket.write(reply, at, ArpPacket.OP_REPLY, gatewayMac, routers[0], f, arp.senderHardwareOffset(), arp.senderProtocolAddress());
        deliver(reply, 0);
    }

    private void route(byte[] f, int ip) {
        Ipv4Header h = new Ipv4Header().wrap(f, ip);
        int l4 = ip + h.headerLength();
        int proto = h.protocol();
        boolean echo = proto == Ipv4Header.PROTO_ICMP && (f[l4] & 0xff) == IcmpMessage.ECHO_REQUEST;
        sent.add(new Sent(h.ttl(), proto, h.destination(), proto == Ipv4Header.PROTO_UDP ? Bytes.get16(f, l4 + 2) : -1,
                echo ? Bytes.get16(f, l4 + 4) : -1, echo ? Bytes.get16(f, l4 + 6) : -1));
        if (h.destination() != target) return;
        for (int hop = 1; hop <= routers.length; hop++) {
            if (unreachableCodeAt.containsKey(hop)) {
                answer(f, ip, routers[hop - 1], hop, IcmpMessage.DEST_UNREACHABLE, unreachableCodeAt.get(hop));
                return;
            }
            if (h.ttl() <= hop) {
                if (!silent.contains(hop)) answer(f, ip, routers[hop - 1], hop, IcmpMessage.TIME_EXCEEDED, IcmpMessage.CODE_TTL_EXCEEDED);
                return;
            }
        }
        int hops = routers.length + 1;
        if (targetSilent) return;
        if (proto == Ipv4Header.PROTO_UDP) {
            answer(f, ip, target, hops, IcmpMessage.DEST_UNREACHABLE, IcmpMessage.CODE_PORT_UNREACHABLE);
        } else if (echo) {
            if (echoRequestsDropped.contains(++echoRequestsSeen)) return;
            int len = h.totalLength() - h.headerLength();
            byte[] reply = ipv4(target, h.source(), hops, Ipv4Header.PROTO_ICMP, len);
            int at = EthernetFrame.HEADER_LENGTH + Ipv4Header.MIN_LENGTH;
            System.arraycopy(f, l4, reply, at, len);
            reply[at] = IcmpMessage.ECHO_REPLY;
            IcmpMessage.fillChecksum(reply, at, len);
            deliver(reply, hops);
        }
    }

    /** An ICMP error from {@code reporter}, quoting the datagram's header and 8 bytes, as RFC 792 asks. */
    private void answer(byte[] f, int ip, int reporter, int hop, int type, int code) {
        Ipv4Header h = new Ipv4Header().wrap(f, ip);
        int quote = h.headerLength() + 8;
        int len = IcmpMessage.HEADER_LENGTH + quote;
        byte[] reply = ipv4(reporter, h.source(), hop, Ipv4Header.PROTO_ICMP, len);
        int at = EthernetFrame.HEADER_LENGTH + Ipv4Header.MIN_LENGTH;
        IcmpMessage.writeHeader(reply, at, type, code, 0);
        System.arraycopy(f, ip, reply, at + IcmpMessage.HEADER_LENGTH, quote);
        // The router saw the datagram with its TTL spent on the way: quote it as it arrived there.
        reply[at + IcmpMessage.HEADER_LENGTH + 8] = (byte) Math.max(0, h.ttl() - hop + 1);
        new Ipv4Header().wrap(reply, at + IcmpMessage.HEADER_LENGTH).fillChecksum();
        IcmpMessage.fillChecksum(reply, at, len);
        deliver(reply, hop);
    }

    private byte[] ipv4(int src, int dst, int hops, int protocol, int payloadLength) {
        byte[] frame = new byte[EthernetFrame.HEADER_LENGTH + Ipv4Header.MIN_LENGTH + payloadLength];
        EthernetFrame.write(frame, 0, mac, 0, gatewayMac, -1, EthernetFrame.TYPE_IPV4);
        Ipv4Header.write(frame, EthernetFrame.HEADER_LENGTH, 0, Ipv4Header.MIN_LENGTH + payloadLength, (int) order, 0,
                65 - hops, protocol, src, dst);
        return frame;
    }

    /** Queues {@code frame} to arrive after the round trip to hop {@code hop} (0: at once). */
    private void deliver(byte[] frame, int hop) {
        long at = clock.getAsLong() + 2 * hop * hopDelay + extraDelay.getOrDefault(hop, 0L);
        due.add(new Due(at, order++, frame));
    }
}

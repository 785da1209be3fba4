package io.github.jnic.net.ip;

import io.github.jnic.net.arp.ArpLayer;
import io.github.jnic.net.buf.BufferPool;
import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.net.dev.NetDevice;
import io.github.jnic.net.eth.EthernetLayer;
import io.github.jnic.net.eth.NetInterface;
import io.github.jnic.net.stats.Counter;
import io.github.jnic.net.stats.Counters;
import io.github.jnic.net.wire.Bytes;
import io.github.jnic.net.wire.Checksum;
import io.github.jnic.net.wire.EthernetFrame;
import io.github.jnic.net.wire.IcmpMessage;
import io.github.jnic.net.wire.Ipv4Address;
import io.github.jnic.net.wire.Ipv4Header;
import io.github.jnic.net.wire.MacAddress;
import java.util.ArrayDeque;
import java.util.List;

/**
 * IPv4 (RFC 791) for a host: validates and delivers datagrams addressed to us (reassembling
 * fragments), dispatches them to the registered {@link Ipv4Transport}s, and sends what transports
 * give it: routed by longest-prefix match, fragmented when larger than the MTU, with the offloads
 * the device lacks done in software. Datagrams to our own addresses loop back at the next poll.
 * Stack thread only.
 */
public final class Ipv4Layer implements Ipv4Output, EthernetLayer.Protocol {

    /** Sends ICMP errors on the IP layer's behalf (the ICMP layer implements it). */
    public interface ErrorSender {
        /**
         * Reports an error about the datagram whose IP header starts at {@code data[ipOff]} and of which
         * {@code length} bytes are available.
         */
        void sendError(int type, int code, int info, byte[] data, int ipOff, int length, long now);
    }

    public static final int DEFAULT_TTL = 64;
    /** Multicast datagrams stay on the link unless the sender asks otherwise. */
    public static final int DEFAULT_MULTICAST_TTL = 1;

    private final EthernetLayer eth;
    private final ArpLayer arp;
    private final BufferPool pool;
    private final List<NetInterface> interfaces;
    private final RoutingTable routes = new RoutingTable();
    private final Ipv4Transport[] transports = new Ipv4Transport[256];
    private final Reassembler reassembler;
    private final ArrayDeque<PacketBuffer> loopback = new ArrayDeque<>();
    private final Ipv4Header ip = new Ipv4Header();
    private ErrorSender errors = (t, c, i, d, o, l, n) -> {};
    // RFC 6864/7739: IDs from one of many counters picked by a keyed hash of the datagram's addresses and
    // protocol (as Linux's ip_idents), so a destination sees its own sequence and learns nothing of the rest.
    private static final int ID_BUCKETS = 2048;
    private final int[] ids = new int[ID_BUCKETS];
    private final long idKey;
    private final java.util.function.LongSupplier clock;   // the stack's clock: sends may come from app requests, between polls

    // The datagram being delivered to a transport right now, so it can ask for an ICMP error about it.
    private byte[] deliveringData;
    private int deliveringHeader = -1;
    private int deliveringLength;

    private final Counter rxDatagrams, txDatagrams, fragmentsSent, delivered, pathMtuLowered;

    /** How long a learned path MTU holds before the route's own is tried again (RFC 1191 section 6.3). */
    public static final long PATH_MTU_AGE_NANOS = 600_000_000_000L;
    /** The smallest path MTU believed, as Linux's min_pmtu: a forged tiny one must not shred every segment. */
    public static final int MIN_PATH_MTU = 552;
    /** RFC 1191 section 7: the plateaus tried when a router does not name the next-hop MTU. */
    private static final int[] MTU_PLATEAUS = {32000, 17914, 8166, 4352, 2002, 1492, 1006, 508, 296, 68};
    // Destination -> {path MTU, when learned}. Touched on errors and when connections start, never per packet.
    private final java.util.Map<Integer, long[]> pathMtus = new java.util.HashMap<>();
    private final Counter dropTruncated, dropVersion, dropHeaderLength, dropLength, dropChecksum, dropOptions,
            dropSource, dropSourceBroadcast, dropSourceMulticast, dropSourceZero, dropSourceLoopback, dropSourceOwn,
            dropNotForUs, dropProtocol, dropNoRoute, dropFragNeeded, dropTooBig;

    public Ipv4Layer(EthernetLayer eth, ArpLayer arp, BufferPool pool, List<NetInterface> interfaces, Counters counters,
                     int maxReassemblies, long reassemblyTimeoutNanos, java.util.function.LongSupplier clock, long seed) {
        this.clock = clock;
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed ^ 0x1d5L);
        for (int i = 0; i < ID_BUCKETS; i++) ids[i] = random.nextInt();
        this.idKey = random.nextLong();
        this.eth = eth;
        this.arp = arp;
        this.pool = pool;
        this.interfaces = interfaces;
        this.reassembler = new Reassembler(maxReassemblies, reassemblyTimeoutNanos, counters, this::reassemblyTimedOut);
        String l = "ipv4";
        rxDatagrams = counters.stat(l, "rx-datagrams", "datagrams received");
        txDatagrams = counters.stat(l, "tx-datagrams", "datagrams sent (before fragmentation)");
        fragmentsSent = counters.stat(l, "tx-fragments", "fragments sent");
        pathMtuLowered = counters.stat(l, "path-mtu-lowered", "path MTUs lowered by fragmentation-needed errors (RFC 1191)");
        delivered = counters.stat(l, "delivered", "datagrams delivered to a transport");
        dropTruncated = counters.drop(l, "truncated", "shorter than its header or its total length");
        dropVersion = counters.drop(l, "bad-version", "version field not 4");
        dropHeaderLength = counters.drop(l, "bad-header-length", "header length below 20 bytes");
        dropLength = counters.drop(l, "bad-length", "total length smaller than the header");
        dropChecksum = counters.drop(l, "bad-checksum", "header checksum wrong");
        dropOptions = counters.drop(l, "bad-options", "malformed options (length 0/1 or past the header)");
        dropSource = counters.drop(l, "bad-source", "source address reserved (240.0.0.0/4)");
        dropSourceBroadcast = counters.drop(l, "source-broadcast", "source address a limited or directed broadcast (of any interface)");
        dropSourceMulticast = counters.drop(l, "source-multicast", "source address multicast");
        dropSourceZero = counters.drop(l, "source-zero", "source address 0.0.0.0 (accepted only for UDP to 255.255.255.255: DHCP)");
        dropSourceLoopback = counters.drop(l, "source-loopback", "source address 127.0.0.0/8 arriving from the wire");
        dropSourceOwn = counters.drop(l, "source-own", "source address one of this host's own, arriving from the wire");
        dropNotForUs = counters.drop(l, "not-for-us", "destination is not ours (this host does not forward)");
        dropProtocol = counters.drop(l, "unknown-protocol", "no transport for the protocol number");
        dropNoRoute = counters.drop(l, "no-route", "no route to the destination");
        dropFragNeeded = counters.drop(l, "fragmentation-needed", "larger than the MTU with Don't Fragment set");
        dropTooBig = counters.drop(l, "tx-too-big", "datagram longer than 65535 bytes");
    }

    public void setErrorSender(ErrorSender errors) { this.errors = errors; }

    public RoutingTable routes() { return routes; }

    /** The stack's interfaces (read-only view). */
    public List<NetInterface> interfaces() { return java.util.Collections.unmodifiableList(interfaces); }

    public void register(Ipv4Transport t) {
        if (transports[t.protocol()] != null) throw new IllegalStateException("protocol " + t.protocol() + " already registered");
        transports[t.protocol()] = t;
    }

    public Ipv4Transport transport(int protocol) { return transports[protocol & 0xff]; }

    // ---- receive ---------------------------------------------------------------------------

    @Override public void receive(NetInterface iface, PacketBuffer buf, long now) {
        input(iface, buf, now, true);
    }

    /** A datagram from a device ({@code fromWire}) or looped back from this host. */
    private void input(NetInterface iface, PacketBuffer buf, long now, boolean fromWire) {
        rxDatagrams.increment();
        int len = buf.length();
        if (len < Ipv4Header.MIN_LENGTH) { drop(buf, dropTruncated); return; }
        ip.wrap(buf.data(), buf.start());
        if (ip.version() != 4) { drop(buf, dropVersion); return; }
        int ihl = ip.headerLength();
        if (ihl < Ipv4Header.MIN_LENGTH) { drop(buf, dropHeaderLength); return; }
        if (ihl > len) { drop(buf, dropTruncated); return; }
        int total = ip.totalLength();
        if (total < ihl) { drop(buf, dropLength); return; }
        if (total > len) { drop(buf, dropTruncated); return; }
        if (!ip.checksumValid()) { drop(buf, dropChecksum); return; }
        if (!ip.optionsWellFormed()) { drop(buf, dropOptions); return; }
        int src = ip.source();
        int dst = ip.destination();
        Counter refused = refusedSource(src, dst, ip.protocol(), fromWire);
        if (refused != null) { drop(buf, refused); return; }
        if (!acceptsDestination(iface, dst)) { drop(buf, dropNotForUs); return; }
        buf.truncate(total);   // Ethernet padding off
        if (ip.isFragment()) {
            buf = reassembler.add(buf, ip, now);
            if (buf == null) return;
            ip.wrap(buf.data(), buf.start());
        }
        deliver(buf, now);
    }

    /** Hands a whole datagram (window = header + payload, header in {@link #ip}) to its transport. */
    private void deliver(PacketBuffer buf, long now) {
        int ihl = ip.headerLength();
        int proto = ip.protocol();
        int src = ip.source();
        int dst = ip.destination();
        Ipv4Transport t = transports[proto];
        if (t == null) {
            dropProtocol.increment();
            if (!isBroadcastOrMulticast(dst)) {
                errors.sendError(IcmpMessage.DEST_UNREACHABLE, IcmpMessage.CODE_PROTOCOL_UNREACHABLE, 0,
                        buf.data(), buf.start(), buf.length(), now);
            }
            buf.release();
            return;
        }
        byte[] savedData = deliveringData;
        int savedHeader = deliveringHeader, savedLength = deliveringLength;
        deliveringData = buf.data();
        deliveringHeader = buf.start();
        deliveringLength = buf.length();
        buf.trimFront(ihl);
        delivered.increment();
        try {
            t.receive(buf, src, dst, now);
        } finally {
            deliveringData = savedData;
            deliveringHeader = savedHeader;
            deliveringLength = savedLength;
        }
    }

    /**
     * Sends an ICMP error about the datagram currently being delivered (call only from inside
     * {@link Ipv4Transport#receive}, with the segment it was given, before releasing it): how UDP
     * reports "port unreachable".
     */
    public void replyWithError(PacketBuffer segment, int type, int code) {
        if (segment.data() != deliveringData || deliveringHeader < 0) throw new IllegalStateException("not the datagram being delivered");
        ip.wrap(deliveringData, deliveringHeader);
        if (isBroadcastOrMulticast(ip.destination())) return;
        errors.sendError(type, code, 0, deliveringData, deliveringHeader, deliveringLength, clock.getAsLong());
    }

    /**
     * Tells the transport that sent {@code datagram} (window = IP header + payload) that it could
     * not leave this host (its next hop never answered ARP), as a received "host unreachable" would.
     * Does not take ownership.
     */
    public void reportLocally(PacketBuffer datagram, long now) {
        ip.wrap(datagram.data(), datagram.start());
        int ihl = ip.headerLength();
        Ipv4Transport t = transports[ip.protocol()];
        if (t == null || datagram.length() < ihl + 8 || ip.fragmentOffset() != 0) return;
        t.icmpError(IcmpMessage.DEST_UNREACHABLE, IcmpMessage.CODE_HOST_UNREACHABLE, ip.source(), ip.destination(),
                datagram.data(), datagram.start() + ihl, datagram.length() - ihl, now);
    }

    /**
     * RFC 1122 3.2.1.3 and 3.2.2.6: the reason a datagram's source is refused, or null. Nobody may
     * answer a broadcast or multicast source (one spoofed packet would become a link-wide answer);
     * 0.0.0.0 is only for a host that has no address yet, asking DHCP by broadcast; loopback and our
     * own addresses never come from the wire.
     */
    private Counter refusedSource(int src, int dst, int protocol, boolean fromWire) {
        if (src == 0) return dst == Ipv4Address.BROADCAST && protocol == Ipv4Header.PROTO_UDP ? null : dropSourceZero;
        if (Ipv4Address.isMulticast(src)) return dropSourceMulticast;
        if (isBroadcastOrMulticast(src)) return dropSourceBroadcast;
        if (Ipv4Address.isBadSource(src)) return dropSource;
        if (!fromWire) return null;
        if (Ipv4Address.isLoopback(src)) return dropSourceLoopback;
        if (isLocalAddress(src)) return dropSourceOwn;
        return null;
    }

    private boolean acceptsDestination(NetInterface iface, int dst) {
        if (Ipv4Address.isMulticast(dst)) return dst == 0xe0000001 || iface.inGroup(dst);
        if (iface.isBroadcast(dst)) return true;
        return isLocalAddress(dst);
    }

    /** Limited or directed broadcast of one of our subnets, or multicast. */
    @Override public boolean isBroadcastOrMulticast(int addr) {
        if (Ipv4Address.isMulticast(addr)) return true;
        for (int i = 0; i < interfaces.size(); i++) if (interfaces.get(i).isBroadcast(addr)) return true;
        return false;
    }

    private void reassemblyTimedOut(byte[] data, int headerOffset, int length, long now) {
        errors.sendError(IcmpMessage.TIME_EXCEEDED, IcmpMessage.CODE_REASSEMBLY_TIME_EXCEEDED, 0, data, headerOffset, length, now);
    }

    // ---- Ipv4Output ------------------------------------------------------------------------

    @Override public PacketBuffer allocate(int transportBytes) {
        if (PacketBuffer.DEFAULT_HEADROOM + transportBytes <= pool.bufferSize()) return pool.take();
        if (PacketBuffer.DEFAULT_HEADROOM + transportBytes <= largePool.bufferSize()) return largePool.take();
        throw new IllegalArgumentException(transportBytes + " bytes do not fit in one IPv4 datagram");
    }

    // Whole 64 KiB datagrams (TSO segments, large UDP), pooled too: created on first use, then reused.
    private final BufferPool largePool = new BufferPool(PacketBuffer.DEFAULT_HEADROOM + 65536, 0);

    @Override public SendResult send(PacketBuffer segment, int src, int dst, int protocol, int ttl, int tos, boolean dontFragment) {
        return send(segment, src, dst, protocol, ttl, tos, dontFragment, null);
    }

    /** {@link #send} with an explicit output interface (multicast, limited broadcast), or null to route. */
    public SendResult send(PacketBuffer segment, int src, int dst, int protocol, int ttl, int tos, boolean dontFragment,
                           NetInterface via) {
        NetInterface iface;
        int nextHop;
        if (via != null) {
            iface = via;
            nextHop = dst;
        } else {
            RoutingTable.Route r = route(dst);
            if (r == null) { drop(segment, dropNoRoute); return SendResult.NO_ROUTE; }
            iface = r.iface();
            nextHop = r.nextHop(dst);
        }
        if (src == 0) src = iface.sourceFor(nextHop);
        if (ttl < 0) ttl = Ipv4Address.isMulticast(dst) ? DEFAULT_MULTICAST_TTL : DEFAULT_TTL;
        NetDevice dev = iface.device();

        if (segment.segmentSize() > 0 && (isLocalAddress(dst) || !dev.features().contains(NetDevice.Feature.TSO))) {
            return segmentInSoftware(segment, iface, nextHop, src, dst, protocol, ttl, tos, dontFragment);
        }
        return sendOne(segment, iface, nextHop, src, dst, protocol, ttl, tos, dontFragment);
    }

    /**
     * TSO done here when the device cannot: cuts a TCP segment into pieces of {@code segmentSize()}
     * payload bytes, each with the sequence number advanced, FIN and PSH kept for the last piece only,
     * CWR for the first only, and its own checksum.
     */
    private SendResult segmentInSoftware(PacketBuffer segment, NetInterface iface, int nextHop, int src, int dst,
                                         int protocol, int ttl, int tos, boolean dontFragment) {
        segment.linearize();
        byte[] d = segment.data();
        int tcp = segment.start();
        int hdr = ((d[tcp + 12] >> 4) & 0xf) * 4;
        int payload = segment.length() - hdr;
        int mss = segment.segmentSize();
        int seq = Bytes.get32(d, tcp + 4);
        int flags = d[tcp + 13] & 0xff;
        SendResult result = SendResult.SENT;
        for (int off = 0; off < payload || (off == 0 && payload == 0); off += mss) {
            int n = Math.min(mss, payload - off);
            boolean first = off == 0, last = off + n >= payload;
            PacketBuffer p = allocate(hdr + n);
            int at = p.append(hdr + n);
            byte[] pd = p.data();
            System.arraycopy(d, tcp, pd, at, hdr);
            System.arraycopy(d, tcp + hdr + off, pd, at + hdr, n);
            Bytes.put32(pd, at + 4, seq + off);
            int f = flags;
            if (!last) f &= ~(0x01 | 0x08);   // FIN, PSH
            if (!first) f &= ~0x80;           // CWR
            pd[at + 13] = (byte) f;
            Bytes.put16(pd, at + 16, Checksum.fold(Checksum.pseudoHeader(src, dst, protocol, hdr + n)));
            p.requestChecksum(at, 16);
            SendResult r = sendOne(p, iface, nextHop, src, dst, protocol, ttl, tos, dontFragment);
            if (r != SendResult.SENT) result = r;
            if (payload == 0) break;
        }
        segment.release();
        return result;
    }

    SendResult sendOne(PacketBuffer segment, NetInterface iface, int nextHop, int src, int dst, int protocol,
                       int ttl, int tos, boolean dontFragment) {
        if (ttl <= 0) ttl = Ipv4Address.isMulticast(dst) ? DEFAULT_MULTICAST_TTL : DEFAULT_TTL;
        int total = Ipv4Header.MIN_LENGTH + segment.length();
        if (total > 0xffff && segment.segmentSize() == 0) { drop(segment, dropTooBig); return SendResult.DROPPED; }
        NetDevice dev = iface.device();
        int id = nextId(src, dst, protocol);
        txDatagrams.increment();
        boolean local = isLocalAddress(dst);
        boolean fits = local || total <= iface.mtu() || segment.segmentSize() > 0;   // loopback has no MTU
        if (segment.checksumRequested() && (local || !fits || !dev.features().contains(NetDevice.Feature.TX_CHECKSUM))) {
            segment.completeChecksum();
        }
        if (!fits) {
            if (dontFragment) { drop(segment, dropFragNeeded); return SendResult.DROPPED; }
            return fragment(segment, iface, nextHop, src, dst, protocol, ttl, tos, id);
        }
        int at = segment.prepend(Ipv4Header.MIN_LENGTH);
        Ipv4Header.write(segment.data(), at, tos, total & 0xffff, id, dontFragment ? Ipv4Header.FLAG_DF : 0, ttl, protocol, src, dst);
        if (local) {
            segment.linearize();   // delivered later, when the sender's bytes may have moved on
            loopback.add(segment);
            return SendResult.SENT;
        }
        return output(iface, nextHop, dst, segment);
    }

    /** The next IPv4 ID for this source, destination and protocol (RFC 6864 section 4.2: unique per such triple). */
    private int nextId(int src, int dst, int protocol) {
        long h = ((dst & 0xffffffffL) << 32 | (src & 0xffffffffL)) ^ idKey;
        h = (h ^ (h >>> 31) ^ protocol) * 0x9e3779b97f4a7c15L;   // a keyed mix: outsiders cannot tell which destinations share a counter
        int bucket = (int) (h >>> 53) & (ID_BUCKETS - 1);
        return ids[bucket]++ & 0xffff;
    }

    /** Hands a finished datagram to the link: multicast and broadcast map to MACs, unicast goes through ARP. */
    private SendResult output(NetInterface iface, int nextHop, int dst, PacketBuffer datagram) {
        if (Ipv4Address.isMulticast(dst)) {
            MacAddress.writeMulticast(dst, groupMac, 0);
            return eth.transmit(iface, datagram, groupMac, 0, EthernetFrame.TYPE_IPV4) ? SendResult.SENT : SendResult.DROPPED;
        }
        if (iface.isBroadcast(dst)) {
            return eth.broadcast(iface, datagram, EthernetFrame.TYPE_IPV4) ? SendResult.SENT : SendResult.DROPPED;
        }
        return switch (arp.send(iface, nextHop, datagram, clock.getAsLong())) {
            case SENT -> SendResult.SENT;
            case QUEUED -> SendResult.QUEUED;
            case DROPPED -> SendResult.DROPPED;
        };
    }

    private final byte[] groupMac = new byte[6];

    /** Cuts {@code segment} (transport header + payload, checksum already final) into fragments. */
    private SendResult fragment(PacketBuffer segment, NetInterface iface, int nextHop, int src, int dst, int protocol,
                                int ttl, int tos, int id) {
        int maxPayload = (iface.mtu() - Ipv4Header.MIN_LENGTH) & ~7;
        segment.linearize();
        byte[] d = segment.data();
        int length = segment.length();
        SendResult result = SendResult.SENT;
        for (int offset = 0; offset < length; offset += maxPayload) {
            int n = Math.min(maxPayload, length - offset);
            boolean more = offset + n < length;
            PacketBuffer f = allocate(n);
            f.append(d, segment.start() + offset, n);
            int at = f.prepend(Ipv4Header.MIN_LENGTH);
            Ipv4Header.write(f.data(), at, tos, Ipv4Header.MIN_LENGTH + n, id, (more ? Ipv4Header.FLAG_MF : 0) | (offset >>> 3),
                    ttl, protocol, src, dst);
            fragmentsSent.increment();
            SendResult r = output(iface, nextHop, dst, f);
            if (r != SendResult.SENT) result = r;
        }
        segment.release();
        return result;
    }

    /** The route toward {@code dst}; the limited broadcast and multicast go out of the first interface with an address. */
    public RoutingTable.Route route(int dst) {
        RoutingTable.Route r = routes.lookup(dst);
        if (r != null) return r;
        if (dst == Ipv4Address.BROADCAST || Ipv4Address.isMulticast(dst)) {
            for (NetInterface i : interfaces) if (!i.addresses().isEmpty()) return onLink(i);
            if (!interfaces.isEmpty()) return onLink(interfaces.get(0));
        }
        for (int i = 0; i < interfaces.size(); i++) if (interfaces.get(i).hasAddress(dst)) return onLink(interfaces.get(i));
        return null;
    }

    // "Send it out of this interface, on the link": one per interface, made once.
    private RoutingTable.Route[] onLink = new RoutingTable.Route[0];

    private RoutingTable.Route onLink(NetInterface iface) {
        if (iface.index() >= onLink.length) onLink = java.util.Arrays.copyOf(onLink, iface.index() + 1);
        RoutingTable.Route r = onLink[iface.index()];
        if (r == null) onLink[iface.index()] = r = new RoutingTable.Route(0, 0, 0, iface, 0);
        return r;
    }

    @Override public int sourceAddressFor(int dst) {
        if (isLocalAddress(dst)) return dst;
        RoutingTable.Route r = route(dst);
        return r == null ? 0 : r.iface().sourceFor(r.nextHop(dst));
    }

    /** The route's MTU toward {@code dst}, or the smaller path MTU learned for it (RFC 1191); 0 without a route. */
    @Override public int mtuFor(int dst) {
        RoutingTable.Route r = route(dst);
        if (r == null) return 0;
        int mtu = r.iface().mtu();
        if (pathMtus.isEmpty()) return mtu;
        long[] learned = pathMtus.get(dst);
        if (learned == null) return mtu;
        if (clock.getAsLong() - learned[1] >= PATH_MTU_AGE_NANOS) {
            pathMtus.remove(dst);   // aged out: the next large segment finds out whether the path grew
            return mtu;
        }
        return Math.min(mtu, (int) learned[0]);
    }

    /**
     * A router toward {@code dst} could not forward a datagram of {@code datagramLength} bytes with
     * Don't Fragment set and named {@code nextHopMtu}, or 0 if it predates RFC 1191 (then the next
     * plateau below the datagram's length is assumed). Returns whether the path MTU went down. A
     * next-hop MTU the datagram would have fitted is no reason to shrink anything: it is ignored.
     */
    public boolean learnPathMtu(int dst, int nextHopMtu, int datagramLength) {
        if (nextHopMtu != 0 && nextHopMtu >= datagramLength) return false;
        int mtu = Math.max(nextHopMtu == 0 ? plateauBelow(datagramLength) : nextHopMtu, MIN_PATH_MTU);
        if (mtu >= mtuFor(dst)) return false;
        pathMtus.put(dst, new long[] {mtu, clock.getAsLong()});
        pathMtuLowered.increment();
        return true;
    }

    static int plateauBelow(int length) {
        for (int p : MTU_PLATEAUS) if (p < length) return p;
        return 68;
    }

    @Override public boolean segmentationOffloadFor(int dst) {
        RoutingTable.Route r = route(dst);
        return r != null && !isLocalAddress(dst) && r.iface().device().features().contains(NetDevice.Feature.TSO);
    }

    /** Forward progress toward {@code dst} (TCP's ACKs): its next hop is reachable ({@link ArpLayer#confirm}). */
    @Override public void confirmNeighbour(int dst) {
        RoutingTable.Route r = route(dst);
        if (r != null && !isLocalAddress(dst)) arp.confirm(r.iface(), r.nextHop(dst), clock.getAsLong());
    }

    @Override public boolean isLocalAddress(int addr) {
        for (int i = 0; i < interfaces.size(); i++) if (interfaces.get(i).hasAddress(addr)) return true;
        return false;
    }

    // ---- timers ----------------------------------------------------------------------------

    /** Delivers looped-back datagrams and expires reassemblies; returns the next deadline. */
    public long poll(long now) {
        for (int n = loopback.size(); n > 0; n--) {
            PacketBuffer b = loopback.poll();
            b.rxChecksum(PacketBuffer.RxChecksum.GOOD);
            ip.wrap(b.data(), b.start());
            NetInterface owner = null;
            for (NetInterface i : interfaces) if (i.hasAddress(ip.destination())) owner = i;
            if (owner == null) { b.release(); continue; }
            input(owner, b, now, false);
        }
        long next = reassembler.poll(now);
        return loopback.isEmpty() ? next : now;
    }

    private static void drop(PacketBuffer buf, Counter reason) {
        reason.increment();
        buf.release();
    }
}

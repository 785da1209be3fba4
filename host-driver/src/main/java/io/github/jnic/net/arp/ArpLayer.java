package io.github.jnic.net.arp;

import io.github.jnic.net.buf.BufferPool;
import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.net.eth.EthernetLayer;
import io.github.jnic.net.eth.NetInterface;
import io.github.jnic.net.stats.Counter;
import io.github.jnic.net.stats.Counters;
import io.github.jnic.net.wire.ArpPacket;
import io.github.jnic.net.wire.Bytes;
import io.github.jnic.net.wire.EthernetFrame;
import io.github.jnic.net.wire.Ipv4Address;
import io.github.jnic.net.wire.MacAddress;

/**
 * ARP (RFC 826) for IPv4 over Ethernet: answers requests for our addresses, resolves next hops
 * with a cache whose entries age out, parks a bounded number of packets per unresolved neighbour
 * while requests are retried, and announces addresses with gratuitous ARP. Stack thread only.
 */
public final class ArpLayer implements EthernetLayer.Protocol {

    /** Told about each packet dropped because its next hop never answered (to report "host unreachable"). */
    @FunctionalInterface
    public interface UnresolvedListener {
        void unresolved(NetInterface iface, int nextHop, PacketBuffer packet, long now);
    }

    /** The answer to {@link #probe}: whether another host uses the address. Called on the stack thread. */
    @FunctionalInterface
    public interface ProbeResult {
        void done(int address, boolean inUse);
    }

    /** An address being checked before use (RFC 5227: 3 probes 1 s apart, then 2 s of listening). */
    private static final class Probe {
        final NetInterface iface;
        final int address;
        final ProbeResult result;
        int sent;
        long next;

        Probe(NetInterface iface, int address, ProbeResult result, long now) {
            this.iface = iface;
            this.address = address;
            this.result = result;
            this.next = now;
        }
    }

    private static final int PROBES = 3;
    private static final long PROBE_INTERVAL = 1_000_000_000L, ANNOUNCE_WAIT = 2_000_000_000L;

    /** Outcome of {@link #send}. */
    public enum Result { SENT, QUEUED, DROPPED }

    private static final int FREE = 0, INCOMPLETE = 1, REACHABLE = 2, STATIC = 3;

    private static final class Entry {
        NetInterface iface;
        int ip;
        final byte[] mac = new byte[6];
        int state = FREE;
        long expires;
        long nextRetry;
        int retries;
        PacketBuffer[] queue;
        int queued;
    }

    private final EthernetLayer eth;
    private final BufferPool pool;
    private final ArpPacket arp = new ArpPacket();
    private final Entry[] entries;
    private final int queueLimit;
    private long reachableNanos = 60_000_000_000L;
    private long retryNanos = 1_000_000_000L;
    private int maxRequests = 3;
    private final java.util.List<Probe> probes = new java.util.ArrayList<>();
    private long timerDue = Long.MAX_VALUE;   // earliest retry or expiry: poll() scans only when it is due
    private Entry lastFound;                  // consecutive packets usually go to the same neighbour
    private UnresolvedListener unresolvedListener = (i, h, p, n) -> {};

    private final Counter requestsSent, repliesSent, cacheUpdates, gratuitous;
    private final Counter dropTruncated, dropFormat, dropOpcode, dropBadSender, dropNotForUs, dropQueueFull,
            dropUnresolved, dropCacheFull, dropConflict;

    public ArpLayer(EthernetLayer eth, BufferPool pool, Counters counters, int cacheSize, int queuePerNeighbour) {
        this.eth = eth;
        this.pool = pool;
        this.entries = new Entry[cacheSize];
        for (int i = 0; i < cacheSize; i++) entries[i] = new Entry();
        this.queueLimit = queuePerNeighbour;
        String l = "arp";
        requestsSent = counters.stat(l, "requests-sent", "ARP requests sent (retries and gratuitous included)");
        repliesSent = counters.stat(l, "replies-sent", "ARP replies sent");
        cacheUpdates = counters.stat(l, "cache-updates", "neighbour entries learned or refreshed");
        gratuitous = counters.stat(l, "gratuitous-seen", "gratuitous announcements from hosts not in the cache (not learned)");
        dropTruncated = counters.drop(l, "truncated", "ARP packet shorter than 28 bytes");
        dropFormat = counters.drop(l, "unsupported-format", "hardware/protocol type or lengths other than Ethernet/IPv4");
        dropOpcode = counters.drop(l, "bad-opcode", "operation neither request nor reply");
        dropBadSender = counters.drop(l, "bad-sender", "sender MAC multicast or sender IP invalid");
        dropNotForUs = counters.drop(l, "not-for-us", "request or reply about an address that is not ours (not learned)");
        dropQueueFull = counters.drop(l, "queue-full", "packet waiting for resolution dropped: per-neighbour queue full");
        dropUnresolved = counters.drop(l, "unresolved", "packet dropped: the next hop never answered ARP");
        dropCacheFull = counters.drop(l, "cache-full", "no free neighbour entry (all incomplete)");
        dropConflict = counters.drop(l, "address-conflict", "another host claims one of our addresses");
    }

    public ArpLayer timeouts(long reachableNanos, long retryNanos, int maxRequests) {
        this.reachableNanos = reachableNanos;
        this.retryNanos = retryNanos;
        this.maxRequests = maxRequests;
        return this;
    }

    public void setUnresolvedListener(UnresolvedListener l) { this.unresolvedListener = l; }

    // ---- receive ---------------------------------------------------------------------------

    @Override public void receive(NetInterface iface, PacketBuffer buf, long now) {
        try {
            handle(iface, buf, now);
        } finally {
            buf.release();
        }
    }

    private void handle(NetInterface iface, PacketBuffer buf, long now) {
        if (buf.length() < ArpPacket.LENGTH) { dropTruncated.increment(); return; }
        arp.wrap(buf.data(), buf.start());
        if (!arp.isEthernetIpv4()) { dropFormat.increment(); return; }
        int op = arp.operation();
        if (op != ArpPacket.OP_REQUEST && op != ArpPacket.OP_REPLY) { dropOpcode.increment(); return; }
        byte[] b = arp.data();
        int sha = arp.senderHardwareOffset();
        int spa = arp.senderProtocolAddress();
        int tpa = arp.targetProtocolAddress();
        if (MacAddress.isMulticast(b, sha) || Ipv4Address.isBadSource(spa)) { dropBadSender.increment(); return; }
        if (!probes.isEmpty()) checkProbes(iface, op, b, sha, spa, tpa);
        if (spa != 0 && iface.hasAddress(spa)) {
            if (!java.util.Arrays.equals(iface.mac(), 0, 6, b, sha, sha + 6)) dropConflict.increment();
            return;
        }
        // RFC 826 merge: refresh what we already know about the sender, whoever the packet is for.
        boolean merged = spa != 0 && update(iface, spa, b, sha, now, false);
        if (!iface.hasAddress(tpa)) {
            if (spa == tpa) gratuitous.increment();
            else if (!merged) dropNotForUs.increment();
            return;
        }
        if (!merged && spa != 0) update(iface, spa, b, sha, now, true);
        if (op == ArpPacket.OP_REQUEST) {
            PacketBuffer reply = pool.take();
            int at = reply.append(ArpPacket.LENGTH);
            ArpPacket.write(reply.data(), at, ArpPacket.OP_REPLY, iface.mac(), tpa, b, sha, spa);
            if (eth.transmit(iface, reply, b, sha, EthernetFrame.TYPE_ARP)) repliesSent.increment();
        }
    }

    /** Records {@code ip -> mac}; creates the entry only if {@code create}. Flushes packets that waited. */
    private boolean update(NetInterface iface, int ip, byte[] mac, int macOff, long now, boolean create) {
        Entry e = find(iface, ip);
        if (e == null) {
            if (!create) return false;
            e = allocate(iface, ip, now);
            if (e == null) return false;
        }
        if (e.state == STATIC) return true;
        System.arraycopy(mac, macOff, e.mac, 0, 6);
        e.state = REACHABLE;
        e.expires = now + reachableNanos;
        timerDue = Math.min(timerDue, e.expires);
        cacheUpdates.increment();
        for (int i = 0; i < e.queued; i++) {
            PacketBuffer p = e.queue[i];
            e.queue[i] = null;
            eth.transmit(iface, p, e.mac, 0, EthernetFrame.TYPE_IPV4);
        }
        e.queued = 0;
        return true;
    }

    // ---- send ------------------------------------------------------------------------------

    /** Sends an IPv4 packet to {@code nextHop} on {@code iface}, resolving it first if needed. Takes ownership. */
    public Result send(NetInterface iface, int nextHop, PacketBuffer packet, long now) {
        Entry e = find(iface, nextHop);
        if (e != null && (e.state == STATIC || (e.state == REACHABLE && now < e.expires))) {
            return eth.transmit(iface, packet, e.mac, 0, EthernetFrame.TYPE_IPV4) ? Result.SENT : Result.DROPPED;
        }
        if (e == null) {
            e = allocate(iface, nextHop, now);
            if (e == null) { dropCacheFull.increment(); packet.release(); return Result.DROPPED; }
        }
        if (e.state != INCOMPLETE) {   // new, or expired: resolve (again)
            e.state = INCOMPLETE;
            e.retries = 0;
            e.nextRetry = now;
        }
        if (e.queued == queueLimit) { dropQueueFull.increment(); packet.release(); return Result.DROPPED; }
        if (e.queue == null) e.queue = new PacketBuffer[queueLimit];
        packet.linearize();   // it waits, and the sender's bytes move on
        e.queue[e.queued++] = packet;
        if (e.nextRetry <= now) request(e, now);
        return Result.QUEUED;
    }

    private void request(Entry e, long now) {
        e.retries++;
        e.nextRetry = now + retryNanos;
        timerDue = Math.min(timerDue, e.nextRetry);
        sendRequest(e.iface, e.iface.sourceFor(e.ip), e.ip);
    }

    private void sendRequest(NetInterface iface, int spa, int tpa) {
        PacketBuffer req = pool.take();
        int at = req.append(ArpPacket.LENGTH);
        ArpPacket.write(req.data(), at, ArpPacket.OP_REQUEST, iface.mac(), spa, null, 0, tpa);
        if (eth.broadcast(iface, req, EthernetFrame.TYPE_ARP)) requestsSent.increment();
    }

    /** Gratuitous ARP: announces {@code address} on {@code iface} so neighbours update their caches. */
    public void announce(NetInterface iface, int address) {
        sendRequest(iface, address, address);
    }

    /**
     * Checks that no other host uses {@code address} before this host takes it (RFC 5227, for DHCP):
     * sends ARP probes (sender address 0) and reports through {@code result}, at once when another
     * host answers or probes for the same address, else after about 4 s.
     */
    public void probe(NetInterface iface, int address, long now, ProbeResult result) {
        probes.add(new Probe(iface, address, result, now));
        timerDue = Math.min(timerDue, now);
    }

    private void checkProbes(NetInterface iface, int op, byte[] b, int sha, int spa, int tpa) {
        if (Bytes.equal(b, sha, iface.mac(), 0, 6)) return;   // our own probe, looped back
        for (int i = 0; i < probes.size(); i++) {
            Probe p = probes.get(i);
            boolean used = p.iface == iface && (spa == p.address || (spa == 0 && op == ArpPacket.OP_REQUEST && tpa == p.address));
            if (used) {
                probes.remove(i--);
                p.result.done(p.address, true);
            }
        }
    }

    private long pollProbes(long now) {
        long next = Long.MAX_VALUE;
        for (int i = 0; i < probes.size(); i++) {
            Probe p = probes.get(i);
            if (p.next <= now) {
                if (p.sent == PROBES) {
                    probes.remove(i--);
                    p.result.done(p.address, false);
                    continue;
                }
                sendRequest(p.iface, 0, p.address);
                p.sent++;
                p.next = now + (p.sent == PROBES ? ANNOUNCE_WAIT : PROBE_INTERVAL);
            }
            next = Math.min(next, p.next);
        }
        return next;
    }

    /** Adds a permanent entry (never aged, never replaced by what the network says). */
    public void addStatic(NetInterface iface, int ip, byte[] mac, long now) {
        Entry e = find(iface, ip);
        if (e == null) e = allocate(iface, ip, now);
        if (e == null) throw new IllegalStateException("ARP cache full");
        update(iface, ip, mac, 0, now, true);
        e.state = STATIC;
    }

    /** The cached MAC for {@code ip} (a copy), or null if unknown or expired. */
    public byte[] lookup(NetInterface iface, int ip, long now) {
        Entry e = find(iface, ip);
        if (e == null || !(e.state == STATIC || (e.state == REACHABLE && now < e.expires))) return null;
        return e.mac.clone();
    }

    // ---- timers ----------------------------------------------------------------------------

    /** Retries requests, gives up on silent neighbours, ages entries out; returns the next deadline. */
    public long poll(long now) {
        if (now < timerDue) return timerDue;
        long next = pollProbes(now);
        for (Entry e : entries) {
            switch (e.state) {
                case INCOMPLETE -> {
                    if (e.nextRetry <= now) {
                        if (e.retries >= maxRequests) { fail(e, now); continue; }
                        request(e, now);
                    }
                    next = Math.min(next, e.nextRetry);
                }
                case REACHABLE -> {
                    if (e.expires <= now) e.state = FREE;
                    else next = Math.min(next, e.expires);
                }
                default -> { }
            }
        }
        timerDue = next;
        return next;
    }

    private void fail(Entry e, long now) {
        for (int i = 0; i < e.queued; i++) {
            PacketBuffer p = e.queue[i];
            e.queue[i] = null;
            dropUnresolved.increment();
            unresolvedListener.unresolved(e.iface, e.ip, p, now);
            p.release();
        }
        e.queued = 0;
        e.state = FREE;
    }

    private Entry find(NetInterface iface, int ip) {
        Entry last = lastFound;
        if (last != null && last.state != FREE && last.ip == ip && last.iface == iface) return last;
        for (Entry e : entries) {
            if (e.state != FREE && e.ip == ip && e.iface == iface) {
                lastFound = e;
                return e;
            }
        }
        return null;
    }

    /** A free entry, else the reachable one closest to expiry; null if all are incomplete or static. */
    private Entry allocate(NetInterface iface, int ip, long now) {
        Entry victim = null;
        for (Entry e : entries) {
            if (e.state == FREE) { victim = e; break; }
            if (e.state == REACHABLE && (victim == null || e.expires < victim.expires)) victim = e;
        }
        if (victim == null) return null;
        victim.iface = iface;
        victim.ip = ip;
        victim.state = INCOMPLETE;
        victim.retries = 0;
        victim.nextRetry = now;
        victim.queued = 0;
        timerDue = Math.min(timerDue, now);
        return victim;
    }
}

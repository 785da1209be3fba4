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
 * ARP (RFC 826) for IPv4 over Ethernet: answers requests for our addresses, resolves next hops,
 * and announces addresses with gratuitous ARP. Neighbours live through Linux's NUD states (RFC 1122
 * 2.3.2.1, RFC 4861 7.3 for the same machine in IPv6): REACHABLE while recently confirmed (an ARP
 * reply to us, or forward progress an upper layer reports through {@link #confirm}), then STALE;
 * a stale entry is still used, and its first use starts DELAY and then PROBE, unicast requests to
 * the MAC it knows, while packets keep flowing to that MAC. Only a neighbour never resolved
 * (INCOMPLETE) makes packets wait, in a queue bounded in bytes. Stack thread only.
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

    /** A neighbour's state, as Linux's {@code ip neigh} names them (PERMANENT: added by {@link #addStatic}). */
    public enum State { FREE, INCOMPLETE, REACHABLE, STALE, DELAY, PROBE, PERMANENT }

    /** Linux's neighbour-table defaults (net.ipv4.neigh.default.*). */
    public static final long DEFAULT_REACHABLE_NANOS = 30_000_000_000L;    // base_reachable_time
    public static final long DEFAULT_DELAY_NANOS = 5_000_000_000L;         // delay_first_probe_time
    public static final long GC_STALE_NANOS = 60_000_000_000L;             // gc_stale_time
    public static final int UNICAST_PROBES = 3;                            // ucast_solicit
    public static final int DEFAULT_QUEUE_BYTES = 212_992;                 // unres_qlen_bytes
    /** Added to each parked packet's length when the queue's bytes are counted (the buffer around it). */
    static final int PACKET_OVERHEAD = 256;
    /** A reachable time at least this long never ages (aging off). */
    public static final long NEVER = Long.MAX_VALUE / 4;

    private static final class Entry {
        NetInterface iface;
        int ip;
        final byte[] mac = new byte[6];
        State state = State.FREE;
        long confirmed;     // last confirmation (ARP reply to us, or an upper layer's forward progress)
        long reachableFor;  // this entry's reachable time, randomized around the base as Linux does
        long used;          // last packet sent through it
        long timer;         // when the state's next step is due
        int retries;        // requests (INCOMPLETE) or unicast probes (PROBE) sent
        PacketBuffer[] queue;
        int queued;
        int queuedBytes;
    }

    private final EthernetLayer eth;
    private final BufferPool pool;
    private final ArpPacket arp = new ArpPacket();
    private final Entry[] entries;
    private final int queueBytes;
    private final java.util.SplittableRandom random;
    private long reachableNanos = DEFAULT_REACHABLE_NANOS;
    private long delayNanos = DEFAULT_DELAY_NANOS;
    private long retryNanos = 1_000_000_000L;
    private int maxRequests = 3;
    private final java.util.List<Probe> probes = new java.util.ArrayList<>();
    private long timerDue = Long.MAX_VALUE;   // earliest timer of any entry: poll() scans only when it is due
    private Entry lastFound;                  // consecutive packets usually go to the same neighbour
    private UnresolvedListener unresolvedListener = (i, h, p, n) -> {};

    private final Counter requestsSent, probesSent, repliesSent, cacheUpdates, gratuitous, queuedPackets, becameStale;
    private final Counter dropTruncated, dropFormat, dropOpcode, dropBadSender, dropNotForUs, dropQueueFull,
            dropUnresolved, dropCacheFull, dropConflict;

    /**
     * {@code queueBytes}: the most parked per unresolved neighbour, each packet counted as its
     * length and {@value #PACKET_OVERHEAD} bytes (as Linux counts an skb's truesize); {@code seed} randomizes reachable times reproducibly.
     */
    public ArpLayer(EthernetLayer eth, BufferPool pool, Counters counters, int cacheSize, int queueBytes, long seed) {
        this.eth = eth;
        this.pool = pool;
        this.entries = new Entry[cacheSize];
        for (int i = 0; i < cacheSize; i++) entries[i] = new Entry();
        this.queueBytes = queueBytes;
        this.random = new java.util.SplittableRandom(seed ^ 0x6e7564L);
        String l = "arp";
        requestsSent = counters.stat(l, "requests-sent", "broadcast ARP requests sent (retries, gratuitous and RFC 5227 probes included)");
        probesSent = counters.stat(l, "probes-sent", "unicast requests re-validating a stale neighbour (PROBE state)");
        repliesSent = counters.stat(l, "replies-sent", "ARP replies sent");
        cacheUpdates = counters.stat(l, "cache-updates", "neighbour entries learned or refreshed");
        gratuitous = counters.stat(l, "gratuitous-seen", "gratuitous announcements from hosts not in the cache (not learned)");
        queuedPackets = counters.stat(l, "queued", "packets parked waiting for a neighbour to be resolved");
        becameStale = counters.stat(l, "became-stale", "entries whose reachable time passed without confirmation (still used)");
        dropTruncated = counters.drop(l, "truncated", "ARP packet shorter than 28 bytes");
        dropFormat = counters.drop(l, "unsupported-format", "hardware/protocol type or lengths other than Ethernet/IPv4");
        dropOpcode = counters.drop(l, "bad-opcode", "operation neither request nor reply");
        dropBadSender = counters.drop(l, "bad-sender", "sender MAC multicast, or sender IP multicast, broadcast or loopback");
        dropNotForUs = counters.drop(l, "not-for-us", "request or reply about an address that is not ours (not learned)");
        dropQueueFull = counters.drop(l, "queue-full", "packet waiting for resolution dropped: the neighbour's queue holds its bytes' worth");
        dropUnresolved = counters.drop(l, "unresolved", "packet dropped: the next hop never answered ARP");
        dropCacheFull = counters.drop(l, "cache-full", "no free neighbour entry (all incomplete)");
        dropConflict = counters.drop(l, "address-conflict", "another host claims one of our addresses");
    }

    /** Base reachable time ({@link #NEVER} or more: entries never go stale), retry interval, broadcast requests before giving up. */
    public ArpLayer timeouts(long reachableNanos, long retryNanos, int maxRequests) {
        this.reachableNanos = reachableNanos;
        this.retryNanos = retryNanos;
        this.maxRequests = maxRequests;
        return this;
    }

    /** The base reachable time (Linux's base_reachable_time); {@link #NEVER} turns aging off. */
    public ArpLayer reachableTime(long nanos) {
        this.reachableNanos = nanos;
        return this;
    }

    /** How long a stale entry in use waits for a confirmation before probing (Linux's delay_first_probe_time). */
    public ArpLayer delayFirstProbe(long nanos) {
        this.delayNanos = nanos;
        return this;
    }

    /** Forgets what is known of {@code ip} (as {@code ip neigh del}); a neighbour being resolved is left alone. */
    public void forget(NetInterface iface, int ip) {
        Entry e = find(iface, ip);
        if (e != null && e.state != State.INCOMPLETE) e.state = State.FREE;
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
        if (MacAddress.isMulticast(b, sha) || Ipv4Address.isBadSource(spa) || Ipv4Address.isLoopback(spa) || iface.isBroadcast(spa)) {
            dropBadSender.increment();
            return;
        }
        if (!probes.isEmpty()) checkProbes(iface, op, b, sha, spa, tpa);
        if (spa != 0 && iface.hasAddress(spa)) {
            if (!java.util.Arrays.equals(iface.mac(), 0, 6, b, sha, sha + 6)) dropConflict.increment();
            return;
        }
        // Only a reply sent to us proves the neighbour reachable; requests and broadcast replies
        // tell only its MAC (as Linux's arp_process).
        boolean proof = op == ArpPacket.OP_REPLY && Bytes.equal(b, arp.targetHardwareOffset(), iface.mac(), 0, 6);
        // RFC 826 merge: refresh what we already know about the sender, whoever the packet is for.
        boolean merged = spa != 0 && update(iface, spa, b, sha, proof, now, false);
        if (!iface.hasAddress(tpa)) {
            if (spa == tpa) gratuitous.increment();
            else if (!merged) dropNotForUs.increment();
            return;
        }
        if (!merged && spa != 0) update(iface, spa, b, sha, proof, now, true);
        if (op == ArpPacket.OP_REQUEST) {
            PacketBuffer reply = pool.take();
            int at = reply.append(ArpPacket.LENGTH);
            ArpPacket.write(reply.data(), at, ArpPacket.OP_REPLY, iface.mac(), tpa, b, sha, spa);
            if (eth.transmit(iface, reply, b, sha, EthernetFrame.TYPE_ARP)) repliesSent.increment();
        }
    }

    /**
     * Records {@code ip -> mac}; creates the entry only if {@code create}. A {@code proof} of
     * reachability makes it REACHABLE; otherwise a new or changed MAC makes it STALE and an
     * unchanged one keeps its state. Sends the packets that waited.
     */
    private boolean update(NetInterface iface, int ip, byte[] mac, int macOff, boolean proof, long now, boolean create) {
        Entry e = find(iface, ip);
        if (e == null) {
            if (!create) return false;
            e = allocate(iface, ip, now);
            if (e == null) return false;
        }
        if (e.state == State.PERMANENT) return true;
        boolean changed = e.state == State.INCOMPLETE || !Bytes.equal(e.mac, 0, mac, macOff, 6);
        System.arraycopy(mac, macOff, e.mac, 0, 6);
        if (proof) reachable(e, now);
        else if (changed) stale(e, now);
        cacheUpdates.increment();
        for (int i = 0; i < e.queued; i++) {
            PacketBuffer p = e.queue[i];
            e.queue[i] = null;
            eth.transmit(iface, p, e.mac, 0, EthernetFrame.TYPE_IPV4);
        }
        e.queued = 0;
        e.queuedBytes = 0;
        return true;
    }

    private void reachable(Entry e, long now) {
        if (e.state != State.REACHABLE) {
            // Linux picks a reachable time uniformly in [base/2, 3*base/2), so neighbours do not all age at once.
            e.reachableFor = reachableNanos >= NEVER ? NEVER : reachableNanos / 2 + random.nextLong(Math.max(1, reachableNanos));
        }
        e.state = State.REACHABLE;
        e.confirmed = now;
        schedule(e, now + e.reachableFor);
    }

    private void stale(Entry e, long now) {
        e.state = State.STALE;
        schedule(e, Math.max(now, e.used) + GC_STALE_NANOS);
    }

    private void schedule(Entry e, long at) {
        e.timer = at;
        timerDue = Math.min(timerDue, at);
    }

    /**
     * Forward progress toward {@code ip} (an ACK that advanced TCP's SND.UNA): the neighbour is
     * reachable, with no ARP traffic (Linux's dst_confirm). Unknown or unresolved neighbours are left alone.
     */
    public void confirm(NetInterface iface, int ip, long now) {
        Entry e = find(iface, ip);
        if (e == null) return;
        switch (e.state) {
            case REACHABLE -> e.confirmed = now;   // the timer finds it when it fires
            case STALE, DELAY, PROBE -> reachable(e, now);
            default -> { }
        }
    }

    // ---- send ------------------------------------------------------------------------------

    /** Sends an IPv4 packet to {@code nextHop} on {@code iface}, resolving it first if needed. Takes ownership. */
    public Result send(NetInterface iface, int nextHop, PacketBuffer packet, long now) {
        Entry e = find(iface, nextHop);
        if (e != null && e.state != State.INCOMPLETE) {
            e.used = now;
            if (e.state == State.STALE) {   // used again: re-validate, while packets keep going to the MAC we know
                e.state = State.DELAY;
                schedule(e, now + delayNanos);
            }
            return eth.transmit(iface, packet, e.mac, 0, EthernetFrame.TYPE_IPV4) ? Result.SENT : Result.DROPPED;
        }
        if (e == null) {
            e = allocate(iface, nextHop, now);
            if (e == null) { dropCacheFull.increment(); packet.release(); return Result.DROPPED; }
        }
        int size = packet.length() + PACKET_OVERHEAD;   // what it costs while it waits, as Linux's truesize
        if (e.queuedBytes + size > queueBytes) { dropQueueFull.increment(); packet.release(); return Result.DROPPED; }
        if (e.queue == null) e.queue = new PacketBuffer[16];
        if (e.queued == e.queue.length) e.queue = java.util.Arrays.copyOf(e.queue, e.queued * 2);
        packet.linearize();   // it waits, and the sender's bytes move on
        e.queue[e.queued++] = packet;
        e.queuedBytes += size;
        queuedPackets.increment();
        if (e.timer <= now) request(e, now);
        return Result.QUEUED;
    }

    private void request(Entry e, long now) {
        e.retries++;
        schedule(e, now + retryNanos);
        sendRequest(e.iface, e.iface.sourceFor(e.ip), e.ip);
    }

    private void sendRequest(NetInterface iface, int spa, int tpa) {
        PacketBuffer req = pool.take();
        int at = req.append(ArpPacket.LENGTH);
        ArpPacket.write(req.data(), at, ArpPacket.OP_REQUEST, iface.mac(), spa, null, 0, tpa);
        if (eth.broadcast(iface, req, EthernetFrame.TYPE_ARP)) requestsSent.increment();
    }

    /** PROBE: a request sent to the MAC we know (RFC 1122 2.3.2.1's unicast poll), not to everyone. */
    private void unicastProbe(Entry e, long now) {
        e.retries++;
        schedule(e, now + retryNanos);
        PacketBuffer req = pool.take();
        int at = req.append(ArpPacket.LENGTH);
        ArpPacket.write(req.data(), at, ArpPacket.OP_REQUEST, e.iface.mac(), e.iface.sourceFor(e.ip), null, 0, e.ip);
        if (eth.transmit(e.iface, req, e.mac, 0, EthernetFrame.TYPE_ARP)) probesSent.increment();
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
        update(iface, ip, mac, 0, true, now, true);
        e.state = State.PERMANENT;
    }

    /** The cached MAC for {@code ip} (a copy), or null if unknown or unresolved. Stale entries still answer. */
    public byte[] lookup(NetInterface iface, int ip, long now) {
        Entry e = find(iface, ip);
        if (e == null || e.state == State.INCOMPLETE) return null;
        return e.mac.clone();
    }

    /** The state of the neighbour {@code ip} on {@code iface} ({@link State#FREE} when unknown). */
    public State state(NetInterface iface, int ip) {
        Entry e = find(iface, ip);
        return e == null ? State.FREE : e.state;
    }

    // ---- timers ----------------------------------------------------------------------------

    /** Retries requests, gives up on silent neighbours, moves entries through their states; returns the next deadline. */
    public long poll(long now) {
        if (now < timerDue) return timerDue;
        long next = pollProbes(now);
        for (Entry e : entries) {
            if (e.state == State.FREE || e.state == State.PERMANENT) continue;
            if (e.timer <= now) step(e, now);
            if (e.state != State.FREE) next = Math.min(next, e.timer);
        }
        timerDue = next;
        return next;
    }

    /** An entry's timer fired. */
    private void step(Entry e, long now) {
        switch (e.state) {
            case INCOMPLETE -> {
                if (e.retries >= maxRequests) fail(e, now);
                else request(e, now);
            }
            case REACHABLE -> {
                long until = e.reachableFor >= NEVER ? Long.MAX_VALUE : e.confirmed + e.reachableFor;
                if (until > now) {
                    schedule(e, until);   // confirmed since the timer was set
                } else {
                    becameStale.increment();
                    stale(e, now);
                }
            }
            case STALE -> e.state = State.FREE;   // unused for gc_stale_time
            case DELAY -> {
                e.state = State.PROBE;
                e.retries = 0;
                unicastProbe(e, now);
            }
            case PROBE -> {
                // Unanswered: forget the MAC; the next packet resolves it afresh by broadcast.
                if (e.retries >= UNICAST_PROBES) e.state = State.FREE;
                else unicastProbe(e, now);
            }
            default -> { }
        }
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
        e.queuedBytes = 0;
        e.state = State.FREE;
    }

    private Entry find(NetInterface iface, int ip) {
        Entry last = lastFound;
        if (last != null && last.state != State.FREE && last.ip == ip && last.iface == iface) return last;
        for (Entry e : entries) {
            if (e.state != State.FREE && e.ip == ip && e.iface == iface) {
                lastFound = e;
                return e;
            }
        }
        return null;
    }

    /** A free entry, else the resolved one unused longest; null if all are incomplete or permanent. */
    private Entry allocate(NetInterface iface, int ip, long now) {
        Entry victim = null;
        for (Entry e : entries) {
            if (e.state == State.FREE) { victim = e; break; }
            if (e.state != State.INCOMPLETE && e.state != State.PERMANENT && (victim == null || e.used < victim.used)) victim = e;
        }
        if (victim == null) return null;
        victim.iface = iface;
        victim.ip = ip;
        victim.state = State.INCOMPLETE;
        victim.retries = 0;
        victim.used = now;
        victim.queued = 0;
        victim.queuedBytes = 0;
        schedule(victim, now);
        return victim;
    }
}

package io.github.jnic.net.ip;

import io.github.jnic.net.buf.BufferPool;
import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.net.stats.Counter;
import io.github.jnic.net.stats.Counters;
import io.github.jnic.net.wire.Ipv4Header;

/**
 * IPv4 fragment reassembly with bounded memory: at most {@code maxDatagrams} datagrams in progress
 * (each in one 64 KiB buffer, so memory never exceeds {@code maxDatagrams × 64 KiB}); the oldest is
 * evicted when a new one needs room; each expires after a timeout. Which 8-byte blocks have arrived
 * is kept in a bitmap, so fragments may come in any order; a fragment wholly received before is a
 * duplicate (dropped, the datagram kept), one that overlaps part of what arrived discards the whole
 * datagram (RFC 5722's rule, which Linux applies to IPv4 too: overlaps are how filters are evaded),
 * and so do fragments that would make it longer than 65 535 bytes. Stack thread only.
 */
final class Reassembler {
    /** Told when a datagram times out after its first fragment arrived (for ICMP time exceeded). */
    interface TimeoutListener {
        void timedOut(byte[] data, int headerOffset, int availableLength, long now);
    }

    private static final int MAX_DATAGRAM = 65535;
    /** Payload starts here in a slot's buffer; the first fragment's header is copied just before it. */
    private static final int PAYLOAD_AT = Ipv4Header.MAX_LENGTH;

    private static final class Slot {
        boolean used;
        int src, dst, protocol, id;
        PacketBuffer buf;
        final long[] blocks = new long[(MAX_DATAGRAM / 8 + 64) / 64];
        int payloadLength;       // -1 until the last fragment arrives
        int headerLength;        // 0 until the first fragment arrives
        int highest;             // highest payload byte received, for the time-exceeded quote
        long started;
        long deadline;
    }

    private final Slot[] slots;
    /** Slots in use: a poll with none (nearly every poll) has nothing to expire. */
    private int inUse;
    private final Ipv4Header header = new Ipv4Header();
    private final BufferPool pool;
    private final long timeoutNanos;
    private final TimeoutListener timeoutListener;
    private final Counter reassembled, dropBadFragment, dropEvicted, dropTimeout, dropInconsistent, dropTooLong, dropOverlap, dropDuplicate;

    Reassembler(int maxDatagrams, long timeoutNanos, Counters counters, TimeoutListener timeoutListener) {
        this.slots = new Slot[maxDatagrams];
        for (int i = 0; i < maxDatagrams; i++) slots[i] = new Slot();
        this.pool = new BufferPool(PAYLOAD_AT + MAX_DATAGRAM + 8, 0);
        this.timeoutNanos = timeoutNanos;
        this.timeoutListener = timeoutListener;
        String l = "ipv4";
        reassembled = counters.stat(l, "reassembled", "datagrams reassembled from fragments");
        dropBadFragment = counters.drop(l, "bad-fragment", "fragment with more to come that is empty or not a multiple of 8 bytes");
        dropEvicted = counters.drop(l, "reassembly-evicted", "partial datagram evicted to make room (memory bound)");
        dropTimeout = counters.drop(l, "reassembly-timeout", "partial datagram expired before all fragments arrived");
        dropInconsistent = counters.drop(l, "reassembly-inconsistent", "fragments disagree on the datagram's length");
        dropTooLong = counters.drop(l, "reassembly-too-long", "fragments would make a datagram longer than 65535 bytes (ping of death): all of it dropped");
        dropOverlap = counters.drop(l, "fragment-overlap", "fragment overlapping part of one received before: the whole datagram dropped");
        dropDuplicate = counters.drop(l, "fragment-duplicate", "fragment received before (the datagram goes on)");
    }

    /**
     * Adds the fragment in {@code frag} (window = IP header + payload, validated). Takes ownership.
     * Returns the whole datagram (window = header + payload, header fixed up) when this fragment
     * completes it, else null.
     */
    PacketBuffer add(PacketBuffer frag, Ipv4Header ip, long now) {
        int ihl = ip.headerLength();
        int offset = ip.fragmentOffset();
        int len = frag.length() - ihl;
        boolean more = ip.moreFragments();
        if ((more && (len & 7) != 0) || (more && len == 0)) {
            dropBadFragment.increment();
            frag.release();
            return null;
        }
        int end = offset + len;
        Slot s = find(ip.source(), ip.destination(), ip.protocol(), ip.identification());
        int hdr = offset == 0 ? ihl : s != null && s.headerLength != 0 ? s.headerLength : Ipv4Header.MIN_LENGTH;
        if (hdr + Math.max(end, s == null ? 0 : s.highest) > MAX_DATAGRAM) { drop(frag, s, dropTooLong); return null; }
        if (s == null) s = open(ip, now);
        int from = offset >>> 3, to = (end + 7) >>> 3;
        if (to > from) {
            int have = count(s.blocks, from, to);
            if (have == to - from) { dropDuplicate.increment(); frag.release(); return null; }
            if (have > 0) { drop(frag, s, dropOverlap); return null; }
        }
        byte[] d = s.buf.data();
        if (!more) {
            if ((s.payloadLength >= 0 && s.payloadLength != end) || s.highest > end) { drop(frag, s, dropInconsistent); return null; }
            s.payloadLength = end;
        } else if (s.payloadLength >= 0 && end > s.payloadLength) {
            drop(frag, s, dropInconsistent);
            return null;
        }
        if (offset == 0 && s.headerLength == 0) {
            s.headerLength = ihl;
            System.arraycopy(frag.data(), frag.start(), d, PAYLOAD_AT - ihl, ihl);
        }
        System.arraycopy(frag.data(), frag.start() + ihl, d, PAYLOAD_AT + offset, len);
        frag.release();
        s.highest = Math.max(s.highest, end);
        mark(s.blocks, from, to);
        if (s.payloadLength < 0 || s.headerLength == 0 || !complete(s.blocks, (s.payloadLength + 7) >>> 3)) return null;

        PacketBuffer whole = s.buf;
        s.buf = null;
        s.used = false;
        inUse--;
        int start = PAYLOAD_AT - s.headerLength;
        whole.window(start, PAYLOAD_AT + s.payloadLength);
        Ipv4Header h = header.wrap(d, start);
        h.setTotalLength(s.headerLength + s.payloadLength);   // at most 65535: checked fragment by fragment
        h.setFlagsAndOffset(0);
        h.fillChecksum();
        reassembled.increment();
        return whole;
    }

    private Slot find(int src, int dst, int protocol, int id) {
        for (Slot s : slots) if (s.used && s.id == id && s.src == src && s.dst == dst && s.protocol == protocol) return s;
        return null;
    }

    private Slot open(Ipv4Header ip, long now) {
        Slot s = null;
        for (Slot c : slots) {
            if (!c.used) { s = c; break; }
            if (s == null || c.started < s.started) s = c;
        }
        if (s.used) {
            dropEvicted.increment();
            discard(s);
        }
        s.used = true;
        inUse++;
        s.src = ip.source();
        s.dst = ip.destination();
        s.protocol = ip.protocol();
        s.id = ip.identification();
        s.buf = pool.take(0);
        java.util.Arrays.fill(s.blocks, 0);
        s.payloadLength = -1;
        s.headerLength = 0;
        s.highest = 0;
        s.started = now;
        s.deadline = now + timeoutNanos;
        return s;
    }

    /** Drops a fragment and the whole datagram it belongs to (if one is in progress). */
    private void drop(PacketBuffer frag, Slot s, Counter reason) {
        reason.increment();
        frag.release();
        if (s != null) discard(s);
    }

    private void discard(Slot s) {
        if (s.used) inUse--;
        s.used = false;
        if (s.buf != null) s.buf.release();
        s.buf = null;
    }

    /** Expires old datagrams; returns the next deadline. */
    long poll(long now) {
        long next = Long.MAX_VALUE;
        if (inUse == 0) return next;
        for (Slot s : slots) {
            if (!s.used) continue;
            if (s.deadline <= now) {
                dropTimeout.increment();
                if (s.headerLength != 0) {
                    int at = PAYLOAD_AT - s.headerLength;
                    timeoutListener.timedOut(s.buf.data(), at, s.headerLength + Math.min(s.highest, 8), now);
                }
                discard(s);
            } else {
                next = Math.min(next, s.deadline);
            }
        }
        return next;
    }

    private static void mark(long[] bits, int from, int to) {
        for (int i = from; i < to; i++) bits[i >>> 6] |= 1L << (i & 63);
    }

    /** How many of blocks {@code [from, to)} have arrived. */
    private static int count(long[] bits, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) if ((bits[i >>> 6] & (1L << (i & 63))) != 0) n++;
        return n;
    }

    private static boolean complete(long[] bits, int blocks) {
        int full = blocks >>> 6;
        for (int i = 0; i < full; i++) if (bits[i] != -1L) return false;
        int rest = blocks & 63;
        return rest == 0 || (bits[full] & ((1L << rest) - 1)) == ((1L << rest) - 1);
    }
}

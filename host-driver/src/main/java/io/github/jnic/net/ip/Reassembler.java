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
 * is kept in a bitmap, so overlaps, duplicates and any arrival order are handled. Stack thread only.
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
    private final Ipv4Header header = new Ipv4Header();
    private final BufferPool pool;
    private final long timeoutNanos;
    private final TimeoutListener timeoutListener;
    private final Counter reassembled, dropBadFragment, dropEvicted, dropTimeout, dropTooLong;

    Reassembler(int maxDatagrams, long timeoutNanos, Counters counters, TimeoutListener timeoutListener) {
        this.slots = new Slot[maxDatagrams];
        for (int i = 0; i < maxDatagrams; i++) slots[i] = new Slot();
        this.pool = new BufferPool(PAYLOAD_AT + MAX_DATAGRAM + 8, 0);
        this.timeoutNanos = timeoutNanos;
        this.timeoutListener = timeoutListener;
        String l = "ipv4";
        reassembled = counters.stat(l, "reassembled", "datagrams reassembled from fragments");
        dropBadFragment = counters.drop(l, "bad-fragment", "fragment not a multiple of 8 bytes, or beyond 65535");
        dropEvicted = counters.drop(l, "reassembly-evicted", "partial datagram evicted to make room (memory bound)");
        dropTimeout = counters.drop(l, "reassembly-timeout", "partial datagram expired before all fragments arrived");
        dropTooLong = counters.drop(l, "reassembly-inconsistent", "fragments disagree on the datagram's length");
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
        if ((more && (len & 7) != 0) || offset + len > MAX_DATAGRAM - ihl || (more && len == 0)) {
            dropBadFragment.increment();
            frag.release();
            return null;
        }
        Slot s = find(ip.source(), ip.destination(), ip.protocol(), ip.identification());
        if (s == null) s = open(ip, now);
        byte[] d = s.buf.data();
        if (!more) {
            int total = offset + len;
            if ((s.payloadLength >= 0 && s.payloadLength != total) || s.highest > total) {
                dropTooLong.increment();
                frag.release();
                discard(s);
                return null;
            }
            s.payloadLength = total;
        } else if (s.payloadLength >= 0 && offset + len > s.payloadLength) {
            dropTooLong.increment();
            frag.release();
            discard(s);
            return null;
        }
        if (offset == 0 && s.headerLength == 0) {
            s.headerLength = ihl;
            System.arraycopy(frag.data(), frag.start(), d, PAYLOAD_AT - ihl, ihl);
        }
        System.arraycopy(frag.data(), frag.start() + ihl, d, PAYLOAD_AT + offset, len);
        frag.release();
        s.highest = Math.max(s.highest, offset + len);
        mark(s.blocks, offset >>> 3, (offset + len + 7) >>> 3);
        if (s.payloadLength < 0 || s.headerLength == 0 || !complete(s.blocks, (s.payloadLength + 7) >>> 3)) return null;

        PacketBuffer whole = s.buf;
        s.buf = null;
        s.used = false;
        int start = PAYLOAD_AT - s.headerLength;
        whole.window(start, PAYLOAD_AT + s.payloadLength);
        Ipv4Header h = header.wrap(d, start);
        h.setTotalLength(Math.min(0xffff, s.headerLength + s.payloadLength));
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

    private void discard(Slot s) {
        s.used = false;
        if (s.buf != null) s.buf.release();
        s.buf = null;
    }

    /** Expires old datagrams; returns the next deadline. */
    long poll(long now) {
        long next = Long.MAX_VALUE;
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

    private static boolean complete(long[] bits, int blocks) {
        int full = blocks >>> 6;
        for (int i = 0; i < full; i++) if (bits[i] != -1L) return false;
        int rest = blocks & 63;
        return rest == 0 || (bits[full] & ((1L << rest) - 1)) == ((1L << rest) - 1);
    }
}

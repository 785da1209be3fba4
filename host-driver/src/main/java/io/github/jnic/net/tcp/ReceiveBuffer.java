package io.github.jnic.net.tcp;

/**
 * Received bytes waiting for the application, and the out-of-order bytes beyond them: one ring,
 * with out-of-order data written straight to its final place. Positions are stream offsets
 * ({@code long}, never wrapping); the connection maps them to sequence numbers.
 *
 * <p>Memory is bounded twice: bytes by the ring (which is the receive window), and bookkeeping by
 * a fixed number of out-of-order ranges. A segment that would need one more range is refused and
 * the peer retransmits it later.
 */
final class ReceiveBuffer {
    private final byte[] ring;
    /** Ring index of the first unread byte. */
    private int head;
    /** In-order bytes not yet read. */
    private int readable;
    /** Stream position of the next in-order byte (RCV.NXT as a stream offset). */
    private long next;

    // Out-of-order ranges [start, end) as stream positions, sorted, disjoint, not touching, all > next.
    private final long[] starts;
    private final long[] ends;
    private int ranges;
    /** The range that took the latest segment: SACK reports it first (RFC 2018 section 4). */
    private long latestStart = -1;

    ReceiveBuffer(int capacity, int maxRanges) {
        this.ring = new byte[capacity];
        this.starts = new long[maxRanges];
        this.ends = new long[maxRanges];
    }

    int capacity() { return ring.length; }
    int readable() { return readable; }
    /** Room beyond the in-order bytes: the receive window. */
    int window() { return ring.length - readable; }
    long next() { return next; }
    int outOfOrderRanges() { return ranges; }
    boolean hasOutOfOrder() { return ranges > 0; }

    /**
     * Stores {@code src[off, off+len)}, which starts {@code offset >= 0} bytes after the next
     * in-order byte and must end inside the window. Returns how many bytes became in order (0 for
     * a segment that only fills beyond a hole), or -1 when it was refused for lack of ranges.
     */
    int accept(long offset, byte[] src, int off, int len) {
        if (offset < 0 || offset + len > window()) throw new IllegalArgumentException("segment outside window");
        if (len == 0) return 0;
        long start = next + offset;
        long end = start + len;
        if (offset > 0 && !addRange(start, end)) return -1;
        int at = (int) ((head + readable + offset) % ring.length);
        int first = Math.min(len, ring.length - at);
        System.arraycopy(src, off, ring, at, first);
        System.arraycopy(src, off + first, ring, 0, len - first);
        if (offset > 0) return 0;
        // In order: absorb the ranges it reaches.
        long reach = end;
        int absorbed = 0;
        while (absorbed < ranges && starts[absorbed] <= reach) {
            reach = Math.max(reach, ends[absorbed]);
            absorbed++;
        }
        removeFirst(absorbed);
        int advance = (int) (reach - next);
        next = reach;
        readable += advance;
        return advance;
    }

    /** Copies up to {@code len} in-order bytes to {@code dst[off]}; returns how many. */
    int read(byte[] dst, int off, int len) {
        int n = Math.min(len, readable);
        int first = Math.min(n, ring.length - head);
        System.arraycopy(ring, head, dst, off, first);
        System.arraycopy(ring, 0, dst, off + first, n - first);
        head = (head + n) % ring.length;
        readable -= n;
        return n;
    }

    /**
     * Writes up to {@code max} out-of-order ranges, the latest first then from the lowest, as
     * offsets from the next in-order byte; returns how many.
     */
    int sackRanges(long[] startOffsets, long[] endOffsets, int max) {
        int n = 0;
        int latest = -1;
        for (int i = 0; i < ranges; i++) if (starts[i] <= latestStart && latestStart < ends[i]) latest = i;
        if (latest >= 0 && n < max) {
            startOffsets[n] = starts[latest] - next;
            endOffsets[n++] = ends[latest] - next;
        }
        for (int i = 0; i < ranges && n < max; i++) {
            if (i == latest) continue;
            startOffsets[n] = starts[i] - next;
            endOffsets[n++] = ends[i] - next;
        }
        return n;
    }

    private boolean addRange(long start, long end) {
        // First range that ends at or after start (may merge), and the last that starts at or before end.
        int lo = 0;
        while (lo < ranges && ends[lo] < start) lo++;
        int hi = lo;
        while (hi < ranges && starts[hi] <= end) hi++;
        latestStart = start;
        if (lo == hi) {
            if (ranges == starts.length) return false;
            System.arraycopy(starts, lo, starts, lo + 1, ranges - lo);
            System.arraycopy(ends, lo, ends, lo + 1, ranges - lo);
            starts[lo] = start;
            ends[lo] = end;
            ranges++;
            return true;
        }
        starts[lo] = Math.min(start, starts[lo]);
        ends[lo] = Math.max(end, ends[hi - 1]);
        int removed = hi - lo - 1;
        System.arraycopy(starts, hi, starts, lo + 1, ranges - hi);
        System.arraycopy(ends, hi, ends, lo + 1, ranges - hi);
        ranges -= removed;
        return true;
    }

    private void removeFirst(int n) {
        if (n == 0) return;
        System.arraycopy(starts, n, starts, 0, ranges - n);
        System.arraycopy(ends, n, ends, 0, ranges - n);
        ranges -= n;
    }
}

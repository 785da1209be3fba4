package io.github.jnic.net.tcp;

/**
 * The bytes written by the application and not yet acknowledged: a ring over one array. The
 * first byte is the one at SND.UNA (or the first after the SYN); segments copy from any offset,
 * so retransmissions read the same bytes again.
 */
final class SendBuffer {
    private final byte[] ring;
    private int head;
    private int length;

    SendBuffer(int capacity) {
        this.ring = new byte[capacity];
    }

    int capacity() { return ring.length; }
    int length() { return length; }
    int free() { return ring.length - length; }

    /** Appends as much of {@code src[off, off+len)} as fits; returns how much. */
    int write(byte[] src, int off, int len) {
        int n = Math.min(len, free());
        int tail = (head + length) % ring.length;
        int first = Math.min(n, ring.length - tail);
        System.arraycopy(src, off, ring, tail, first);
        System.arraycopy(src, off + first, ring, 0, n - first);
        length += n;
        return n;
    }

    /** Copies {@code len} bytes starting {@code from} bytes after the head into {@code dst[at]}. */
    void copy(int from, byte[] dst, int at, int len) {
        if (from < 0 || len < 0 || from + len > length) throw new IndexOutOfBoundsException(from + "+" + len + " of " + length);
        int start = (head + from) % ring.length;
        int first = Math.min(len, ring.length - start);
        System.arraycopy(ring, start, dst, at, first);
        System.arraycopy(ring, 0, dst, at + first, len - first);
    }

    /** Drops {@code n} acknowledged bytes from the head. */
    void consume(int n) {
        if (n < 0 || n > length) throw new IndexOutOfBoundsException("consume " + n + " of " + length);
        head = (head + n) % ring.length;
        length -= n;
    }
}

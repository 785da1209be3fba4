package io.github.jnic.net.tcp;

/**
 * A byte ring over one array. A connection's send buffer is one (its first byte is the one at
 * SND.UNA, and segments copy from any offset, so retransmissions read the same bytes again); the
 * sockets' staging buffers between application threads and the stack thread are others, filled
 * and drained in place through {@link #tail()}/{@link #commit} and {@link #head()}/{@link #consume}.
 */
final class ByteRing {
    private final byte[] ring;
    private int head;
    private int length;

    ByteRing(int capacity) {
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

    /** Copies up to {@code len} bytes from the head to {@code dst[at]} and drops them; returns how many. */
    int take(byte[] dst, int at, int len) {
        int n = Math.min(len, length);
        copy(0, dst, at, n);
        consume(n);
        return n;
    }

    byte[] array() { return ring; }
    /** Array index of the first byte. */
    int head() { return head; }
    /** Bytes readable in place from {@link #head()} before the ring wraps. */
    int headRun() { return Math.min(length, ring.length - head); }
    /** Array index where the next byte goes. */
    int tail() { return (head + length) % ring.length; }
    /** Free bytes writable in place from {@link #tail()} before the ring wraps. */
    int tailRun() { return Math.min(free(), ring.length - tail()); }
    /** Counts {@code n} bytes written in place at {@link #tail()}. */
    void commit(int n) {
        if (n < 0 || n > tailRun()) throw new IndexOutOfBoundsException("commit " + n);
        length += n;
    }

    /** Drops {@code n} bytes from the head. */
    void consume(int n) {
        if (n < 0 || n > length) throw new IndexOutOfBoundsException("consume " + n + " of " + length);
        head = (head + n) % ring.length;
        length -= n;
    }
}

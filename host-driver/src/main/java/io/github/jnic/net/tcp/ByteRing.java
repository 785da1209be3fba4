package io.github.jnic.net.tcp;

import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.net.dev.Posix;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A byte ring over one buffer. A connection's send buffer is one (its first byte is the one at
 * SND.UNA, and segments copy from any offset, so retransmissions read the same bytes again); it
 * lives in native memory, so a device that gathers (Linux's scatter-gather) sends a segment's
 * payload straight from it. The sockets' staging buffers between application threads and the
 * stack thread are others, on the heap, filled and drained in place through
 * {@link #tail()}/{@link #commit} and {@link #head()}/{@link #consume}.
 */
final class ByteRing {
    private final ByteBuffer ring;
    /** Native address of a direct ring's first byte. */
    private final long address;
    private final int capacity;
    private int head;
    private int length;

    private ByteRing(ByteBuffer ring) {
        this.ring = ring;
        this.address = ring.isDirect() ? Posix.address(ring) : 0;   // heap: never gathered
        this.capacity = ring.capacity();
    }

    /** A ring on the Java heap, with {@link #array()} to fill or drain in place. */
    static ByteRing onHeap(int capacity) { return new ByteRing(ByteBuffer.allocate(capacity)); }

    /** A ring over {@code memory} (direct, its whole capacity), whose bytes a gathering device can send from. */
    static ByteRing direct(ByteBuffer memory) {
        if (!memory.isDirect()) throw new IllegalArgumentException("a send buffer lives in native memory");
        // Little-endian: the software checksum reads a segment's payload here in 64-bit words.
        return new ByteRing(memory.clear().order(ByteOrder.LITTLE_ENDIAN));
    }

    /** The buffer the ring lives in. */
    ByteBuffer memory() { return ring; }

    int capacity() { return capacity; }
    int length() { return length; }
    int free() { return capacity - length; }

    /** Appends as much of {@code src[off, off+len)} as fits; returns how much. */
    int write(byte[] src, int off, int len) {
        int n = Math.min(len, free());
        int tail = (head + length) % capacity;
        int first = Math.min(n, capacity - tail);
        ring.put(tail, src, off, first);
        ring.put(0, src, off + first, n - first);
        length += n;
        return n;
    }

    /** Copies {@code len} bytes starting {@code from} bytes after the head into {@code dst[at]}. */
    void copy(int from, byte[] dst, int at, int len) {
        int start = indexOf(from, len);
        int first = Math.min(len, capacity - start);
        ring.get(start, dst, at, first);
        ring.get(0, dst, at + first, len - first);
    }

    /**
     * Puts {@code len} bytes starting {@code from} bytes after the head of a {@linkplain #direct
     * direct} ring at {@code packet}'s {@code at} by reference (the packet gathers them when sent):
     * what lies after the ring's wrap as a second piece if the packet takes one more, else copied.
     */
    void copyTo(int from, PacketBuffer packet, int at, int len) {
        int start = indexOf(from, len);
        int first = Math.min(len, capacity - start);
        packet.gatherLater(ring, address, start, at, first);
        if (len > first && packet.canGatherMore()) packet.gatherLater(ring, address, 0, at + first, len - first);
        else ring.get(0, packet.data(), at + first, len - first);
    }

    /** The buffer index of the byte {@code from} after the head, checking that {@code len} bytes follow it. */
    private int indexOf(int from, int len) {
        if (from < 0 || len < 0 || from + len > length) throw new IndexOutOfBoundsException(from + "+" + len + " of " + length);
        return (head + from) % capacity;
    }

    /** Copies up to {@code len} bytes from the head to {@code dst[at]} and drops them; returns how many. */
    int take(byte[] dst, int at, int len) {
        int n = Math.min(len, length);
        copy(0, dst, at, n);
        consume(n);
        return n;
    }

    /** The backing array of a heap ring. */
    byte[] array() { return ring.array(); }
    /** Array index of the first byte. */
    int head() { return head; }
    /** Bytes readable in place from {@link #head()} before the ring wraps. */
    int headRun() { return Math.min(length, capacity - head); }
    /** Array index where the next byte goes. */
    int tail() { return (head + length) % capacity; }
    /** Free bytes writable in place from {@link #tail()} before the ring wraps. */
    int tailRun() { return Math.min(free(), capacity - tail()); }
    /** Counts {@code n} bytes written in place at {@link #tail()}. */
    void commit(int n) {
        if (n < 0 || n > tailRun()) throw new IndexOutOfBoundsException("commit " + n);
        length += n;
    }

    /** Drops {@code n} bytes from the head. */
    void consume(int n) {
        if (n < 0 || n > length) throw new IndexOutOfBoundsException("consume " + n + " of " + length);
        head = (head + n) % capacity;
        length -= n;
    }
}

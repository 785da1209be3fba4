package io.github.jnic.net.udp;

import io.github.jnic.net.wire.Bytes;

/**
 * A bounded FIFO of datagrams in one byte array: each record is a 10-byte header (length, address,
 * port) followed by the payload, wrapping around the end of the array. Not thread-safe: the socket
 * guards it with its {@code Readiness} lock. Allocates nothing after construction.
 */
final class DatagramRing {
    private static final int HEADER = 10;

    private final byte[] ring;
    private final byte[] header = new byte[HEADER];
    private int head;     // next record to read
    private int used;     // bytes in use
    private int count;    // records

    // The record read by the last poll.
    private int lastAddress;
    private int lastPort;
    private int lastLength;

    DatagramRing(int capacity) {
        this.ring = new byte[capacity];
    }

    boolean isEmpty() { return count == 0; }
    int count() { return count; }
    int capacity() { return ring.length; }

    /** Whether a datagram of {@code len} bytes fits now. */
    boolean fits(int len) { return used + HEADER + len <= ring.length; }

    /** Whether a datagram of {@code len} bytes could ever fit. */
    boolean canEverFit(int len) { return HEADER + len <= ring.length; }

    /** Appends a datagram; returns false (and changes nothing) when there is no room. */
    boolean offer(byte[] src, int off, int len, int address, int port) {
        if (!fits(len)) return false;
        Bytes.put32(header, 0, len);
        Bytes.put32(header, 4, address);
        Bytes.put16(header, 8, port);
        int tail = (head + used) % ring.length;
        tail = copyIn(header, 0, HEADER, tail);
        copyIn(src, off, len, tail);
        used += HEADER + len;
        count++;
        return true;
    }

    /** Length of the first datagram (the ring must not be empty). */
    int peekLength() {
        copyOut(head, header, 0, 4);
        return Bytes.get32(header, 0);
    }

    /**
     * Removes the first datagram, copying at most {@code max} bytes of it to {@code dst[off...]}
     * (the rest is discarded, as a too-small DatagramPacket truncates). Returns the bytes copied;
     * {@link #lastAddress()}/{@link #lastPort()}/{@link #lastLength()} describe it.
     */
    int poll(byte[] dst, int off, int max) {
        int at = copyOut(head, header, 0, HEADER);
        lastLength = Bytes.get32(header, 0);
        lastAddress = Bytes.get32(header, 4);
        lastPort = Bytes.get16(header, 8);
        int n = Math.min(max, lastLength);
        copyOut(at, dst, off, n);
        head = (head + HEADER + lastLength) % ring.length;
        used -= HEADER + lastLength;
        count--;
        if (count == 0) head = used = 0;
        return n;
    }

    int lastAddress() { return lastAddress; }
    int lastPort() { return lastPort; }
    /** Full length of the last datagram polled (may exceed what was copied). */
    int lastLength() { return lastLength; }

    void clear() { head = used = count = 0; }

    private int copyIn(byte[] src, int off, int len, int at) {
        int first = Math.min(len, ring.length - at);
        System.arraycopy(src, off, ring, at, first);
        System.arraycopy(src, off + first, ring, 0, len - first);
        return (at + len) % ring.length;
    }

    private int copyOut(int at, byte[] dst, int off, int len) {
        int first = Math.min(len, ring.length - at);
        System.arraycopy(ring, at, dst, off, first);
        System.arraycopy(ring, 0, dst, off + first, len - first);
        return (at + len) % ring.length;
    }
}

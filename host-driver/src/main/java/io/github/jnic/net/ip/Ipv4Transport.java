package io.github.jnic.net.ip;

import io.github.jnic.net.buf.PacketBuffer;

/**
 * A protocol above IPv4 (TCP, UDP, ...), as the IPv4 layer sees it. The stack thread calls these;
 * time is the stack's clock in nanoseconds, never the wall clock.
 */
public interface Ipv4Transport {

    /** The IP protocol number this transport handles (6 TCP, 17 UDP). */
    int protocol();

    /**
     * A datagram for this transport. The buffer's window holds the transport header and payload
     * (IP header trimmed, padding removed); {@link PacketBuffer#rxChecksum()} carries the device's
     * verdict. Ownership passes to the transport.
     */
    void receive(PacketBuffer segment, int src, int dst, long now);

    /**
     * An ICMP error (destination unreachable, time exceeded, ...) about a datagram this host sent.
     * {@code quoted[off, off+len)} holds the start of the offending datagram's transport header as
     * quoted in the ICMP message (at least 8 bytes).
     */
    void icmpError(int type, int code, int originalSrc, int originalDst, byte[] quoted, int off, int len, long now);

    /**
     * The stack starts handing over one batch of received frames (one device poll). A transport may
     * hold back what it would send in reply until {@link #endBatch}, to answer the batch at once.
     */
    default void beginBatch() { }

    /** The batch is over: send what {@link #beginBatch} held back. */
    default void endBatch(long now) { }

    /** Runs timers due at {@code now}; returns the next deadline, or {@link Long#MAX_VALUE} for none. */
    long poll(long now);
}

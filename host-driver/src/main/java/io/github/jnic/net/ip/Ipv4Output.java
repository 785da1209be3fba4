package io.github.jnic.net.ip;

import io.github.jnic.net.buf.PacketBuffer;

/**
 * What the IPv4 layer offers the transports above it (TCP, UDP, ICMP). Addresses are IPv4
 * addresses as big-endian {@code int}s. Called from the stack thread only.
 */
public interface Ipv4Output {

    /** Outcome of {@link #send}. */
    enum SendResult {
        /** Handed to a device (or fragmented and handed). */
        SENT,
        /** Parked waiting for ARP resolution of the next hop; will go out or be dropped and counted. */
        QUEUED,
        /** No route to the destination. */
        NO_ROUTE,
        /** Too big and Don't Fragment set, or the ARP queue is full, or the device queue is full. */
        DROPPED
    }

    /**
     * A buffer from the stack's pool with headroom for every header below the transport's and room
     * for {@code transportBytes} bytes (header + payload), with an empty window at that headroom.
     */
    PacketBuffer allocate(int transportBytes);

    /**
     * Sends {@code segment} (its window holds the transport header and payload) as one IPv4
     * datagram. Takes ownership of the buffer in every outcome. If the buffer carries a checksum or
     * segmentation request, the IP layer passes it to the device when the device offers it, and
     * otherwise does the work in software, so a transport may always ask.
     *
     * @param src      source address, or 0 to let {@link #sourceAddressFor} choose
     * @param ttl      time to live, or -1 for the default
     * @param dontFragment set DF (TCP does, for path MTU discovery)
     */
    SendResult send(PacketBuffer segment, int src, int dst, int protocol, int ttl, int tos, boolean dontFragment);

    /** The source address the routing table picks toward {@code dst}, or 0 when there is no route. */
    int sourceAddressFor(int dst);

    /** The MTU of the interface that {@code dst} is routed through (for MSS); 0 when there is no route. */
    int mtuFor(int dst);

    /** Whether the device toward {@code dst} segments TCP itself (so a transport may hand it large segments). */
    boolean segmentationOffloadFor(int dst);

    /** Whether {@code addr} is one of this host's own addresses. */
    boolean isLocalAddress(int addr);

    /**
     * A transport saw forward progress toward {@code dst} (an ACK advancing SND.UNA): the next hop
     * answers, so its neighbour entry need not be re-validated (Linux's dst_confirm).
     */
    default void confirmNeighbour(int dst) { }

    /** Whether {@code addr} is multicast, the limited broadcast, or the directed broadcast of one of this host's subnets. */
    default boolean isBroadcastOrMulticast(int addr) { return addr == -1 || (addr >>> 28) == 0xe; }
}

package io.github.jnic.net.dev;

import io.github.jnic.net.buf.PacketBuffer;
import java.util.Set;

/**
 * The small interface the stack needs from a network device: the simulated NIC, a Linux TAP device
 * and the in-memory link all sit behind it. Frames are whole Ethernet frames without FCS.
 *
 * <p>Called from the stack thread only.
 */
public interface NetDevice {

    /** Offloads a device may offer; the stack does in software whatever a device lacks. */
    enum Feature {
        /** Fills in a checksum per {@link PacketBuffer#requestChecksum} (Linux NETIF_F_HW_CSUM). */
        TX_CHECKSUM,
        /** Verifies TCP/UDP checksums on receive and reports {@link PacketBuffer#rxChecksum()}. */
        RX_CHECKSUM,
        /** Cuts large TCP segments per {@link PacketBuffer#requestSegmentation} (TSO). */
        TSO,
        /** Sends a frame whose payload is partly still to be gathered ({@link PacketBuffer#gatherLater}). */
        SCATTER_GATHER
    }

    /** Receives frames handed up by a device. Ownership of the buffer passes to the sink. */
    @FunctionalInterface
    interface FrameSink {
        void accept(PacketBuffer frame);
    }

    String name();

    /** The 6-byte MAC address. */
    byte[] macAddress();

    /** Largest IP datagram the link carries (1500 for Ethernet). */
    int mtu();

    boolean linkUp();

    Set<Feature> features();

    /**
     * Queues a frame for transmission, to leave now or at the next {@link #flush}. On {@code true}
     * the device owns the buffer (and releases it); on {@code false} (queue full) the caller keeps it.
     */
    boolean transmit(PacketBuffer frame);

    /**
     * Sends what {@link #transmit} queued: the doorbell, as a driver writes a NIC's transmit tail
     * pointer once for a batch of descriptors (Linux's {@code xmit_more}). The stack rings it at the
     * start and the end of every poll; a device that holds frames reports {@link #nextDeadline} as
     * due until then. Devices that wrap another forward it. Returns how many of the frames the device
     * refused as it sent them (interface down, no buffer): they are dropped, and the stack counts them.
     */
    default int flush() { return 0; }

    /** Hands at most {@code budget} received frames to {@code sink}; returns how many. Never blocks. */
    int receive(FrameSink sink, int budget);

    /**
     * When the device next needs {@link #receive} called even if nothing arrives (frames held back
     * by a fault injector's delay), on the clock the device was given; {@link Long#MAX_VALUE} for never.
     */
    default long nextDeadline() { return Long.MAX_VALUE; }

    /** A file descriptor that polls readable when frames arrive (for poll(2)), or -1 if the device has none. */
    default int pollDescriptor() { return -1; }

    /**
     * Registers a callback the device runs (from any thread) when a frame arrives, so a sleeping stack
     * thread wakes up. Devices with a {@link #pollDescriptor} may ignore it.
     */
    default void setReceiveWakeup(Runnable wakeup) {}
}

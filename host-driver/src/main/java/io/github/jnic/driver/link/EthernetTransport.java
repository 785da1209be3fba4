package io.github.jnic.driver.link;

import io.github.jnic.spec.HostLink;

/**
 * Host-link messages in Ethernet frames of EtherType {@link HostLink#ETHERTYPE} between the host's
 * port and the board's MAC address, on a {@link PacketSocket}: the Colorlight boards' transport.
 * A frame is the Ethernet header and one message, padded to 60 bytes; a frame from another
 * station, of another EtherType or that does not decode is dropped and counted.
 */
public final class EthernetTransport implements LinkBus.Transport {
    private final PacketSocket socket;
    private final byte[] board;
    private long dropped;

    public EthernetTransport(PacketSocket socket, byte[] boardMac) {
        this.socket = socket;
        this.board = boardMac.clone();
    }

    @Override
    public void send(LinkMessage m) {
        socket.send(frame(board, socket.macAddress(), m));
    }

    @Override
    public LinkMessage receive() {
        for (byte[] f; (f = socket.receive()) != null; ) {
            LinkMessage m = java.util.Arrays.equals(f, 6, 12, board, 0, 6) ? message(f) : null;
            if (m != null) return m;
            dropped++;
        }
        return null;
    }

    /** Frames dropped: from another station, of another EtherType, or not a message. */
    public long dropped() { return dropped; }

    /** The frame carrying {@code m} from {@code from} to {@code to}. */
    public static byte[] frame(byte[] to, byte[] from, LinkMessage m) {
        byte[] e = m.encode();
        byte[] f = new byte[Math.max(60, HostLink.FRAME_OFFSET + e.length)];
        System.arraycopy(to, 0, f, 0, 6);
        System.arraycopy(from, 0, f, 6, 6);
        f[12] = (byte) (HostLink.ETHERTYPE >> 8);
        f[13] = (byte) HostLink.ETHERTYPE;
        System.arraycopy(e, 0, f, HostLink.FRAME_OFFSET, e.length);
        return f;
    }

    /** The message a frame carries, or null if it is of another EtherType or does not decode. */
    public static LinkMessage message(byte[] f) {
        if (f.length < HostLink.FRAME_OFFSET || ((f[12] & 0xFF) << 8 | (f[13] & 0xFF)) != HostLink.ETHERTYPE) return null;
        return LinkMessage.decode(f, HostLink.FRAME_OFFSET, f.length - HostLink.FRAME_OFFSET);
    }
}

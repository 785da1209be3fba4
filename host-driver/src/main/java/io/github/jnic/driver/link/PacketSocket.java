package io.github.jnic.driver.link;

import com.sun.jna.LastErrorException;
import io.github.jnic.net.dev.Posix;
import java.io.Closeable;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Linux {@code AF_PACKET} raw socket on one interface for one EtherType: the host's end of the
 * link to a board over Ethernet. Whole frames go out as given (Ethernet header included, the
 * kernel adds the FCS and pads) and come in whole (FCS removed); only frames of the EtherType
 * arrive, and not the interface's own outgoing ones (which a packet socket also sees). Sending and receiving never block. Opening it needs root or CAP_NET_RAW.
 */
public final class PacketSocket implements Closeable {
    private static final int MAX_FRAME = 1518;

    private final int fd;
    private final byte[] mac;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(MAX_FRAME + 64);
    private final long bufferAddress;
    private long sent, received, sendErrors;

    private PacketSocket(int fd, byte[] mac) {
        this.fd = fd;
        this.mac = mac;
        this.bufferAddress = Posix.address(buffer);
    }

    /** Opens a socket on {@code interfaceName} for frames of {@code etherType}. */
    public static PacketSocket open(String interfaceName, int etherType) {
        Posix.requireAvailable();
        int index = Posix.if_nametoindex(interfaceName);
        if (index == 0) throw new IllegalArgumentException("no network interface " + interfaceName);
        short protocol = (short) Integer.reverseBytes(etherType << 16);   // htons
        int fd;
        try {
            fd = Posix.socket(Posix.AF_PACKET, Posix.SOCK_RAW, protocol & 0xFFFF);
        } catch (LastErrorException e) {
            throw new IllegalStateException("cannot open an AF_PACKET socket (needs root or CAP_NET_RAW): "
                    + Posix.strerror(e.getErrorCode()), e);
        }
        // struct sockaddr_ll: family u16, protocol be16, ifindex i32, hatype u16, pkttype u8, halen u8, addr[8]
        ByteBuffer sll = ByteBuffer.allocate(20).order(java.nio.ByteOrder.nativeOrder());
        sll.putShort((short) Posix.AF_PACKET).putShort(protocol).putInt(index);
        try {
            Posix.bind(fd, sll.array(), 20);
        } catch (LastErrorException e) {
            Posix.close(fd);
            throw new IllegalStateException("cannot bind to " + interfaceName + ": " + Posix.strerror(e.getErrorCode()), e);
        }
        return new PacketSocket(fd, macOf(interfaceName));
    }

    /** The interface's own MAC address (sysfs). */
    public static byte[] macOf(String interfaceName) {
        try {
            String[] parts = Files.readString(Path.of("/sys/class/net", interfaceName, "address")).trim().split(":");
            byte[] m = new byte[6];
            for (int i = 0; i < 6; i++) m[i] = (byte) Integer.parseInt(parts[i], 16);
            return m;
        } catch (java.io.IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read the MAC address of " + interfaceName, e);
        }
    }

    public byte[] macAddress() { return mac.clone(); }

    /** Sends a whole frame; false (and counted) if the kernel refused it (its queue full: the link's retries cover it). */
    public boolean send(byte[] frame) {
        if (frame.length > MAX_FRAME) throw new IllegalArgumentException("a " + frame.length + "-byte frame");
        buffer.clear();
        buffer.put(frame);
        boolean ok = Posix.send(fd, bufferAddress, frame.length, Posix.MSG_DONTWAIT) == frame.length;
        if (ok) sent++;
        else sendErrors++;
        return ok;
    }

    /** The next frame that arrived, or null if none is waiting. */
    public byte[] receive() {
        for (;;) {
            long n = Posix.recv(fd, bufferAddress, buffer.capacity(), Posix.MSG_DONTWAIT);
            if (n < 0) return null;   // EAGAIN: nothing waiting
            byte[] frame = new byte[(int) n];
            buffer.clear();
            buffer.get(frame);
            // a packet socket also sees the interface's own outgoing frames: not the peer's
            if (n >= 12 && java.util.Arrays.equals(frame, 6, 12, mac, 0, 6)) continue;
            received++;
            return frame;
        }
    }

    public long sent() { return sent; }
    public long received() { return received; }
    public long sendErrors() { return sendErrors; }

    @Override
    public void close() {
        Posix.close(fd);
    }
}

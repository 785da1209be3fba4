package io.github.jnic.net.dev;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import io.github.jnic.net.buf.BufferPool;
import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.net.wire.MacAddress;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * A Linux TAP device ({@code /dev/net/tun}, {@code TUNSETIFF} with {@code IFF_TAP | IFF_NO_PI}),
 * so the stack appears as a host on a Linux network: frames the kernel sends into the TAP interface
 * arrive here, and frames transmitted here come out of it. Reads and writes are non-blocking; a
 * stack runner waits on {@link #pollDescriptor()}.
 *
 * <p>The kernel side of the interface keeps its own MAC address; the stack uses {@link #macAddress()}
 * (chosen here), as a separate host on that Ethernet segment would. Creating a TAP device needs
 * root or CAP_NET_ADMIN; {@link #open} says so clearly when it fails.
 */
public final class TapDevice implements NetDevice, Closeable {
    private static final String TUN = "/dev/net/tun";
    private static final long TUNSETIFF = 0x400454caL;
    private static final short IFF_TAP = 0x0002;
    private static final short IFF_NO_PI = 0x1000;

    private final String name;
    private final int fd;
    private final byte[] mac;
    private final int mtu;
    private final BufferPool rxPool;
    private final Memory txScratch;
    private volatile boolean closed;
    private long rxFrames, txFrames, txErrors;

    private TapDevice(String name, int fd, byte[] mac, int mtu) {
        this.name = name;
        this.fd = fd;
        this.mac = mac;
        this.mtu = mtu;
        this.rxPool = new BufferPool(mtu + 64, 128);
        this.txScratch = new Memory(65536 + 64);
    }

    /** Why TAP devices cannot be used here, or null if they probably can (for tests to skip with a reason). */
    public static String unavailableReason() {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) return "TAP devices need Linux";
        if (!Files.exists(Path.of(TUN))) return TUN + " does not exist (load the tun kernel module)";
        if (!Files.isReadable(Path.of(TUN)) || !Files.isWritable(Path.of(TUN))) return "no read/write access to " + TUN + " (run as root)";
        if (!"root".equals(System.getProperty("user.name"))) return "creating a TAP device needs root or CAP_NET_ADMIN";
        return null;
    }

    /**
     * Creates (or attaches to) the TAP interface {@code name} ("jnic%d" lets the kernel number it).
     * The stack on this device uses {@code mac}; the interface carries IP datagrams of {@code mtu} bytes.
     */
    public static TapDevice open(String name, byte[] mac, int mtu) throws IOException {
        Posix.requireAvailable();
        if (!Files.exists(Path.of(TUN))) throw new IOException("cannot open TAP device: " + TUN + " does not exist (load the tun kernel module)");
        int fd;
        try {
            fd = Posix.open(TUN, Posix.O_RDWR | Posix.O_NONBLOCK | Posix.O_CLOEXEC);
        } catch (LastErrorException e) {
            throw new IOException("cannot open " + TUN + ": " + Posix.strerror(e.getErrorCode())
                    + (e.getErrorCode() == 13 ? " (TAP devices need root or CAP_NET_ADMIN)" : ""));
        }
        byte[] ifreq = new byte[40];
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        if (n.length > 15) { Posix.close(fd); throw new IllegalArgumentException("interface name longer than 15 bytes: " + name); }
        System.arraycopy(n, 0, ifreq, 0, n.length);
        short flags = IFF_TAP | IFF_NO_PI;
        ifreq[16] = (byte) flags;              // little-endian short at offset 16
        ifreq[17] = (byte) (flags >> 8);
        try {
            Posix.ioctl(fd, TUNSETIFF, ifreq);
        } catch (LastErrorException e) {
            Posix.close(fd);
            int errno = e.getErrorCode();
            throw new IOException("cannot create TAP interface '" + name + "': " + Posix.strerror(errno)
                    + (errno == 1 ? " (TAP devices need root or CAP_NET_ADMIN)" : ""));
        }
        int end = 0;
        while (end < 16 && ifreq[end] != 0) end++;
        return new TapDevice(new String(ifreq, 0, end, StandardCharsets.US_ASCII), fd, mac.clone(), mtu);
    }

    /** Opens with a locally administered MAC derived from the interface name, and MTU 1500. */
    public static TapDevice open(String name) throws IOException {
        return open(name, MacAddress.local(name.hashCode()), 1500);
    }

    @Override public String name() { return name; }
    @Override public byte[] macAddress() { return mac.clone(); }
    @Override public int mtu() { return mtu; }
    @Override public boolean linkUp() { return !closed; }
    @Override public Set<Feature> features() { return Set.of(); }
    @Override public int pollDescriptor() { return fd; }

    @Override public boolean transmit(PacketBuffer frame) {
        int len = frame.length();
        if (!closed) {
            txScratch.write(0, frame.data(), frame.start(), len);
            long n = Posix.write(fd, txScratch, len);
            if (n == len) txFrames++;
            else txErrors++;   // kernel queue full or interface down: the frame is lost, as on a wire
        }
        frame.release();
        return true;
    }

    @Override public int receive(FrameSink sink, int budget) {
        int n = 0;
        while (n < budget && !closed) {
            PacketBuffer b = rxPool.take(0);
            long got = Posix.read(fd, b.data(), b.capacity());
            if (got <= 0) { b.release(); break; }
            b.append((int) got);
            rxFrames++;
            n++;
            sink.accept(b);
        }
        return n;
    }

    public long rxFrames() { return rxFrames; }
    public long txFrames() { return txFrames; }
    /** Frames the kernel refused (queue full, interface down). */
    public long txErrors() { return txErrors; }

    /** Closes the file descriptor; the kernel removes the (non-persistent) interface. */
    @Override public void close() {
        if (closed) return;
        closed = true;
        Posix.close(fd);
    }
}

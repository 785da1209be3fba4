package io.github.jnic.net.dev;

import com.sun.jna.LastErrorException;
import io.github.jnic.net.buf.BufferPool;
import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.net.wire.MacAddress;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
 * <p>With offloads ({@link #open(String, byte[], int, boolean)}), frames carry a virtio-net header
 * ({@code IFF_VNET_HDR}) and the kernel does what Linux asks of virtio NICs: it fills in checksums
 * the stack leaves partial and cuts large TCP segments (TSO), and it hands the stack large TCP
 * segments and partial checksums of its own ({@code TUNSETOFFLOAD}), which need no checking since
 * they never crossed a wire.
 *
 * <p>Frames may leave their payload in the sender's native memory ({@link PacketBuffer#gatherLater}):
 * one {@code writev} then hands the kernel the headers and the payload from where they lie, with
 * no copy in between ({@link Feature#SCATTER_GATHER}).
 *
 * <p>Transmitted frames wait in a queue until the stack rings the doorbell ({@link #flush}: after
 * each received frame and at the end of each poll) and then go to the kernel back to back: the
 * receiving application, woken by the first, is still awake for the rest, where frames written one
 * by one between the stack's other work would wake it for nearly every one (docs/benchmarks.md).
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
    private static final short IFF_VNET_HDR = 0x4000;
    private static final long TUNSETOFFLOAD = 0x400454d0L;
    private static final int TUN_F_CSUM = 0x01, TUN_F_TSO4 = 0x02;
    /** struct virtio_net_hdr: flags, gso_type, hdr_len, gso_size, csum_start, csum_offset (little-endian). */
    private static final int VNET_HDR = 10;
    private static final int VNET_NEEDS_CSUM = 1, VNET_DATA_VALID = 2, VNET_GSO_TCPV4 = 1;
    private static final int MAX_FRAME = 65536 + 64;

    private final String name;
    private final int fd;
    private final byte[] mac;
    private final int mtu;
    private final BufferPool rxPool;
    // Native memory the system calls read and write, as direct buffers in the machine's byte order
    // (the virtio-net header's and struct iovec's): filling them is a plain copy, no native call.
    private final ByteBuffer txScratch;
    private final long txScratchAddress;
    /** Three struct iovec for a gathered frame: headers, the payload where it lies, what follows it. */
    private final ByteBuffer iovecs;
    private final long iovecsAddress;
    private final ByteBuffer rxScratch;
    private final long rxScratchAddress;
    private final boolean offloads;
    private final Set<Feature> features;
    // Frames transmitted since the last flush (the doorbell), in order: like a NIC's transmit ring
    // between two tail-pointer writes. Written together, they reach the kernel as a burst.
    private final PacketBuffer[] queued = new PacketBuffer[64];
    private int queuedCount;
    private int refusedBeforeFlush;   // by writes a full queue forced: reported at the next flush
    private volatile boolean closed;
    private long rxFrames, txFrames, txErrors;

    private TapDevice(String name, int fd, byte[] mac, int mtu, boolean offloads) {
        this.name = name;
        this.fd = fd;
        this.mac = mac;
        this.mtu = mtu;
        this.offloads = offloads;
        this.features = offloads ? java.util.EnumSet.of(Feature.TX_CHECKSUM, Feature.RX_CHECKSUM, Feature.TSO, Feature.SCATTER_GATHER)
                : java.util.EnumSet.of(Feature.SCATTER_GATHER);
        this.rxPool = new BufferPool(offloads ? MAX_FRAME : mtu + 64, offloads ? 32 : 128);
        this.txScratch = ByteBuffer.allocateDirect(MAX_FRAME + VNET_HDR).order(ByteOrder.nativeOrder());
        this.txScratchAddress = Posix.address(txScratch);
        this.iovecs = ByteBuffer.allocateDirect((PacketBuffer.MAX_PIECES + 2) * 16).order(ByteOrder.nativeOrder());   // headers, pieces, tail
        this.iovecsAddress = Posix.address(iovecs);
        this.rxScratch = ByteBuffer.allocateDirect(offloads ? MAX_FRAME : mtu + 64);
        this.rxScratchAddress = Posix.address(rxScratch);
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
        return open(name, mac, mtu, false);
    }

    /** {@link #open(String, byte[], int)}, with the kernel doing checksums and TCP segmentation if {@code offloads}. */
    public static TapDevice open(String name, byte[] mac, int mtu, boolean offloads) throws IOException {
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
        short flags = (short) (IFF_TAP | IFF_NO_PI | (offloads ? IFF_VNET_HDR : 0));
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
        if (offloads) {
            try {
                Posix.ioctl(fd, TUNSETOFFLOAD, TUN_F_CSUM | TUN_F_TSO4);
            } catch (LastErrorException e) {
                Posix.close(fd);
                throw new IOException("cannot enable offloads on TAP interface '" + name + "': " + Posix.strerror(e.getErrorCode()));
            }
        }
        int end = 0;
        while (end < 16 && ifreq[end] != 0) end++;
        return new TapDevice(new String(ifreq, 0, end, StandardCharsets.US_ASCII), fd, mac.clone(), mtu, offloads);
    }

    /** Opens with a locally administered MAC derived from the interface name, and MTU 1500. */
    public static TapDevice open(String name) throws IOException {
        return open(name, MacAddress.local(name.hashCode()), 1500);
    }

    @Override public String name() { return name; }
    @Override public byte[] macAddress() { return mac.clone(); }
    @Override public int mtu() { return mtu; }
    @Override public boolean linkUp() { return !closed; }
    @Override public Set<Feature> features() { return features; }
    @Override public int pollDescriptor() { return fd; }

    /**
     * Queues the frame; {@link #flush} writes the queue, one system call per frame, back to back.
     * A full queue is written at once.
     */
    @Override public boolean transmit(PacketBuffer frame) {
        if (queuedCount == queued.length) refusedBeforeFlush += writeQueued();
        queued[queuedCount++] = frame;
        return true;
    }

    @Override public int flush() {
        int refused = refusedBeforeFlush + writeQueued();
        refusedBeforeFlush = 0;
        return refused;
    }

    /** Writes the queue; returns how many frames the kernel refused. */
    private int writeQueued() {
        int refused = 0;
        for (int i = 0; i < queuedCount; i++) {
            if (!write(queued[i])) refused++;
            queued[i] = null;
        }
        queuedCount = 0;
        return refused;
    }

    /** Frames waiting for {@link #flush}: the stack's next poll is due now, whatever its clock. */
    @Override public long nextDeadline() {
        return queuedCount > 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }

    /** Writes and releases the frame; false if the kernel refused it (interface down, no buffer). */
    private boolean write(PacketBuffer frame) {
        boolean written = false;
        if (!closed) {
            int at = 0;
            if (offloads) {
                writeVnetHeader(frame);
                at = VNET_HDR;
            }
            long n = frame.gathers() ? writeGathered(frame, at) : writeLinear(frame, at);
            written = n == at + frame.length();
            if (written) txFrames++;
            else txErrors++;
        }
        frame.release();
        return written;
    }

    /** Writes the whole frame from the scratch buffer, after whatever header is at {@code [0, at)}. */
    private long writeLinear(PacketBuffer frame, int at) {
        txScratch.put(at, frame.data(), frame.start(), frame.length());
        return Posix.write(fd, txScratchAddress, at + frame.length());
    }

    /**
     * Writes the headers (and any bytes after the gathered pieces) from the scratch buffer and the
     * pieces from where they lie, in one {@code writev}: the kernel copies the payload once, from the
     * sender's memory into its own.
     */
    private long writeGathered(PacketBuffer frame, int at) {
        byte[] d = frame.data();
        int head = frame.gatherAt() - frame.start();
        int tailFrom = frame.gatherAt() + frame.gatherLength();
        int tail = frame.end() - tailFrom;
        txScratch.put(at, d, frame.start(), head);
        txScratch.put(at + head, d, tailFrom, tail);
        iovecs.putLong(0, txScratchAddress);
        iovecs.putLong(8, at + head);
        int n = 1;
        for (int i = 0; i < frame.pieces(); i++, n++) {
            iovecs.putLong(16 * n, frame.pieceAddress(i));
            iovecs.putLong(16 * n + 8, frame.pieceLength(i));
        }
        iovecs.putLong(16 * n, txScratchAddress + at + head);
        iovecs.putLong(16 * n + 8, tail);
        return Posix.writev(fd, iovecsAddress, tail > 0 ? n + 1 : n);
    }

    /** The virtio-net header asking the kernel for the frame's checksum and segmentation. */
    private void writeVnetHeader(PacketBuffer frame) {
        int flags = 0, gsoType = 0, hdrLen = 0, gsoSize = 0, csumStart = 0, csumOffset = 0;
        if (frame.checksumRequested()) {
            flags = VNET_NEEDS_CSUM;
            csumStart = frame.checksumStart() - frame.start();
            csumOffset = frame.checksumOffset();
            if (frame.segmentSize() > 0) {
                gsoType = VNET_GSO_TCPV4;
                gsoSize = frame.segmentSize();
                int tcpHeader = ((frame.data()[frame.checksumStart() + 12] >> 4) & 0xf) * 4;
                hdrLen = csumStart + tcpHeader;
            }
        }
        txScratch.put(0, (byte) flags);
        txScratch.put(1, (byte) gsoType);
        txScratch.putShort(2, (short) hdrLen);
        txScratch.putShort(4, (short) gsoSize);
        txScratch.putShort(6, (short) csumStart);
        txScratch.putShort(8, (short) csumOffset);
    }

    @Override public int receive(FrameSink sink, int budget) {
        int n = 0;
        while (n < budget && !closed) {
            long got = Posix.read(fd, rxScratchAddress, rxScratch.capacity());
            if (got <= 0 || (offloads && got < VNET_HDR)) break;
            PacketBuffer b = rxPool.take(0);
            rxScratch.get(0, b.data(), 0, (int) got);   // only the bytes that came
            b.append((int) got);
            if (offloads) {
                // A partial checksum or one the kernel vouches for: the frame never crossed a wire.
                if ((b.data()[0] & (VNET_NEEDS_CSUM | VNET_DATA_VALID)) != 0) b.rxChecksum(PacketBuffer.RxChecksum.GOOD);
                b.trimFront(VNET_HDR);
            }
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
        if (closed) return;   // frames still queued are not sent: the stack thread owns the queue
        closed = true;
        Posix.close(fd);
    }
}

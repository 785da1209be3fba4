package io.github.jnic.testbench.offload;

import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.net.dev.NetDevice;
import io.github.jnic.net.stack.NetStack;
import io.github.jnic.net.tcp.Tcp;
import io.github.jnic.net.tcp.TcpConfig;
import io.github.jnic.net.tcp.TcpConnection;
import io.github.jnic.net.tcp.TcpListener;
import io.github.jnic.net.wire.MacAddress;
import io.github.jnic.testbench.offload.OffloadReference.Command;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Random;
import java.util.Set;

/**
 * The host's side of the offload figure: CPU time the sending stack spends per byte of a bulk TCP
 * send, its device offering TSO and checksum offload (frames of up to 64 KiB handed over with
 * CHECKSUM_PARTIAL, as the card takes them) against one offering neither (the stack cuts MSS
 * segments and sums every checksum itself); both gather the payload from the send buffer, as
 * NicDriver offers. Both stacks run on this thread in virtual time; only
 * the sender is timed (thread CPU time around its application's writes, which send what the window
 * allows at once, and around its polls, which take the ACKs and send the rest): the copy into the
 * send buffer is in both figures. The device is an ideal card that
 * costs the sender nothing: the frame itself goes to the receiver, no copy; there, a TSO frame is
 * cut into its MSS segments by {@link OffloadReference} (the card's work, not timed), so the
 * receiver, and the ACKs it sends back, see the same wire either way.
 */
final class HostCpuBench {
    private HostCpuBench() {}

    /** One end of the ideal cable: frames pass by reference to the peer's queue. */
    static final class End implements NetDevice {
        final byte[] mac;
        final Set<Feature> features;
        final ArrayDeque<PacketBuffer> queue = new ArrayDeque<>();
        End peer;
        long frames, bytes;

        End(int n, boolean offload) {
            mac = MacAddress.local(n);
            // gather as NicDriver offers it either way; the offloads or not
            features = offload ? EnumSet.of(Feature.SCATTER_GATHER, Feature.TX_CHECKSUM, Feature.TSO) : EnumSet.of(Feature.SCATTER_GATHER);
        }

        @Override public String name() { return "ideal" + mac[5]; }
        @Override public byte[] macAddress() { return mac.clone(); }
        @Override public int mtu() { return 1500; }
        @Override public boolean linkUp() { return true; }
        @Override public Set<Feature> features() { return features; }

        @Override public boolean transmit(PacketBuffer frame) {
            frames++;
            bytes += frame.length();
            peer.queue.add(frame);
            return true;
        }

        @Override public int receive(FrameSink sink, int budget) {
            int n = 0;
            for (PacketBuffer f; n < budget && (f = queue.poll()) != null; n++) {
                if (f.segmentSize() > 0) {
                    for (byte[] s : segments(f)) {
                        PacketBuffer p = PacketBuffer.of(s);
                        p.rxChecksum(PacketBuffer.RxChecksum.GOOD);
                        sink.accept(p);
                    }
                    f.release();
                } else {
                    f.linearize();
                    if (f.checksumRequested()) {
                        f.completeChecksum();
                        f.rxChecksum(PacketBuffer.RxChecksum.GOOD);
                    }
                    sink.accept(f);
                }
            }
            return n;
        }

        /** What the card makes of a TSO frame (IPv4, no tag: the stack's frames here). */
        static java.util.List<byte[]> segments(PacketBuffer f) {
            byte[] b = f.toByteArray();
            int css = f.checksumStart() - f.start(), ihl = (b[14] & 0x0F) * 4, hdr = css + (b[css + 12] >> 4 & 0x0F) * 4;
            return OffloadReference.transmit(b, Command.tso(true, 14, ihl, css, hdr, f.segmentSize(), b.length - hdr)).sent();
        }
    }

    /**
     * The sender stack's CPU nanoseconds per byte sent, split into its application's writes (the copy
     * into the send buffer and the segments that write sends at once) and its polls (the ACKs taken
     * and the segments they release); the mean frame it handed its device; and, for scale, what the
     * copy alone costs (the same bytes from the same array into a direct buffer of the send buffer's
     * size, timed apart). Every figure has the thread CPU clock's own cost taken out: one reading of it
     * is a system call of about a microsecond, and a run takes thousands.
     */
    record Result(double stackNanosPerByte, double writeNanosPerByte, double pollNanosPerByte, double meanFrameBytes,
                  double copyNanosPerByte, double clockNanos) {}

    /** What one pair of thread CPU clock readings adds to the time between them, as the median of batches. */
    static double clockCost(ThreadMXBean cpu) {
        double[] batch = new double[9];
        for (int k = 0; k < batch.length; k++) {
            long s = 0;
            for (int i = 0; i < 2000; i++) {
                long t = cpu.getCurrentThreadCpuTime();
                s += cpu.getCurrentThreadCpuTime() - t;
            }
            batch[k] = s / 2000.0;
        }
        Arrays.sort(batch);
        return batch[batch.length / 2];
    }

    static Result run(boolean offload, long bytes) throws Exception {
        return run(offload, false, bytes);
    }

    /** {@code zeroCopy}: the application hands its bytes over with TcpConnection.writeZeroCopy instead of write. */
    static Result run(boolean offload, boolean zeroCopy, long bytes) throws Exception {
        End ea = new End(41, offload), eb = new End(42, false);
        ea.peer = eb;
        eb.peer = ea;
        NetStack a = new NetStack(), b = new NetStack();
        a.addAddress(a.addInterface(ea), 0x0a000001, 24);
        b.addAddress(b.addInterface(eb), 0x0a000002, 24);
        Tcp ta = new Tcp(a.ipv4()), tb = new Tcp(b.ipv4());
        a.register(ta);
        b.register(tb);
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        // spent: nanoseconds in [0] writes, [1] polls; clock pairs read in [2] writes, [3] polls
        long[] now = {1_000_000_000L}, spent = {0, 0, 0, 0};
        Runnable step = () -> {
            now[0] += 10_000;
            long t = cpu.getCurrentThreadCpuTime();
            a.poll(now[0]);
            spent[1] += cpu.getCurrentThreadCpuTime() - t;
            spent[3]++;
            b.poll(now[0]);
        };
        a.poll(now[0]);
        b.poll(now[0]);
        TcpListener listener = tb.listen(0, 5001, 1);
        TcpConnection client = ta.connect(0x0a000002, 5001), server = null;
        for (int i = 0; i < 100 && server == null; i++) {
            step.run();
            server = listener.accept();
        }
        if (server == null) throw new IllegalStateException("no connection");
        byte[] chunk = new byte[1 << 20], into = new byte[1 << 20];
        new Random(bytes).nextBytes(chunk);
        ZeroCopySender zc = zeroCopy ? new ZeroCopySender(chunk) : null;
        Arrays.fill(spent, 0);
        long framesBefore = ea.frames, bytesBefore = ea.bytes;
        long written = 0, read = 0;
        for (int guard = 0; read < bytes && guard < 50_000_000; guard++) {
            if (written < bytes) {
                long t = cpu.getCurrentThreadCpuTime();
                written += zc != null ? zc.write(client, bytes - written) : client.write(chunk, 0, (int) Math.min(chunk.length, bytes - written));
                spent[0] += cpu.getCurrentThreadCpuTime() - t;
                spent[2]++;
            }
            step.run();
            for (int n; (n = server.read(into, 0, into.length)) > 0; ) read += n;
        }
        if (read != bytes) throw new IllegalStateException(read + " bytes arrived of " + bytes);
        double clock = clockCost(cpu);
        double write = spent[0] - clock * spent[2], poll = spent[1] - clock * spent[3];
        return new Result((write + poll) / bytes, write / bytes, poll / bytes,
                (double) (ea.bytes - bytesBefore) / (ea.frames - framesBefore), copyAlone(cpu, chunk, bytes, clock), clock);
    }

    /** CPU nanoseconds per byte of copying {@code bytes} from {@code chunk} into a direct buffer as the send buffer is. */
    static double copyAlone(ThreadMXBean cpu, byte[] chunk, long bytes, double clock) {
        ByteBuffer ring = ByteBuffer.allocateDirect(new TcpConfig().sendBufferSize);
        long spent = 0, pairs = 0;
        for (long done = 0; done < bytes; ) {
            int n = (int) Math.min(ring.capacity(), bytes - done);
            long t = cpu.getCurrentThreadCpuTime();
            for (int at = 0; at < n; at += chunk.length) ring.put(at, chunk, 0, Math.min(chunk.length, n - at));
            spent += cpu.getCurrentThreadCpuTime() - t;
            pairs++;
            done += n;
        }
        return (spent - clock * pairs) / bytes;
    }

    /**
     * An application that sends without copying: 16 direct buffers of 64 KiB holding the bytes
     * (little-endian, the order the software checksum reads cheaply), handed over in turn, all that
     * are ready in one gathering call; a buffer is taken again (here: as it is, instead of filled
     * again) only once the stack reports every call that took from it completed.
     */
    static final class ZeroCopySender {
        final ByteBuffer[] buffers = new ByteBuffer[16];
        final long[] lastCall = new long[buffers.length];
        /** The buffers of one call, by how many there are (no allocation per call). */
        final ByteBuffer[][] arrays = new ByteBuffer[buffers.length + 1][];
        final int[] index = new int[buffers.length], before = new int[buffers.length];
        int current;

        ZeroCopySender(byte[] bytes) {
            for (int i = 0; i < buffers.length; i++) {
                buffers[i] = ByteBuffer.allocateDirect(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
                buffers[i].put(0, bytes, i * 65536 % bytes.length, 65536);
                lastCall[i] = -1;
                arrays[i + 1] = new ByteBuffer[i + 1];
            }
        }

        /** Hands over what the send buffer takes, up to {@code left} bytes; returns how many. */
        long write(TcpConnection c, long left) throws Exception {
            int m = 0;
            long offered = 0;
            for (int i = current; offered < left && m < buffers.length; i = (i + 1) % buffers.length) {
                ByteBuffer b = buffers[i];
                if (!b.hasRemaining()) {
                    if (c.zeroCopyCompleted() <= lastCall[i]) break;   // still the stack's
                    b.clear();
                }
                if (b.remaining() > left - offered) b.limit(b.position() + (int) (left - offered));
                index[m] = i;
                before[m] = b.position();
                m++;
                offered += b.remaining();
            }
            if (m == 0) return 0;
            ByteBuffer[] call = arrays[m];
            for (int k = 0; k < m; k++) call[k] = buffers[index[k]];
            long number = c.zeroCopyCalls();
            long n = c.writeZeroCopy(call);
            current = (index[m - 1] + 1) % buffers.length;
            for (int k = m - 1; k >= 0; k--) if (buffers[index[k]].hasRemaining()) current = index[k];
            for (int k = 0; k < m; k++) if (buffers[index[k]].position() > before[k]) lastCall[index[k]] = number++;
            return n;
        }
    }
}

package io.github.jnic.testbench.offload;

import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.net.dev.NetDevice;
import io.github.jnic.net.stack.NetStack;
import io.github.jnic.net.tcp.Tcp;
import io.github.jnic.net.tcp.TcpConnection;
import io.github.jnic.net.tcp.TcpListener;
import io.github.jnic.net.wire.MacAddress;
import io.github.jnic.testbench.offload.OffloadReference.Command;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayDeque;
import java.util.EnumSet;
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

    /** The sender stack's CPU nanoseconds per byte sent, and the mean frame it handed its device. */
    record Result(double stackNanosPerByte, double meanFrameBytes) {}

    static Result run(boolean offload, long bytes) throws Exception {
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
        long[] now = {1_000_000_000L}, spent = {0};
        Runnable step = () -> {
            now[0] += 10_000;
            long t = cpu.getCurrentThreadCpuTime();
            a.poll(now[0]);
            spent[0] += cpu.getCurrentThreadCpuTime() - t;
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
        spent[0] = 0;
        long framesBefore = ea.frames, bytesBefore = ea.bytes;
        long written = 0, read = 0;
        for (int guard = 0; read < bytes && guard < 50_000_000; guard++) {
            if (written < bytes) {
                long t = cpu.getCurrentThreadCpuTime();
                written += client.write(chunk, 0, (int) Math.min(chunk.length, bytes - written));
                spent[0] += cpu.getCurrentThreadCpuTime() - t;
            }
            step.run();
            for (int n; (n = server.read(into, 0, into.length)) > 0; ) read += n;
        }
        if (read != bytes) throw new IllegalStateException(read + " bytes arrived of " + bytes);
        return new Result((double) spent[0] / bytes, (double) (ea.bytes - bytesBefore) / (ea.frames - framesBefore));
    }
}

package io.github.jnic.testbench.offload;

import io.github.jnic.driver.DmaBuffers;
import io.github.jnic.driver.DmaMemory;
import io.github.jnic.driver.HostBus;
import io.github.jnic.driver.NicDriver;
import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.net.dev.NetDevice;
import io.github.jnic.net.stack.NetStack;
import io.github.jnic.net.tcp.Tcp;
import io.github.jnic.net.tcp.TcpConfig;
import io.github.jnic.net.tcp.TcpConnection;
import io.github.jnic.net.tcp.TcpListener;
import io.github.jnic.net.wire.MacAddress;
import io.github.jnic.testbench.card.CardModel;
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
import java.util.function.IntFunction;
import java.util.function.LongSupplier;

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
 *
 * <p>The sender runs as a stack and an application do outside a bench: its stack is polled as
 * {@code StackRunner} polls one, when the deadline its last poll gave is due, when its device
 * wakes it (the card's interrupt line, a frame in the ideal card's queue) or when the application
 * has just sent; the application writes when the connection has room ({@code writable()}, as one
 * woken by WRITABLE) and offers no more zero-copy buffers than that room takes. Calls that would
 * find nothing to do (a poll with no interrupt, a write into a full send buffer) are not made, for
 * either way: they were two thirds of the calls and cost the same per call with offload or without.
 *
 * <p>With the driver ({@link Sender#DRIVER}, {@link Sender#DRIVER_COPY}): the sender's device is {@link NicDriver} over
 * {@link CardModel}, so its transmit (descriptors, the copy into slots or the gather from DMA
 * memory, the hold until DD), its interrupt and NAPI poll, its receive of the ACKs (copied from
 * the slots) are timed with the stack. The card's own work is not: the model's clock stands still
 * (reads as the distant past, so no event falls due) while the sender runs, and the model catches
 * up between the timed parts; its wire runs at 100 Gb/s in virtual time so a step carries as much
 * as the ideal card's. The receiver is a second driver on the model, untimed. The send buffer and
 * the zero-copy sender's buffers are in the sending driver's DMA memory ({@link DmaBuffers}), so
 * the driver gathers every payload where it lies; or ({@link Sender#DRIVER_COPY}) in memory of
 * their own, so the driver copies every frame into its slots, as it did before it gathered.
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
    /** The sender's device. */
    enum Sender {
        /** The ideal card: the stack alone is timed. */
        IDEAL,
        /** NicDriver over the card model, the send buffer and the application's buffers in the driver's DMA memory: the driver gathers. */
        DRIVER,
        /** The same with them in memory of their own: the driver copies every frame into its slots. */
        DRIVER_COPY
    }

    static Result run(boolean offload, boolean zeroCopy, long bytes) throws Exception {
        return run(offload, zeroCopy, bytes, Sender.IDEAL);
    }

    static Result run(boolean offload, boolean zeroCopy, long bytes, Sender sender) throws Exception {
        boolean driver = sender != Sender.IDEAL;
        long[] now = {1_000_000_000L};
        boolean[] frozen = {false};
        End ea = null;
        NicDriver da = null, db = null;
        CardModel ca = null;
        NetStack a = new NetStack(), b = new NetStack();
        TcpConfig config = new TcpConfig();
        IntFunction<ByteBuffer> memory = n -> ByteBuffer.allocateDirect(n).order(ByteOrder.LITTLE_ENDIAN);
        if (driver) {
            LongSupplier cardClock = () -> frozen[0] ? Long.MIN_VALUE : now[0];
            ca = new CardModel(cardClock, 32 << 20, 100_000_000_000L);
            CardModel cb = new CardModel(cardClock, 32 << 20, 100_000_000_000L);
            CardModel.connect(ca, cb);
            NicDriver.Config cfa = new NicDriver.Config(), cfb = new NicDriver.Config();
            cfa.mac = MacAddress.local(41);
            cfa.txOffload = offload;
            cfb.mac = MacAddress.local(42);
            cfb.rxRingSize = 1024;   // a step's worth of frames at the model's wire speed
            cfb.rxChecksum = true;
            da = new NicDriver(new Interrupting(ca), cfa);
            db = new NicDriver(cb, cfb);
            a.addAddress(a.addInterface(da), 0x0a000001, 24);
            b.addAddress(b.addInterface(db), 0x0a000002, 24);
            if (sender == Sender.DRIVER) {
                DmaBuffers dma = da.dmaBuffers();
                config.sendMemory = TcpConfig.SendMemory.of(dma::allocate, dma::free);
                memory = dma::allocate;
            }
        } else {
            ea = new End(41, offload);
            End eb = new End(42, false);
            ea.peer = eb;
            eb.peer = ea;
            a.addAddress(a.addInterface(ea), 0x0a000001, 24);
            b.addAddress(b.addInterface(eb), 0x0a000002, 24);
        }
        Tcp ta = new Tcp(a.ipv4(), config), tb = new Tcp(b.ipv4());
        a.register(ta);
        b.register(tb);
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        // spent: nanoseconds in [0] writes, [1] polls; clock pairs read in [2] writes, [3] polls
        long[] spent = {0, 0, 0, 0};
        CardModel cardA = ca;
        End idealA = ea;
        NicDriver receiver = db;
        // the sender's next poll as its stack asked (NetStack.poll's answer); until the run, every step
        long[] deadline = {Long.MIN_VALUE};
        boolean[] running = {false};
        Runnable step = () -> {
            now[0] += 10_000;
            if (cardA != null) cardA.interruptAsserted();   // the cards catch up, untimed
            // as StackRunner runs a stack: polled when its deadline is due or its device wakes it (the
            // card's interrupt line; a frame in the ideal card's queue), not on every step
            if (!running[0] || deadline[0] <= now[0] || (cardA != null ? cardA.interruptAsserted() : !idealA.queue.isEmpty())) {
                frozen[0] = true;
                long t = cpu.getCurrentThreadCpuTime();
                deadline[0] = a.poll(now[0]);
                spent[1] += cpu.getCurrentThreadCpuTime() - t;
                frozen[0] = false;
                spent[3]++;
            }
            b.poll(now[0]);
            for (int i = 0; receiver != null && receiver.polling() && i < 100; i++) b.poll(now[0]);
        };
        a.poll(now[0]);
        b.poll(now[0]);
        for (int i = 0; da != null && i < 1000 && !(da.linkUp() && db.linkUp()); i++) step.run();
        if (da != null && !(da.linkUp() && db.linkUp())) throw new IllegalStateException("the links did not come up");
        TcpListener listener = tb.listen(0, 5001, 1);
        TcpConnection client = ta.connect(0x0a000002, 5001), server = null;
        for (int i = 0; i < 100 && server == null; i++) {
            step.run();
            server = listener.accept();
        }
        if (server == null) throw new IllegalStateException("no connection");
        byte[] chunk = new byte[1 << 20], into = new byte[1 << 20];
        new Random(bytes).nextBytes(chunk);
        ZeroCopySender zc = zeroCopy ? new ZeroCopySender(chunk, memory) : null;
        Arrays.fill(spent, 0);
        long framesBefore = frames(ea, da), bytesBefore = bytes(ea, da);
        long written = 0, read = 0;
        running[0] = true;
        for (int guard = 0; read < bytes && guard < 50_000_000; guard++) {
            // the application writes when the connection has room (as one woken by WRITABLE), not on every step
            if (written < bytes && client.writable() > 0) {
                frozen[0] = true;
                long t = cpu.getCurrentThreadCpuTime();
                long n = zc != null ? zc.write(client, bytes - written) : client.write(chunk, 0, (int) Math.min(chunk.length, bytes - written));
                spent[0] += cpu.getCurrentThreadCpuTime() - t;
                frozen[0] = false;
                spent[2]++;
                written += n;
                if (n > 0) deadline[0] = now[0];   // what it sent waits for the stack's doorbell: as a request wakes a runner
            }
            step.run();
            for (int n; (n = server.read(into, 0, into.length)) > 0; ) read += n;
        }
        if (read != bytes) throw new IllegalStateException(read + " bytes arrived of " + bytes);
        // with offload the 64 KiB frames are gathered, the software way's 1514-byte frames copied (the copybreak)
        if (sender == Sender.DRIVER && (da.statistics().get("nic.tx-copy-fallback") != 0
                || da.statistics().get(offload ? "nic.tx-zero-copy" : "nic.tx-copybreak") == 0)) {
            throw new IllegalStateException("the driver did not gather every large payload from its DMA memory: " + da.statistics());
        }
        if (sender == Sender.DRIVER_COPY && da.statistics().get("nic.tx-zero-copy") != 0) {
            throw new IllegalStateException("the driver gathered without DMA memory: " + da.statistics());
        }
        double clock = clockCost(cpu);
        double write = spent[0] - clock * spent[2], poll = spent[1] - clock * spent[3];
        return new Result((write + poll) / bytes, write / bytes, poll / bytes,
                (double) (bytes(ea, da) - bytesBefore) / (frames(ea, da) - framesBefore), copyAlone(cpu, chunk, bytes, clock), clock);
    }

    /**
     * The sending card as a real one is to its host: its interrupt line wakes the stack (the bench's
     * step looks at it, untimed), so the driver is not polled for every event of the model's
     * (CardModel, a simulation, tells its next event as when the line might rise).
     */
    static final class Interrupting implements HostBus {
        final CardModel card;

        Interrupting(CardModel card) { this.card = card; }

        @Override public int read(int offset) { return card.read(offset); }
        @Override public void write(int offset, int value) { card.write(offset, value); }
        @Override public DmaMemory allocate(int bytes, int alignment) { return card.allocate(bytes, alignment); }
        @Override public boolean interruptAsserted() { return card.interruptAsserted(); }
        @Override public long nextInterruptCheck() { return card.interruptAsserted() ? Long.MIN_VALUE : Long.MAX_VALUE; }
    }

    private static long frames(End e, NicDriver d) { return e != null ? e.frames : d.statistics().get("nic.tx-frames"); }

    private static long bytes(End e, NicDriver d) { return e != null ? e.bytes : d.statistics().get("nic.tx-bytes"); }

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

        ZeroCopySender(byte[] bytes, IntFunction<ByteBuffer> memory) {
            for (int i = 0; i < buffers.length; i++) {
                buffers[i] = memory.apply(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
                buffers[i].put(0, bytes, i * 65536 % bytes.length, 65536);
                lastCall[i] = -1;
                arrays[i + 1] = new ByteBuffer[i + 1];
            }
        }

        /** Hands over what the send buffer takes, up to {@code left} bytes; returns how many. */
        long write(TcpConnection c, long left) throws Exception {
            int m = 0;
            long offered = 0, wanted = Math.min(left, c.writable());   // no more buffers than the room takes
            for (int i = current; offered < wanted && m < buffers.length; i = (i + 1) % buffers.length) {
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

package io.github.jnic.testbench.card;

import io.github.jnic.driver.NicDriver;
import io.github.jnic.net.buf.BufferPool;
import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.net.wire.Bytes;
import io.github.jnic.spec.Registers;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The driver's cost per frame, each direction on its own: time and bytes allocated (target: zero),
 * JMH with the GC profiler. The driver runs over {@link CardModel}, whose data path allocates
 * nothing, so every byte allocated is the driver's; the time includes the model's own work for a
 * frame (a copy between its wire and host memory, and its bookkeeping), the stand-in for the card's.
 * One card, no peer, a clock moved by hand, the defaults of {@link NicDriver.Config} (256-descriptor
 * rings, 2 KiB buffers, e1000e's moderation). An operation is a batch of {@value #BATCH} frames; the
 * figures are per frame. Run {@link #main} ({@code ./nic bench driver}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DriverBenchmarks {
    static final int BATCH = 32;

    /** Frame bytes without the FCS: 64 and 1518 on the wire. */
    @Param({"60", "1514"})
    public int size;

    private long now = 1_000_000_000L;
    private CardModel card;
    private NicDriver driver;
    private BufferPool pool;
    private byte[] frame;
    private long wireTime;
    private long sent, arrived, handedUp;
    private final NicDriver.FrameSink stack = f -> {
        handedUp++;
        f.release();
    };

    @Setup(Level.Trial)
    public void setUp() {
        card = new CardModel(() -> now, TwoCards.MEMORY);
        driver = new NicDriver(card, TwoCards.config("jnic0", 1, c -> {}));
        frame = new byte[size];
        byte[] mac = driver.macAddress();
        System.arraycopy(mac, 0, frame, 0, 6);
        System.arraycopy(mac, 0, frame, 6, 6);
        frame[11] ^= 1;
        Bytes.put16(frame, 12, RawCards.TYPE);
        // The stack's frames, written once: every buffer of the pool holds one (take() does not clear
        // the bytes), so a transmit measures the driver and not the stack filling a buffer.
        pool = new BufferPool(2048, 2 * BATCH);
        List<PacketBuffer> all = new ArrayList<>();
        for (int i = 0; i < 2 * BATCH; i++) {
            PacketBuffer b = pool.take();
            b.append(frame, 0, size);
            all.add(b);
        }
        all.forEach(PacketBuffer::release);
        // the batch on the wire at 1 Gb/s (preamble, FCS and gap), and past ITR's floor (50 µs)
        wireTime = BATCH * (size + 24) * 8L + 60_000;
    }

    /** The stack's frames onto the transmit ring, the doorbell, the card sends them, the interrupt: reclaim. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long transmit() {
        for (int i = 0; i < BATCH; i++) {
            PacketBuffer f = pool.take();
            f.append(size);
            driver.transmit(f);
        }
        driver.flush();
        sent += BATCH;
        now += wireTime;
        poll();
        return handedUp;
    }

    /** Frames arrive, the interrupt, the NAPI poll hands them up and refills the ring. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long receive() {
        for (int i = 0; i < BATCH; i++) card.arrive(frame, size);
        arrived += BATCH;
        now += wireTime;
        poll();
        return handedUp;
    }

    /** The stack polling the driver until it waits for its interrupt again. */
    private void poll() {
        while (driver.receive(stack, 64) > 0 || driver.polling()) { }
    }

    /** Every frame went where it should, none dropped: the figures are of the path they name. */
    @TearDown(Level.Trial)
    public void check() {
        var s = driver.statistics();
        if (s.get("nic.tx-frames") != sent || s.get("card.GPTC") != sent || s.get("nic.drop.tx-ring-full") != 0
                || s.get("nic.rx-frames") != arrived || handedUp != arrived || s.get("card.MPC") != 0 || card.wireOverflows() != 0) {
            throw new IllegalStateException("frames lost: sent " + sent + ", arrived " + arrived + ", handed up " + handedUp + ": " + s);
        }
        if (driver.cardStatistic(Registers.DMAEC) != 0 || s.get("nic.drop.dma-errors") != 0) throw new IllegalStateException("DMA errors: " + s);
    }

    public static void main(String[] args) throws Exception {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(DriverBenchmarks.class.getName())
                .addProfiler(GCProfiler.class)
                .build()).run();
        System.out.println();
        System.out.printf("%-28s %10s %14s %8s%n", "benchmark (frame bytes)", "ns/frame", "bytes/frame", "target");
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark().replaceAll(".*\\.", "") + " (" + r.getParams().getParam("size") + ")";
            Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
            System.out.printf("%-28s %10.0f %14.2f %8s%n", name, r.getPrimaryResult().getScore(),
                    alloc == null ? Double.NaN : alloc.getScore(), "0");
        }
    }
}

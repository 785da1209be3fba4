package io.github.jnic.testbench.bench;

import io.github.jnic.driver.Coalescing;
import io.github.jnic.driver.NicDriver;
import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.spec.Field;
import io.github.jnic.spec.Registers.Cause;
import io.github.jnic.testbench.card.SimulatedNic;
import io.github.jnic.testbench.phy.Ethernet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * {@code ./nic bench irq}: the interrupt study. Frames arrive on the simulated card's GMII pins at
 * an offered load (1 % to 100 % of 1 Gb/s, 64 and 1518 bytes, evenly spaced), and its driver takes
 * them under one moderation setting after another: none, fixed rx-usecs (e1000e's ITR mapping),
 * e1000e's dynamic ITR, a driver-side adaptive moderation after Linux's net_dim, and the card's own
 * adaptive mode. Measured per point: interrupts per second, the latency from the frame's first
 * byte on the pins to its socket read (p50, p99), the host's CPU share, drops.
 *
 * <h2>Start-up and steady state</h2>
 * Interrupts per second and frames per interrupt are given twice: over the whole run, and in the
 * steady state, between the first interrupt once half the point's frames have been offered and the
 * last one before the last frame is offered (whole batches only: neither the adaptive mode's start-up,
 * the first windows before it has seen the rate, nor the last batch, which the end of the traffic cuts
 * short, counts there). Latency and CPU are over the whole run.
 *
 * <h2>The host</h2>
 * The host is the driver's loop on one CPU under a stated cost model ({@link SimulatedNic.HostCost}):
 * an interrupt costs {@code interruptNs} of CPU before the handler reads ICR, each frame
 * {@code frameNs} (driver, stack and the socket read together); the card runs on meanwhile. A
 * frame's socket read is when its share of the poll's cost is done. CPU share = busy time / elapsed.
 */
public final class IrqBench {
    static final SimulatedNic.HostCost COST = new SimulatedNic.HostCost(2_000, 250);
    static final long LINE_BPS = 1_000_000_000L;
    static final byte[] MAC = {0x02, 0x4a, 0x4e, 0, 0, 1};

    /** How the driver moderates: a fixed setting, or a controller that retunes it as it goes. */
    interface Policy {
        String name();
        Coalescing initial();
        /** Called when a NAPI poll completes: frames and bytes it took, the clock; returns a new setting or null. */
        default Coalescing pollDone(int frames, long bytes, long now) { return null; }
        /** A fresh copy (controllers keep state). */
        default Policy fresh() { return this; }
    }

    record Fixed(String name, Coalescing initial) implements Policy {}

    /** One measured point. */
    record Point(String policy, int frameBytes, double load, int offered, int received, long drops, double interruptsPerSecond,
                 double framesPerInterrupt, double steadyInterruptsPerSecond, double steadyFramesPerInterrupt,
                 double p50Us, double p99Us, double cpu, double seconds, String causes) {}

    public static void main(String[] args) throws IOException {
        Path out = Path.of("target", "bench-irq");
        double[] loads = {0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 0.8, 1.0};
        int[] sizes = {64, 1518};
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "-o" -> out = Path.of(args[i + 1]);
                case "--loads" -> loads = Arrays.stream(args[i + 1].split(",")).mapToDouble(v -> Double.parseDouble(v) / 100).toArray();
                case "--sizes" -> sizes = Arrays.stream(args[i + 1].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--frames" -> FRAMES = FRAMES_LARGE = FRAMES_LARGE_LOADED = Integer.parseInt(args[i + 1]);
                case "--rdmts" -> rdmts = Integer.parseInt(args[i + 1]);
                case "--causes" -> causes = Boolean.parseBoolean(args[i + 1]);
                default -> throw new IllegalArgumentException("usage: ./nic bench irq [-o DIR] [--loads 1,10,100] [--sizes 64,1518] [--frames N] [--causes true] [--rdmts 0|1|2]");
            }
        }
        Files.createDirectories(out);
        List<Policy> policies = policies();
        System.out.println("jnic bench irq: offered load against interrupt moderation, the card's RTL (62.5 MHz system clock, GMII) and its driver");
        System.out.println(COST + "; NAPI budget 64; receive ring 256 x 2048 B, RXDMT0 at 1/" + (2 << rdmts) + " of it (RCTL.RDMTS " + rdmts
                + "); frames evenly spaced, " + FRAMES + " per point (1518 B: " + FRAMES_LARGE + ", " + FRAMES_LARGE_LOADED + " from 50 % of line rate)");
        long t0 = System.nanoTime();
        List<Point> points = new ArrayList<>();
        System.out.println(header());
        for (int size : sizes) {
            for (Policy p : policies) {
                for (double load : loads) {
                    Point r = run(p.fresh(), size, load, frames(size, load));
                    points.add(r);
                    System.out.println(row(r));
                    if (causes) System.out.println("    interrupts by cause (one can carry several): " + r.causes());
                }
            }
        }
        System.out.printf(Locale.ROOT, "%d points in %.0f s of wall time%n", points.size(), (System.nanoTime() - t0) / 1e9);
        Files.writeString(out.resolve("irq-table.md"), table(points));
        for (int size : sizes) {
            Files.writeString(out.resolve("irq-latency-" + size + ".svg"), Plot.svg("p50 latency, pins to socket read, " + size + "-byte frames",
                    "offered load (% of 1 Gb/s)", "µs", points, size, Point::p50Us, true));
            Files.writeString(out.resolve("irq-p99-" + size + ".svg"), Plot.svg("p99 latency, pins to socket read, " + size + "-byte frames",
                    "offered load (% of 1 Gb/s)", "µs", points, size, Point::p99Us, true));
            Files.writeString(out.resolve("irq-rate-" + size + ".svg"), Plot.svg("interrupts per second, " + size + "-byte frames",
                    "offered load (% of 1 Gb/s)", "interrupts/s", points, size, Point::interruptsPerSecond, true));
            Files.writeString(out.resolve("irq-cpu-" + size + ".svg"), Plot.svg("host CPU share, " + size + "-byte frames (" + COST + ")",
                    "offered load (% of 1 Gb/s)", "%", points, size, p -> 100 * p.cpu(), false));
        }
        System.out.println("wrote " + out.resolve("irq-table.md") + " and the plots irq-{latency,p99,rate,cpu}-{64,1518}.svg in " + out);
    }

    /**
     * Frames per point: 64-byte frames, and 1518-byte frames below and from 50 % of line rate, where
     * a batch of 128 takes 1.6-3 ms and 1 000 frames leave too few whole batches for the steady state.
     */
    static int FRAMES = 2000, FRAMES_LARGE = 1000, FRAMES_LARGE_LOADED = 2000;
    static boolean causes;
    /** RCTL.RDMTS the driver writes (NicDriver.Config.rxLowThreshold). */
    static int rdmts;

    static int frames(int size, double load) {
        return size == 64 ? FRAMES : load >= 0.5 ? FRAMES_LARGE_LOADED : FRAMES_LARGE;
    }
    /** Three of the adaptive mode's rate windows (128 × 1.024 µs): by then its count of a frame has gone. */
    static final long AIM_WINDOWS_NS = 3 * 128 * 1024;
    /** How long before its time a frame is handed to the card's receive pins. */
    static final long LEAD_NS = 2_000;

    static List<Policy> policies() {
        List<Policy> l = new ArrayList<>();
        l.add(new Fixed("none", Coalescing.off()));
        for (int us : new int[] {10, 50, 125}) l.add(new Fixed("rx-usecs " + us, new Coalescing(us, 1, 0, 1, false)));
        l.add(new DynamicItr());
        l.add(new NetDim());
        l.add(new Fixed("card AIM 128/100", new Coalescing(100, 128, 0, 1, true)));
        l.add(new Fixed("card AIM 255/250", new Coalescing(250, 255, 0, 1, true)));
        return l;
    }

    /** Runs one point: {@code count} frames of {@code size} bytes (FCS included) at {@code load} of line rate. */
    static Point run(Policy policy, int size, double load, int count) {
        long[] now = {1_000_000_000L};
        SimulatedNic.Options o = new SimulatedNic.Options();
        o.memoryBytes = 16 << 20;
        try (SimulatedNic card = new SimulatedNic(SimulatedNic.design(), () -> now[0], o)) {
            NicDriver.Config c = new NicDriver.Config();
            c.mac = MAC;
            c.coalescing = policy.initial();
            c.rxLowThreshold = rdmts;
            NicDriver driver = new NicDriver(card, c);
            card.setLink(true);
            long limit = now[0] + 10_000_000;
            while (!driver.linkUp() && now[0] < limit) {
                driver.receive(f -> f.release(), 64);
                now[0] = Math.max(now[0] + 1, Math.min(driver.nextDeadline(), now[0] + 1_000));
            }
            if (!driver.linkUp()) throw new IllegalStateException("link did not come up");
            long baseInterrupts = driver.interrupts();
            Map<String, Long> baseCauses = driver.statistics();

            // the frames, evenly spaced at the offered load (preamble, SFD and the gap count as line time)
            double gapNs = (size + Ethernet.OVERHEAD) * 8e9 / LINE_BPS / load;
            long start = now[0] + 10_000;
            long[] offeredAt = new long[count];
            for (int i = 0; i < count; i++) offeredAt[i] = start + Math.round(i * gapNs);
            // each frame is handed to the pins shortly before its time, so the card's quiet stretches between frames are skipped
            int queued = 0;
            boolean adaptive = policy.initial().adaptiveRx();
            long end = offeredAt[count - 1] + 5_000_000;
            long[] readAt = new long[count];
            Arrays.fill(readAt, -1);
            long busy = 0;
            int received = 0;
            long pollBytes = 0;
            int pollFrames = 0;
            // each interrupt taken: when, and the frames read before it (for the steady state)
            long[] irqAt = new long[count + 16];
            int[] irqRead = new int[count + 16];
            int irqs = 0;
            while (now[0] < end && received < count) {
                if (queued < count && offeredAt[queued] <= now[0] + LEAD_NS) {
                    card.interruptAsserted();   // the card up to now: an arrival counts from the card's time
                    while (queued < count && offeredAt[queued] <= now[0] + LEAD_NS) {
                        card.receive(Ethernet.onWire(Ethernet.padAndFcs(frame(queued, size - Ethernet.FCS_LENGTH)), Ethernet.PREAMBLE_LENGTH), offeredAt[queued]);
                        queued++;
                        // the adaptive mode's rate windows count simulated time: the card must not skip
                        // time while a window holds frames, or sparse traffic would look dense
                        if (adaptive) card.simulateAtLeast(AIM_WINDOWS_NS + LEAD_NS);
                    }
                }
                if (driver.nextDeadline() <= now[0]) {
                    long interrupts = driver.interrupts();
                    boolean wasPolling = driver.polling();
                    long[] cost = {0};
                    int[] got = {0};
                    long[] bytes = {0};
                    long pollStart = now[0];
                    // an interrupt's cost before the handler runs: the frames' reads come after it
                    boolean interrupt = !wasPolling && card.interruptAsserted();
                    if (interrupt) cost[0] += COST.interruptNs();
                    driver.receive(f -> {
                        int seq = seq(f);
                        cost[0] += COST.frameNs();
                        bytes[0] += f.length();
                        if (seq >= 0 && seq < count && readAt[seq] < 0) readAt[seq] = pollStart + cost[0];
                        got[0]++;
                        f.release();
                    }, 64);
                    if (!interrupt && driver.interrupts() > interrupts) cost[0] += COST.interruptNs();   // raised between the look and the read
                    if (driver.interrupts() > interrupts && irqs < irqAt.length) {
                        irqAt[irqs] = pollStart;
                        irqRead[irqs++] = received;
                    }
                    received += got[0];
                    pollFrames += got[0];
                    pollBytes += bytes[0];
                    busy += cost[0];
                    now[0] += Math.max(1, cost[0]);
                    if (!driver.polling() && (wasPolling || driver.interrupts() > interrupts)) {
                        Coalescing next = policy.pollDone(pollFrames, pollBytes, now[0]);
                        if (next != null) driver.setCoalescing(next);
                        pollFrames = 0;
                        pollBytes = 0;
                    }
                    continue;
                }
                long feed = queued < count ? offeredAt[queued] - LEAD_NS : end;
                now[0] = Math.max(now[0] + 1, Math.min(driver.nextDeadline(), Math.min(feed, end)));
            }
            double seconds = (now[0] - start) / 1e9;
            long interrupts = driver.interrupts() - baseInterrupts;
            long[] lat = new long[received];
            int k = 0;
            for (int i = 0; i < count; i++) if (readAt[i] >= 0) lat[k++] = readAt[i] - offeredAt[i];
            Arrays.sort(lat, 0, k);
            double span = (offeredAt[count - 1] - start + gapNs) / 1e9;
            double[] steady = steady(irqAt, irqRead, irqs, offeredAt[count / 2], offeredAt[count - 1]);
            return new Point(policy.name(), size, load, count, received, count - received, interrupts / span,
                    interrupts == 0 ? 0 : (double) received / interrupts, steady[0], steady[1], percentile(lat, k, 0.50) / 1e3, percentile(lat, k, 0.99) / 1e3,
                    busy / 1e9 / seconds, seconds, causeCounts(baseCauses, driver.statistics()));
        }
    }

    /**
     * The steady state from the interrupts taken ({@code at} their times, {@code read} the frames read
     * before each): over those from {@code from} to {@code to}, the interrupts per second between the
     * first and the last, and the frames read per interrupt in between; NaN with fewer than two.
     */
    static double[] steady(long[] at, int[] read, int n, long from, long to) {
        int first = -1, last = -1;
        for (int i = 0; i < n; i++) {
            if (at[i] < from || at[i] > to) continue;
            if (first < 0) first = i;
            last = i;
        }
        if (first < 0 || last == first) return new double[] {Double.NaN, Double.NaN};
        int intervals = last - first;
        return new double[] {intervals / ((at[last] - at[first]) / 1e9), (double) (read[last] - read[first]) / intervals};
    }

    /** Interrupts per cause taken during the run, from the driver's counters, the causes that occurred only. */
    private static String causeCounts(Map<String, Long> before, Map<String, Long> after) {
        StringJoiner j = new StringJoiner(", ");
        for (Field f : Cause.ALL) {
            String key = "irq." + f.name();
            long n = after.getOrDefault(key, 0L) - before.getOrDefault(key, 0L);
            if (n > 0) j.add(f.name() + " " + n);
        }
        return j.toString();
    }

    private static double percentile(long[] sorted, int n, double q) {
        if (n == 0) return Double.NaN;
        return sorted[Math.min(n - 1, (int) Math.ceil(q * n) - 1)];
    }

    /** A frame to the card's address, its sequence number in the payload's first four bytes. */
    static byte[] frame(int seq, int length) {
        byte[] f = new byte[Math.max(60, length)];
        System.arraycopy(MAC, 0, f, 0, 6);
        byte[] src = {0x02, 0x4a, 0x4e, 0, 0, 2};
        System.arraycopy(src, 0, f, 6, 6);
        f[12] = (byte) 0x88;
        f[13] = (byte) 0xb5;   // IEEE local experimental EtherType
        f[14] = (byte) (seq >>> 24);
        f[15] = (byte) (seq >>> 16);
        f[16] = (byte) (seq >>> 8);
        f[17] = (byte) seq;
        return f;
    }

    static int seq(PacketBuffer f) {
        if (f.length() < 18) return -1;
        byte[] d = f.data();
        int at = f.start() + 14;
        return (d[at] & 0xff) << 24 | (d[at + 1] & 0xff) << 16 | (d[at + 2] & 0xff) << 8 | (d[at + 3] & 0xff);
    }

    static String header() {
        return String.format(Locale.ROOT, "%-16s %5s %6s %7s %6s %12s %10s %12s %10s %9s %9s %6s", "moderation", "bytes", "load", "frames", "drops",
                "interrupts/s", "frames/irq", "steady irq/s", "steady f/i", "p50 µs", "p99 µs", "cpu %");
    }

    static String row(Point p) {
        return String.format(Locale.ROOT, "%-16s %5d %5.0f%% %7d %6d %12.0f %10.1f %12.0f %10.1f %9.1f %9.1f %6.1f", p.policy(), p.frameBytes(), 100 * p.load(),
                p.offered(), p.drops(), p.interruptsPerSecond(), p.framesPerInterrupt(), p.steadyInterruptsPerSecond(), p.steadyFramesPerInterrupt(),
                p.p50Us(), p.p99Us(), 100 * p.cpu());
    }

    static String table(List<Point> points) {
        StringBuilder s = new StringBuilder("| moderation | frame bytes | load | frames | drops | interrupts/s | frames/interrupt "
                + "| steady interrupts/s | steady frames/interrupt | p50 µs | p99 µs | CPU % |\n");
        s.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Point p : points) {
            s.append(String.format(Locale.ROOT, "| %s | %d | %.0f %% | %d | %d | %.0f | %.1f | %.0f | %.1f | %.1f | %.1f | %.1f |%n", p.policy(), p.frameBytes(),
                    100 * p.load(), p.offered(), p.drops(), p.interruptsPerSecond(), p.framesPerInterrupt(), p.steadyInterruptsPerSecond(),
                    p.steadyFramesPerInterrupt(), p.p50Us(), p.p99Us(), 100 * p.cpu()));
        }
        return s.toString();
    }

    // ---- e1000e's dynamic ITR ------------------------------------------------------------------

    /**
     * e1000e's dynamic interrupt throttling (InterruptThrottleRate=1), as its e1000_update_itr and
     * e1000_set_itr decide: after each poll, the packets and bytes since the last decision choose
     * a latency class (lowest: 70 000 interrupts/s, low: 20 000, bulk: 4 000); a rise is smoothed
     * (the new rate moves up by a quarter of the target); ITR = 10^9 / (rate × 256).
     */
    static final class DynamicItr implements Policy {
        private static final int LOWEST = 0, LOW = 1, BULK = 2;
        private int setting = LOW;
        private long rate = 20_000;

        @Override public String name() { return "e1000e dyn ITR"; }
        @Override public Coalescing initial() { return itr(rate); }
        @Override public Policy fresh() { return new DynamicItr(); }

        @Override public Coalescing pollDone(int packets, long bytes, long now) {
            if (packets == 0) return null;
            long perPacket = bytes / packets;
            int s = setting;
            switch (setting) {
                case LOWEST -> {
                    if (perPacket > 8000) s = BULK;
                    else if (packets < 5 && bytes > 512) s = LOW;
                }
                case LOW -> {
                    if (bytes > 10000) {
                        if (perPacket > 8000) s = BULK;
                        else if (packets < 10 || perPacket > 1200) s = BULK;
                        else if (packets > 35) s = LOWEST;
                    } else if (perPacket > 2000) {
                        s = BULK;
                    } else if (packets <= 2 && bytes < 512) {
                        s = LOWEST;
                    }
                }
                default -> {
                    if (bytes > 25000) {
                        if (packets > 35) s = LOW;
                    } else if (bytes < 6000) {
                        s = LOW;
                    }
                }
            }
            setting = s;
            long target = s == LOWEST ? 70_000 : s == LOW ? 20_000 : 4_000;
            long next = target > rate ? Math.min(rate + (target >> 2), target) : target;
            if (next == rate) return null;
            rate = next;
            return itr(rate);
        }

        /** rx-usecs such that the driver writes ITR = 10^9 / (rate × 256). */
        private static Coalescing itr(long rate) {
            return new Coalescing((int) Math.max(1, 1_000_000 / rate), 1, 0, 1, false);
        }
    }

    // ---- net_dim -------------------------------------------------------------------------------

    /**
     * A driver-side adaptive moderation in the manner of Linux's net_dim (Documentation/networking/
     * net_dim.rst): every 64 interrupts it samples packets, bytes and interrupts per millisecond,
     * compares them with the last sample (a change over 10 % in bytes, else packets, else fewer
     * interrupts, is better or worse), and walks a table of profiles (rx-usecs, rx-frames) one step
     * at a time: on while it gets better, back when it gets worse, parking on a profile when
     * nothing changes and resting after too many steps. The profiles are net_dim's receive table
     * for event-based moderation: 1, 8, 64, 128, 256 µs with 256 frames. Checked against
     * lib/dim/net_dim.c and lib/dim/dim.c (net_dim_decision, net_dim_step, net_dim_stats_compare,
     * dim_calc_stats); where it differs: a sample is a poll (Linux: a completion event), and after a
     * change the next sample starts at once (Linux: at the first event after the work applied it).
     */
    static final class NetDim implements Policy {
        static final int[] USECS = {1, 8, 64, 128, 256};
        static final int PKTS = 256, NEVENTS = 64;
        private enum Tune { PARKING_ON_TOP, PARKING_TIRED, GOING_RIGHT, GOING_LEFT }
        private record Stats(long ppms, long bpms, long epms) {}

        private int ix = 0, stepsLeft, stepsRight, tired;
        private Tune tune = Tune.PARKING_ON_TOP;
        private Stats prev = new Stats(0, 0, 0);
        private long events, packets, bytes, sampleStart = -1;

        @Override public String name() { return "net_dim"; }
        /**
         * What a driver applies before the first decision, net_dim_get_def_rx_moderation: profile 1
         * (NET_DIM_DEF_PROFILE_EQE). Its struct dim starts zeroed (profile_ix 0, parked on top), so the
         * first sample, better than the zero before it, exits parking to the right: index 1 again.
         */
        @Override public Coalescing initial() { return profile(1); }
        @Override public Policy fresh() { return new NetDim(); }

        private static Coalescing profile(int ix) {
            return new Coalescing(USECS[ix], PKTS, 0, 1, false);
        }

        @Override public Coalescing pollDone(int p, long b, long now) {
            if (sampleStart < 0) {
                sampleStart = now;
                return null;
            }
            events++;
            packets += p;
            bytes += b;
            if (events < NEVENTS) return null;
            long us = Math.max(1, (now - sampleStart) / 1000);
            Stats curr = new Stats(divUp(packets * 1000, us), divUp(bytes * 1000, us), divUp(events * 1000, us));
            events = packets = bytes = 0;
            sampleStart = now;
            int before = ix;
            decide(curr);
            return ix != before ? profile(ix) : null;
        }

        private void decide(Stats curr) {
            Tune prevTune = tune;
            switch (tune) {
                case PARKING_ON_TOP -> {
                    if (compare(curr, prev) != 0) exitParking();
                }
                case PARKING_TIRED -> {
                    if (--tired == 0) exitParking();
                }
                default -> {
                    if (compare(curr, prev) <= 0) turn();
                    if (onTop()) {
                        parkOnTop();
                    } else {
                        int r = step();
                        if (r == ON_EDGE) parkOnTop();
                        else if (r == TOO_TIRED) parkTired();
                    }
                }
            }
            if (prevTune != Tune.PARKING_ON_TOP || tune != Tune.PARKING_ON_TOP) prev = curr;
        }

        private static final int STEPPED = 0, ON_EDGE = 1, TOO_TIRED = 2;

        private int step() {
            if (tired == USECS.length * 2) return TOO_TIRED;
            switch (tune) {
                case GOING_RIGHT -> {
                    if (ix == USECS.length - 1) return ON_EDGE;
                    ix++;
                    stepsRight++;
                }
                case GOING_LEFT -> {
                    if (ix == 0) return ON_EDGE;
                    ix--;
                    stepsLeft++;
                }
                default -> {}
            }
            tired++;
            return STEPPED;
        }

        private boolean onTop() {
            return switch (tune) {
                case PARKING_ON_TOP, PARKING_TIRED -> true;
                case GOING_RIGHT -> stepsLeft > 1 && stepsRight == 1;
                case GOING_LEFT -> stepsRight > 1 && stepsLeft == 1;
            };
        }

        private void turn() {
            if (tune == Tune.GOING_RIGHT) {
                tune = Tune.GOING_LEFT;
                stepsLeft = 0;
            } else if (tune == Tune.GOING_LEFT) {
                tune = Tune.GOING_RIGHT;
                stepsRight = 0;
            }
        }

        private void parkOnTop() {
            stepsRight = stepsLeft = tired = 0;
            tune = Tune.PARKING_ON_TOP;
        }

        /** Only from TOO_TIRED, so tired is 2 × profiles: it rests that many samples. */
        private void parkTired() {
            stepsRight = stepsLeft = 0;
            tune = Tune.PARKING_TIRED;
        }

        private void exitParking() {
            tune = ix > 0 ? Tune.GOING_LEFT : Tune.GOING_RIGHT;
            step();
        }

        /** 1 better, -1 worse, 0 the same. */
        private static int compare(Stats c, Stats p) {
            if (p.bpms() == 0) return c.bpms() != 0 ? 1 : 0;
            if (significant(c.bpms(), p.bpms())) return c.bpms() > p.bpms() ? 1 : -1;
            if (p.ppms() == 0) return c.ppms() != 0 ? 1 : 0;
            if (significant(c.ppms(), p.ppms())) return c.ppms() > p.ppms() ? 1 : -1;
            if (p.epms() == 0) return 0;
            if (significant(c.epms(), p.epms())) return c.epms() < p.epms() ? 1 : -1;
            return 0;
        }

        private static boolean significant(long v, long ref) {
            return ref != 0 && 100 * Math.abs(v - ref) / ref > 10;
        }

        private static long divUp(long a, long b) {
            return (a + b - 1) / b;
        }
    }
}

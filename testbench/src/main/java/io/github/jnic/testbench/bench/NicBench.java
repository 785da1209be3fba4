package io.github.jnic.testbench.bench;

import io.github.jnic.driver.Coalescing;
import io.github.jnic.driver.NicDriver;
import io.github.jnic.jhdl.Verilog;
import io.github.jnic.jhdl.flow.Yosys;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import io.github.jnic.net.buf.BufferPool;
import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.net.wire.Bytes;
import io.github.jnic.nic.card.Nic;
import io.github.jnic.nic.mac.GmiiMac;
import io.github.jnic.nic.phy.DdrVendor;
import io.github.jnic.testbench.card.SimulatedNic;
import io.github.jnic.testbench.phy.Ethernet;
import io.github.jnic.testbench.phy.GmiiPort;
import io.github.jnic.testbench.sim.Simulator;
import io.github.jnic.testbench.sim.StreamSource;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code ./nic bench nic}: the simulated card with its driver, two cards joined at their GMII pins,
 * on one virtual clock. Prints, each next to its reference:
 * <ol>
 *   <li>frames per second each way with both directions at line rate (64, 1518 and 9018 bytes, host
 *       memory 0.5 and 2 µs away), against the line's own rate (1 488 095 frames/s at 64 bytes);</li>
 *   <li>interrupts per second at line rate and the latency from a frame's last FCS byte on the
 *       receiving card's pins to the driver handing it up, at 1 % load, without moderation, with
 *       e1000e's defaults and with the card's adaptive mode;</li>
 *   <li>simulation speed: the card with its host models in cycles per CPU second, next to the MAC
 *       alone in the same run;</li>
 *   <li>size: yosys synth_ecp5 LUT4, flip-flops and block RAM of the card on GMII and on RGMII, next
 *       to the MAC alone.</li>
 * </ol>
 * The host's own cost is the stated model of {@link SimulatedNic.HostCost}, printed with the figures
 * that depend on it. Arguments: {@code quick} runs shorter windows; {@code host-cost=<ns>,<ns>} sets the
 * model (per interrupt, per frame); {@code 64} measures throughput at 64 bytes only; {@code size} prints
 * only the sizes; {@code speed} only the simulation speed (the 64-byte run it is measured in, and the MAC);
 * {@code loop} only the speed of the card alone, over a longer run (to profile it); {@code model} the
 * card's model alone in a C++ loop, idle, in instructions per cycle ({@link CardModelBench}).
 */
public final class NicBench {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private static final int TYPE = 0x88B5;
    private static final long US = 1_000;

    public static void main(String[] args) throws Exception {
        boolean quick = Arrays.asList(args).contains("quick");
        long window = quick ? 500 * US : 2_000 * US;
        SimulatedNic.HostCost cost = new SimulatedNic.HostCost(2_000, 100);
        for (String a : args) {
            if (a.startsWith("host-cost=")) {   // host-cost=<ns per interrupt>,<ns per frame>
                String[] v = a.substring(10).split(",");
                cost = new SimulatedNic.HostCost(Long.parseLong(v[0]), Long.parseLong(v[1]));
            }
        }
        if (Arrays.asList(args).contains("model")) {
            CardModelBench.run();
            return;
        }
        if (Arrays.asList(args).contains("loop")) {   // one card's speed alone, over 100 ms of its time: for a profiler
            System.out.printf("the card alone, a loopback plug, 64 B line rate both ways: %,.0f system clock cycles per CPU second%n",
                    oneCard(100_000 * US).systemCyclesPerCpuSecond);
            return;
        }
        boolean onlySpeed = Arrays.asList(args).contains("speed");
        boolean only64 = onlySpeed || Arrays.asList(args).contains("64");
        System.out.println("jnic card, simulated: GMII 125 MHz, system clock 62.5 MHz, two cards joined at their pins");
        System.out.println(cost + " (interrupt entry and exit, and per frame handled)");
        System.out.printf("machine: %d cores, %s%n%n", Runtime.getRuntime().availableProcessors(), Bench.cpuModel());

        if (Arrays.asList(args).contains("size")) {
            sizes();
            return;
        }
        System.out.println("## Throughput, both directions at once (frames per second each way, e1000e's default moderation)");
        System.out.println();
        System.out.println("| frame | host memory | host | A -> B | B -> A | line rate | of line rate |");
        System.out.println("|---:|---:|---|---:|---:|---:|---:|");
        Speed speed = null;
        for (int size : only64 ? new int[] {64} : new int[] {64, 1518, 9018}) {
            for (long latencyNs : new long[] {500, 2000}) {
                if (onlySpeed && latencyNs != 500) continue;
                for (SimulatedNic.HostCost host : size == 64 && latencyNs == 500 && !onlySpeed ? List.of(SimulatedNic.HostCost.NONE, cost) : List.of(SimulatedNic.HostCost.NONE)) {
                    Pair p = new Pair(host, latencyNs, size > 1518, Coalescing.defaults());
                    Throughput t = p.blast(size, window);
                    double line = 1e9 / ((size + Ethernet.OVERHEAD) * 8.0);
                    System.out.printf("| %d B | %.1f µs | %s | %,.0f | %,.0f | %,.0f | %.1f %% |%n", size, latencyNs / 1000.0,
                            host == SimulatedNic.HostCost.NONE ? "free" : "cost model", t.ab, t.ba, line, 100 * Math.min(t.ab, t.ba) / line);
                    if (size == 64 && latencyNs == 500 && speed == null) speed = t.speed;
                    p.close();
                }
            }
        }
        System.out.println();
        System.out.println("host free: the driver's work takes no time (the card's own limit); cost model: as stated above");

        if (!onlySpeed) moderation(cost, window, quick);

        System.out.println();
        System.out.println("## Simulation speed (one core)");
        System.out.println();
        double mac = macAlone(quick ? 2_000_000 : 10_000_000);
        System.out.println("| what | cycles per CPU second |");
        System.out.println("|---|---:|");
        Speed alone = oneCard(quick ? window : 10 * window);   // 20 ms of card time: a few CPU seconds
        System.out.printf("| the card alone with its host models and driver, a loopback plug, 64 B line rate both ways (system clock cycles) | %,.0f |%n", alone.systemCyclesPerCpuSecond);
        System.out.printf("| the same, counting its GMII clock's cycles | %,.0f |%n", alone.systemCyclesPerCpuSecond * 2);
        System.out.printf("| two cards joined in one thread, as in the throughput run above (system clock cycles, per card) | %,.0f |%n", speed.systemCyclesPerCpuSecond);
        System.out.printf("| the MAC alone (GmiiMac, frames in and out at line rate, GMII clock cycles) | %,.0f |%n", mac);
        System.out.printf("target: the card at least 1 000 000 system clock cycles a second (%.0f %% of it); the MAC alone %.1f× the card's GMII cycles%n",
                alone.systemCyclesPerCpuSecond / 1e4, mac / (alone.systemCyclesPerCpuSecond * 2));

        if (onlySpeed) return;
        System.out.println();
        sizes();
    }

    private static void moderation(SimulatedNic.HostCost cost, long window, boolean quick) {
        System.out.println();
        System.out.println("## Moderation: interrupts at line rate (64 B, one way), latency at 1 % load");
        System.out.println();
        System.out.println("| setting | interrupts/s at line rate | frames per interrupt | latency p50 at 1 % | p99 at 1 % |");
        System.out.println("|---|---:|---:|---:|---:|");
        Map<String, Coalescing> settings = new java.util.LinkedHashMap<>();
        settings.put("no moderation (rx-usecs 0)", Coalescing.off());
        settings.put("e1000e defaults (rx-usecs 50: ITR 20 000/s)", Coalescing.defaults());
        settings.put("adaptive-rx on, rx-usecs 100", new Coalescing(100, 0, 8, 1, true));
        for (var e : settings.entrySet()) {
            Pair p = new Pair(cost, 500, false, e.getValue());
            Throughput t = p.oneWay(64, window, 1.0);
            p.close();
            p = new Pair(cost, 500, false, e.getValue());
            Throughput light = p.oneWay(64, quick ? 5_000 * US : 20_000 * US, 0.01);
            p.close();
            System.out.printf("| %s | %,.0f | %.1f | %.2f µs | %.2f µs |%n", e.getKey(), t.interruptsPerSecond, t.framesPerInterrupt,
                    light.p50 / 1000.0, light.p99 / 1000.0);
        }
        System.out.println();
        System.out.println("latency: from the frame's last FCS byte on B's pins to B's driver handing it up (its poll after the interrupt,");
        System.out.println("the host cost model's interrupt entry included);");
        System.out.println("the targets: at most 1 interrupt per 100 frames at line rate, and at most rx-usecs + 2 µs at 1 % load");
    }

    private static void sizes() throws Exception {
        System.out.println("## Size (yosys synth_ecp5)");
        System.out.println();
        System.out.println("| design | LUT4 | flip-flops | block RAM (DP16KD) |");
        System.out.println("|---|---:|---:|---:|");
        size("the card on GMII", () -> new Nic(new Nic.Config().phy(Nic.Phy.GMII)));
        Nic.Config rgmii = new Nic.Config().phy(Nic.Phy.RGMII);
        rgmii.vendor = DdrVendor.ECP5;
        size("the card on RGMII", () -> new Nic(rgmii));
        Nic.Config bare = new Nic.Config().phy(Nic.Phy.RGMII);
        bare.vendor = DdrVendor.ECP5;
        bare.offload = false;
        size("the card on RGMII without the offload engines", () -> new Nic(bare));
        size("the MAC alone (GMII)", GmiiMac::new);
        // the smallest useful card for the iCEBreaker's UP5K (5 280 logic cells, 30 SB_RAM40_4K): RMII,
        // no offload, buffers of one 1518-byte frame's 2 KiB each way, small crossings
        Nic.Config small = new Nic.Config().phy(Nic.Phy.RMII);
        small.offload = false;
        small.systemHz = 25_000_000;
        small.rxBufferBeats = small.txBufferBeats = 256;
        small.rxBufferFrames = small.txBufferFrames = 4;
        small.crossingBeats = 8;
        Yosys.Result r = Yosys.synth(Verilog.emit(new Nic(small)), Yosys.Target.ICE40);
        System.out.println();
        System.out.printf("The card on RMII without offload, 2 KiB buffers, for the UP5K (yosys synth_ice40): %,d SB_LUT4, %,d flip-flops, %d SB_RAM40_4K%n",
                r.luts(), r.flipFlops(), r.blockRams());
    }

    private static void size(String what, Supplier<io.github.jnic.jhdl.Module> top) throws Exception {
        Yosys.Result r = Yosys.synth(Verilog.emit(top.get()), Yosys.Target.ECP5);
        System.out.printf("| %s | %,d | %,d | %d |%n", what, r.luts(), r.flipFlops(), r.blockRams());
    }

    /** The MAC alone: frames in on its stream, out on its pins, and back in on its receive pins, at line rate. */
    private static double macAlone(long cycles) {
        try (Simulator sim = Simulator.load(Verilog.emit(new GmiiMac()))) {
            sim.clock("txClk", 8_000);
            sim.clock("rxClk", 8_000);
            sim.port("ifg").set(12);
            sim.port("txReset").set(1);
            sim.port("rxReset").set(1);
            sim.step("txClk", 4);
            sim.port("txReset").set(0);
            sim.port("rxReset").set(0);
            GmiiPort port = new GmiiPort(sim, "txClk", "rxClk", "gmii", 12);
            StreamSource source = new StreamSource(sim, "txClk", new StreamSource.Pins(sim.port("tx_valid"), sim.port("tx_ready"),
                    sim.port("tx_payload"), sim.port("tx_last"), null, sim.port("tx_user")), 3, 0);
            byte[] frame = new byte[1514];
            long t0 = CPU.getCurrentThreadCpuTime();
            long done = 0;
            while (done < cycles) {
                for (int i = 0; i < 16; i++) source.send(frame);
                sim.step("txClk", 16 * 1540);
                for (GmiiPort.Sent s : port.sent()) port.send(s.wire(), 0);
                done += 16 * 1540;
            }
            return done / ((CPU.getCurrentThreadCpuTime() - t0) / 1e9);
        }
    }

    record Speed(double systemCyclesPerCpuSecond) {}

    /**
     * The simulation speed of one card: a loopback plug in its port, its host models and its driver,
     * the driver sending 64-byte frames to itself as fast as the ring takes them, so the card carries
     * line rate both ways, as each card of a {@link Pair} does, alone in the thread.
     */
    private static Speed oneCard(long window) {
        long[] now = {1_000_000_000L};
        try (SimulatedNic card = Pair.card(() -> now[0], SimulatedNic.HostCost.NONE, 500, 1)) {
            SimulatedNic.loopBack(card);
            NicDriver driver = new NicDriver(card, Pair.config("loop", 1, false, Coalescing.defaults()));
            BufferPool pool = new BufferPool(2_048, 256);
            byte[] mac = driver.macAddress();
            for (int i = 0; i < 1000 && !driver.linkUp(); i++) {
                now[0] += 10 * US;
                driver.receive(PacketBuffer::release, 64);
            }
            if (!driver.linkUp()) throw new IllegalStateException("the link did not come up");
            long received = 0, cpu0 = 0, cycles0 = 0, from = now[0] + 200 * US, to = from + window;
            boolean measuring = false;
            while (now[0] < to) {
                if (!measuring && now[0] >= from) {
                    measuring = true;
                    cpu0 = CPU.getCurrentThreadCpuTime();
                    cycles0 = card.cyclesSimulated();
                    received = 0;
                }
                Pair.fill(driver, pool, mac, mac, 64, () -> 0);
                driver.flush();
                do { received += driver.receive(PacketBuffer::release, 64); } while (driver.polling());
                now[0] = Math.max(now[0], card.timeNs()) + 2 * US;
            }
            double cpu = (CPU.getCurrentThreadCpuTime() - cpu0) / 1e9;
            double seconds = (now[0] - from) / 1e9, line = 1e9 / ((64 + Ethernet.OVERHEAD) * 8.0);
            if (received < 0.9 * line * seconds)   // the figure is only the card's at line rate
                throw new IllegalStateException(String.format("the looped card carried %,.0f frames/s, not line rate", received / seconds));
            return new Speed((card.cyclesSimulated() - cycles0) / cpu);
        }
    }

    static final class Throughput {
        double ab, ba, interruptsPerSecond, framesPerInterrupt, p50, p99;
        Speed speed;
    }

    /** Two simulated cards joined at their pins, each with its driver, on a clock moved by hand. */
    static final class Pair implements AutoCloseable {
        long now = 1_000_000_000L;
        final java.util.function.LongSupplier clock = () -> now;
        final SimulatedNic cardA, cardB;
        final NicDriver a, b;
        final BufferPool pool = new BufferPool(16_384, 256);
        final byte[] macA, macB;
        long receivedA, receivedB;
        final List<Long> latencies = new ArrayList<>();
        final Map<Integer, Long> pinEndB = new HashMap<>(), pinEndA = new HashMap<>();
        int seq;

        Pair(SimulatedNic.HostCost cost, long memoryLatencyNs, boolean jumbo, Coalescing coalescing) {
            cardA = card(clock, cost, memoryLatencyNs, 1);
            cardB = card(clock, cost, memoryLatencyNs, 2);
            SimulatedNic.connect(cardA, cardB);
            // a cable's delay after A's frame's last byte left, it starts on B's pins; its last FCS byte is there a frame's time later
            cardA.onSent(f -> {
                byte[] w = f.wire();
                if (w.length > 8 + 18) pinEndB.put(Bytes.get32(w, 8 + 14), cardA.nanosOfTxEdge(f.endEdge()) + SimulatedNic.CABLE_DELAY_NS + w.length * 8L);
            });
            cardB.onSent(f -> {
                byte[] w = f.wire();
                if (w.length > 8 + 18) pinEndA.put(Bytes.get32(w, 8 + 14), cardB.nanosOfTxEdge(f.endEdge()) + SimulatedNic.CABLE_DELAY_NS + w.length * 8L);
            });
            a = new NicDriver(cardA, config("benchA", 1, jumbo, coalescing));
            b = new NicDriver(cardB, config("benchB", 2, jumbo, coalescing));
            macA = a.macAddress();
            macB = b.macAddress();
            for (int i = 0; i < 1000 && !(a.linkUp() && b.linkUp()); i++) {
                now += 10 * US;
                a.receive(PacketBuffer::release, 64);
                b.receive(PacketBuffer::release, 64);
            }
            if (!(a.linkUp() && b.linkUp())) throw new IllegalStateException("the links did not come up");
        }

        static SimulatedNic card(java.util.function.LongSupplier clock, SimulatedNic.HostCost cost, long memoryLatencyNs, long seed) {
            SimulatedNic.Options o = new SimulatedNic.Options();
            o.hostCost = cost;
            o.memoryLatencyCycles = memoryLatencyNs * 1000 / o.systemPeriodPs;
            o.memoryBytes = 80 << 20;   // two 1024-descriptor rings of 16 KiB buffers for jumbo frames
            o.seed = seed;
            o.busyCheckNs = 100;   // the host looks at its interrupt line every 100 ns while the card is busy
            return new SimulatedNic(SimulatedNic.design(), clock, o);
        }

        static NicDriver.Config config(String name, int host, boolean jumbo, Coalescing c) {
            NicDriver.Config cfg = new NicDriver.Config();
            cfg.name = name;
            cfg.mac = new byte[] {0x02, 0x4a, 0x4e, 0, 0, (byte) host};
            cfg.rxRingSize = 1024;
            cfg.txRingSize = 1024;
            cfg.coalescing = c;
            if (jumbo) {
                cfg.mtu = 9000;
                cfg.rxBufferSize = 16384;
                cfg.txBufferSize = 16384;
            }
            return cfg;
        }

        /** Transmits frames of {@code length} bytes until the ring refuses one (which goes back to the pool). */
        void fill(NicDriver driver, byte[] to, byte[] from, int length) {
            fill(driver, pool, to, from, length, () -> seq++);
        }

        static void fill(NicDriver driver, BufferPool pool, byte[] to, byte[] from, int length, java.util.function.IntSupplier number) {
            for (;;) {
                PacketBuffer f = frame(pool, to, from, length, number.getAsInt());
                if (!driver.transmit(f)) {
                    f.release();
                    return;
                }
            }
        }

        PacketBuffer frame(byte[] to, byte[] from, int length, int number) {
            return frame(pool, to, from, length, number);
        }

        static PacketBuffer frame(BufferPool pool, byte[] to, byte[] from, int length, int number) {
            PacketBuffer f = pool.take();
            int at = f.append(length - Ethernet.FCS_LENGTH);
            byte[] d = f.data();
            System.arraycopy(to, 0, d, at, 6);
            System.arraycopy(from, 0, d, at + 6, 6);
            Bytes.put16(d, at + 12, TYPE);
            Bytes.put32(d, at + 14, number);
            return f;
        }

        /**
         * Both ways at once, as fast as the rings take frames. Counted: the frames whose last FCS byte
         * reached the receiving card's pins inside {@code window} (after a warm-up) and that its
         * driver handed up, whenever that was (so the host's batching by interrupt cannot move a
         * frame in or out of the window).
         */
        Throughput blast(int size, long window) {
            long warm = 200 * US, from = now + warm, to = from + window, end = to + 200 * US;
            long cpu0 = 0, cycles0 = 0;
            long[] counted = new long[2];
            boolean measuring = false;
            while (now < end) {
                if (!measuring && now >= from) {
                    measuring = true;
                    cpu0 = CPU.getCurrentThreadCpuTime();
                    cycles0 = cardA.cyclesSimulated() + cardB.cyclesSimulated();
                }
                if (now < to) {
                    fill(a, macB, macA, size);
                    fill(b, macA, macB, size);
                    a.flush();
                    b.flush();
                }
                do { a.receive(f -> count(f, pinEndA, from, to, counted, 0), 64); } while (a.polling());
                do { b.receive(f -> count(f, pinEndB, from, to, counted, 1), 64); } while (b.polling());
                now = Math.max(now, Math.max(cardA.timeNs(), cardB.timeNs())) + 2 * US;   // the host's modelled work takes the host's time too
            }
            Throughput t = new Throughput();
            t.ba = counted[0] * 1e9 / window;
            t.ab = counted[1] * 1e9 / window;
            double cpu = (CPU.getCurrentThreadCpuTime() - cpu0) / 1e9;
            t.speed = new Speed((cardA.cyclesSimulated() + cardB.cyclesSimulated() - cycles0) / 2.0 / cpu);
            return t;
        }

        private static void count(PacketBuffer f, Map<Integer, Long> pinEnd, long from, long to, long[] counted, int side) {
            Long at = pinEnd.remove(Bytes.get32(f.data(), f.start() + 14));
            if (at != null && at >= from && at < to) counted[side]++;
            f.release();
        }

        /**
         * A sends to B at {@code load} of the line rate (frames evenly spaced; at 1.0, as fast as its
         * ring takes them); B's host waits for its interrupt as a stack would (it looks when the
         * driver asks to be looked at).
         */
        Throughput oneWay(int size, long window, double load) {
            double gapNs = (size + Ethernet.OVERHEAD) * 8.0 / load;
            long start = now, end = now + window, interrupts0 = b.interrupts();
            double nextSend = now;
            long received0 = receivedB;
            while (now < end) {
                if (load >= 1.0) {
                    fill(a, macB, macA, size);
                    a.flush();
                } else if (now >= nextSend) {
                    PacketBuffer f = frame(macB, macA, size, seq++);
                    if (!a.transmit(f)) f.release();
                    a.flush();
                    nextSend += gapNs;
                }
                a.receive(PacketBuffer::release, 64);
                now = Math.max(now, cardA.timeNs());   // the host's modelled work takes the host's time too
                do {
                    now = Math.max(now, cardB.timeNs());
                    receivedB += b.receive(f -> {
                        Long pin = pinEndB.remove(Bytes.get32(f.data(), f.start() + 14));
                        // when the driver hands it up: the card's time, the host's modelled interrupt entry included; after a millisecond's warm-up
                        long handed = cardB.timeNs();
                        if (pin != null && now - start > 1_000 * US) latencies.add(handed - pin);
                        f.release();
                    }, 64);
                } while (b.polling());
                now = Math.max(now, cardB.timeNs());
                long next = Math.min(load >= 1.0 ? now + 2 * US : (long) Math.ceil(nextSend), b.nextDeadline());
                next = Math.min(next, a.nextDeadline());
                now = Math.max(now + 1, Math.min(next, now + 50 * US));
            }
            Throughput t = new Throughput();
            double seconds = (now - start) / 1e9;
            t.interruptsPerSecond = (b.interrupts() - interrupts0) / seconds;
            t.framesPerInterrupt = (receivedB - received0) / (double) Math.max(1, b.interrupts() - interrupts0);
            if (System.getenv("NICBENCH_DEBUG") != null) System.err.printf("oneWay: %d frames, %d interrupts, %.6f s%n", receivedB - received0, b.interrupts() - interrupts0, seconds);
            long[] l = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            if (l.length > 0) {
                t.p50 = l[l.length / 2];
                t.p99 = l[Math.min(l.length - 1, (int) (l.length * 0.99))];
            }
            return t;
        }

        @Override
        public void close() {
            cardA.close();
            cardB.close();
        }
    }
}

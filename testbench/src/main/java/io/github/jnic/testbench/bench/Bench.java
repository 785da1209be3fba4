package io.github.jnic.testbench.bench;

import io.github.jnic.jhdl.Verilog;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import io.github.jnic.testbench.sim.ModelCache;
import io.github.jnic.testbench.sim.Port;
import io.github.jnic.testbench.sim.SimOptions;
import io.github.jnic.testbench.sim.Simulator;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;

/**
 * {@code ./nic bench <what>}. {@code sim}: the speed of one reference design ({@link CrcOverFifo})
 * three ways in one run: a bare C++ Verilator loop, the harness stepping in one batch, and the
 * harness poking and peeking every cycle. Prints cycles per second of the running thread's CPU time
 * (best of three interleaved rounds; wall time is printed too but swings with a shared machine's
 * load) and the ratios to the bare loop.
 */
public final class Bench {
    private static final int FIFO_DEPTH = 16;
    private static final int BYTE = 0xA5;
    private static final int ROUNDS = 3;
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !args[0].equals("sim")) {
            System.err.println("usage: ./nic bench sim [cycles]   (default 10000000)");
            System.exit(2);
        }
        long cycles = args.length > 1 ? Long.parseLong(args[1].replace("_", "")) : 10_000_000L;
        sim(cycles);
    }

    static void sim(long cycles) throws IOException, InterruptedException {
        VerilogDesign design = Verilog.emit(new CrcOverFifo(FIFO_DEPTH));
        ModelCache cache = ModelCache.of(SimOptions.defaults());
        System.out.printf("reference design: %s (CRC-32 over a %d-beat stream FIFO), %,d cycles, one byte a cycle%n",
                design.top(), FIFO_DEPTH, cycles);

        long t0 = System.nanoTime();
        Path work = Files.createTempDirectory("jnic-bench-");
        Path bare = cache.compileAgainstModel(design, bareLoop(), work);
        System.out.printf("model and bare loop ready in %.1f s%n", (System.nanoTime() - t0) / 1e9);

        // Rounds interleave the three ways, and each keeps its best: a shared machine's noise only slows.
        Result bareResult = null, batched = null, perCycle = null;
        for (int round = 1; round <= ROUNDS; round++) {
            Result b = runBare(bare, cycles), h = harnessBatched(design, cycles), p = harnessPerCycle(design, cycles);
            System.out.printf("round %d: bare %,.0f, batched %,.0f, per cycle %,.0f cycles per CPU second%n", round,
                    b.cyclesPerSecond, h.cyclesPerSecond, p.cyclesPerSecond);
            bareResult = best(bareResult, b);
            batched = best(batched, h);
            perCycle = best(perCycle, p);
        }
        ModelCache.deleteTree(work);

        if (batched.crc != bareResult.crc || perCycle.crc != bareResult.crc)
            throw new IllegalStateException(String.format("the three runs disagree: crc %08x %08x %08x",
                    bareResult.crc, batched.crc, perCycle.crc));
        System.out.printf("all three end with crc %08x%n%n", bareResult.crc);
        System.out.println("| way | cycles per CPU second | vs bare loop | cycles per wall second |");
        System.out.println("|---|---:|---:|---:|");
        row("bare C++ Verilator loop", bareResult, bareResult);
        row("harness, one step() of all cycles", batched, bareResult);
        row("harness, poke+poke+step+peek each cycle", perCycle, bareResult);
        System.out.printf("%nmachine: %d cores, %s; %s%n", Runtime.getRuntime().availableProcessors(), cpuModel(),
                cache.version(cache.tool("verilator", "verilator")));
    }

    /** Speeds per second of the thread's CPU time (robust on a shared machine) and of wall time. */
    private record Result(double cyclesPerSecond, double cyclesPerWallSecond, long crc) {
        static Result of(long cycles, long cpuNanos, long wallNanos, long crc) {
            return new Result(cycles / (cpuNanos / 1e9), cycles / (wallNanos / 1e9), crc);
        }
    }

    private static Result best(Result a, Result b) {
        return a == null || b.cyclesPerSecond > a.cyclesPerSecond ? b : a;
    }

    private static void row(String way, Result r, Result bare) {
        System.out.printf(Locale.ROOT, "| %s | %,.0f | %.2f | %,.0f |%n", way, r.cyclesPerSecond,
                r.cyclesPerSecond / bare.cyclesPerSecond, r.cyclesPerWallSecond);
    }

    /** The same sequence as the harness: reset for two rising edges, then a byte every cycle. */
    private static String bareLoop() {
        return """
                // Bare Verilator loop for ./nic bench sim: no JNI, no harness.
                #include "Vtop.h"
                #include "verilated.h"
                #include <chrono>
                #include <cstdio>
                #include <cstdlib>
                #include <ctime>

                int main(int argc, char** argv) {
                    long long cycles = std::atoll(argv[1]);
                    VerilatedContext context;
                    Vtop top(&context, "top");
                    top.eval();
                    top.reset = 1;
                    top.clk = 1; top.eval();
                    top.clk = 0; top.eval();
                    top.clk = 1; top.eval();
                    top.reset = 0;
                    top.in_valid = 1;
                    top.in_payload = %d;
                    timespec cpu0, cpu1;
                    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu0);
                    auto start = std::chrono::steady_clock::now();
                    for (long long i = 0; i < cycles; i++) {
                        top.clk = 0; top.eval();
                        top.clk = 1; top.eval();
                    }
                    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
                    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu1);
                    double cpu = (cpu1.tv_sec - cpu0.tv_sec) + (cpu1.tv_nsec - cpu0.tv_nsec) / 1e9;
                    std::printf("%%.1f %%.1f %%u\\n", cycles / cpu, cycles / wall, (unsigned)top.crc);
                    top.final();
                    return 0;
                }
                """.formatted(BYTE);
    }

    private static Result runBare(Path exe, long cycles) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(exe.toString(), Long.toString(cycles)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0) throw new IllegalStateException("bare loop failed: " + out);
        String[] f = out.lines().reduce((a, b) -> b).orElse("").split(" ");
        return new Result(Double.parseDouble(f[0]), Double.parseDouble(f[1]), Long.parseLong(f[2]));
    }

    private static Simulator start(VerilogDesign design) {
        Simulator sim = Simulator.load(design);
        sim.resetHigh("reset", "clk", 2);
        sim.port("in_valid").set(1);
        sim.port("in_payload").set(BYTE);
        return sim;
    }

    private static Result harnessBatched(VerilogDesign design, long cycles) {
        try (Simulator sim = start(design)) {
            long cpu = CPU.getCurrentThreadCpuTime(), t = System.nanoTime();
            sim.step("clk", cycles);
            return Result.of(cycles, CPU.getCurrentThreadCpuTime() - cpu, System.nanoTime() - t, sim.port("crc").get());
        }
    }

    private static Result harnessPerCycle(VerilogDesign design, long cycles) {
        try (Simulator sim = start(design)) {
            Port valid = sim.port("in_valid"), data = sim.port("in_payload"), crc = sim.port("crc");
            long last = 0;
            long cpu = CPU.getCurrentThreadCpuTime(), t = System.nanoTime();
            for (long i = 0; i < cycles; i++) {
                valid.set(1);
                data.set(BYTE);
                sim.step("clk", 1);
                last = crc.get();
            }
            return Result.of(cycles, CPU.getCurrentThreadCpuTime() - cpu, System.nanoTime() - t, last);
        }
    }

    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/cpuinfo")))
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
        } catch (IOException ignored) {
            // not Linux: say so below
        }
        return "unknown CPU";
    }
}

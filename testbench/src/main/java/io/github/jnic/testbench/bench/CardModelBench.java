package io.github.jnic.testbench.bench;

import io.github.jnic.jhdl.verilog.VerilogDesign;
import io.github.jnic.testbench.card.SimulatedNic;
import io.github.jnic.testbench.sim.ModelCache;
import io.github.jnic.testbench.sim.SimOptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./nic bench nic model}: the card's verilated model alone, in a C++ loop that drives its
 * three clocks as the harness does (four evals a system cycle), reset released, no host model and
 * no traffic: an idle card simulated cycle by cycle. Prints the instructions it takes per system
 * cycle (valgrind's callgrind, which the machine's load does not move: the measure for judging a
 * change of a few per cent on a shared machine) and its best speed of five timed runs.
 */
final class CardModelBench {
    private static final long COUNTED = 20_000, TIMED = 500_000;

    private CardModelBench() {}

    static void run() throws IOException, InterruptedException {
        VerilogDesign design = SimulatedNic.design();
        ModelCache cache = ModelCache.of(SimOptions.defaults());
        Path work = Files.createTempDirectory("jnic-card-model-");
        try {
            Path exe = cache.compileAgainstModel(design, LOOP, work);
            System.out.println("the card's model alone, idle (no host models, no traffic), its clocks as the harness drives them");
            String valgrind = cache.tool("valgrind", "valgrind");
            // the difference of two lengths: the model's construction and reset drop out
            double perCycle = (instructions(valgrind, exe, 2 * COUNTED) - instructions(valgrind, exe, COUNTED)) / (double) COUNTED;
            System.out.printf("instructions per system cycle: %,.0f (callgrind, %,d cycles)%n", perCycle, COUNTED);
            double best = 0;
            for (int i = 0; i < 5; i++) best = Math.max(best, Double.parseDouble(output(List.of(exe.toString(), Long.toString(TIMED))).trim()));
            System.out.printf("system clock cycles per CPU second: %,.0f (best of 5 runs of %,d cycles)%n", best, TIMED);
        } finally {
            ModelCache.deleteTree(work);
        }
    }

    private static long instructions(String valgrind, Path exe, long cycles) throws IOException, InterruptedException {
        String out = output(List.of(valgrind, "--tool=callgrind", "--callgrind-out-file=/dev/null", exe.toString(), Long.toString(cycles)));
        Matcher m = Pattern.compile("Collected : (\\d+)").matcher(out);
        if (!m.find()) throw new IllegalStateException("no instruction count from valgrind:\n" + out);
        return Long.parseLong(m.group(1));
    }

    private static String output(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + out);
        return out;
    }

    /** Prints the system clock cycles per second of the thread's CPU time for the cycles after reset. */
    private static final String LOOP = """
            // The card's model alone for ./nic bench nic model: no JNI, no harness, no host models.
            #include "Vtop.h"
            #include "verilated.h"
            #include <cstdio>
            #include <cstdlib>
            #include <ctime>

            int main(int argc, char** argv) {
                long long cycles = std::atoll(argv[1]);
                VerilatedContext context;
                Vtop top(&context, "top");
                top.eval();
                uint64_t t = 0;
                // edges as the harness's schedule has them: clk 16 ns, txClk and rxClk 8 ns, all starting low
                auto step = [&](long long n) {
                    for (long long i = 0; i < n; i++) {
                        t += 4000; top.txClk = 1; top.rxClk = 1; context.time(t); top.eval();
                        t += 4000; top.clk = 1; top.txClk = 0; top.rxClk = 0; context.time(t); top.eval();
                        t += 4000; top.txClk = 1; top.rxClk = 1; context.time(t); top.eval();
                        t += 4000; top.clk = 0; top.txClk = 0; top.rxClk = 0; context.time(t); top.eval();
                    }
                };
                top.reset = 1; top.txReset = 1; top.rxReset = 1;
                step(4);
                top.reset = 0; top.txReset = 0; top.rxReset = 0;
                step(100);
                timespec a, b;
                clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a);
                step(cycles);
                clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b);
                double s = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
                std::printf("%.0f\\n", cycles / s);
                top.final();
                return 0;
            }
            """;
}

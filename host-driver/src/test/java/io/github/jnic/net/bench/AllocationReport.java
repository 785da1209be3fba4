package io.github.jnic.net.bench;

import java.util.Collection;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/** Runs a JMH class with the GC profiler and prints time and bytes allocated per operation next to the target, zero. */
public final class AllocationReport {
    private AllocationReport() {}

    /** {@code operation}: what one operation is, for the header ("payload bytes", "bytes per write"). */
    public static void run(Class<?> benchmarks, String unit, String operation) throws Exception {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(benchmarks.getName())
                .addProfiler(GCProfiler.class)
                .build()).run();
        System.out.println();
        System.out.printf("%-36s %12s %14s %10s%n", "benchmark (" + operation + ")", "ns/" + unit, "bytes/" + unit, "target");
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark().replaceAll(".*\\.", "") + " (" + r.getParams().getParam("size") + ")";
            Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
            System.out.printf("%-36s %12.0f %14.2f %10s%n", name, r.getPrimaryResult().getScore(),
                    alloc == null ? Double.NaN : alloc.getScore(), "0");
        }
    }
}

package io.github.jnic.testbench.sim;

import io.github.jnic.jhdl.verilog.VerilogDesign;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Builds are cached by content; the Verilator runtime is compiled once and shared. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CacheTest {
    // A private cache, so the first load really builds (runtime included) whatever ran before.
    private static final Path CACHE = Paths.get("target", "cache-test").toAbsolutePath();

    @BeforeAll
    static void emptyCache() {
        ModelCache.deleteTree(CACHE);
    }

    @Test
    @Order(1)
    void secondLoadIsACacheHitAndTheRuntimeIsShared() throws IOException {
        Path cache = CACHE;
        SimOptions options = SimOptions.defaults().cacheDir(cache);

        long t0 = System.nanoTime();
        try (Simulator sim = Simulator.load(TestDesigns.twoClocks(), options)) {
            sim.step("clk_a", 3);
        }
        long cold = System.nanoTime() - t0;
        List<Path> models = dirs(cache, "model-");
        List<Path> runtimes = dirs(cache, "runtime-");
        assertEquals(1, models.size());
        assertEquals(1, runtimes.size());
        FileTime built = Files.getLastModifiedTime(models.get(0).resolve("model.so"));
        FileTime runtimeBuilt = Files.getLastModifiedTime(Files.list(runtimes.get(0)).findFirst().orElseThrow());

        t0 = System.nanoTime();
        try (Simulator sim = Simulator.load(TestDesigns.twoClocks(), options)) {
            sim.step("clk_a", 3);
            assertEquals(3, sim.port("count_a").get());
        }
        long warm = System.nanoTime() - t0;
        assertEquals(models, dirs(cache, "model-"));
        assertEquals(built, Files.getLastModifiedTime(models.get(0).resolve("model.so")));
        System.out.printf("cold load %.1f s, warm load %.3f s%n", cold / 1e9, warm / 1e9);

        // Any change to the Verilog is a new model; the runtime objects are reused as they are.
        VerilogDesign changed = TestDesigns.of("two_clocks", TestDesigns.resource("two_clocks.v") + "// changed\n",
                "in clk_a 1 clock", "in clk_b 1 clock", "out count_a 32", "out count_b 32");
        try (Simulator sim = Simulator.load(changed, options)) {
            sim.step("clk_b", 2);
            assertEquals(2, sim.port("count_b").get());
        }
        List<Path> after = dirs(cache, "model-");
        assertEquals(2, after.size());
        assertNotEquals(models.get(0), after.get(1).equals(models.get(0)) ? after.get(0) : after.get(1));
        assertEquals(runtimes, dirs(cache, "runtime-"));
        assertEquals(runtimeBuilt, Files.getLastModifiedTime(Files.list(runtimes.get(0)).findFirst().orElseThrow()));
        assertEquals(List.of(), dirs(cache, "tmp-"), "no temporary build directory is left behind");
    }

    @Test
    @Order(2)
    void twoBuildsOfTheSameDesignAtOnceBothSucceed() throws Exception {
        SimOptions options = SimOptions.defaults().cacheDir(CACHE);
        VerilogDesign design = TestDesigns.of("two_clocks", TestDesigns.resource("two_clocks.v") + "// raced\n",
                "in clk_a 1 clock", "in clk_b 1 clock", "out count_a 32", "out count_b 32");
        int modelsBefore = dirs(CACHE, "model-").size();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Long>> runs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                runs.add(pool.submit(() -> {
                    try (Simulator sim = Simulator.load(design, options)) {
                        sim.step("clk_a", 5);
                        return sim.port("count_a").get();
                    }
                }));
            }
            for (Future<Long> run : runs) assertEquals(5L, run.get());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(modelsBefore + 1, dirs(CACHE, "model-").size());
        assertEquals(1, dirs(CACHE, "runtime-").size());
        assertEquals(List.of(), dirs(CACHE, "tmp-"), "the loser's temporary directory is removed");
    }

    private static List<Path> dirs(Path root, String prefix) throws IOException {
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList();
        }
    }
}

package io.github.jnic.testbench.sim;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A waveform written by a JVM that is killed (SIGKILL) mid-run is still a readable VCD. */
class TraceKillTest {

    /** The child: runs a traced counter for ever, saying READY once it has run a while. */
    public static void main(String[] args) {
        try (Simulator sim = Simulator.load(TestDesigns.widths(), SimOptions.defaults().trace(Paths.get(args[0])))) {
            sim.resetHigh("rst", "clk", 1);
            sim.port("en").set(1);
            sim.step("clk", 20_000);
            System.out.println("READY");
            System.out.flush();
            for (;;) sim.step("clk", 1_000);
        }
    }

    @Test
    void aKilledRunLeavesAReadableWaveform(@TempDir Path dir) throws Exception {
        Path vcd = dir.resolve("killed.vcd");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process child = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, TraceKillTest.class.getName(), vcd.toString())
                .redirectErrorStream(true).start();
        List<String> said = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                said.add(line);
                if (line.equals("READY")) break;
            }
            assertTrue(said.contains("READY"), "child failed: " + said);
            Thread.sleep(300);
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no close
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        } finally {
            child.destroyForcibly();
        }

        Vcd wave = Vcd.parse(Files.readString(vcd, StandardCharsets.ISO_8859_1));
        List<long[]> count = wave.changes("count");
        assertTrue(count.size() > 20_000, "changes of count: " + count.size());
        // Past the reset, count rises by one on every rising edge (10 ns apart) up to the last one written.
        for (int i = 2; i < count.size(); i++) {
            assertEquals(count.get(i - 1)[1] + 1, count.get(i)[1], "at change " + i);
            assertEquals(10_000, count.get(i)[0] - count.get(i - 1)[0], "at change " + i);
        }
    }
}

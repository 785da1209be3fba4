package io.github.jnic.testbench.axi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.jhdl.Verilog;
import io.github.jnic.jhdl.flow.VerilatorLint;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import io.github.jnic.testbench.sim.Condition;
import io.github.jnic.testbench.sim.Simulator;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link io.github.jnic.jhdl.lib.axi.Axi4Join}: two copy engines share one memory port, both busy
 * at once, under latency, jitter and responses reordered across IDs; every copy against a Java
 * reference of the memory, the port's protocol checked by the memory model.
 */
class Axi4JoinTest {
    static final long BASE = 0x1_0000_0000L;
    static final int BYTES = 1 << 20;
    static final VerilogDesign DESIGN = Verilog.emit(new TwoCopies());

    @Test
    void theDesignIsLintClean() {
        VerilatorLint.requireClean(DESIGN);
    }

    @Test
    void twoEnginesCopyAtOnceThroughOnePort() {
        Random random = new Random(3);
        try (Simulator sim = Simulator.load(DESIGN)) {
            sim.resetHigh("reset", "clk", 2);
            AxiMemory memory = new AxiMemory(sim, "clk", "dma", BASE, BYTES, 9).latency(20, 10, 30).reorder(0.5);
            AxiLitePort regs0 = new AxiLitePort(sim, "clk", "regs0", 100);
            AxiLitePort regs1 = new AxiLitePort(sim, "clk", "regs1", 100);
            byte[] init = new byte[BYTES];
            random.nextBytes(init);
            memory.memory().clear().put(init).clear();
            byte[] expected = init.clone();
            int half = BYTES / 2;
            for (int i = 0; i < 30; i++) {
                // engine 0 copies inside the lower half, engine 1 inside the upper: the results don't depend on their interleaving
                int len0 = 8 * (1 + random.nextInt(600)), len1 = 8 * (1 + random.nextInt(600));
                int[] c0 = disjoint(random, 0, half, len0), c1 = disjoint(random, half, half, len1);
                System.arraycopy(expected, c0[0], expected, c0[1], len0);
                System.arraycopy(expected, c1[0], expected, c1[1], len1);
                start(regs0, BASE + c0[0], BASE + c0[1], len0);
                start(regs1, BASE + c1[0], BASE + c1[1], len1);
                sim.runUntil(Condition.nonZero(sim.port("irq0")), "clk", 2_000_000);
                sim.runUntil(Condition.nonZero(sim.port("irq1")), "clk", 2_000_000);
                assertEquals(2, regs0.read(DmaCopy.STATUS), "engine 0 done without error, copy " + i);
                assertEquals(2, regs1.read(DmaCopy.STATUS), "engine 1 done without error, copy " + i);
                byte[] actual = new byte[BYTES];
                memory.memory().duplicate().clear().get(actual);
                assertArrayEquals(expected, actual, "memory after copy " + i);
            }
            AxiMemory.Stats s = memory.stats();
            assertEquals(0, s.protocolMistakes());
            assertEquals(0, s.errorResponses());
            assertEquals(0xFF, s.readIds(), "both engines' four read IDs, each under its own number");
            assertTrue(s.reordered() > 50, "responses overtook others: " + s.reordered());
            assertTrue(s.mostReadsOutstanding() > 4, "both engines' reads in flight at once: " + s.mostReadsOutstanding());
            assertEquals(0, s.readsOutstanding());
            assertEquals(0, s.writesOutstanding());
        }
    }

    /** A source and destination of {@code length} bytes in [from, from + size), 8-byte aligned, not overlapping. */
    private static int[] disjoint(Random random, int from, int size, int length) {
        while (true) {
            int a = from + 8 * random.nextInt((size - length) / 8), b = from + 8 * random.nextInt((size - length) / 8);
            if (Math.abs(a - b) >= length) return new int[] {a, b};
        }
    }

    private static void start(AxiLitePort regs, long from, long to, int length) {
        regs.batch().write(DmaCopy.SRC_LO, (int) from).write(DmaCopy.SRC_HI, (int) (from >>> 32))
                .write(DmaCopy.DST_LO, (int) to).write(DmaCopy.DST_HI, (int) (to >>> 32))
                .write(DmaCopy.LENGTH, length).write(DmaCopy.START, 1).run();
    }
}

package io.github.jnic.testbench.axi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.jhdl.Verilog;
import io.github.jnic.jhdl.flow.VerilatorLint;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import io.github.jnic.testbench.sim.Condition;
import io.github.jnic.testbench.sim.SimulationException;
import io.github.jnic.testbench.sim.Simulator;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The AXI4 memory and the AXI4-Lite port through {@link DmaCopy}: every copy against a Java
 * reference of the memory, under latency, jitter, reordering, limited bandwidth and injected errors.
 */
class AxiModelsTest {
    static final long BASE = 0x1_0000_0000L;  // a bus address above 4 GiB: the high halves matter
    static final int BYTES = 1 << 20;
    static final VerilogDesign DESIGN = Verilog.emit(new DmaCopy());

    private static Simulator load() {
        Simulator sim = Simulator.load(DESIGN);
        sim.resetHigh("reset", "clk", 2);
        return sim;
    }

    /** Starts a copy in one register batch and waits for irq natively; returns the cycles it took. */
    private static long copy(Simulator sim, AxiLitePort regs, long from, long to, int length) {
        List<AxiLitePort.Result> r = regs.batch()
                .write(DmaCopy.SRC_LO, (int) from).write(DmaCopy.SRC_HI, (int) (from >>> 32))
                .write(DmaCopy.DST_LO, (int) to).write(DmaCopy.DST_HI, (int) (to >>> 32))
                .write(DmaCopy.LENGTH, length).write(DmaCopy.START, 1).run();
        assertEquals(6, r.size());
        for (AxiLitePort.Result x : r) assertTrue(x.ok());
        long t0 = sim.cycles("clk");
        sim.runUntil(Condition.nonZero(sim.port("irq")), "clk", 2_000_000);
        return sim.cycles("clk") - t0;
    }

    private static void fill(ByteBuffer mem, Random random) {
        byte[] b = new byte[mem.capacity()];
        random.nextBytes(b);
        mem.clear().put(b).clear();
    }

    private static byte[] bytes(ByteBuffer mem) {
        byte[] b = new byte[mem.capacity()];
        mem.duplicate().clear().get(b);
        return b;
    }

    @Test
    void theDesignIsLintClean() {
        VerilatorLint.requireClean(DESIGN);
    }

    @Test
    void copiesMatchTheReferenceUnderJitterAndReordering() {
        Random random = new Random(11);
        try (Simulator sim = load()) {
            AxiMemory memory = new AxiMemory(sim, "clk", "dma", BASE, BYTES, 5).latency(20, 10, 40).reorder(0.5);
            AxiLitePort regs = new AxiLitePort(sim, "clk", "regs", 100);
            fill(memory.memory(), random);
            byte[] expected = bytes(memory.memory());
            for (int i = 0; i < 40; i++) {
                int length = 8 * (1 + random.nextInt(i < 20 ? 40 : 1200));
                int from = 8 * random.nextInt((BYTES - length) / 8), to = 8 * random.nextInt((BYTES - length) / 8);
                System.arraycopy(expected, from, expected, to, length);  // the copy's reference, read before written
                if (Math.abs(from - to) < length) continue;  // an overlapping copy has no single right answer here
                copy(sim, regs, BASE + from, BASE + to, length);
                assertEquals(2, regs.read(DmaCopy.STATUS), "done, no error, after copy " + i);
                assertArrayEquals(expected, bytes(memory.memory()), "memory after copy " + i);
            }
            AxiMemory.Stats s = memory.stats();
            assertEquals(s.readBursts(), s.writeBursts());
            assertEquals(s.readBeats(), s.writeBeats());
            assertEquals(0, s.burstsCrossing4k());
            assertEquals(0, s.protocolMistakes());
            assertEquals(0, s.errorResponses());
            assertEquals(0xF, s.readIds(), "four read IDs");
            assertEquals(4, s.mostReadsOutstanding());
            assertTrue(s.reordered() > 50, "responses overtook others: " + s.reordered());
            assertEquals(0, s.readsOutstanding());
            assertEquals(0, s.writesOutstanding());
        }
    }

    @Test
    void inOrderAnswersWithoutReorderOrJitter() {
        try (Simulator sim = load()) {
            AxiMemory memory = new AxiMemory(sim, "clk", "dma", BASE, BYTES, 5).latency(30, 30, 0);
            AxiLitePort regs = new AxiLitePort(sim, "clk", "regs", 100);
            fill(memory.memory(), new Random(2));
            copy(sim, regs, BASE, BASE + 65536, 8192);
            assertEquals(0, memory.stats().reordered());
            assertEquals(8192 / 128, memory.stats().readBursts());
        }
    }

    @Test
    void latencyAddsExactlyItsCyclesToAOneBurstCopy() {
        long[] took = new long[2];
        long[][] latencies = {{0, 0}, {57, 23}};
        for (int i = 0; i < 2; i++) {
            try (Simulator sim = load()) {
                AxiMemory memory = new AxiMemory(sim, "clk", "dma", BASE, BYTES, 1).latency(latencies[i][0], latencies[i][1], 0);
                AxiLitePort regs = new AxiLitePort(sim, "clk", "regs", 100);
                took[i] = copy(sim, regs, BASE + 4096, BASE + 8192, 64);
                assertEquals(1, memory.stats().readBursts());
            }
        }
        assertEquals(57 + 23, took[1] - took[0], "cycles with latency " + took[1] + ", without " + took[0]);
    }

    @Test
    void bandwidthLimitsTheCopy() {
        try (Simulator sim = load()) {
            AxiMemory memory = new AxiMemory(sim, "clk", "dma", BASE, BYTES, 1).bandwidth(2.0, 0);
            AxiLitePort regs = new AxiLitePort(sim, "clk", "regs", 100);
            fill(memory.memory(), new Random(3));
            byte[] source = new byte[65536];
            memory.memory().duplicate().get(source);
            long cycles = copy(sim, regs, BASE, BASE + 131072, 65536);
            // 2 bytes a cycle: 32768 cycles, less what the bucket held at the start (32 beats)
            assertTrue(cycles >= 32768 - 32 * 8 / 2 && cycles < 32768 * 11 / 10, "cycles " + cycles);
            byte[] copied = new byte[65536];
            memory.memory().duplicate().position(131072).get(copied);
            assertArrayEquals(source, copied);
        }
        try (Simulator sim = load()) {
            new AxiMemory(sim, "clk", "dma", BASE, BYTES, 1);
            AxiLitePort regs = new AxiLitePort(sim, "clk", "regs", 100);
            long cycles = copy(sim, regs, BASE, BASE + 131072, 65536);
            assertTrue(cycles < 65536 / 8 * 11 / 10, "unlimited: about a beat a cycle, took " + cycles);
        }
    }

    @Test
    void errorRangesAnswerErrorsAndDropTheirWrites() {
        try (Simulator sim = load()) {
            AxiMemory memory = new AxiMemory(sim, "clk", "dma", BASE, BYTES, 1)
                    .error(BASE + 0x2000, BASE + 0x2008, AxiMemory.Resp.SLVERR)
                    .error(BASE + 0x9000, BASE + 0x9100, AxiMemory.Resp.DECERR);
            AxiLitePort regs = new AxiLitePort(sim, "clk", "regs", 100);
            fill(memory.memory(), new Random(4));
            byte[] before = bytes(memory.memory());
            copy(sim, regs, BASE + 0x1F80, BASE + 0x8000, 0x100);  // the second read burst hits the SLVERR range
            assertEquals(0b110, regs.read(DmaCopy.STATUS), "done with an error");
            assertEquals(1, memory.stats().errorResponses());
            copy(sim, regs, BASE + 0x4000, BASE + 0x9080, 0x100);  // the first write burst lands in the DECERR range
            assertEquals(0b110, regs.read(DmaCopy.STATUS));
            assertEquals(2, memory.stats().errorResponses());
            byte[] after = bytes(memory.memory());
            for (int i = 0x9080; i < 0x9100; i++) assertEquals(before[i], after[i], "dropped write at " + i);
            for (int i = 0x9100; i < 0x9180; i++) assertEquals(before[0x4000 + i - 0x9080], after[i], "good write at " + i);
            memory.clearErrors();
            copy(sim, regs, BASE + 0x1F80, BASE + 0x8000, 0x100);
            assertEquals(2, regs.read(DmaCopy.STATUS));
            copy(sim, regs, BASE + BYTES - 64, BASE, 128);  // past the end of the memory: DECERR
            assertEquals(0b110, regs.read(DmaCopy.STATUS));
            assertEquals(3, memory.stats().errorResponses());
        }
    }

    @Test
    void registerBatchesRunInOneCallAndReportErrors() {
        try (Simulator sim = load()) {
            AxiLitePort regs = new AxiLitePort(sim, "clk", "regs", 100);
            long t0 = sim.cycles("clk");
            List<AxiLitePort.Result> r = regs.batch().write(DmaCopy.SRC_LO, 0x12345678).write(DmaCopy.SRC_HI, 0x9ABCDEF0)
                    .idle(50).read(DmaCopy.SRC_LO).read(DmaCopy.SRC_HI).read(0x40).write(0x44, 1).read(DmaCopy.BURSTS).run();
            long took = sim.cycles("clk") - t0;
            assertEquals(7, r.size());
            assertEquals(0x12345678, r.get(2).data());
            assertEquals(0x9ABCDEF0, r.get(3).data());
            assertEquals(2, r.get(4).resp(), "SLVERR for an unknown register");
            assertEquals(2, r.get(5).resp());
            assertEquals(0, r.get(6).data(), "no copy yet");
            assertTrue(took >= 50 && took < 50 + 6 * 8, "the batch ran back to back: " + took + " cycles");
            assertThrows(SimulationException.class, () -> regs.read(0x40));
            assertEquals(0, regs.timeouts());
            assertFalse(sim.runUntilAtMost(Condition.nonZero(sim.port("irq")), "clk", 100), "no irq without a copy");
        }
    }

    @Test
    void badConfigurationsAreRefused() {
        try (Simulator sim = load()) {
            assertThrows(SimulationException.class, () -> new AxiMemory(sim, "clk", "dma", BASE, 0, 1));
            AxiMemory memory = new AxiMemory(sim, "clk", "dma", BASE, 4096, 1);
            assertThrows(IllegalArgumentException.class, () -> memory.offsetOf(BASE + 4096));
        }
    }
}

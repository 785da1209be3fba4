package io.github.jnic.testbench.sim;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulatorTest {
    private static final BigInteger MASK65 = BigInteger.ONE.shiftLeft(65).subtract(BigInteger.ONE);
    private static final BigInteger MASK64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    @Test
    void pokesAndPeeksPortsOfEveryWidth() {
        Random random = new Random(1);
        try (Simulator sim = Simulator.load(TestDesigns.widths())) {
            for (int i = 0; i < 200; i++) {
                long a1 = random.nextInt(2);
                long a32 = random.nextLong() >>> 32;
                long a64 = i == 0 ? -1L : random.nextLong();
                BigInteger a65 = i == 0 ? MASK65 : new BigInteger(65, random);
                BigInteger a128 = new BigInteger(128, random);
                sim.port("a1").set(a1);
                sim.port("a32").set(a32);
                sim.port("a64").set(a64);
                sim.port("a65").set(a65);
                sim.port("a128").set(a128);

                assertEquals(a1 ^ 1, sim.port("y1").get());
                assertEquals((a32 + 1) & 0xffffffffL, sim.port("y32").get());
                assertEquals(a64 ^ 0xF0F0_0000_FFFF_1234L, sim.port("y64").get());
                assertEquals(a65.add(BigInteger.ONE).and(MASK65), sim.port("y65").getBig());
                BigInteger swapped = a128.and(MASK64).shiftLeft(64).or(a128.shiftRight(64));
                assertEquals(swapped, sim.port("y128").getBig());
                int[] words = sim.port("y128").getWords();
                assertEquals(4, words.length);
                assertEquals(swapped.intValue(), words[0]);
            }
            // Words in, words out, and the wide input reads back as written.
            sim.port("a128").set(new int[] {1, 2, 3, 4});
            assertArrayEquals(new int[] {3, 4, 1, 2}, sim.port("y128").getWords());
            assertEquals(new BigInteger("4000000030000000200000001", 16), sim.port("a128").getBig());
        }
    }

    @Test
    void rejectsValuesThatDoNotFitAndWritesToOutputs() {
        try (Simulator sim = Simulator.load(TestDesigns.widths())) {
            assertThrows(IllegalArgumentException.class, () -> sim.port("a32").set(1L << 32));
            assertThrows(IllegalArgumentException.class, () -> sim.port("a1").set(2));
            assertThrows(IllegalArgumentException.class, () -> sim.port("a65").set(MASK65.add(BigInteger.ONE)));
            assertThrows(IllegalStateException.class, () -> sim.port("y32").set(1));
            assertThrows(IllegalStateException.class, () -> sim.port("y128").get());
            assertThrows(IllegalArgumentException.class, () -> sim.port("nope"));
        }
    }

    @Test
    void stepsExactlyTheCyclesAsked() {
        try (Simulator sim = Simulator.load(TestDesigns.widths())) {
            sim.resetHigh("rst", "clk", 3);
            assertEquals(0, sim.port("count").get());
            sim.port("en").set(1);
            sim.step("clk", 1);
            assertEquals(1, sim.port("count").get());
            sim.step("clk", 1234);
            assertEquals(1235, sim.port("count").get());
            sim.port("en").set(0);
            sim.step("clk", 10);
            assertEquals(1235, sim.port("count").get());
            assertEquals(3 + 1 + 1234 + 10, sim.cycles("clk"));
            // Default clock: 10 ns, starting low, rising at 5 ns then every 10 ns.
            assertEquals(5_000 + (sim.cycles("clk") - 1) * 10_000, sim.time());
        }
    }

    @Test
    void twoClocksWithUnrelatedPeriods() {
        try (Simulator sim = Simulator.load(TestDesigns.twoClocks())) {
            sim.clock("clk_a", 7_000);
            sim.clock("clk_b", 3_001);
            sim.run(1_000_000);
            assertEquals(1_000_000, sim.time());
            // A clock of period P starts low and rises at P - P/2, then every P.
            assertEquals(rises(7_000, 1_000_000), sim.port("count_a").get());
            assertEquals(rises(3_001, 1_000_000), sim.port("count_b").get());
            assertEquals(sim.port("count_a").get(), sim.cycles("clk_a"));

            long a = sim.port("count_a").get(), b = sim.port("count_b").get();
            sim.step("clk_a", 100);
            assertEquals(a + 100, sim.port("count_a").get());
            // Stopped right after clk_a's 100th rising edge since then.
            long t = sim.time();
            assertEquals(0, (t - 3_500) % 7_000);
            assertEquals(rises(3_001, t), sim.port("count_b").get());
            assertTrue(sim.port("count_b").get() > b + 200);
        }
    }

    private static long rises(long period, long time) {
        long first = period - period / 2;
        return time < first ? 0 : (time - first) / period + 1;
    }

    @Test
    void runsUntilAConditionInsideTheNativeLoop() {
        try (Simulator sim = Simulator.load(TestDesigns.widths())) {
            sim.resetHigh("rst", "clk", 1);
            sim.port("en").set(1);
            Port count = sim.port("count");
            assertEquals(777, sim.runUntil(Condition.equalTo(count, 777), "clk", 10_000));
            assertEquals(777, count.get());
            assertEquals(0, sim.runUntil(Condition.nonZero(count), "clk", 10));
            // bit 10 set: the next multiple of 1024
            assertEquals(1024 - 777, sim.runUntil(Condition.allSet(count, 1024), "clk", 10_000));
            SimulationException e = assertThrows(SimulationException.class,
                    () -> sim.runUntil(Condition.equalTo(count, 5), "clk", 50));
            assertTrue(e.getMessage().contains("did not hold within 50 cycles"), e.getMessage());
            assertEquals(1024 + 50, count.get());
        }
    }

    @Test
    void designOutputReachesTheConsumer() {
        StringBuilder out = new StringBuilder();
        try (Simulator sim = Simulator.load(TestDesigns.widths(), SimOptions.defaults().output(out::append))) {
            sim.resetHigh("rst", "clk", 1);
            sim.port("en").set(1);
            sim.step("clk", 8);
        }
        assertEquals("count is five\n", out.toString());
    }

    @Test
    void twoDifferentModelsAndTwoInstancesAtOnce() {
        try (Simulator w1 = Simulator.load(TestDesigns.widths());
             Simulator w2 = Simulator.load(TestDesigns.widths());
             Simulator two = Simulator.load(TestDesigns.twoClocks())) {
            w1.resetHigh("rst", "clk", 1);
            w2.resetHigh("rst", "clk", 1);
            w1.port("en").set(1);
            w2.port("en").set(1);
            w1.step("clk", 30);
            two.step("clk_a", 40);
            w2.step("clk", 7);
            w1.port("a32").set(41);
            w2.port("a32").set(99);
            assertEquals(30, w1.port("count").get());
            assertEquals(7, w2.port("count").get());
            assertEquals(40, two.port("count_a").get());
            assertEquals(42, w1.port("y32").get());
            assertEquals(100, w2.port("y32").get());
        }
    }

    @Test
    void aClosedSimulatorSaysSo() {
        Simulator sim = Simulator.load(TestDesigns.widths());
        Port count = sim.port("count");
        sim.close();
        sim.close();
        assertThrows(IllegalStateException.class, count::get);
        assertThrows(IllegalStateException.class, () -> sim.step("clk", 1));
    }
}

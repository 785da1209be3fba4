package io.github.jnic.testbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.driver.Coalescing;
import org.junit.jupiter.api.Test;

/** The interrupt study's controllers against their published rules, worked by hand, and one small point on the card's RTL. */
class IrqBenchTest {
    @Test
    void e1000eDynamicItrClassifiesEachPollAndSmoothsRises() {
        IrqBench.DynamicItr d = new IrqBench.DynamicItr();
        assertEquals(50, d.initial().rxUsecs(), "starts at low latency, 20 000 interrupts/s");
        // two small packets: low -> lowest latency (70 000/s), reached in steps of a quarter: 20 000 + 17 500
        assertEquals(1_000_000 / 37_500, d.pollDone(2, 128, 0).rxUsecs());
        assertEquals(1_000_000 / 55_000, d.pollDone(1, 64, 0).rxUsecs());
        assertEquals(1_000_000 / 70_000, d.pollDone(1, 64, 0).rxUsecs());
        assertNull(d.pollDone(1, 64, 0), "no change, no write");
        // lowest: a few large packets (> 512 bytes, < 5 packets) -> low at once (a fall is not smoothed)
        assertEquals(50, d.pollDone(3, 4500, 0).rxUsecs());
        // low: over 10 000 bytes in under 10 packets -> bulk (4 000/s)
        assertEquals(250, d.pollDone(8, 12_000, 0).rxUsecs());
        // bulk: under 6 000 bytes -> low, smoothed: 4 000 + 5 000
        assertEquals(1_000_000 / 9_000, d.pollDone(4, 256, 0).rxUsecs());
        assertNull(d.pollDone(0, 0, 0), "a poll without packets changes nothing");
    }

    @Test
    void netDimStepsRightWhileBetterAndTurnsWhenWorse() {
        IrqBench.NetDim n = new IrqBench.NetDim();
        assertEquals(new Coalescing(8, 256, 0, 1, false), n.initial(), "a driver starts on net_dim's default profile, index 1");
        assertNull(n.pollDone(1, 100, 0), "the first poll starts the sample");
        long t = 0;
        // 64 events of 1 000 bytes each in 64 µs: the first sample is better than nothing: one step right (8 µs)
        Coalescing c = null;
        for (int i = 0; i < 64; i++) c = n.pollDone(1, 1000, t += 1000);
        assertEquals(8, c.rxUsecs());
        // the same throughput (within 10 %), fewer interrupts per ms: better again, on to 64 µs
        for (int i = 0; i < 63; i++) assertNull(n.pollDone(2, 2000, t += 2000));
        assertEquals(64, n.pollDone(2, 2000, t += 2000).rxUsecs());
        // throughput falls by half: worse, it turns and steps back left to 8 µs
        for (int i = 0; i < 63; i++) n.pollDone(1, 1000, t += 2000);
        assertEquals(8, n.pollDone(1, 1000, t += 2000).rxUsecs());
    }

    @Test
    void netDimParksOnTheLeftEdgeAndLeavesParkingWhenTrafficChanges() {
        IrqBench.NetDim n = new IrqBench.NetDim();
        n.pollDone(1, 1000, 0);
        long[] t = {0};
        java.util.function.IntFunction<Coalescing> sample = bytesPerMicrosecond -> {
            Coalescing c = null;
            for (int i = 0; i < 64; i++) c = n.pollDone(1, bytesPerMicrosecond * 1000L, t[0] += 1000);
            return c;
        };
        assertEquals(8, sample.apply(1).rxUsecs(), "better than nothing: out of parking, to the right");
        assertEquals(1, sample.apply(1).rxUsecs(), "the same: it turns and steps left to 1 µs");
        assertNull(sample.apply(2), "better going left at the edge: parks on top, no change");
        assertNull(sample.apply(2), "the same while parked: stays");
        // net_dim_decision: a parked dim whose stats change exits parking (to the right from index 0)
        assertEquals(8, sample.apply(4).rxUsecs());
    }

    @Test
    void theSteadyStateCountsWholeBatchesInsideItsWindowOnly() {
        // interrupts at 0, 10, 20, 30 and 40 µs; frames read before each: 0, 1, 2, 130, 258
        long[] at = {0, 10_000, 20_000, 30_000, 40_000};
        int[] read = {0, 1, 2, 130, 258};
        double[] s = IrqBench.steady(at, read, 5, 15_000, 35_000);
        assertEquals(128, s[1], 1e-9, "from the interrupt at 20 µs to the one at 30 µs: one interval, 128 frames");
        assertEquals(100_000, s[0], 1e-6, "one interval of 10 µs");
        s = IrqBench.steady(at, read, 5, 0, 40_000);
        assertEquals(258 / 4.0, s[1], 1e-9);
        assertEquals(100_000, s[0], 1e-6);
        assertTrue(Double.isNaN(IrqBench.steady(at, read, 5, 15_000, 25_000)[1]), "a single interrupt in the window: no interval");
    }

    @Test
    void aPointOnTheCardCountsEveryFrame() {
        IrqBench.Point p = IrqBench.run(new IrqBench.Fixed("none", Coalescing.off()), 64, 0.05, 60);
        assertEquals(60, p.received() + p.drops());
        assertEquals(0, p.drops());
        assertEquals(1.0, p.framesPerInterrupt(), 0.01, "no moderation at 5 %: an interrupt per frame");
        assertEquals(1.0, p.steadyFramesPerInterrupt(), 0.01, "and so in the steady state");
        // 64 + 20 bytes of line time at 5 % of a gigabit: a frame, and so an interrupt, every 13.44 µs
        assertEquals(1e9 / 13_440, p.steadyInterruptsPerSecond(), 1e9 / 13_440 * 0.02);
        assertTrue(p.p50Us() > 0.6 && p.p50Us() < 20, "the wire alone takes 0.67 µs: " + p.p50Us());
        assertTrue(p.p99Us() >= p.p50Us() && p.cpu() > 0 && p.cpu() < 1);
    }
}

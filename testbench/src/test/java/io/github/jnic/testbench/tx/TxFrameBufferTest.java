package io.github.jnic.testbench.tx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.jhdl.Verilog;
import io.github.jnic.jhdl.flow.VerilatorLint;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import io.github.jnic.testbench.sim.Simulator;
import io.github.jnic.testbench.sim.StreamSink;
import io.github.jnic.testbench.sim.StreamSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * TxFrameBuffer alone, against Patch's contract written out in Java: frames and their patch
 * packets from two independent sources (so patches come before, with and after their frame's end),
 * random gaps and back-pressure, frames marked drop, patches disabled, outside the frame, at odd
 * offsets and straddling two words, frames longer than the whole buffer; then the card's reset in
 * the middle of it all.
 */
class TxFrameBufferTest {
    static final VerilogDesign DESIGN = Verilog.emit(new TxFrameBufferBench());
    static final int CAPACITY = 256 * 8;

    record Patch(boolean enable, int offset, int value) {}

    static final class Rig implements AutoCloseable {
        final Simulator sim = Simulator.load(DESIGN);
        final StreamSource frames, patches;
        final StreamSink out;
        final Random random;
        final List<byte[]> expected = new ArrayList<>();
        int oversize;

        Rig(long seed, double gap, double ready) {
            random = new Random(seed);
            sim.resetHigh("reset", "clk", 2);
            frames = new StreamSource(sim, "clk", pins("frames"), seed, gap);
            patches = new StreamSource(sim, "clk", pins("patchWords"), seed + 1, gap);
            out = new StreamSink(sim, "clk", pins("out"), seed + 2, ready);
        }

        StreamSource.Pins pins(String p) {
            return new StreamSource.Pins(sim.port(p + "_valid"), sim.port(p + "_ready"), sim.port(p + "_payload_data"), sim.port(p + "_last"),
                    sim.port(p + "_payload_keep"), sim.hasPort(p + "_user") ? sim.port(p + "_user") : null);
        }

        /** Queues {@code n} random frames with their patch packets; returns what must leave, in order. */
        List<byte[]> send(int n) {
            List<StreamSource.Frame> fs = new ArrayList<>(), ps = new ArrayList<>();
            List<byte[]> leave = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int length = random.nextInt(8) == 0 ? 1 + random.nextInt(CAPACITY + 600) : 1 + random.nextInt(700);
                byte[] f = new byte[length];
                random.nextBytes(f);
                boolean drop = random.nextInt(6) == 0;
                List<Patch> list = new ArrayList<>();
                for (int k = 1 + random.nextInt(3); k > 0; k--) {
                    int offset = random.nextInt(4) == 0 ? 8 * random.nextInt(length / 8 + 1) + 7 : random.nextInt(length + 4);
                    list.add(new Patch(random.nextInt(4) != 0, Math.min(offset, (1 << 14) - 1), random.nextInt(1 << 16)));
                }
                fs.add(new StreamSource.Frame(f, drop ? 1 : 0, random.nextInt(3)));
                byte[] words = new byte[8 * list.size()];
                for (int k = 0; k < list.size(); k++) {
                    Patch p = list.get(k);
                    long w = (p.enable() ? 1 : 0) | (long) p.offset() << 1 | (long) p.value() << 16;
                    for (int b = 0; b < 8; b++) words[8 * k + b] = (byte) (w >>> 8 * b);
                }
                ps.add(new StreamSource.Frame(words, 0, random.nextInt(3)));
                // the contract: enabled patches whose two bytes lie inside the frame, written in order
                byte[] sent = f.clone();
                for (Patch p : list) {
                    if (p.enable() && p.offset() + 1 < length) {
                        sent[p.offset()] = (byte) (p.value() >>> 8);
                        sent[p.offset() + 1] = (byte) p.value();
                    }
                }
                if (length > CAPACITY) oversize++;
                else if (!drop) leave.add(sent);
            }
            frames.send(fs);
            patches.send(ps);
            return leave;
        }

        List<byte[]> run() {
            for (int i = 0; i < 400 && (frames.framesPending() > 0 || patches.framesPending() > 0); i++) sim.step("clk", 1000);
            sim.step("clk", 3000);
            assertEquals(0, frames.framesPending(), "frames never taken");
            assertEquals(0, patches.framesPending(), "patch packets never taken");
            List<byte[]> got = new ArrayList<>();
            for (StreamSink.Frame f : out.receive()) got.add(f.data());
            return got;
        }

        @Override
        public void close() {
            sim.close();
        }
    }

    @Test
    void theBenchIsLintClean() {
        VerilatorLint.requireClean(DESIGN);
    }

    @Test
    void framesLeaveWithTheirPatchesAppliedAndTheDroppedOnesGone() {
        for (double ready : new double[] {1.0, 0.3}) {
            try (Rig rig = new Rig(ready == 1.0 ? 3 : 4, 0.3, ready)) {
                List<byte[]> want = rig.send(300);
                List<byte[]> got = rig.run();
                assertEquals(want.size(), got.size(), "frames out");
                for (int i = 0; i < want.size(); i++) assertArrayEquals(want.get(i), got.get(i), "frame " + i);
                assertEquals(rig.oversize, rig.sim.port("oversize").get(), "frames longer than the buffer");
                assertTrue(rig.oversize > 3, "oversize frames " + rig.oversize);
            }
        }
    }

    /** A flush drops a run of frames (those held or arriving then); those before and after leave exact. */
    @Test
    void aFlushDropsWhatIsHeldAndKeepsFramesAndPatchesPaired() {
        try (Rig rig = new Rig(5, 0.2, 0.5)) {
            int cut = 0;
            for (int round = 0; round < 6; round++) {
                List<byte[]> want = rig.send(40);
                rig.sim.step("clk", 50 + rig.random.nextInt(1500));
                rig.sim.port("flush").set(1);
                rig.sim.step("clk", 1 + rig.random.nextInt(4));
                rig.sim.port("flush").set(0);
                List<byte[]> got = rig.run();
                // got = want[0, a) + want[b, n): the frames sent before the flush and those that came after it
                int a = 0;
                while (a < got.size() && java.util.Arrays.equals(got.get(a), want.get(a))) a++;
                int tail = got.size() - a;
                for (int i = 0; i < tail; i++) assertArrayEquals(want.get(want.size() - tail + i), got.get(a + i), "round " + round + ": frame " + (a + i));
                if (got.size() < want.size()) cut++;
                // and nothing of it is left behind: a clean batch after it is exact
                List<byte[]> again = rig.send(10);
                List<byte[]> after = rig.run();
                assertEquals(again.size(), after.size(), "round " + round + ": frames after the flush");
                for (int i = 0; i < again.size(); i++) assertArrayEquals(again.get(i), after.get(i), "round " + round + ": frame " + i + " after");
            }
            assertTrue(cut >= 4, "flushes that dropped frames: " + cut);
        }
    }
}

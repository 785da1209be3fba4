package io.github.jnic.testbench.rx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.jhdl.Verilog;
import io.github.jnic.jhdl.flow.VerilatorLint;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import io.github.jnic.nic.rx.RxFrame;
import io.github.jnic.spec.Descriptors;
import io.github.jnic.testbench.axi.AxiMemory;
import io.github.jnic.testbench.sim.Condition;
import io.github.jnic.testbench.sim.Port;
import io.github.jnic.testbench.sim.Simulator;
import io.github.jnic.testbench.sim.StreamSource;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * RxFrameBuffer and RxDma against {@link RxRingReference} over the harness's native AXI4 memory
 * (latency, jitter, responses reordered across IDs): every frame byte-exact in the buffers the
 * driver gave, every descriptor's write-back, the whole of host memory else untouched, exact
 * counters (no-buffer drops, low-descriptor events, drops by the frame buffer), through ring wrap,
 * full and empty rings and recovery when the tail moves; then each fault and driver mistake.
 */
class RxDmaTest {
    static final long BASE = 0x2_0000_0000L;
    static final int BYTES = 1 << 22;
    static final long BUFFERS = BASE + 0x10_0000;
    static final VerilogDesign DESIGN = Verilog.emit(new RxDmaBench());

    /** The bench loaded, its memory filled with random bytes, and the Java side's copy of it. */
    static final class Rig implements AutoCloseable {
        final Simulator sim = Simulator.load(DESIGN);
        final AxiMemory memory;
        final StreamSource source;
        final byte[] expected = new byte[BYTES];
        final Random random;
        RxRingReference ring;

        Rig(long seed, long latency, long jitter, double reorder) {
            random = new Random(seed);
            sim.resetHigh("reset", "clk", 2);
            memory = new AxiMemory(sim, "clk", "dma", BASE, BYTES, seed).latency(latency, latency, jitter).reorder(reorder);
            source = new StreamSource(sim, "clk", new StreamSource.Pins(port("frames_valid"), port("frames_ready"),
                    port("frames_payload_data"), port("frames_last"), port("frames_payload_keep"), port("frames_user")), seed, 0.2);
            random.nextBytes(expected);
            memory.memory().clear().put(expected).clear();
        }

        Port port(String name) {
            return sim.port(name);
        }

        long get(String name) {
            return sim.port(name).get();
        }

        /** Programs a ring of {@code count} descriptors at {@code ringBase}, buffers of {@code bufferBytes}; head 0, tail 0. */
        void ring(long ringBase, int count, int bufferBytes, int rdmts) {
            ring = new RxRingReference(expected, BASE, ringBase, count * Descriptors.SIZE, bufferBytes, rdmts);
            for (int d = 0; d < count; d++) giveBuffer(d, freshBuffer(d, bufferBytes));
            port("ringBase").set(ringBase);
            port("ringBytes").set((long) count * Descriptors.SIZE);
            port("bufferBytes").set(bufferBytes);
            port("rdmts").set(rdmts);
            port("tail").set(0);
            port("enable").set(1);
        }

        /** A buffer for descriptor d: its own 20 KiB slot, at a random 8-byte offset (so often across 4 KiB). */
        long freshBuffer(int d, int bufferBytes) {
            return BUFFERS + d * 20_480L + 8L * random.nextInt(512);
        }

        /** The driver hands descriptor d a buffer: address written, status cleared (in memory and in the reference). */
        void giveBuffer(int d, long address) {
            int o = ring.descriptorOffset(d);
            for (ByteBuffer b : new ByteBuffer[] {memory.memory(), ring.expected}) {
                Descriptors.put(b, o, Descriptors.Rx.ADDRESS, address);
                Descriptors.put(b, o + 8, new io.github.jnic.spec.Field("UPPER", 0, 64, ""), 0);
            }
        }

        void tail(int t) {
            ring.tail = t;
            port("tail").set(t);
        }

        /** Sends frames with verdict bits and feeds the good ones to the reference. */
        void send(List<byte[]> frames, List<Long> verdicts) {
            List<StreamSource.Frame> batch = new ArrayList<>();
            for (int i = 0; i < frames.size(); i++) {
                long v = verdicts.get(i);
                batch.add(new StreamSource.Frame(frames.get(i), v, random.nextInt(4)));
                boolean dropped = (v & (RxFrame.BAD.mask() | RxFrame.DROP.mask())) != 0;
                if (!dropped) {
                    boolean vp = RxFrame.VP.isSet(v);
                    ring.receive(new RxRingReference.Frame(frames.get(i), vp, (int) RxFrame.VLAN.get(v)));
                }
            }
            source.send(batch);
        }

        /** Runs until the engine has done what the reference did, then a while longer: nothing more may happen. */
        void settle() {
            sim.runUntil(Condition.equalTo(port("framesDone"), ring.framesDone), "clk", 2_000_000);
            sim.runUntil(Condition.equalTo(port("noBuffer"), ring.noBuffer), "clk", 2_000_000);
            sim.step("clk", 3000);
            assertEquals(0, source.framesPending(), "frames left in the source");
            assertEquals(ring.framesDone, get("framesDone"), "frames written back");
            assertEquals(ring.bytesDone, get("bytesDone"), "bytes written back");
            assertEquals(ring.noBuffer, get("noBuffer"), "frames dropped for want of descriptors");
            assertEquals(ring.badDescriptors, get("badDescriptor"), "descriptors without a buffer");
            assertEquals(ring.lowDescriptors, get("lowDescriptors"), "RXDMT0 events");
            assertEquals(ring.next, get("head"), "RDH");
        }

        void assertMemory(String when) {
            byte[] actual = new byte[BYTES];
            memory.memory().duplicate().clear().get(actual);
            for (int i = 0; i < BYTES; i++) {
                if (actual[i] != expected[i]) {
                    throw new AssertionError(when + ": host memory differs first at bus address 0x" + Long.toHexString(BASE + i)
                            + " (expected " + (expected[i] & 0xFF) + ", got " + (actual[i] & 0xFF) + ")");
                }
            }
            AxiMemory.Stats s = memory.stats();
            assertEquals(0, s.burstsCrossing4k(), "bursts across 4 KiB");
            assertEquals(0, s.protocolMistakes(), "AXI protocol mistakes");
        }

        @Override
        public void close() {
            sim.close();
        }
    }

    static byte[] frame(Random random, int length) {
        byte[] f = new byte[length];
        random.nextBytes(f);
        return f;
    }

    static long verdict(boolean vp, int vlan) {
        return vp ? RxFrame.VP.of(1) | RxFrame.VLAN.of(vlan) : 0;
    }

    @Test
    void theBenchIsLintClean() {
        VerilatorLint.requireClean(DESIGN);
    }

    /**
     * Phases of a driver: it reclaims what the card wrote back (new buffers, status cleared), moves
     * the tail by a random amount (sometimes not at all, so the ring is empty or full), and frames
     * arrive; the ring wraps many times, frames span several buffers, some are dropped for want of
     * descriptors and reception resumes when the tail moves.
     */
    @Test
    void framesLandByteExactThroughWrapFullEmptyAndRecovery() {
        for (int bufferBytes : new int[] {256, 2048}) {
            try (Rig rig = new Rig(bufferBytes, 30, 40, 0.5)) {
                Random random = rig.random;
                int count = 16;
                // a ring not on a page boundary: descriptor fetches must split at 4 KiB
                rig.ring(BASE + 0x2000 - 0x80, count, bufferBytes, 1);
                int reclaimed = 0;
                for (int phase = 0; phase < 30; phase++) {
                    // the driver takes back what the card finished and gives it fresh buffers
                    while (reclaimed != rig.ring.next) {
                        rig.giveBuffer(reclaimed, rig.freshBuffer(reclaimed, bufferBytes));
                        reclaimed = (reclaimed + 1) % count;
                    }
                    int free = count - 1 - rig.ring.owned();
                    int advance = phase % 5 == 4 ? 0 : random.nextInt(free + 1);
                    rig.tail((rig.ring.tail + advance) % count);
                    List<byte[]> frames = new ArrayList<>();
                    List<Long> verdicts = new ArrayList<>();
                    for (int i = 1 + random.nextInt(6); i > 0; i--) {
                        int length = random.nextInt(4) == 0 ? 1 + random.nextInt(bufferBytes * 3) : 60 + random.nextInt(1455);
                        frames.add(frame(random, length));
                        verdicts.add(verdict(random.nextBoolean(), random.nextInt(1 << 16)));
                    }
                    rig.send(frames, verdicts);
                    rig.settle();
                    rig.assertMemory("phase " + phase);
                }
                assertTrue(rig.ring.noBuffer > 3 && rig.ring.framesDone > 30, "drops " + rig.ring.noBuffer + ", frames " + rig.ring.framesDone);
            }
        }
    }
}

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

        /** Sends frames the reference does not see (they are to be dropped, or to fail), with no verdict bits. */
        void sendUnseen(List<byte[]> frames) {
            List<StreamSource.Frame> batch = new ArrayList<>();
            for (byte[] f : frames) batch.add(new StreamSource.Frame(f, 0, random.nextInt(4)));
            source.send(batch);
        }

        /** Random frames of {@code count}, each fitting one buffer of {@code bufferBytes}. */
        List<byte[]> frames(int count, int bufferBytes) {
            List<byte[]> frames = new ArrayList<>();
            for (int i = 0; i < count; i++) frames.add(frame(random, 60 + random.nextInt(Math.min(bufferBytes, 1514) - 59)));
            return frames;
        }

        /** The bus after a stop: nothing outstanding, and nothing new for a long while. */
        void assertBusQuiet(String when) {
            AxiMemory.Stats before = memory.stats();
            sim.step("clk", 5000);
            AxiMemory.Stats after = memory.stats();
            assertEquals(0, after.readsOutstanding(), when + ": reads outstanding");
            assertEquals(0, after.writesOutstanding(), when + ": writes outstanding");
            assertEquals(before.readBursts(), after.readBursts(), when + ": read bursts since the stop");
            assertEquals(before.writeBursts(), after.writeBursts(), when + ": write bursts since the stop");
        }

        /** The driver's restart after a stop: RCTL.EN cleared, then set again; the engine resumes at RDH. */
        void restart() {
            port("enable").set(0);
            sim.step("clk", 50);
            assertEquals(0, get("stopped"), "enable low takes the engine out of its stop");
            port("enable").set(1);
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

    /** Where on the bus a fault is met: a frame's buffer, a descriptor read, a descriptor's write-back. */
    enum Site { BUFFER, DESCRIPTOR_READ, WRITE_BACK }

    /**
     * An SLVERR or DECERR at each site: busError once with the address (the burst's start, or the
     * descriptor's), the ring stops with nothing written after the fault, the bus goes quiet, frames
     * that arrive meanwhile are dropped and counted, and after a restart through enable the engine
     * resumes at RDH (the descriptor that failed, never written back) and frames land again.
     */
    @Test
    void aBusErrorStopsTheRingQuietlyUntilTheDriverRestartsIt() {
        int bufferBytes = 2048, count = 16;
        for (AxiMemory.Resp resp : new AxiMemory.Resp[] {AxiMemory.Resp.SLVERR, AxiMemory.Resp.DECERR}) {
            for (Site site : Site.values()) {
                String what = resp + " at the " + site;
                try (Rig rig = new Rig(site.ordinal() * 7 + resp.ordinal(), 30, 40, 0.5)) {
                    long ringBase = BASE + 0x4000;
                    rig.ring(ringBase, count, bufferBytes, 0);
                    // a few frames land first
                    rig.tail(5);
                    rig.send(rig.frames(3, bufferBytes), List.of(0L, 0L, 0L));
                    rig.settle();
                    int d = rig.ring.next;   // the descriptor the failing frame gets (its descriptors are fetched already)
                    long faultAt = switch (site) {
                        case BUFFER -> rig.ring.bufferAddress(d);
                        case DESCRIPTOR_READ -> ringBase + 16L * rig.ring.tail;   // the next fetch starts at the old tail
                        case WRITE_BACK -> ringBase + 16L * d + 8;
                    };
                    if (site == Site.DESCRIPTOR_READ) {
                        rig.memory.error(faultAt, faultAt + 16, resp);
                        rig.tail(9);
                    } else {
                        rig.memory.error(faultAt, faultAt + (site == Site.BUFFER ? bufferBytes : 8), resp);
                        List<byte[]> failing = rig.frames(1, bufferBytes);
                        rig.sendUnseen(failing);
                        // a write-back that fails comes after the frame's data was written, into a buffer the card still owns
                        if (site == Site.WRITE_BACK) System.arraycopy(failing.get(0), 0, rig.expected, (int) (rig.ring.bufferAddress(d) - BASE), failing.get(0).length);
                    }
                    rig.sim.runUntil(Condition.nonZero(rig.port("stopped")), "clk", 200_000);
                    assertEquals(1, rig.get("busError"), what + ": busError");
                    assertEquals(faultAt, rig.get("busErrorAddress"), what + ": its address");
                    assertEquals(0, rig.get("ringError"), what);
                    rig.assertBusQuiet(what);
                    // while stopped: frames dropped whole and counted, memory untouched
                    rig.sendUnseen(rig.frames(4, bufferBytes));
                    rig.sim.runUntil(Condition.equalTo(rig.port("droppedStopped"), 4), "clk", 200_000);
                    assertEquals(0, rig.source.framesPending(), what);
                    assertEquals(rig.ring.framesDone, rig.get("framesDone"), what + ": nothing written back since");
                    assertEquals(rig.ring.next, rig.get("head"), what + ": RDH at the failing descriptor");
                    rig.assertMemory(what + ", stopped");
                    rig.assertBusQuiet(what + ", frames dropped");

                    // the driver clears the fault's cause and restarts: the ring goes on from RDH
                    rig.memory.clearErrors();
                    rig.restart();
                    rig.tail((rig.ring.next + 12) % count);
                    rig.send(rig.frames(6, bufferBytes), List.of(0L, 0L, 0L, 0L, 0L, 0L));
                    rig.settle();
                    rig.assertMemory(what + ", after the restart");
                    assertEquals(1, rig.get("busError"), what + ": one error in all");
                }
            }
        }
    }

    /**
     * Ring programming mistakes while enabled (length 0, length not a multiple of 128, tail or head
     * past the ring): ringError, the ring stops before touching the bus; with the mistake mended and
     * a restart, frames land.
     */
    @Test
    void aBadRingStopsWithRingErrorUntilMendedAndRestarted() {
        int bufferBytes = 2048, count = 16;
        long ringBase = BASE + 0x8000;
        String[] mistakes = {"length 0", "length 192", "tail past the ring", "head past the ring"};
        for (int m = 0; m < mistakes.length; m++) {
            String what = mistakes[m];
            try (Rig rig = new Rig(100 + m, 20, 20, 0.5)) {
                rig.ring(ringBase, count, bufferBytes, 0);
                rig.port("enable").set(0);
                rig.sim.step("clk", 20);
                switch (m) {
                    case 0 -> rig.port("ringBytes").set(0);
                    case 1 -> rig.port("ringBytes").set(192);
                    case 2 -> rig.port("tail").set(count);
                    default -> {
                        rig.port("headWrite_payload").set(count + 3);
                        rig.port("headWrite_valid").set(1);
                        rig.sim.step("clk", 1);
                        rig.port("headWrite_valid").set(0);
                    }
                }
                rig.port("enable").set(1);
                rig.sim.runUntil(Condition.nonZero(rig.port("stopped")), "clk", 10_000);
                assertEquals(1, rig.get("ringError"), what + ": ringError");
                assertEquals(0, rig.get("busError"), what);
                rig.sendUnseen(rig.frames(3, bufferBytes));
                rig.sim.runUntil(Condition.equalTo(rig.port("droppedStopped"), 3), "clk", 100_000);
                rig.assertBusQuiet(what);
                AxiMemory.Stats s = rig.memory.stats();
                assertEquals(0, s.readBursts() + s.writeBursts(), what + ": the bus was never touched");
                rig.assertMemory(what);

                // mended: the ring as it should be, head back at 0
                rig.port("enable").set(0);
                rig.sim.step("clk", 50);
                rig.port("ringBytes").set((long) count * 16);
                rig.port("tail").set(0);
                rig.port("headWrite_payload").set(0);
                rig.port("headWrite_valid").set(1);
                rig.sim.step("clk", 1);
                rig.port("headWrite_valid").set(0);
                rig.port("enable").set(1);
                rig.tail(10);
                rig.send(rig.frames(5, bufferBytes), List.of(0L, 0L, 0L, 0L, 0L));
                rig.settle();
                rig.assertMemory(what + ", mended");
                assertEquals(1, rig.get("ringError"), what + ": once");
            }
        }
    }

    /**
     * Descriptors whose buffer address is 0 or not 8-byte aligned, also in the middle of a frame
     * spanning several buffers: nothing written into them, each written back with length 0, DD,
     * EOP and RXE, the rest of its frame dropped (as {@link RxRingReference} says); the ring goes on.
     */
    @Test
    void aDescriptorWithoutAUsableBufferIsWrittenBackWithRxe() {
        int bufferBytes = 256, count = 16;
        try (Rig rig = new Rig(77, 30, 40, 0.5)) {
            Random random = rig.random;
            rig.ring(BASE + 0xC000, count, bufferBytes, 1);
            int reclaimed = 0;
            for (int phase = 0; phase < 12; phase++) {
                while (reclaimed != rig.ring.next) {
                    long address = rig.freshBuffer(reclaimed, bufferBytes);
                    int kind = random.nextInt(5);
                    rig.giveBuffer(reclaimed, kind == 0 ? 0 : kind == 1 ? address + 1 + random.nextInt(7) : address);
                    reclaimed = (reclaimed + 1) % count;
                }
                rig.tail((rig.ring.next + count - 1) % count);
                List<byte[]> frames = new ArrayList<>();
                List<Long> verdicts = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    frames.add(frame(random, 60 + random.nextInt(3 * bufferBytes)));
                    verdicts.add(0L);
                }
                rig.send(frames, verdicts);
                rig.settle();
                rig.assertMemory("phase " + phase);
            }
            assertTrue(rig.ring.badDescriptors > 5, "bad descriptors met: " + rig.ring.badDescriptors);
        }
    }

    /**
     * CTRL.RST at a random moment (mid-frame, mid-burst, with write-backs queued), lasting a random
     * number of clocks, RCTL.EN cleared with it as the register file does: the engine finishes what
     * the bus has seen and clears itself (RDH 0, not stopped), no AXI rule is broken, nothing stays
     * outstanding, the frames still arriving are dropped, and a fresh ring afterwards is exact.
     */
    @Test
    void theCardsResetAtAnyMomentDrainsTheBusAndAFreshRingIsExact() {
        int midway = 0;   // trials whose reset came with some of the frames written back, not all
        for (int trial = 0; trial < 24; trial++) {
            int bufferBytes = trial % 2 == 0 ? 256 : 2048, count = 16;
            try (Rig rig = new Rig(500 + trial, 30, 40, 0.5)) {
                Random random = rig.random;
                rig.ring(BASE + 0x4000, count, bufferBytes, 0);
                rig.tail(count - 1);
                List<byte[]> frames = new ArrayList<>();
                for (int i = 0; i < 12; i++) frames.add(frame(random, 60 + random.nextInt(1455)));
                rig.sendUnseen(frames);
                rig.sim.step("clk", random.nextInt(4000));
                long doneBefore = rig.get("framesDone");
                if (doneBefore > 0 && doneBefore < frames.size()) midway++;
                rig.port("cardReset").set(1);
                rig.port("enable").set(0);
                // short pulses too: the bus's answers to what came before then arrive after the reset
                rig.sim.step("clk", 1 + random.nextInt(random.nextBoolean() ? 4 : 130));
                rig.port("cardReset").set(0);
                rig.sim.runUntil(Condition.equalTo(rig.port("head"), 0), "clk", 100_000);
                rig.sim.step("clk", 20_000);   // the rest of the frames arrive and are dropped
                assertEquals(0, rig.source.framesPending(), "trial " + trial + ": frames after the reset dropped");
                assertEquals(0, rig.get("stopped"), "trial " + trial);
                assertEquals(0, rig.get("head"), "trial " + trial + ": RDH");
                rig.assertBusQuiet("trial " + trial + ", after the reset");
                AxiMemory.Stats s = rig.memory.stats();
                assertEquals(0, s.protocolMistakes(), "trial " + trial + ": AXI protocol mistakes");
                assertEquals(0, s.burstsCrossing4k(), "trial " + trial);

                // what the old ring left in memory is the driver's to forget; a fresh ring from here on is exact
                rig.memory.memory().duplicate().clear().get(rig.expected);
                long done = rig.get("framesDone"), bytes = rig.get("bytesDone"), noBuffer = rig.get("noBuffer"),
                        bad = rig.get("badDescriptor"), low = rig.get("lowDescriptors");
                rig.ring(BASE + 0x8000 - 0x80, count, bufferBytes, 0);
                rig.ring.framesDone = done;
                rig.ring.bytesDone = bytes;
                rig.ring.noBuffer = noBuffer;
                rig.ring.badDescriptors = bad;
                rig.ring.lowDescriptors = low;
                rig.tail(10);
                List<byte[]> after = new ArrayList<>();
                List<Long> verdicts = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    after.add(frame(random, 60 + random.nextInt(Math.min(1455, 3 * bufferBytes))));
                    verdicts.add(verdict(random.nextBoolean(), random.nextInt(1 << 16)));
                }
                rig.send(after, verdicts);
                rig.settle();
                rig.assertMemory("trial " + trial + ", a fresh ring after the reset");
            }
        }
        assertTrue(midway >= 8, "resets in the middle of the traffic: " + midway);
    }
}

package io.github.jnic.testbench.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.jhdl.Verilog;
import io.github.jnic.jhdl.flow.VerilatorLint;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import io.github.jnic.spec.Descriptors;
import io.github.jnic.spec.Descriptors.TxCmd;
import io.github.jnic.spec.Descriptors.TxContext;
import io.github.jnic.spec.Descriptors.TxData;
import io.github.jnic.spec.Descriptors.TxLegacy;
import io.github.jnic.spec.Field;
import io.github.jnic.testbench.axi.AxiMemory;
import io.github.jnic.testbench.offload.OffloadReference.Command;
import io.github.jnic.testbench.offload.Packets;
import io.github.jnic.testbench.sim.Condition;
import io.github.jnic.testbench.sim.Port;
import io.github.jnic.testbench.sim.Simulator;
import io.github.jnic.testbench.sim.StreamSink;
import io.github.jnic.testbench.sim.StreamSource;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The transmit path (TxDma, TxOffload, TxFrameBuffer, Downsizer) against {@link TxRingReference}
 * over the harness's native AXI4 memory (latency, jitter, responses reordered across IDs, error
 * ranges), frames collected at the byte output as the MAC takes them: every frame byte-exact and in
 * order, gathered across descriptors at any byte address, DD exactly on the done RS descriptors and
 * nowhere else in memory, TDH and the pulses counted exactly, no clock without a byte inside a frame;
 * then faults, driver mistakes and the card's reset at any moment.
 */
class TxDmaTest {
    static final long BASE = 0x2_0000_0000L;
    static final int BYTES = 1 << 22;
    static final long BUFFERS = BASE + 0x10_0000;
    static final int SLOT = 20_480;
    static final Field UPPER = new Field("UPPER", 64, 64, "");
    static final Field LOWER = new Field("LOWER", 0, 64, "");
    static final VerilogDesign DESIGN = Verilog.emit(new TxPathBench());

    /** What the test's driver puts on the ring for one frame. */
    record Frame(byte[] bytes, Command offload, boolean legacy, int[] pieces, boolean rs, boolean ide) {}

    static final class Rig implements AutoCloseable {
        final Simulator sim = Simulator.load(DESIGN);
        final AxiMemory memory;
        final StreamSink sink;
        final ByteBuffer expected = ByteBuffer.allocate(BYTES).order(ByteOrder.LITTLE_ENDIAN);
        final Random random;
        final List<byte[]> received = new ArrayList<>();
        TxRingReference ring;
        /** The test driver's tail (descriptors written up to here) and the next slot to fill. */
        int fill;

        Rig(long seed, long latency, long jitter, double reorder) {
            random = new Random(seed);
            sim.resetHigh("reset", "clk", 2);
            memory = new AxiMemory(sim, "clk", "dma", BASE, BYTES, seed).latency(latency, latency, jitter).reorder(reorder);
            sink = new StreamSink(sim, "clk", new StreamSource.Pins(port("out_valid"), port("out_ready"), port("out_payload"),
                    port("out_last"), null, null), seed, 1.0);
            byte[] noise = new byte[BYTES];
            random.nextBytes(noise);
            expected.put(noise).clear();
            memory.memory().clear().put(noise).clear();
        }

        Port port(String name) {
            return sim.port(name);
        }

        long get(String name) {
            return sim.port(name).get();
        }

        /** Programs a ring of {@code count} descriptors at {@code ringBase}: head 0, tail 0, enabled. */
        void ring(long ringBase, int count) {
            ring = new TxRingReference(expected, BASE, ringBase, count);
            fill = 0;
            port("ringBase").set(ringBase);
            port("ringBytes").set((long) count * Descriptors.SIZE);
            port("tail").set(0);
            port("enable").set(1);
        }

        /** Writes {@code value} into both the simulated memory and the expected one. */
        void put(int offset, Field field, long value) {
            Descriptors.put(memory.memory(), offset, field, value);
            Descriptors.put(expected, offset, field, value);
        }

        void putBytes(long address, byte[] bytes, int from, int length) {
            int o = (int) (address - BASE);
            memory.memory().put(o, bytes, from, length);
            expected.put(o, bytes, from, length);
        }

        /** Descriptor {@code d} cleared, as a driver writes a fresh one. */
        void clear(int d) {
            int o = ring.descriptorOffset(d);
            put(o, LOWER, 0);
            put(o, UPPER, 0);
        }

        int free() {
            return ring.count - 1 - Math.floorMod(fill - ring.head, ring.count);
        }

        /** Descriptors {@code f} needs (a context descriptor for offloads, one per piece). */
        static int needs(Frame f) {
            return f.pieces.length + (f.offload == null ? 0 : 1);
        }

        /** Writes {@code f}'s descriptors from {@code fill} on (not yet visible: see {@link #tail}). */
        void queue(Frame f) {
            if (f.offload != null) {
                int o = ring.descriptorOffset(fill);
                clear(fill);
                Command c = f.offload;
                put(o, TxContext.IPCSS, c.ipcss());
                put(o, TxContext.IPCSO, c.ipcso());
                put(o, TxContext.IPCSE, c.ipcse());
                put(o, TxContext.TUCSS, c.tucss());
                put(o, TxContext.TUCSO, c.tucso());
                put(o, TxContext.TUCSE, c.tucse());
                put(o, TxContext.PAYLEN, c.paylen());
                put(o, TxContext.HDRLEN, c.hdrlen());
                put(o, TxContext.MSS, c.mss());
                put(o, TxContext.DTYP, Descriptors.DTYP_CONTEXT);
                put(o, TxContext.TUCMD, TxContext.DEXT.mask() | (c.tcp() ? TxContext.TCP.mask() : 0) | (c.ipv4() ? TxContext.IP.mask() : 0)
                        | (c.tse() ? TxContext.TSE.mask() : 0) | (random.nextInt(4) == 0 ? TxContext.RS.mask() : 0));
                fill = (fill + 1) % ring.count;
            }
            int at = 0;
            for (int p = 0; p < f.pieces.length; p++) {
                int n = f.pieces[p];
                long address = n == 0 ? 0 : BUFFERS + (long) fill * SLOT + random.nextInt(8192);
                if (n > 0) putBytes(address, f.bytes, at, n);
                at += n;
                int o = ring.descriptorOffset(fill);
                clear(fill);
                boolean eop = p == f.pieces.length - 1;
                long cmd = (eop ? TxCmd.EOP.mask() : 0) | TxCmd.IFCS.mask() | (f.rs && eop ? TxCmd.RS.mask() : 0)
                        | (f.ide ? TxCmd.IDE.mask() : 0) | (!eop && random.nextInt(8) == 0 ? TxCmd.RS.mask() : 0);
                put(o, TxLegacy.ADDRESS, address);
                if (f.legacy) {
                    put(o, TxLegacy.LENGTH, n);
                    if (f.offload == null && f.bytes.length > 40 && p == 0 && random.nextInt(3) == 0) {
                        // legacy checksum insertion: CSS, CSO (CSO inside the frame)
                        cmd |= TxCmd.IC.mask();
                        put(o, TxLegacy.CSS, 14);
                        put(o, TxLegacy.CSO, 14 + random.nextInt(Math.min(f.bytes.length - 16, 240)));
                    }
                    put(o, TxLegacy.CMD, cmd);
                } else {
                    put(o, TxData.DTALEN, n);
                    put(o, TxData.DTYP, Descriptors.DTYP_DATA);
                    Command c = f.offload;
                    if (c != null && p == 0) put(o, TxData.POPTS, (c.ixsm() ? TxData.IXSM.mask() : 0) | (c.txsm() ? TxData.TXSM.mask() : 0));
                    put(o, TxData.DCMD, cmd | TxCmd.DEXT.mask() | (c != null && c.tse() ? TxCmd.TSE.mask() : 0));
                }
                fill = (fill + 1) % ring.count;
            }
        }

        /** The doorbell: the card and the reference see the tail at {@code fill}. */
        void tail() {
            port("tail").set(fill);
            ring.tail(fill);
        }

        /** Runs until the engine has done what the reference did, then a while longer: nothing more may happen. */
        void settle(String when) {
            sim.runUntil(Condition.equalTo(port("descriptorsDone"), ring.descriptorsDone), "clk", 2_000_000);
            sim.runUntil(Condition.equalTo(port("head"), ring.head), "clk", 2_000_000);
            for (int i = 0; i < 1000 && sink.framesReceived() < ring.sent.size(); i++) sim.step("clk", 200);
            sim.step("clk", 3000);
            collect();
            check(when);
        }

        int sentChecked;

        void collect() {
            for (StreamSink.Frame f : sink.receive()) received.add(f.data());
        }

        void check(String when) {
            assertEquals(ring.sent.size(), received.size(), when + ": frames sent");
            for (int i = sentChecked; i < received.size(); i++) {
                byte[] e = ring.sent.get(i), g = received.get(i);
                if (!java.util.Arrays.equals(e, g)) {
                    int at = java.util.Arrays.mismatch(e, g);
                    throw new AssertionError(when + ": frame " + i + " (" + e.length + " bytes expected, " + g.length + " sent) differs first at byte "
                            + at + "\nexpected " + hex(e, at) + "\nsent     " + hex(g, at));
                }
            }
            sentChecked = received.size();
            assertEquals(ring.descriptorsDone, get("descriptorsDone"), when + ": RS descriptors written back");
            assertEquals(ring.ideDone, get("ideDone"), when + ": of them with IDE");
            assertEquals(ring.queueEmpty, get("queueEmpty"), when + ": TXQE events");
            assertEquals(ring.head, get("head"), when + ": TDH");
            assertEquals(ring.badDescriptors, get("badDescriptor"), when + ": bad descriptors");
            assertEquals(ring.oversize, get("oversize"), when + ": frames too long for the frame buffer");
            assertEquals(ring.tsoContexts, get("tsoContext"), when + ": TSO requests done");
            assertEquals(ring.tsoFailed, get("tsoFailed"), when + ": TSO requests failed");
            assertEquals(0, get("gaps"), when + ": clocks without a byte inside a frame");
            assertMemory(when);
        }

        void assertMemory(String when) {
            ByteBuffer actual = memory.memory().duplicate().clear();
            ByteBuffer want = expected.duplicate().clear();
            int at = actual.mismatch(want);
            if (at >= 0) {
                throw new AssertionError(when + ": host memory differs first at bus address 0x" + Long.toHexString(BASE + at)
                        + " (expected " + (want.get(at) & 0xFF) + ", got " + (actual.get(at) & 0xFF) + ")");
            }
            AxiMemory.Stats s = memory.stats();
            assertEquals(0, s.burstsCrossing4k(), when + ": bursts across 4 KiB");
            assertEquals(0, s.protocolMistakes(), when + ": AXI protocol mistakes");
        }

        /** The bus is quiet: nothing outstanding, and nothing new for a while. */
        void assertQuiet(String when) {
            AxiMemory.Stats before = memory.stats();
            assertEquals(0, before.readsOutstanding(), when + ": reads outstanding");
            assertEquals(0, before.writesOutstanding(), when + ": writes outstanding");
            sim.step("clk", 2000);
            AxiMemory.Stats after = memory.stats();
            assertEquals(before.readBursts(), after.readBursts(), when + ": reads after the ring stopped");
            assertEquals(before.writeBursts(), after.writeBursts(), when + ": writes after the ring stopped");
        }

        /** A random frame: random bytes, or a well-formed packet with checksum offload or TSO. */
        Frame randomFrame(int maxPieces) {
            int kind = random.nextInt(10);
            byte[] bytes;
            Command offload = null;
            if (kind < 6) {
                int length = random.nextInt(4) == 0 ? 1 + random.nextInt(5000) : 60 + random.nextInt(1455);
                bytes = new byte[length];
                random.nextBytes(bytes);
            } else if (kind < 9) {
                Packets.Packet p = Packets.random(random, Packets.Shape.random(random, random.nextInt(1400)));
                bytes = p.partial();
                offload = Command.checksum(p.ipv4(), p.ipStart(), p.ipStart() + 10, p.ipStart() + p.ipHeaderBytes() - 1, true,
                        p.l4Start(), p.checksumAt(), 0).withKind(p.tcp(), p.ipv4());
            } else {
                Packets.Packet p = Packets.random(random, Packets.Shape.randomTcp(random, 1 + random.nextInt(6000)));
                bytes = p.tsoSeeded();
                int mss = 200 + random.nextInt(1300);
                offload = Command.tso(p.ipv4(), p.ipStart(), p.ipHeaderBytes(), p.l4Start(), p.headerBytes(), mss, bytes.length - p.headerBytes());
            }
            int n = 1 + random.nextInt(Math.min(maxPieces, bytes.length));
            int[] pieces = split(bytes.length, n);
            return new Frame(bytes, offload, offload == null && random.nextBoolean(), pieces, random.nextInt(3) != 0, random.nextBoolean());
        }

        int[] split(int length, int n) {
            int[] pieces = new int[n];
            int left = length;
            for (int i = 0; i < n - 1; i++) {
                pieces[i] = 1 + random.nextInt(left - (n - 1 - i));
                left -= pieces[i];
            }
            pieces[n - 1] = left;
            return pieces;
        }

        @Override
        public void close() {
            sim.close();
        }
    }

    static String hex(byte[] b, int around) {
        int from = Math.max(0, around - 8), to = Math.min(b.length, around + 24);
        return from + ": " + HexFormat.ofDelimiter(" ").formatHex(b, from, to);
    }

    @Test
    void theBenchIsLintClean() {
        VerilatorLint.requireClean(DESIGN);
    }

    /**
     * Phases of a driver: it queues random frames (gathered from up to four buffers at any byte
     * address, legacy or data descriptors, checksum offload and TSO from context descriptors, RS and
     * IDE at random) and rings the doorbell; the ring wraps many times; every phase is checked
     * whole against the reference.
     */
    @Test
    void framesLeaveByteExactInOrderThroughGatherAndWrap() {
        try (Rig rig = new Rig(11, 40, 60, 0.5)) {
            // a ring not on a page boundary: descriptor fetches must split at 4 KiB
            rig.ring(BASE + 0x2000 - 0x80, 32);
            for (int phase = 0; phase < 25; phase++) {
                for (int i = 1 + rig.random.nextInt(6); i > 0; i--) {
                    Frame f = rig.randomFrame(4);
                    if (Rig.needs(f) > rig.free()) break;
                    rig.queue(f);
                }
                rig.tail();
                rig.settle("phase " + phase);
            }
            assertTrue(rig.received.size() > 60, "frames " + rig.received.size());
        }
    }
}

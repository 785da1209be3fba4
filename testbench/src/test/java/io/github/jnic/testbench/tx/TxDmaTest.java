package io.github.jnic.testbench.tx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
        /** Buffers at 8-byte aligned addresses only (else any byte). */
        boolean aligned;
        /** The bench's counters when the current ring was programmed. */
        final java.util.Map<String, Long> baseline = new java.util.HashMap<>();
        static final String[] COUNTERS = {"descriptorsDone", "ideDone", "queueEmpty", "badDescriptor", "ringError", "busError", "oversize",
            "tsoContext", "tsoFailed"};

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

        /** Programs a ring of {@code count} descriptors at {@code ringBase}: head 0 (written while disabled), tail 0, enabled. */
        void ring(long ringBase, int count) {
            port("enable").set(0);
            port("tail").set(0);
            sim.step("clk", 20);
            port("headWrite_payload").set(0);
            port("headWrite_valid").set(1);
            sim.step("clk", 1);
            port("headWrite_valid").set(0);
            ring = new TxRingReference(expected, BASE, ringBase, count);
            fill = 0;
            collect();
            received.clear();
            sinkBase = sink.framesReceived();
            sentChecked = 0;
            for (String c : COUNTERS) baseline.put(c, get(c));
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

        /** What the pulse counter {@code name} counted since the ring was programmed. */
        long count(String name) {
            return get(name) - baseline.getOrDefault(name, 0L);
        }

        /** A buffer piece on the ring: its descriptor, bus address and length. */
        record Piece(int descriptor, long address, int length) {}

        /** Writes {@code f}'s descriptors from {@code fill} on (not yet visible: see {@link #tail}); returns its pieces. */
        List<Piece> queue(Frame f) {
            assertTrue(needs(f) <= free(), "the test's driver overfills its ring");
            List<Piece> queued = new ArrayList<>();
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
                long address = n == 0 ? 0 : BUFFERS + (long) fill * SLOT + (aligned ? 8L * random.nextInt(1024) : random.nextInt(8192));
                queued.add(new Piece(fill, address, n));
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
            return queued;
        }

        /** The doorbell: the card and the reference see the tail at {@code fill}. */
        void tail() {
            tailAt(fill);
        }

        /** The driver's recovery: TCTL.EN off, TDH written, TCTL.EN on; the ring goes on from {@code head}. */
        void restartAt(int head) {
            restartAt(head, ring.tail);
        }

        /** The same with TDT written too (while disabled). */
        void restartAt(int head, int tail) {
            port("enable").set(0);
            sim.step("clk", 20);
            port("tail").set(tail);
            ring.tail = tail;
            port("headWrite_payload").set(head);
            port("headWrite_valid").set(1);
            sim.step("clk", 1);
            port("headWrite_valid").set(0);
            port("enable").set(1);
            ring.head = head;
            ring.restart();
        }

        void tailAt(int t) {
            port("tail").set(t);
            ring.tail(t);
        }

        /** Runs until the engine has done what the reference did, then a while longer: nothing more may happen. */
        void settle(String when) {
            sim.runUntil(Condition.equalTo(port("descriptorsDone"), ring.descriptorsDone + baseline.get("descriptorsDone")), "clk", 2_000_000);
            sim.runUntil(Condition.equalTo(port("head"), ring.head), "clk", 2_000_000);
            for (int i = 0; i < 1000 && sink.framesReceived() - sinkBase < ring.sent.size(); i++) sim.step("clk", 200);
            sim.step("clk", 3000);
            collect();
            check(when);
        }

        int sentChecked;
        long sinkBase;

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
            assertEquals(ring.descriptorsDone, count("descriptorsDone"), when + ": RS descriptors written back");
            assertEquals(ring.ideDone, count("ideDone"), when + ": of them with IDE");
            assertEquals(ring.queueEmpty, count("queueEmpty"), when + ": TXQE events");
            assertEquals(ring.head, get("head"), when + ": TDH");
            assertEquals(ring.badDescriptors, count("badDescriptor"), when + ": bad descriptors");
            assertEquals(ring.busErrors, count("busError"), when + ": bus errors");
            assertEquals(ring.stopped ? 1 : 0, get("stopped"), when + ": ring stopped");
            assertEquals(ring.oversize, count("oversize"), when + ": frames too long for the frame buffer");
            assertEquals(ring.tsoContexts, count("tsoContext"), when + ": TSO requests done");
            assertEquals(ring.tsoFailed, count("tsoFailed"), when + ": TSO requests failed");
            assertEquals(0, get("gaps"), when + ": clocks without a byte inside a frame");
            assertEquals(0, get("busyWhileIdle"), when + ": clocks idle with something on the engine's ports");
            if (ring.owned() == 0 || ring.stopped) assertEquals(1, get("idle"), when + ": the engine idle once all is done");
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
            assertEquals(1, get("idle"), when + ": the engine idle");
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

        /** Random bytes in {@code n} legacy descriptors, RS on the last. */
        Frame plainFrame(int length, int n) {
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            return new Frame(bytes, null, true, split(length, n), true, false);
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
     * DD promises the driver that the card has read the buffer: the moment the driver sees DD on a
     * frame's EOP descriptor it overwrites all that frame's buffers, and the frame still leaves as
     * it was queued. Reads are slow, each beat too, and writes quick, so a write-back issued before
     * the last beat of its buffer arrived would land while that beat is still to be read.
     */
    @Test
    void ddIsWrittenOnlyAfterTheDataWasRead() {
        try (Rig rig = new Rig(21, 150, 100, 0.5)) {
            // reads slow beat by beat, writes quick: a write-back that did not wait for the last beat would show
            rig.memory.latency(150, 2, 20).bandwidth(0.5, 8);
            rig.ring(BASE + 0x4000, 16);
            int scribbled = 0;
            for (int phase = 0; phase < 6; phase++) {
                List<List<Rig.Piece>> watch = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    Frame f = rig.randomFrame(3);
                    f = new Frame(f.bytes(), f.offload(), f.legacy(), f.pieces(), true, f.ide());
                    if (Rig.needs(f) > rig.free()) break;
                    watch.add(rig.queue(f));
                }
                rig.tail();
                for (int step = 0; step < 20_000 && !watch.isEmpty(); step++) {
                    rig.sim.step("clk", 4);
                    for (var it = watch.iterator(); it.hasNext(); ) {
                        List<Rig.Piece> pieces = it.next();
                        Rig.Piece eop = pieces.get(pieces.size() - 1);
                        int o = rig.ring.descriptorOffset(eop.descriptor());
                        if ((Descriptors.get(rig.memory.memory(), o, TxLegacy.STATUS) & Descriptors.TX_DD.mask()) == 0) continue;
                        for (Rig.Piece p : pieces) {
                            byte[] junk = new byte[p.length()];
                            rig.random.nextBytes(junk);
                            rig.putBytes(p.address(), junk, 0, junk.length);
                        }
                        scribbled++;
                        it.remove();
                    }
                }
                rig.settle("phase " + phase);
            }
            assertTrue(scribbled >= 20, "frames overwritten at DD: " + scribbled);
        }
    }

    /** Descriptors up to the tail without EOP: they are read and done, and the frame leaves only once its EOP is queued. */
    @Test
    void aFrameWaitsForItsEop() {
        try (Rig rig = new Rig(31, 20, 10, 0.5)) {
            rig.ring(BASE + 0x8000, 16);
            byte[] bytes = new byte[3000];
            rig.random.nextBytes(bytes);
            rig.queue(new Frame(bytes, null, false, rig.split(3000, 3), true, false));
            rig.tailAt(2);
            rig.settle("two of three descriptors queued");
            assertEquals(0, rig.received.size());
            rig.tailAt(3);
            rig.settle("the EOP queued");
            assertEquals(1, rig.received.size());

            // TCTL.EN cleared with a frame open: the engine drops it once idle; the driver writes TDH and goes on
            rig.queue(rig.plainFrame(2000, 3));
            rig.tailAt(rig.fill - 1);
            rig.settle("a second frame open");
            List<Rig.Piece> next = rig.queue(rig.plainFrame(1200, 2));
            rig.restartAt(next.get(0).descriptor(), rig.fill);
            rig.settle("the open frame dropped, the next one sent");
            assertEquals(2, rig.received.size());
        }
    }

    /**
     * A jumbo frame (9018 bytes), one of exactly the frame buffer's 16 KiB, and one a byte longer
     * (dropped, counted, the next frame sent); then legacy checksum insertion at each lane.
     */
    @Test
    void jumboFramesAndOneTooLongForTheFrameBuffer() {
        try (Rig rig = new Rig(35, 30, 20, 0.5)) {
            rig.ring(BASE + 0x9000, 32);
            for (int length : new int[] {9018, 16_384, 16_385, 1514, 9018}) rig.queue(rig.plainFrame(length, 1 + length / 8000));
            // legacy checksums written at every lane of a word, the last one straddling two words of the frame buffer
            for (int cso = 16; cso < 24; cso++) {
                Rig.Piece first = rig.queue(rig.plainFrame(300, 2)).get(0);
                int o = rig.ring.descriptorOffset(first.descriptor());
                rig.put(o, TxLegacy.CMD, Descriptors.get(rig.expected, o, TxLegacy.CMD) | TxCmd.IC.mask());
                rig.put(o, TxLegacy.CSS, 14);
                rig.put(o, TxLegacy.CSO, cso);
            }
            rig.tail();
            rig.settle("jumbo frames and checksums at every lane");
            assertEquals(1, rig.count("oversize"), "the frame one byte too long");
            assertEquals(12, rig.received.size());
        }
    }

    /**
     * An error response on a buffer read: what was queued before it leaves, the ring stops at the
     * descriptor (the bus quiet after, nothing more read or written), DMAEA is the burst's address;
     * the driver disables and enables the ring and it goes on from there.
     */
    @Test
    void aBusErrorStopsTheRingCleanly() {
        for (AxiMemory.Resp resp : new AxiMemory.Resp[] {AxiMemory.Resp.SLVERR, AxiMemory.Resp.DECERR}) {
            try (Rig rig = new Rig(41 + resp.ordinal(), 30, 20, 0.5)) {
                rig.aligned = true;
                rig.ring(BASE + 0x6000, 32);
                for (int i = 0; i < 3; i++) rig.queue(rig.randomFrame(3));
                byte[] bytes = new byte[2500];
                rig.random.nextBytes(bytes);
                List<Rig.Piece> bad = rig.queue(new Frame(bytes, null, true, rig.split(2500, 2), true, false));
                for (int i = 0; i < 3; i++) rig.queue(rig.randomFrame(3));
                Rig.Piece p = bad.get(0);
                rig.memory.error(p.address(), p.address() + p.length(), resp);
                rig.ring.errorFrom = p.address();
                rig.ring.errorTo = p.address() + p.length();
                rig.tail();
                rig.settle(resp + " on a buffer");
                assertTrue(rig.ring.stopped && rig.ring.head == p.descriptor(), "the reference stopped at the frame");
                assertEquals(p.address(), rig.get("busErrorAddress"), "the erring burst's address");
                rig.assertQuiet(resp + ": stopped");

                rig.memory.clearErrors();
                rig.ring.errorFrom = rig.ring.errorTo = 0;
                rig.port("enable").set(0);
                rig.sim.step("clk", 50);
                assertEquals(0, rig.get("stopped"), "restarted by TCTL.EN off");
                rig.port("enable").set(1);
                rig.ring.restart();
                rig.settle(resp + ": restarted");
                assertTrue(rig.received.size() >= 7, "frames " + rig.received.size());
            }
        }
    }

    /** Errors on a descriptor fetch and on a write-back: the ring stops, the bus quiet, nothing written after. */
    @Test
    void busErrorsOnDescriptorsAndWriteBacks() {
        try (Rig rig = new Rig(45, 30, 20, 0.5)) {
            long base = BASE + 0x7000;
            rig.ring(base, 16);
            for (int i = 0; i < 3; i++) rig.queue(rig.randomFrame(2));
            rig.memory.error(base, base + 16 * Descriptors.SIZE, AxiMemory.Resp.SLVERR);
            rig.port("tail").set(rig.fill);
            rig.sim.step("clk", 3000);
            rig.collect();
            assertEquals(1, rig.count("busError"), "one bus error");
            assertEquals(1, rig.get("stopped"));
            assertEquals(0, rig.get("head"), "no descriptor done");
            assertEquals(base, rig.get("busErrorAddress"), "the first descriptor word");
            assertEquals(0, rig.received.size(), "nothing sent");
            rig.assertMemory("descriptor fetch error");
            rig.assertQuiet("descriptor fetch error");
        }
        try (Rig rig = new Rig(46, 200, 0, 0.5)) {
            long base = BASE + 0x7000;
            rig.ring(base, 16);
            List<Rig.Piece> first = rig.queue(rig.plainFrame(1000, 1));
            for (int i = 0; i < 3; i++) rig.queue(rig.plainFrame(500 + 100 * i, 2));
            long status = base + (long) first.get(0).descriptor() * Descriptors.SIZE + 8;
            rig.port("tail").set(rig.fill);
            // once the descriptors were read (one burst, answered at cycle 200), before the first write-back
            rig.sim.step("clk", 300);
            rig.memory.error(status, status + 8, AxiMemory.Resp.SLVERR);
            rig.sim.step("clk", 5000);
            rig.collect();
            assertEquals(1, rig.count("busError"), "one bus error");
            assertEquals(1, rig.get("stopped"));
            assertEquals(status, rig.get("busErrorAddress"), "the write-back's address");
            rig.ring.tail(rig.fill);
            assertTrue(rig.received.size() >= 1 && rig.received.size() <= rig.ring.sent.size(), "frames sent: " + rig.received.size());
            for (int i = 0; i < rig.received.size(); i++) assertArrayEquals(rig.ring.sent.get(i), rig.received.get(i), "frame " + i);
            // the erring write-back did not land; write-backs already on the bus may have (RS descriptors only)
            int landed = 0;
            for (int d = 0; d < rig.fill; d++) {
                int o = rig.ring.descriptorOffset(d);
                long got = Descriptors.get(rig.memory.memory(), o, TxLegacy.STATUS);
                boolean rs = TxCmd.RS.isSet(Descriptors.get(rig.expected, o, TxLegacy.CMD));
                boolean dd = d != first.get(0).descriptor() && rs && got == Descriptors.TX_DD.mask();
                Descriptors.put(rig.expected, o, TxLegacy.STATUS, dd ? got : 0);
                if (dd) landed++;
            }
            assertEquals(landed, rig.count("descriptorsDone"), "write-backs acknowledged: those that landed");
            rig.assertMemory("write-back error");
            rig.assertQuiet("write-back error");
        }
    }

    /** Driver mistakes, one behaviour each: the ring stops at the bad descriptor or refuses a broken ring, and recovers. */
    @Test
    void badDescriptorsAndRingMistakesStopTheRing() {
        try (Rig rig = new Rig(61, 20, 20, 0.5)) {
            rig.ring(BASE + 0xC000, 32);
            // a zero length in the middle of a frame, then an address 0 on a frame's first descriptor
            for (Field what : new Field[] {TxLegacy.LENGTH, TxLegacy.ADDRESS}) {
                rig.queue(rig.randomFrame(2));
                List<Rig.Piece> pieces = rig.queue(rig.plainFrame(900, 3));
                List<Rig.Piece> after = rig.queue(rig.plainFrame(700, 2));
                Rig.Piece bad = pieces.get(what == TxLegacy.LENGTH ? 1 : 0);
                rig.put(rig.ring.descriptorOffset(bad.descriptor()), what, 0);
                rig.tail();
                rig.settle(what.name() + " 0");
                assertEquals(bad.descriptor(), rig.ring.head, "the reference stopped there");
                assertEquals(rig.ring.ringBase + (long) bad.descriptor() * Descriptors.SIZE, rig.get("busErrorAddress"), "DMAEA: the descriptor");
                rig.assertQuiet(what.name() + " 0");
                // the driver moves the head past the frame and restarts the ring
                rig.restartAt(after.get(0).descriptor());
                rig.settle(what.name() + " 0: restarted");
            }
            // a frame without EOP longer than any frame: stopped at the descriptor that makes it too long
            int start = rig.fill;
            for (int i = 0; i < 5; i++) {
                byte[] bytes = new byte[16_000];
                rig.random.nextBytes(bytes);
                rig.queue(new Frame(bytes, null, false, new int[] {16_000}, false, false));
                int o = rig.ring.descriptorOffset(Math.floorMod(rig.fill - 1, rig.ring.count));
                rig.put(o, TxData.DCMD, Descriptors.get(rig.expected, o, TxData.DCMD) & ~TxCmd.EOP.mask());
            }
            rig.tail();
            rig.settle("no EOP");
            assertEquals((start + 4) % rig.ring.count, rig.ring.head, "stopped at the fifth 16 000-byte descriptor");
            rig.restartAt(rig.fill);
            // ring mistakes: a tail past the ring, a length not a multiple of 128
            rig.port("tail").set(rig.ring.count + 3);
            rig.sim.step("clk", 200);
            assertEquals(1, rig.count("ringError"), "tail past the ring");
            assertEquals(1, rig.get("stopped"));
            assertEquals(rig.ring.ringBase, rig.get("busErrorAddress"));
            rig.port("enable").set(0);
            rig.port("tail").set(rig.fill);
            rig.sim.step("clk", 50);
            rig.port("ringBytes").set(12 * Descriptors.SIZE);
            rig.port("enable").set(1);
            rig.sim.step("clk", 200);
            assertEquals(2, rig.count("ringError"), "a length not a multiple of 128");
            assertEquals(1, rig.get("stopped"));
            rig.assertQuiet("ring mistakes");
            rig.assertMemory("ring mistakes");
        }
    }

    /**
     * CTRL.RST (a 128-cycle reset, as the register file gives) at random moments, mid-burst
     * included: the bus is quiet after it with no protocol mistake, nothing but DD bytes was
     * written, the frames that left are a prefix of what was queued, byte-exact, TDH is 0 and a
     * fresh ring then works exactly; a one-cycle reset leaves the bus as clean.
     */
    @Test
    void theCardsResetAtAnyMomentLeavesTheBusQuietAndTheRingAsNew() {
        try (Rig rig = new Rig(71, 60, 40, 0.5)) {
            int midBurst = 0, cut = 0;
            for (int round = 0; round < 12; round++) {
                String when = "round " + round;
                rig.ring(BASE + 0xE000, 32);
                for (int i = 0; i < 8; i++) {
                    Frame f = rig.randomFrame(4);
                    if (Rig.needs(f) > rig.free()) break;
                    rig.queue(f);
                }
                rig.tail();
                rig.sim.step("clk", 1 + rig.random.nextInt(1500));
                int length = round % 4 == 3 ? 1 : 128;
                AxiMemory.Stats before = rig.memory.stats();
                if (before.readsOutstanding() + before.writesOutstanding() > 0) midBurst++;
                // the registers go back to their reset values with it
                rig.port("cardReset").set(1);
                rig.port("enable").set(0);
                rig.port("tail").set(0);
                rig.port("ringBytes").set(0);
                rig.port("ringBase").set(0);
                rig.sim.step("clk", length);
                rig.port("cardReset").set(0);
                rig.sim.step("clk", 4000);
                rig.collect();
                assertEquals(0, rig.get("head"), when + ": TDH after reset");
                assertEquals(0, rig.get("stopped"), when + ": not stopped");
                rig.assertQuiet(when + ": after reset");
                if (rig.received.size() < rig.ring.sent.size()) cut++;
                if (length > 1) {
                    String lengths = "queued " + rig.ring.sent.stream().map(b -> b.length).toList() + ", sent " + rig.received.stream().map(b -> b.length).toList();
                    assertTrue(rig.received.size() <= rig.ring.sent.size(), when + ": frames sent");
                    for (int i = 0; i < rig.received.size(); i++) assertArrayEquals(rig.ring.sent.get(i), rig.received.get(i), when + ": frame " + i + "; " + lengths);
                }
                // an RS descriptor may or may not have been done before the reset: its status is DD or as the driver left it (0)
                for (int d = 0; d < rig.ring.count; d++) {
                    int o = rig.ring.descriptorOffset(d);
                    long got = Descriptors.get(rig.memory.memory(), o, TxLegacy.STATUS);
                    if ((got == Descriptors.TX_DD.mask() || got == 0) && TxCmd.RS.isSet(Descriptors.get(rig.expected, o, TxLegacy.CMD))) {
                        Descriptors.put(rig.expected, o, TxLegacy.STATUS, got);
                    }
                }
                rig.assertMemory(when + ": after reset");

                // a fresh ring, as the driver sets it up after the reset
                rig.ring(BASE + 0xE000, 32);
                for (int i = 0; i < 4; i++) rig.queue(rig.randomFrame(3));
                rig.tail();
                rig.settle(when + ": a fresh ring");
            }
            assertTrue(midBurst >= 4 && cut >= 4, "resets with transactions on the bus: " + midBurst + ", cutting the queue short: " + cut);
        }
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
            int firstRing = 0;
            for (int phase = 0; phase < 35; phase++) {
                // then a ring of 24 (not a power of two) with no latency at all
                if (phase == 25) {
                    firstRing = rig.received.size();
                    rig.memory.latency(0, 0, 0);
                    rig.ring(BASE + 0x3000 - 0x40, 24);
                }
                for (int i = 1 + rig.random.nextInt(6); i > 0; i--) {
                    Frame f = rig.randomFrame(4);
                    if (Rig.needs(f) > rig.free()) break;
                    rig.queue(f);
                }
                rig.tail();
                rig.settle("phase " + phase);
            }
            assertTrue(firstRing > 60 && rig.received.size() > 20, "frames " + firstRing + ", " + rig.received.size());
        }
    }
}

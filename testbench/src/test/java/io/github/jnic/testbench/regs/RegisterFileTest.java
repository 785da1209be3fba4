package io.github.jnic.testbench.regs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.jhdl.Verilog;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import io.github.jnic.nic.mdio.PhyMonitor;
import io.github.jnic.nic.regs.RegisterFile;
import io.github.jnic.spec.Field;
import io.github.jnic.spec.Register;
import io.github.jnic.spec.Registers;
import io.github.jnic.spec.Registers.Cause;
import io.github.jnic.spec.Registers.Ctrl;
import io.github.jnic.spec.Registers.Mdic;
import io.github.jnic.spec.Registers.Status;
import io.github.jnic.spec.Statistic;
import io.github.jnic.testbench.axi.AxiLitePort;
import io.github.jnic.testbench.card.CardModel;
import io.github.jnic.testbench.phy.MdioRegisters;
import io.github.jnic.testbench.sim.Simulator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The register file through its AXI4-Lite port, with InterruptModeration and PhyMonitor beside it
 * ({@link RegisterRig}) and the native MDIO PHY model. What a read must return comes from
 * {@link Registers} (offsets, reset values, fields, access kinds) and, where it defines the
 * behaviour, from {@link CardModel}, the Java card the driver runs on: the same accesses go to
 * both and every read is compared.
 */
class RegisterFileTest {
    static final VerilogDesign DESIGN = Verilog.emit(new RegisterRig());
    static final int PHY = 1;
    static final long CAUSES = Cause.ALL.stream().mapToLong(Field::mask).reduce(0, (a, b) -> a | b);

    /** The simulated rig after its power-on reset, the card reset that follows it included. */
    static final class Rig implements AutoCloseable {
        final Simulator sim;
        final MdioRegisters phy;
        final AxiLitePort bus;
        final CardModel model = new CardModel(() -> 0L, 1 << 16);

        Rig() {
            this(DESIGN);
        }

        Rig(VerilogDesign design) {
            sim = Simulator.load(design);
            phy = new MdioRegisters(sim, "clk", PHY);
            bus = new AxiLitePort(sim, "clk", "host", 400);
            for (int r = 0; r < 32; r++) phy.set(r, 0);
            sim.resetHigh("reset", "clk", 2);
            sim.step("clk", RegisterFile.RESET_CYCLES + 2);
        }

        int read(int offset) {
            return bus.read(offset);
        }

        void write(int offset, int value) {
            bus.write(offset, value);
        }

        /** Reads every register in one batch (statistics and ICR are cleared by it). */
        int[] dump() {
            AxiLitePort.Batch b = bus.batch();
            for (Register r : Registers.all()) b.read(r.offset());
            List<AxiLitePort.Result> results = b.run();
            int[] v = new int[results.size()];
            for (int i = 0; i < v.length; i++) {
                assertTrue(results.get(i).ok(), Registers.all().get(i).name());
                v[i] = results.get(i).data();
            }
            return v;
        }

        long port(String name) {
            return sim.port(name).get();
        }

        @Override
        public void close() {
            sim.close();
        }
    }

    private static boolean forwardedOrSpecial(Register r) {
        return r == Registers.CTRL || r == Registers.MDIC || r == Registers.IMS || r == Registers.ICR || r == Registers.ICS || r == Registers.IMC;
    }

    @Test
    void everyRegisterReadsItsResetValueAsTheCardModelDoes() {
        try (Rig rig = new Rig()) {
            int[] rtl = rig.dump();
            for (int i = 0; i < rtl.length; i++) {
                Register r = Registers.all().get(i);
                // STATUS comes from the PHY: no link yet, 10 Mb/s, half duplex (the model's PHY is not simulated)
                long expected = r == Registers.STATUS ? 0 : r.reset();
                assertEquals(expected, rtl[i] & 0xFFFF_FFFFL, r.name());
                if (r != Registers.STATUS) assertEquals(rig.model.read(r), rtl[i], r.name() + " as CardModel");
            }
            assertEquals(RegisterFile.RESET_CYCLES, rig.port("resetCycles"), "the power-on card reset");
        }
    }

    @Test
    void writesStoreTheFieldsBitsAndNothingElse() {
        Random random = new Random(3);
        try (Rig rig = new Rig()) {
            List<Register> checked = new ArrayList<>();
            AxiLitePort.Batch b = rig.bus.batch();
            List<long[]> expected = new ArrayList<>();
            for (Register r : Registers.all()) {
                if (forwardedOrSpecial(r)) continue;
                int pattern = random.nextInt();
                long before = r == Registers.STATUS ? 0 : r.reset();
                for (int value : new int[] {-1, 0, pattern}) {
                    b.write(r.offset(), value).read(r.offset());
                    long stored = Registers.storedBits(r);
                    long want = switch (r.access()) {
                        case RW -> value & stored;
                        case RO, RC -> before;   // writes ignored; statistics stay 0 without traffic
                        case WO -> 0;
                    };
                    expected.add(new long[] {want});
                    checked.add(r);
                }
            }
            List<AxiLitePort.Result> results = b.run();
            for (int i = 0, k = 0; i < results.size(); i += 2, k++) {
                assertTrue(results.get(i).ok() && results.get(i + 1).ok());
                assertEquals(expected.get(k)[0], results.get(i + 1).data() & 0xFFFF_FFFFL, checked.get(k).name());
            }
            assertTrue(checked.size() > 3 * 150, "MTA, RAL/RAH and the rest: " + checked.size());

            // CTRL: every field but the reset command is stored
            rig.write(Registers.CTRL.offset(), (int) ~Ctrl.RST.mask());
            assertEquals(Registers.storedBits(Registers.CTRL), rig.read(Registers.CTRL.offset()) & 0xFFFF_FFFFL);
        }
    }

    @Test
    void byteStrobesWriteOnlyTheirBytes() {
        try (Rig rig = new Rig()) {
            int rdbah = Registers.RDBAH.offset(), mta = Registers.MTA + 4 * 77, rdh = Registers.RDH.offset();
            List<AxiLitePort.Result> r = rig.bus.batch()
                    .write(rdbah, 0x11223344).write(rdbah, 0xAABBCCDD, 0b0101).read(rdbah)
                    .write(mta, 0x55667788).write(mta, 0xEEFF0000, 0b1100).read(mta)
                    .write(rdh, 0x1234).write(rdh, 0xFF00, 0b0010).read(rdh)
                    .run();
            assertEquals(0x11BB33DD, r.get(2).data());
            assertEquals(0xEEFF7788, r.get(5).data());
            assertEquals(0xFF34, r.get(8).data());
            // the receive filter's table got the merged word, at its index
            assertEquals(77, rig.port("lastMtaIndex"));
            assertEquals(0xEEFF7788L, rig.port("lastMtaData"));
        }
    }

    @Test
    void randomAccessesReadAsOnTheCardModel() {
        // every register the model keeps as the RTL does, in random order, with random values;
        // left out: CTRL (RST), MDIC (no PHY in the model), STATUS (idem), ITR (the model's clock
        // stands still, so its throttle would never end), and the rings' enable bits (the model
        // would start its rings)
        Random random = new Random(17);
        List<Register> pool = new ArrayList<>();
        for (Register r : Registers.all()) {
            if (r != Registers.CTRL && r != Registers.MDIC && r != Registers.STATUS && r != Registers.ITR) pool.add(r);
        }
        try (Rig rig = new Rig()) {
            for (int round = 0; round < 4; round++) {
                AxiLitePort.Batch b = rig.bus.batch();
                List<Integer> expected = new ArrayList<>();
                List<String> what = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    Register r = pool.get(random.nextInt(pool.size()));
                    int offset = random.nextInt(10) == 0 ? unmapped(random) : r.offset();
                    if (random.nextBoolean()) {
                        int v = random.nextInt();
                        if (offset == Registers.RCTL.offset()) v &= ~(int) Registers.Rctl.EN.mask();
                        if (offset == Registers.TCTL.offset()) v &= ~(int) Registers.Tctl.EN.mask();
                        if (offset == Registers.ICS.offset() && random.nextBoolean()) v &= (int) Cause.DMAERR.mask();
                        b.write(offset, v);
                        rig.model.write(offset, v);
                        expected.add(null);
                    } else {
                        b.read(offset);
                        expected.add(rig.model.read(offset));
                    }
                    what.add((expected.get(i) == null ? "write " : "read ") + String.format("0x%05X", offset) + " (" + i + ")");
                }
                List<AxiLitePort.Result> results = b.run();
                for (int i = 0; i < results.size(); i++) {
                    assertTrue(results.get(i).ok(), what.get(i));
                    if (expected.get(i) != null) assertEquals(expected.get(i), results.get(i).data(), "round " + round + ": " + what.get(i));
                }
            }
        }
    }

    private static int unmapped(Random random) {
        while (true) {
            int offset = random.nextInt(1 << RegisterFile.ADDRESS_BITS) & ~(random.nextInt(4) == 0 ? 0 : 3);
            if ((offset & 3) != 0 || Registers.at(offset) == null) return offset;
        }
    }

    @Test
    void unmappedOffsetsReadZeroAndIgnoreWrites() {
        try (Rig rig = new Rig()) {
            Random random = new Random(23);
            List<Integer> offsets = new ArrayList<>(List.of(0x0004, 0x0010, 0x00BC, 0x00CC, 0x0E18, 0x3FFC, 0x5600, 0x6000, 0x1FFFC, 0x0002, 0x00C1, 0x5203));
            for (int i = 0; i < 40; i++) offsets.add(unmapped(random));
            int[] before = rig.dump();
            AxiLitePort.Batch b = rig.bus.batch();
            for (int offset : offsets) b.write(offset, -1).read(offset);
            List<AxiLitePort.Result> r = b.run();
            for (int i = 0; i < r.size(); i++) {
                assertTrue(r.get(i).ok(), "OKAY for 0x" + Integer.toHexString(offsets.get(i / 2)));
                if (i % 2 == 1) {
                    assertEquals(0, r.get(i).data(), "0x" + Integer.toHexString(offsets.get(i / 2)));
                    assertEquals(0, rig.model.read(offsets.get(i / 2)), "CardModel agrees");
                }
            }
            int[] after = rig.dump();
            for (int i = 0; i < before.length; i++) assertEquals(before[i], after[i], Registers.all().get(i).name() + " untouched");
            assertFalse(rig.sim.port("irq").isHigh());
        }
    }

    @Test
    void causesMaskAndTheLine() {
        try (Rig rig = new Rig()) {
            int icr = Registers.ICR.offset(), ics = Registers.ICS.offset(), ims = Registers.IMS.offset(), imc = Registers.IMC.offset();
            long asserted = Cause.INT_ASSERTED.mask();
            rig.write(ics, (int) Cause.TXQE.mask());
            assertFalse(rig.sim.port("irq").isHigh(), "masked");
            assertEquals(Cause.TXQE.mask(), rig.read(icr), "ICR: the cause, the line low");
            assertEquals(0, rig.read(icr), "cleared by the read");

            rig.write(ims, (int) (Cause.TXQE.mask() | Cause.RXT0.mask()));
            assertEquals(Cause.TXQE.mask() | Cause.RXT0.mask(), rig.read(ims) & 0xFFFF_FFFFL);
            rig.write(ics, (int) Cause.RXO.mask());
            assertFalse(rig.sim.port("irq").isHigh(), "RXO is not in the mask");
            rig.write(ics, (int) Cause.RXT0.mask());
            assertTrue(rig.sim.port("irq").isHigh());
            assertEquals(Cause.RXO.mask() | Cause.RXT0.mask() | asserted, rig.read(icr) & 0xFFFF_FFFFL);
            rig.sim.step("clk", 2);
            assertFalse(rig.sim.port("irq").isHigh(), "the read cleared the causes");

            // write 1s to clear; IMC clears mask bits; ICS with one byte strobed sets that byte's causes only
            rig.write(ics, (int) (Cause.TXQE.mask() | Cause.LSC.mask()));
            assertTrue(rig.sim.port("irq").isHigh());
            rig.write(icr, (int) Cause.TXQE.mask());
            assertFalse(rig.sim.port("irq").isHigh(), "LSC is pending but masked");
            rig.write(imc, (int) Cause.RXT0.mask());
            assertEquals(Cause.TXQE.mask(), rig.read(ims));
            List<AxiLitePort.Result> r = rig.bus.batch().write(ics, -1, 0b0001).read(icr).write(ics, -1, 0b1000).read(icr).run();
            assertEquals(Cause.LSC.mask() | (CAUSES & 0xFF) | asserted, r.get(1).data() & 0xFFFF_FFFFL);
            assertEquals(Cause.DMAERR.mask(), r.get(3).data() & 0xFFFF_FFFFL, "DMAERR alone: masked, the line low");

            // RDTR delays RXT0; FPD written to RDTR flushes it at once (and reads back 0)
            rig.write(imc, -1);
            rig.write(Registers.RDTR.offset(), 1000);
            rig.sim.port("rxFrameDone").set(1);
            rig.sim.step("clk", 1);
            rig.sim.port("rxFrameDone").set(0);
            assertEquals(0, rig.read(icr), "delayed by RDTR");
            rig.write(Registers.RDTR.offset(), (int) (Registers.RDTR.field("FPD").mask() | 1000));
            assertEquals(Cause.RXT0.mask(), rig.read(icr), "flushed");
            assertEquals(1000, rig.read(Registers.RDTR.offset()));
        }
    }

    @Test
    void statisticsCountTheirInputsAndClearOnRead() {
        try (Rig rig = new Rig()) {
            List<Statistic> stats = Registers.statistics();
            // a different amount per statistic, for 1000 cycles
            for (int i = 0; i < stats.size(); i++) add(rig, stats.get(i), 1 + 37 * i);
            rig.sim.step("clk", 1000);
            for (Statistic s : stats) add(rig, s, 0);
            List<AxiLitePort.Result> r = readAll(rig, stats);
            for (int i = 0, k = 0; i < stats.size(); i++) {
                long count = r.get(k++).data() & 0xFFFF_FFFFL;
                if (stats.get(i).wide()) count |= (r.get(k++).data() & 0xFFFF_FFFFL) << 32;
                assertEquals(1000L * (1 + 37 * i), count, stats.get(i).name());
            }
            for (AxiLitePort.Result x : readAll(rig, stats)) assertEquals(0, x.data(), "cleared by the read");

            // the most per cycle for 70000 cycles: 32-bit counts stick at all ones (as the 8254x's and
            // CardModel's), 64-bit ones carry into the high half
            for (Statistic s : stats) add(rig, s, 0xFFFF);
            rig.sim.step("clk", 70_000);
            for (Statistic s : stats) add(rig, s, 0);
            r = readAll(rig, stats);
            for (int i = 0, k = 0; i < stats.size(); i++) {
                long low = r.get(k++).data() & 0xFFFF_FFFFL;
                if (stats.get(i).wide()) {
                    long high = r.get(k++).data() & 0xFFFF_FFFFL;
                    assertEquals(0xFFFFL * 70_000, high << 32 | low, stats.get(i).name());
                } else {
                    assertEquals(0xFFFF_FFFFL, low, stats.get(i).name() + " saturates");
                }
            }
            // the high half alone reads what the last low read latched: nothing now
            assertEquals(0, rig.read(Registers.GORCH.offset()));

            // counting while reading: what comes in during the read that clears is kept
            assertCountedOnceWhileRead(rig, 3);
        }
    }

    @Test
    void eventCountsCountAnEventACycle() {
        // the card's register file: its 32-bit statistics take one bit, their pending sums are narrow and wrap often
        try (Rig rig = new Rig(Verilog.emit(new RegisterRig(true)))) {
            List<Statistic> stats = Registers.statistics();
            for (int i = 0; i < stats.size(); i++) add(rig, stats.get(i), stats.get(i).wide() ? 1 + 37 * i : 1);
            rig.sim.step("clk", 1000);
            for (Statistic s : stats) add(rig, s, 0);
            List<AxiLitePort.Result> r = readAll(rig, stats);
            for (int i = 0, k = 0; i < stats.size(); i++) {
                long count = r.get(k++).data() & 0xFFFF_FFFFL;
                if (stats.get(i).wide()) count |= (r.get(k++).data() & 0xFFFF_FFFFL) << 32;
                assertEquals(stats.get(i).wide() ? 1000L * (1 + 37 * i) : 1000L, count, stats.get(i).name());
            }
            for (AxiLitePort.Result x : readAll(rig, stats)) assertEquals(0, x.data(), "cleared by the read");

            // events on some cycles only
            for (Statistic s : stats) {
                if (s.wide()) continue;
                long expected = 0;
                for (int burst = 0; burst < 40; burst++) {
                    add(rig, s, 1);
                    rig.sim.step("clk", 1 + burst % 7);
                    expected += 1 + burst % 7;
                    add(rig, s, 0);
                    rig.sim.step("clk", burst % 3);
                }
                assertEquals(expected, rig.read(s.low().offset()) & 0xFFFF_FFFFL, s.name());
            }
            // an event every cycle while reading: what comes in during the read that clears is kept
            assertCountedOnceWhileRead(rig, 1);
        }
    }

    /**
     * GPRC given {@code amount} every cycle while it is read 25 times (reads that clear it, a few idle
     * cycles apart): the reads and a last one add up to every cycle's amount, each counted once.
     */
    private static void assertCountedOnceWhileRead(Rig rig, int amount) {
        long start = rig.sim.cycles("clk");
        add(rig, Registers.statistic(Registers.GPRC), amount);
        long total = 0;
        AxiLitePort.Batch b = rig.bus.batch();
        for (int i = 0; i < 25; i++) b.read(Registers.GPRC.offset()).idle(i % 4);
        for (AxiLitePort.Result x : b.run()) total += x.data();
        add(rig, Registers.statistic(Registers.GPRC), 0);
        long cycles = rig.sim.cycles("clk") - start;
        total += rig.read(Registers.GPRC.offset());
        assertEquals(amount * cycles, total, "every cycle's increment counted exactly once");
    }

    private static void add(Rig rig, Statistic s, int amount) {
        rig.sim.port(s.name().toLowerCase(Locale.ROOT) + "Add").set(amount);
    }

    private static List<AxiLitePort.Result> readAll(Rig rig, List<Statistic> stats) {
        AxiLitePort.Batch b = rig.bus.batch();
        for (Statistic s : stats) {
            b.read(s.low().offset());
            if (s.wide()) b.read(s.high().offset());
        }
        return b.run();
    }

    @Test
    void mdicReadsAndWritesThePhysRegisters() {
        try (Rig rig = new Rig()) {
            rig.phy.set(2, 0x001C);
            rig.phy.set(3, 0xC916);
            int mdic = Registers.MDIC.offset();
            long read2 = Mdic.OP.of(Mdic.OP_READ) | Mdic.PHYADD.of(PHY) | Mdic.REGADD.of(2);
            rig.write(mdic, (int) read2);
            long v = untilReady(rig);
            assertEquals(read2 | Mdic.R.mask() | 0x001C, v, "DATA is the PHY's register 2, the other fields as written");

            long write = Mdic.OP.of(Mdic.OP_WRITE) | Mdic.PHYADD.of(PHY) | Mdic.REGADD.of(16) | Mdic.DATA.of(0xBEEF) | Mdic.I.mask();
            rig.write(mdic, (int) write);
            assertEquals(0, rig.read(mdic) & Mdic.R.mask(), "R clear while the access runs");
            assertEquals(write | Mdic.R.mask(), untilReady(rig));
            assertEquals(0xBEEF, rig.phy.get(16));

            // a second write while an access runs is ignored
            long read3 = Mdic.OP.of(Mdic.OP_READ) | Mdic.PHYADD.of(PHY) | Mdic.REGADD.of(3);
            rig.bus.batch().write(mdic, (int) read3).write(mdic, (int) write).run();
            assertEquals(read3 | Mdic.R.mask() | 0xC916, untilReady(rig));
            assertEquals(0xBEEF, rig.phy.get(16));

            // OP 0 starts nothing: stored and ready at once; R and E cannot be written
            rig.write(mdic, (int) (Mdic.REGADD.of(5) | Mdic.DATA.of(0x1234) | Mdic.E.mask()));
            assertEquals(Mdic.REGADD.of(5) | Mdic.DATA.of(0x1234) | Mdic.R.mask(), rig.read(mdic) & 0xFFFF_FFFFL);
            assertEquals(0, rig.phy.protocolErrors());
        }
    }

    private static long untilReady(Rig rig) {
        for (int i = 0; i < 100; i++) {
            long v = rig.read(Registers.MDIC.offset()) & 0xFFFF_FFFFL;
            if (Mdic.R.isSet(v)) return v;
            rig.sim.step("clk", 100);
        }
        throw new AssertionError("MDIC never ready");
    }

    @Test
    void statusFollowsThePhyAndAChangeRaisesLsc() {
        try (Rig rig = new Rig()) {
            // 100 Mb/s full duplex negotiated: link up in BMSR, 100BASE-TX full in ANAR and ANLPAR
            rig.phy.set(PhyMonitor.BMSR, 0x7949 | 1 << 2);
            rig.phy.set(PhyMonitor.ANAR, 0x01E1);
            rig.phy.set(PhyMonitor.ANLPAR, 0x01E1);
            rig.sim.step("clk", 3 * RegisterRig.POLL_CYCLES);
            assertEquals(Status.LU.mask() | Status.FD.mask() | Status.SPEED.of(1), rig.read(Registers.STATUS.offset()));
            assertEquals(Cause.LSC.mask(), rig.read(Registers.ICR.offset()));
            // then gigabit
            rig.phy.set(PhyMonitor.GBCR, 1 << 9);
            rig.phy.set(PhyMonitor.GBSR, 1 << 11);
            rig.sim.step("clk", 3 * RegisterRig.POLL_CYCLES);
            assertEquals(Status.LU.mask() | Status.FD.mask() | Status.SPEED.of(2), rig.read(Registers.STATUS.offset()));
            assertEquals(Cause.LSC.mask(), rig.read(Registers.ICR.offset()));
            rig.phy.set(PhyMonitor.BMSR, 0x7949);
            rig.sim.step("clk", 3 * RegisterRig.POLL_CYCLES);
            assertEquals(0, rig.read(Registers.STATUS.offset()) & Status.LU.mask());
            assertEquals(0, rig.phy.protocolErrors());
        }
    }

    @Test
    void ctrlRstRestoresEveryRegisterAndClearsItself() {
        try (Rig rig = new Rig()) {
            Random random = new Random(29);
            AxiLitePort.Batch b = rig.bus.batch();
            for (Register r : Registers.all()) {
                if (r.access() == Register.Access.RW && !forwardedOrSpecial(r)) b.write(r.offset(), random.nextInt() | 1);
            }
            b.write(Registers.MDIC.offset(), (int) Mdic.DATA.of(0x55));
            b.write(Registers.IMS.offset(), (int) (Cause.LSC.mask() | Cause.RXT0.mask()));
            b.write(Registers.ICS.offset(), (int) Cause.TXQE.mask());
            b.run();
            assertTrue(rig.sim.port("irq").isHigh() || rig.read(Registers.IMS.offset()) != 0, "a mask and a cause to reset");
            for (Statistic s : Registers.statistics()) add(rig, s, 5);
            rig.sim.step("clk", 10);
            for (Statistic s : Registers.statistics()) add(rig, s, 0);
            long mtaWrites = rig.port("mtaWrites");

            int ctrl = Registers.CTRL.offset(), rctl = Registers.RCTL.offset();
            List<AxiLitePort.Result> r = rig.bus.batch()
                    .write(ctrl, (int) (Ctrl.RST.mask() | Ctrl.SLU.mask())).read(ctrl).write(rctl, 0x8002).read(rctl)
                    .read(Registers.VET.offset()).read(Registers.TIPG.offset()).run();
            assertEquals(Ctrl.RST.mask() | Registers.CTRL.reset(), r.get(1).data() & 0xFFFF_FFFFL, "RST reads 1 during the reset");
            assertEquals(0, r.get(3).data(), "writes during the reset are ignored");
            // registers read back from the register file's copy read their reset values during the reset too
            assertEquals(Registers.VET.reset(), r.get(4).data() & 0xFFFF_FFFFL, "VET during the reset");
            assertEquals(Registers.TIPG.reset(), r.get(5).data() & 0xFFFF_FFFFL, "TIPG during the reset");
            assertTrue(rig.sim.port("cardReset").isHigh());
            while (Ctrl.RST.isSet(rig.read(ctrl))) rig.sim.step("clk", 10);
            assertEquals(2L * RegisterFile.RESET_CYCLES, rig.port("resetCycles"), "power-on and this one");
            assertEquals(mtaWrites + RegisterFile.RESET_CYCLES, rig.port("mtaWrites"), "every MTA word cleared, RxFilter's too");
            assertEquals(0, rig.port("lastMtaData"));

            int[] after = rig.dump();
            for (int i = 0; i < after.length; i++) {
                Register reg = Registers.all().get(i);
                // STATUS follows the PHY; ICR and IMS (InterruptModeration's) are cleared by cardReset like the rest
                if (reg == Registers.STATUS) continue;
                assertEquals(reg.reset(), after[i] & 0xFFFF_FFFFL, reg.name() + " back to its reset value");
            }
        }
    }
}

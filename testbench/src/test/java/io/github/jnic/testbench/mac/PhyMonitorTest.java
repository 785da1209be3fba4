package io.github.jnic.testbench.mac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.jhdl.Verilog;
import io.github.jnic.nic.mdio.PhyMonitor;
import io.github.jnic.testbench.phy.MdioPhy;
import io.github.jnic.testbench.sim.Simulator;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The PHY monitor against a clause 22 PHY model whose registers the test sets as a PHY would after
 * auto-negotiation; the expected mode comes from 802.3 annex 28B.3's priority table, written here.
 */
class PhyMonitorTest {
    static final int HALF_PERIOD = 2;
    static final int POLL = 400;
    static final int PHY = 1;

    /** 802.3 annex 28B.3 and 40.5.1.1: the highest mode both ends advertise. Returns {speed, fullDuplex}. */
    static int[] resolve(boolean gigabit, int anar, int anlpar, int gbcr, int gbsr) {
        if (gigabit && (gbcr & 1 << 9) != 0 && (gbsr & 1 << 11) != 0) return new int[] {PhyMonitor.SPEED_1000, 1};
        int common = anar & anlpar;
        if ((common & 1 << 8) != 0) return new int[] {PhyMonitor.SPEED_100, 1};
        if ((common & 1 << 7) != 0) return new int[] {PhyMonitor.SPEED_100, 0};
        if ((common & 1 << 6) != 0) return new int[] {PhyMonitor.SPEED_10, 1};
        return new int[] {PhyMonitor.SPEED_10, 0};
    }

    @Test
    void reportsTheNegotiatedModeAndEachChange() {
        try (Simulator sim = Simulator.load(Verilog.emit(new PhyMonitor(HALF_PERIOD, POLL)))) {
            MdioPhy phy = new MdioPhy(sim.port("mdc"), sim.port("mdioOut"), sim.port("mdioOe"), sim.port("mdioIn"), PHY);
            sim.port("phyAddress").set(PHY);
            sim.resetHigh("reset", "clk", 2);
            Random random = new Random(5);
            int changes = 0;
            boolean wasUp = false;
            int wasSpeed = 0;
            for (int round = 0; round < 24; round++) {
                boolean gigabit = random.nextBoolean();
                boolean up = random.nextInt(3) > 0;
                // capability bits: 10 half (5), 10 full (6), 100 half (7), 100 full (8); selector 1 (802.3)
                int anar = 1 | random.nextInt(16) << 5, anlpar = 1 | random.nextInt(16) << 5;
                int gbcr = random.nextBoolean() ? 1 << 9 : 0, gbsr = random.nextBoolean() ? 1 << 11 : 0;
                untilBetweenPolls(sim, phy);
                phy.registers[PhyMonitor.BMSR] = 0x7949 | (up ? 1 << 2 : 0);
                phy.registers[PhyMonitor.ANAR] = anar;
                phy.registers[PhyMonitor.ANLPAR] = anlpar;
                phy.registers[PhyMonitor.GBCR] = gbcr;
                phy.registers[PhyMonitor.GBSR] = gbsr;
                sim.port("gigabit").set(gigabit);
                int pulses = 0;
                // the registers changed between polls: the next poll reads them all, then the monitor waits again
                for (int c = 0; c < POLL + 5 * 64 * 2 * HALF_PERIOD + 50; c++) {
                    sim.step("clk", 1);
                    phy.tick();
                    if (sim.port("changed").isHigh()) pulses++;
                }
                int[] expected = resolve(gigabit, anar, anlpar, gbcr, gbsr);
                assertEquals(up, sim.port("linkUp").isHigh(), "round " + round + ": link");
                if (up) {
                    assertEquals(expected[0], sim.port("speed").get(), "round " + round + ": speed");
                    assertEquals(expected[1] == 1, sim.port("fullDuplex").isHigh(), "round " + round + ": duplex");
                }
                boolean shouldChange = up != wasUp || up && expected[0] != wasSpeed;
                assertEquals(shouldChange ? 1 : 0, pulses, "round " + round + ": change pulses");
                if (shouldChange) changes++;
                wasUp = up;
                wasSpeed = (int) sim.port("speed").get();
            }
            assertTrue(changes > 5, "the random rounds changed the link often enough: " + changes);
            assertEquals(0, phy.protocolErrors);
        }
    }

    @Test
    void theDriversCommandsGoThroughBetweenPolls() {
        try (Simulator sim = Simulator.load(Verilog.emit(new PhyMonitor(HALF_PERIOD, POLL)))) {
            MdioPhy phy = new MdioPhy(sim.port("mdc"), sim.port("mdioOut"), sim.port("mdioOe"), sim.port("mdioIn"), PHY);
            sim.port("phyAddress").set(PHY);
            sim.port("gigabit").set(1);
            phy.registers[2] = 0x001C;
            sim.resetHigh("reset", "clk", 2);
            Random random = new Random(9);
            for (int i = 0; i < 12; i++) {
                int reg = 16 + random.nextInt(16), value = random.nextInt(0x10000);
                command(sim, phy, true, reg, value);
                assertEquals(value, phy.registers[reg], "register " + reg + " written");
                assertEquals(value, command(sim, phy, false, reg, 0), "register " + reg + " read back");
                // let a poll run between commands now and then
                for (int c = random.nextInt(2 * POLL); c > 0; c--) {
                    sim.step("clk", 1);
                    phy.tick();
                }
            }
            assertEquals(0x001C, command(sim, phy, false, 2, 0));
            assertEquals(0, phy.protocolErrors);
        }
    }

    /** Runs until MDC has been still for most of the wait between two polls. */
    static void untilBetweenPolls(Simulator sim, MdioPhy phy) {
        long mdc = sim.port("mdc").get();
        for (int still = 0, cycles = 0; still < POLL / 2; cycles++) {
            sim.step("clk", 1);
            phy.tick();
            long now = sim.port("mdc").get();
            still = now == mdc ? still + 1 : 0;
            mdc = now;
            assertTrue(cycles < 4 * (POLL + 5 * 64 * 2 * HALF_PERIOD), "MDC never rested");
        }
    }

    /** Issues one command, holding start until it is taken, and waits for its result. */
    static int command(Simulator sim, MdioPhy phy, boolean write, int reg, int value) {
        sim.port("commandWrite").set(write);
        sim.port("commandPhy").set(PHY);
        sim.port("commandRegister").set(reg);
        sim.port("commandData").set(value);
        sim.port("commandStart").set(1);
        int cycles = 0;
        while (!sim.port("commandBusy").isHigh()) {
            sim.step("clk", 1);
            phy.tick();
            assertTrue(++cycles < 2 * POLL + 5 * 64 * 2 * HALF_PERIOD + 100, "the command was never taken");
        }
        sim.port("commandStart").set(0);
        while (sim.port("commandBusy").isHigh()) {
            sim.step("clk", 1);
            phy.tick();
            assertFalse(++cycles > 4 * POLL + 6 * 64 * 2 * HALF_PERIOD, "the command never ended");
        }
        return (int) sim.port("commandResult").get();
    }
}

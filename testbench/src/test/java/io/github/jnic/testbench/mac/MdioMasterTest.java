package io.github.jnic.testbench.mac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.jhdl.Verilog;
import io.github.jnic.nic.mdio.MdioMaster;
import io.github.jnic.testbench.phy.MdioPhy;
import io.github.jnic.testbench.sim.Simulator;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The MDIO master against a clause 22 PHY model: writes land, reads come back, the clock is as slow as asked. */
class MdioMasterTest {
    static final int HALF_PERIOD = 5;
    static final int PHY_ADDRESS = 3;

    @Test
    void writesAndReadsThePhysRegisters() {
        try (Simulator sim = Simulator.load(Verilog.emit(new MdioMaster(HALF_PERIOD)))) {
            MdioPhy phy = new MdioPhy(sim.port("mdc"), sim.port("mdioOut"), sim.port("mdioOe"), sim.port("mdioIn"), PHY_ADDRESS);
            phy.registers[2] = 0x0007;
            phy.registers[3] = 0xC0F1;
            sim.resetHigh("reset", "clk", 2);
            Random random = new Random(11);
            assertEquals(0x0007, transaction(sim, phy, false, PHY_ADDRESS, 2, 0));
            assertEquals(0xC0F1, transaction(sim, phy, false, PHY_ADDRESS, 3, 0));
            int[] written = new int[32];
            for (int i = 0; i < 20; i++) {
                int reg = 4 + random.nextInt(28), value = random.nextInt(0x10000);
                transaction(sim, phy, true, PHY_ADDRESS, reg, value);
                written[reg] = value;
                assertEquals(value, phy.registers[reg], "register " + reg + " after the write");
                assertEquals(value, transaction(sim, phy, false, PHY_ADDRESS, reg, 0), "register " + reg + " read back");
            }
            // nobody answers at another address: the pull-up reads as all ones, and nothing is written
            assertEquals(0xFFFF, transaction(sim, phy, false, PHY_ADDRESS + 1, 2, 0));
            transaction(sim, phy, true, PHY_ADDRESS + 1, 2, 0x1234);
            assertEquals(0x0007, phy.registers[2]);
            assertEquals(0, phy.protocolErrors);
        }
    }

    /** Runs one command to the end; returns readData. Checks MDC's half period on the way. */
    static int transaction(Simulator sim, MdioPhy phy, boolean write, int phyAddress, int reg, int value) {
        sim.port("write").set(write);
        sim.port("phyAddress").set(phyAddress);
        sim.port("regAddress").set(reg);
        sim.port("writeData").set(value);
        sim.port("start").set(1);
        sim.step("clk", 1);
        sim.port("start").set(0);
        assertTrue(sim.port("busy").isHigh());
        long lastChange = 0, cycle = 0, edges = 0;
        long mdc = sim.port("mdc").get();
        while (sim.port("busy").isHigh()) {
            sim.step("clk", 1);
            cycle++;
            phy.tick();
            long now = sim.port("mdc").get();
            if (now != mdc) {
                if (edges++ > 0) assertEquals(HALF_PERIOD, cycle - lastChange, "MDC half period");
                lastChange = cycle;
                mdc = now;
            }
            assertTrue(cycle < 64 * 2 * HALF_PERIOD + 10, "the command never ended");
        }
        assertEquals(128, edges, "MDC edges in a frame (64 bits)");
        return (int) sim.port("readData").get();
    }
}

package io.github.jnic.boards;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.jnic.jhdl.Verilog;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import io.github.jnic.nic.mdio.PhyMonitor;
import io.github.jnic.testbench.phy.Burst;
import io.github.jnic.testbench.phy.Ethernet;
import io.github.jnic.testbench.phy.MacReference;
import io.github.jnic.testbench.phy.MdioRegisters;
import io.github.jnic.testbench.phy.RmiiWire;
import io.github.jnic.testbench.sim.PinPlayer;
import io.github.jnic.testbench.sim.Simulator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The iCEBreaker bring-up image simulated whole (the PLL's lint model passes the 12 MHz pin through:
 * it is clocked at 25 MHz here): the PHY monitor reads the LAN8720's negotiated speed over MDIO from
 * a model of its registers, the MAC follows it, frames come back out at 100 and at 10 Mb/s, and the
 * LEDs show link (green) and 10 Mb/s (red).
 */
class RmiiBringUpSimTest {
    private static VerilogDesign design;

    @Test
    void echoesAtTheNegotiatedSpeedWithTheLedsShowingIt() {
        if (design == null) design = Verilog.emit(new RmiiBringUp(1));
        for (boolean at10 : new boolean[] {false, true}) {
            try (Simulator sim = Simulator.load(design)) {
                sim.clock("clk12", 40_000);
                sim.clock("refClk", 20_000);
                MdioRegisters phy = new MdioRegisters(sim, "clk12", 1);
                phy.set(PhyMonitor.BMSR, 0x782D);                  // link up, autonegotiation complete
                phy.set(PhyMonitor.ANAR, 0x01E1);
                phy.set(PhyMonitor.ANLPAR, at10 ? 0x0061 : 0x01E1); // the partner: 10 only, or 10/100
                // the first poll, 10 ms of the 25 MHz system clock
                sim.step("clk12", 250_000 + 20_000);
                assertEquals(1, sim.port("ledGreen").get(), "link up");
                assertEquals(at10 ? 1 : 0, sim.port("ledRed").get(), "10 Mb/s");

                RmiiWire wire = new RmiiWire(at10, false);
                PinPlayer tx = new PinPlayer(sim, "refClk", PinPlayer.Edges.RISING, List.of(), List.of(sim.port("rmiiTxd"), sim.port("rmiiTxEn")));
                PinPlayer rx = new PinPlayer(sim, "refClk", PinPlayer.Edges.RISING, List.of(sim.port("rmiiRxd"), sim.port("rmiiCrsDv")), List.of());
                Random random = new Random(at10 ? 2 : 1);
                List<byte[]> frames = new ArrayList<>();
                List<Burst> bursts = new ArrayList<>();
                for (int i = 0; i < (at10 ? 3 : 8); i++) {
                    byte[] f = new byte[60 + random.nextInt(300)];
                    random.nextBytes(f);
                    frames.add(f);
                    bursts.add(Burst.of(Ethernet.onWire(Ethernet.withFcs(f), 7), 12));
                }
                // the board has no RX_ER pin: the wire model's third column is never set here
                long[][] vectors = Arrays.stream(wire.encode(bursts)).map(v -> {
                    assertEquals(0, v[2]);
                    return new long[] {v[0], v[1]};
                }).toArray(long[][]::new);
                rx.play(vectors);
                while (rx.queued() > 0) sim.step("refClk", 1024);
                sim.step("refClk", 400L * wire.clocksPerByte());
                List<Burst> back = wire.decode(tx.recorded());
                assertEquals(frames.size(), back.size(), "one frame back per frame in");
                for (int i = 0; i < frames.size(); i++) {
                    assertArrayEquals(MacReference.transmit(frames.get(i)).bytes(), back.get(i).bytes(), "frame " + i);
                    assertFalse(back.get(i).hasError(), "frame " + i);
                }
                assertEquals(0, phy.protocolErrors(), "MDIO as 802.3 clause 22 says");
            }
        }
    }
}

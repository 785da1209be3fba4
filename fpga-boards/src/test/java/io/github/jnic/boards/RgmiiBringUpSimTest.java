package io.github.jnic.boards;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.jhdl.Verilog;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import io.github.jnic.nic.mdio.PhyMonitor;
import io.github.jnic.testbench.phy.Burst;
import io.github.jnic.testbench.phy.Ethernet;
import io.github.jnic.testbench.phy.MacReference;
import io.github.jnic.testbench.phy.MdioRegisters;
import io.github.jnic.testbench.phy.PhyWire;
import io.github.jnic.testbench.phy.RgmiiNibbleWire;
import io.github.jnic.testbench.phy.RgmiiWire;
import io.github.jnic.testbench.sim.PinPlayer;
import io.github.jnic.testbench.sim.Simulator;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The Colorlight bring-up image simulated whole (the ECP5 DDR cells' models; the PLL's lint model
 * passes its input through, so the 25 MHz pin is clocked at 125 MHz here): frames played into a
 * port's RGMII pins come back out of the same port's, byte for byte with a fresh FCS; port 0 runs at
 * the speed the PHY monitor reads over MDIO from a model of the PHY's registers, and the LED follows
 * the link.
 */
class RgmiiBringUpSimTest {
    private static final long CLOCK_PS = 8_000;
    /** The PHY's receive clock 100 ppm away from the board's. */
    private static final long RXC_PS = 8_001;
    private static VerilogDesign design;

    private static Simulator load() {
        if (design == null) design = Verilog.emit(new RgmiiBringUp(Boards.COLORLIGHT_PHY));
        Simulator sim = Simulator.load(design);
        sim.clock("clk25", CLOCK_PS);
        return sim;
    }

    /** A PHY whose link came up at 1000 Mb/s full duplex, or at 100 full if {@code gigabit} is false. */
    private static MdioRegisters phy(Simulator sim, boolean gigabit) {
        MdioRegisters phy = new MdioRegisters(sim, "clk25", Boards.COLORLIGHT_PHY);
        phy.set(PhyMonitor.BMSR, 0x796D);             // link up, autonegotiation complete
        phy.set(PhyMonitor.ANAR, 0x01E1);             // 10/100 half and full
        phy.set(PhyMonitor.ANLPAR, gigabit ? 0x01E1 : 0x0181); // the partner: 100 full/half, 10 full only without 1000
        phy.set(PhyMonitor.GBCR, 0x0200);             // 1000 full advertised
        phy.set(PhyMonitor.GBSR, gigabit ? 0x0800 : 0); // the partner's 1000 full
        return phy;
    }

    @Test
    void port1EchoesEveryFrameAt1000() {
        try (Simulator sim = load()) {
            phy(sim, true);
            sim.clock("eth1Rxc", RXC_PS);
            List<byte[]> frames = frames(new Random(1), 12);
            List<Burst> back = echo(sim, new RgmiiWire(), "eth1", frames, 1);
            check(frames, back);
        }
    }

    @Test
    void port0RunsAtTheSpeedThePhyNegotiatedAndTheLedShowsTheLink() {
        for (boolean gigabit : new boolean[] {true, false}) {
            try (Simulator sim = load()) {
                phy(sim, gigabit);
                PhyWire wire = gigabit ? new RgmiiWire() : new RgmiiNibbleWire(false);
                sim.clock("eth0Rxc", gigabit ? RXC_PS : 5 * RXC_PS);
                // before the first poll (10 ms of the system clock at 62.5 MHz: 625 000 clocks) the
                // link is down and the LED blinks; after it the LED is steady on
                sim.step("clk25", 1_000);
                assertEquals(0, sim.port("led").get(), "no link yet, the blink's first half is dark");
                sim.step("clk25", 625_000 + 20_000);
                assertEquals(1, sim.port("led").get(), "link up: the LED is on");
                List<byte[]> frames = frames(new Random(gigabit ? 2 : 3), gigabit ? 10 : 4);
                check(frames, echo(sim, wire, "eth0", frames, gigabit ? 1 : 10));
                // a frame darkens the LED for 50 ms (of 62.5 MHz): still dark right after the echo
                assertEquals(0, sim.port("led").get(), "activity");
            }
        }
    }

    /** Plays {@code frames} into port {@code eth}'s receive pins and returns the bursts its transmit pins showed. */
    private static List<Burst> echo(Simulator sim, PhyWire wire, String eth, List<byte[]> frames, int clocksPerByte) {
        // each created right after a rising edge of its clock, as the wire models' vectors expect
        sim.step("clk25", 1);
        PinPlayer tx = new PinPlayer(sim, "clk25", PinPlayer.Edges.BOTH, List.of(),
                List.of(sim.port(eth + "Txd"), sim.port(eth + "TxCtl"), sim.port(eth + "Txc")));
        sim.step(eth + "Rxc", 1);
        PinPlayer rx = new PinPlayer(sim, eth + "Rxc", PinPlayer.Edges.BOTH, List.of(sim.port(eth + "Rxd"), sim.port(eth + "RxCtl")), List.of());
        List<Burst> bursts = new ArrayList<>();
        for (byte[] f : frames) bursts.add(Burst.of(Ethernet.onWire(Ethernet.withFcs(f), 7), 12));
        rx.play(wire.encode(bursts));
        while (rx.queued() > 0) sim.step("clk25", 1024);
        sim.step("clk25", 400L * clocksPerByte);
        // the recording starts at a falling edge; the wire model's starts at a rising one (the values
        // before it): one vector in front puts the halves where it reads them
        List<long[]> recorded = new ArrayList<>();
        recorded.add(new long[] {0, 0, 0});
        recorded.addAll(List.of(tx.recorded()));
        return wire.decode(recorded.toArray(new long[0][]));
    }

    private static void check(List<byte[]> sent, List<Burst> back) {
        assertEquals(sent.size(), back.size(), "one frame back per frame in");
        for (int i = 0; i < sent.size(); i++) {
            assertArrayEquals(MacReference.transmit(sent.get(i)).bytes(), back.get(i).bytes(), "frame " + i);
            assertTrue(!back.get(i).hasError() && !back.get(i).oddNibble(), "frame " + i);
        }
    }

    private static List<byte[]> frames(Random random, int count) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] f = new byte[60 + random.nextInt(i % 3 == 0 ? 1455 : 200)];
            random.nextBytes(f);
            f[0] = 0x02;
            f[6] = 0x02;
            f[12] = (byte) 0x88;
            f[13] = (byte) 0xB5;
            out.add(f);
        }
        return out;
    }

}

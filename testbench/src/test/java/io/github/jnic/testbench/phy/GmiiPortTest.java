package io.github.jnic.testbench.phy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.jhdl.Verilog;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import io.github.jnic.nic.mac.GmiiMac;
import io.github.jnic.testbench.sim.Simulator;
import io.github.jnic.testbench.sim.StreamSink;
import io.github.jnic.testbench.sim.StreamSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The native GMII far end ({@link GmiiPort}) and MDIO registers ({@link MdioRegisters}) against the
 * MAC whose wire they model: frames the MAC sends come back whole, as the standard puts them on the
 * wire (checked with {@link Ethernet}'s own framing), and frames played in arrive intact, not before
 * their edge and with the gap between them.
 */
class GmiiPortTest {
    static final VerilogDesign MAC = Verilog.emit(new GmiiMac());

    static Simulator mac() {
        Simulator sim = Simulator.load(MAC);
        sim.clock("txClk", 8_000);
        sim.clock("rxClk", 8_000);
        sim.port("ifg").set(12);
        sim.port("txReset").set(1);
        sim.port("rxReset").set(1);
        sim.step("txClk", 4);
        sim.port("txReset").set(0);
        sim.port("rxReset").set(0);
        sim.step("txClk", 2);
        return sim;
    }

    @Test
    void framesTheMacSendsAreRecordedAsOnTheWire() {
        Random random = new Random(1);
        try (Simulator sim = mac()) {
            GmiiPort port = new GmiiPort(sim, "txClk", "rxClk", "gmii", 12);
            StreamSource source = new StreamSource(sim, "txClk", new StreamSource.Pins(sim.port("tx_valid"), sim.port("tx_ready"),
                    sim.port("tx_payload"), sim.port("tx_last"), null, sim.port("tx_user")), 3, 0);
            List<byte[]> frames = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                byte[] f = new byte[14 + random.nextInt(1500)];
                random.nextBytes(f);
                frames.add(f);
                source.send(f);
            }
            sim.step("txClk", 40_000);
            List<GmiiPort.Sent> sent = port.sent();
            assertEquals(frames.size(), sent.size());
            for (int i = 0; i < sent.size(); i++) {
                byte[] expected = Ethernet.onWire(Ethernet.padAndFcs(frames.get(i)), Ethernet.PREAMBLE_LENGTH);
                assertArrayEquals(expected, sent.get(i).wire(), "frame " + i);
                assertFalse(sent.get(i).error());
                if (i > 0) {
                    long gap = sent.get(i).endEdge() - sent.get(i - 1).endEdge() - sent.get(i).wire().length;
                    assertTrue(gap >= 12, "gap before frame " + i + ": " + gap);
                }
            }
            assertTrue(port.sent().isEmpty(), "each frame is handed over once");
        }
    }

    @Test
    void framesPlayedInArriveIntactNotBeforeTheirEdgeWithTheGap() {
        Random random = new Random(2);
        try (Simulator sim = mac()) {
            GmiiPort port = new GmiiPort(sim, "txClk", "rxClk", "gmii", 12);
            StreamSink sink = new StreamSink(sim, "rxClk", new StreamSource.Pins(sim.port("rx_valid"), null, sim.port("rx_payload"),
                    sim.port("rx_last"), null, sim.port("rx_user")), 4, 1.0);
            long start = sim.cycles("rxClk") + 5_000;
            List<byte[]> frames = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                byte[] f = new byte[60 + random.nextInt(1400)];
                random.nextBytes(f);
                frames.add(f);
                port.send(Ethernet.onWire(Ethernet.withFcs(f), Ethernet.PREAMBLE_LENGTH), start);
            }
            sim.step("rxClk", 4_000);
            assertEquals(0, port.framesStarted(), "nothing before the frames' edge");
            assertEquals(10, port.framesQueued());
            sim.step("rxClk", 30_000);
            assertEquals(10, port.framesStarted());
            List<StreamSink.Frame> got = sink.receive();
            assertEquals(frames.size(), got.size());
            long previousEnd = 0;
            for (int i = 0; i < got.size(); i++) {
                assertArrayEquals(frames.get(i), got.get(i).data(), "frame " + i);
                assertEquals(0, got.get(i).user(), "frame " + i + " is good");
                long wireBytes = 8 + frames.get(i).length + 4;
                if (i > 0) assertTrue(got.get(i).cycle() - previousEnd >= wireBytes + 12, "frame " + i + " came too soon");
                previousEnd = got.get(i).cycle();
            }
        }
    }
}

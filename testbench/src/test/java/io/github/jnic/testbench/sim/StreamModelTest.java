package io.github.jnic.testbench.sim;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Native stream source and sink through a Verilog FIFO, against the frames Java sent. */
class StreamModelTest {

    private static StreamSource.Pins in(Simulator sim) {
        return new StreamSource.Pins(sim.port("in_valid"), sim.port("in_ready"), sim.port("in_data"),
                sim.port("in_last"), sim.port("in_keep"), sim.port("in_user"));
    }

    private static StreamSource.Pins out(Simulator sim) {
        return new StreamSource.Pins(sim.port("out_valid"), sim.port("out_ready"), sim.port("out_data"),
                sim.port("out_last"), sim.port("out_keep"), sim.port("out_user"));
    }

    @Test
    void framesCrossTheFifoIntactUnderRandomBackPressure() {
        Random random = new Random(7);
        List<StreamSource.Frame> sent = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            byte[] data = new byte[1 + random.nextInt(i < 10 ? 8 : 300)];
            random.nextBytes(data);
            sent.add(new StreamSource.Frame(data, random.nextInt(2), random.nextInt(4)));
        }
        try (Simulator sim = Simulator.load(TestDesigns.fifo())) {
            sim.resetHigh("rst", "clk", 2);
            StreamSource source = new StreamSource(sim, "clk", in(sim), 11, 0.2);
            StreamSink sink = new StreamSink(sim, "clk", out(sim), 12, 0.6);
            source.send(sent.subList(0, 150));
            List<StreamSink.Frame> received = new ArrayList<>();
            long beats = 0;
            for (StreamSource.Frame f : sent) beats += (f.data().length + 3) / 4;
            sim.step("clk", 20_000);
            received.addAll(sink.receive());
            source.send(sent.subList(150, sent.size()));
            sim.runUntil(Condition.equalTo(sim.port("level"), 0), "clk", 1);  // a check that runUntil sees the FIFO level
            long cycles = 0;
            while (sink.framesReceived() < sent.size() && cycles < 400_000) {
                sim.step("clk", 10_000);
                cycles += 10_000;
                received.addAll(sink.receive());
            }
            assertEquals(sent.size(), received.size());
            long lastCycle = 0;
            for (int i = 0; i < sent.size(); i++) {
                assertArrayEquals(sent.get(i).data(), received.get(i).data(), "frame " + i);
                assertEquals(sent.get(i).user(), received.get(i).user(), "user of frame " + i);
                assertTrue(received.get(i).cycle() > lastCycle);
                lastCycle = received.get(i).cycle();
            }
            assertEquals(sent.size(), source.framesSent());
            assertEquals(0, source.framesPending());
            assertEquals(beats, source.beatsSent());
            assertEquals(beats, sink.beatsReceived());
            assertTrue(sink.receive().isEmpty());
        }
    }

    @Test
    void backPressureAndGapsReallyHappen() {
        try (Simulator sim = Simulator.load(TestDesigns.fifo())) {
            sim.resetHigh("rst", "clk", 2);
            StreamSource source = new StreamSource(sim, "clk", in(sim), 1, 0.0);
            StreamSink sink = new StreamSink(sim, "clk", out(sim), 2, 0.25);
            byte[] big = new byte[4 * 4000];
            new Random(3).nextBytes(big);
            source.send(big);
            // A sink ready a quarter of the time takes about 4 cycles a beat: the FIFO fills up.
            sim.step("clk", 2_000);
            assertEquals(16, sim.port("level").get());
            sim.step("clk", 20_000);
            List<StreamSink.Frame> got = sink.receive();
            assertEquals(1, got.size());
            assertArrayEquals(big, got.get(0).data());
            assertTrue(got.get(0).cycle() > 3 * 4000, "cycle " + got.get(0).cycle());
        }
    }

    @Test
    void idleCyclesBeforeAFrameAreHonoured() {
        try (Simulator sim = Simulator.load(TestDesigns.fifo())) {
            sim.resetHigh("rst", "clk", 2);
            StreamSource source = new StreamSource(sim, "clk", in(sim), 1, 0.0);
            StreamSink sink = new StreamSink(sim, "clk", out(sim), 2, 1.0);
            source.send(List.of(new StreamSource.Frame(new byte[] {1}, 0, 0), new StreamSource.Frame(new byte[] {2}, 0, 100)));
            sim.step("clk", 200);
            List<StreamSink.Frame> got = sink.receive();
            assertEquals(2, got.size());
            // one beat each; the second left the source 100 idle cycles plus one beat after the first
            assertEquals(101, got.get(1).cycle() - got.get(0).cycle());
        }
    }

    @Test
    void badConfigurationsAreRefused() {
        try (Simulator sim = Simulator.load(TestDesigns.fifo())) {
            StreamSource.Pins noKeep = new StreamSource.Pins(sim.port("in_valid"), sim.port("in_ready"),
                    sim.port("in_data"), sim.port("in_last"), null, null);
            SimulationException e = assertThrows(SimulationException.class, () -> new StreamSource(sim, "clk", noKeep, 1, 0));
            assertTrue(e.getMessage().contains("keep"), e.getMessage());
            StreamSource source = new StreamSource(sim, "clk", in(sim), 1, 0);
            assertThrows(IllegalArgumentException.class, () -> source.send(new byte[0]));
        }
    }
}

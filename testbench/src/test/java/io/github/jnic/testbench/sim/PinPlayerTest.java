package io.github.jnic.testbench.sim;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Pins played on one edge come back through the design's registers two edges later. */
class PinPlayerTest {

    @Test
    void playsAndRecordsOnRisingEdges() {
        Random random = new Random(5);
        try (Simulator sim = Simulator.load(TestDesigns.pins())) {
            PinPlayer pins = new PinPlayer(sim, "clk", PinPlayer.Edges.RISING,
                    List.of(sim.port("d"), sim.port("dv")), List.of(sim.port("q_sdr"), sim.port("qv_sdr")));
            int n = 50_000;
            long[][] played = new long[n][];
            for (int i = 0; i < n; i++) played[i] = new long[] {random.nextInt(16), random.nextInt(2)};
            pins.play(played);
            sim.step("clk", n + 10);
            long[][] recorded = pins.recorded();
            assertEquals(n + 10, recorded.length);
            // Driven after edge i, captured at edge i+1, seen by the recorder before edge i+2.
            for (int i = 0; i < n; i++) {
                assertEquals(played[i][0], recorded[i + 2][0], "d at " + i);
                assertEquals(played[i][1], recorded[i + 2][1], "dv at " + i);
            }
            assertEquals(n, pins.played());
            assertEquals(10, pins.underruns());
            // dry: the inputs held their last values
            assertEquals(played[n - 1][0], recorded[n + 9][0]);
        }
    }

    @Test
    void playsAndRecordsOnBothEdges() {
        Random random = new Random(6);
        try (Simulator sim = Simulator.load(TestDesigns.pins())) {
            PinPlayer pins = new PinPlayer(sim, "clk", PinPlayer.Edges.BOTH, List.of(sim.port("d")), List.of(sim.port("q_ddr")));
            long[] nibbles = new long[10_000];
            for (int i = 0; i < nibbles.length; i++) nibbles[i] = random.nextInt(16);
            pins.play(nibbles);
            sim.step("clk", nibbles.length / 2);
            long[][] recorded = pins.recorded();
            // the first edge rises, and the run stops right after the last rising edge
            assertEquals(nibbles.length - 1, recorded.length);
            for (int i = 0; i + 2 < recorded.length; i++) assertEquals(nibbles[i], recorded[i + 2][0], "edge " + i);
        }
    }

    @Test
    void refusesOutputsAsPlayedPinsAndValuesThatDoNotFit() {
        try (Simulator sim = Simulator.load(TestDesigns.pins())) {
            assertThrows(IllegalArgumentException.class,
                    () -> new PinPlayer(sim, "clk", PinPlayer.Edges.RISING, List.of(sim.port("q_sdr")), List.of()));
            PinPlayer pins = new PinPlayer(sim, "clk", PinPlayer.Edges.RISING, List.of(sim.port("d")), List.of());
            assertThrows(IllegalArgumentException.class, () -> pins.play(16));
        }
    }
}

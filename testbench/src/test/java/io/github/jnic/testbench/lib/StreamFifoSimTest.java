package io.github.jnic.testbench.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.jhdl.Hdl;
import io.github.jnic.jhdl.Verilog;
import io.github.jnic.jhdl.lib.Stream;
import io.github.jnic.jhdl.lib.StreamFifo;
import io.github.jnic.jhdl.lib.StreamStage;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import io.github.jnic.testbench.sim.Port;
import io.github.jnic.testbench.sim.Simulator;
import java.util.ArrayDeque;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Stream FIFOs and the pipeline stage, cycle by cycle under seeded random back-pressure on both
 * sides, against a Java queue: every beat comes out once, in order; count, full (in_ready) and
 * empty (out_valid) follow the queue.
 */
class StreamFifoSimTest {
    static final int CYCLES = 20_000;

    /** A beat in the model queue, with the cycle it went in. */
    record Beat(long value, long pushedAt) {}

    static VerilogDesign registerFifo, blockRamFifo, stage;

    @BeforeAll
    static void build() {
        registerFifo = LibChecks.checked(Verilog.emit(new StreamFifo<>(Stream.packets(Hdl.uint(8), 3), 5)));
        blockRamFifo = LibChecks.checked(Verilog.emit(new StreamFifo<>(Stream.packets(Hdl.uint(8), 3), 20)));
        stage = LibChecks.checked(Verilog.emit(new StreamStage<>(Stream.packets(Hdl.uint(8), 3))));
    }

    @Test
    void registerFifoUnderRandomBackPressure() {
        Result r = run(registerFifo, 5, 1, true, 1);
        assertTrue(r.full > 100 && r.empty > 100, r.toString());
    }

    @Test
    void blockRamFifoUnderRandomBackPressure() {
        Result r = run(blockRamFifo, 20, 2, false, 2);
        assertTrue(r.full > 100 && r.empty > 100, r.toString());
    }

    @Test
    void stageUnderRandomBackPressure() {
        run(stage, 2, 1, false, 3);
    }

    /** With ready held high, the FIFOs and the stage move one beat every clock: no bubble. */
    @Test
    void fullThroughputWithReadyHigh() {
        for (VerilogDesign d : new VerilogDesign[] {stage, blockRamFifo, registerFifo}) {
            try (Simulator sim = Simulator.load(d)) {
                sim.resetHigh("reset", "clk", 2);
                StreamPorts in = StreamPorts.of(sim, "in"), out = StreamPorts.of(sim, "out");
                long mask = StreamPorts.mask(in.beatWidth());
                out.ready().set(1);
                in.valid().set(1);
                long sent = 0, received = 0;
                int latency = -1;
                for (int cycle = 0; cycle < 1000; cycle++) {
                    in.drive(sent * 0x9E3779B97F4A7C15L >>> 20 & mask);
                    if (out.valid().isHigh()) {
                        assertEquals(received * 0x9E3779B97F4A7C15L >>> 20 & mask, out.beat(), d.top());
                        if (latency < 0) latency = cycle;
                        received++;
                    }
                    assertTrue(in.ready().isHigh(), d.top() + " stalled its input at cycle " + cycle);
                    sent++;
                    sim.step("clk", 1);
                }
                assertEquals(1000 - latency, received, d.top() + ": one beat a clock after the first");
                assertTrue(latency <= 2, d.top() + " latency " + latency);
            }
        }
    }

    record Result(long moved, long full, long empty) {}

    /**
     * Drives the design for {@link #CYCLES} cycles. {@code depth}: beats it holds; {@code latency}:
     * clocks from a push to the beat being visible at the output; {@code exactValid}: out_valid is
     * exactly "not empty".
     */
    static Result run(VerilogDesign d, int depth, int latency, boolean exactValid, long seed) {
        Random random = new Random(seed);
        try (Simulator sim = Simulator.load(d)) {
            sim.resetHigh("reset", "clk", 2);
            StreamPorts in = StreamPorts.of(sim, "in"), out = StreamPorts.of(sim, "out");
            Port count = d.ports().stream().anyMatch(p -> p.name().equals("count")) ? sim.port("count") : null;
            long beatMask = StreamPorts.mask(in.beatWidth());
            ArrayDeque<Beat> model = new ArrayDeque<>();
            Long offered = null;
            long moved = 0, full = 0, empty = 0;
            double pushChance = 0.5, popChance = 0.5;
            for (long cycle = 0; cycle < CYCLES; cycle++) {
                if (cycle % 1000 == 0) { // phases of heavy and light pressure reach both full and empty
                    pushChance = 0.1 + 0.9 * random.nextDouble();
                    popChance = 0.1 + 0.9 * random.nextDouble();
                }
                if (offered == null && random.nextDouble() < pushChance) offered = random.nextLong() & beatMask;
                in.valid().set(offered != null);
                if (offered != null) in.drive(offered);
                boolean ready = random.nextDouble() < popChance;
                out.ready().set(ready);

                String at = d.top() + " cycle " + cycle;
                if (count != null) assertEquals(model.size(), count.get(), at + ": count");
                if (count != null) assertEquals(model.size() < depth, in.ready().isHigh(), at + ": in_ready");
                boolean valid = out.valid().isHigh();
                if (exactValid) assertEquals(!model.isEmpty(), valid, at + ": out_valid");
                if (!model.isEmpty() && cycle - model.peek().pushedAt() >= latency) assertTrue(valid, at + ": out_valid late");
                if (valid) {
                    assertTrue(!model.isEmpty(), at + ": out_valid while empty");
                    assertEquals(model.peek().value(), out.beat(), at + ": beat");
                }
                if (model.size() == depth) full++;
                if (model.isEmpty()) empty++;
                if (valid && ready) {
                    model.pop();
                    moved++;
                }
                if (offered != null && in.ready().isHigh()) {
                    model.add(new Beat(offered, cycle));
                    offered = null;
                }
                sim.step("clk", 1);
            }
            assertTrue(moved > CYCLES / 5, "only " + moved + " beats moved");
            return new Result(moved, full, empty);
        }
    }
}

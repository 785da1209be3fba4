package io.github.jnic.testbench.tx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.Verilog;
import io.github.jnic.jhdl.lib.Stream;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import io.github.jnic.nic.stream.Beat;
import io.github.jnic.nic.stream.Downsizer;
import io.github.jnic.testbench.sim.Simulator;
import io.github.jnic.testbench.sim.StreamSink;
import io.github.jnic.testbench.sim.StreamSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The Downsizer between the harness's stream models: frames of every length byte-exact with their
 * user bits, under random gaps and back-pressure; and at full rate (beats always there, the byte
 * side always ready) not one clock without a byte inside a frame.
 */
class DownsizerTest {
    /** Downsizer(2) with a counter of clocks inside a frame with no byte offered. */
    static final class Bench extends Module {
        final Stream<Beat> in = input(Stream.packets(new Beat(), 2));
        final Stream<UInt> out = output(Stream.packets(uint(8), 2));
        final UInt gaps = output(uint(32));
        final Downsizer downsizer = new Downsizer(2);

        Bench() {
            in.connectTo(downsizer.in);
            downsizer.out.connectTo(out);
            Bool inFrame = reg(bool(), false);
            when(out.fire(), () -> inFrame.next(out.last.not()));
            UInt c = reg(uint(32), 0);
            when(inFrame.and(out.valid.not()), () -> c.next(c.plus(1)));
            gaps.assign(c);
        }
    }

    static final VerilogDesign DESIGN = Verilog.emit(new Bench());

    void run(long seed, double gap, double ready, boolean fullRate) {
        try (Simulator sim = Simulator.load(DESIGN)) {
            sim.resetHigh("reset", "clk", 2);
            StreamSource source = new StreamSource(sim, "clk", new StreamSource.Pins(sim.port("in_valid"), sim.port("in_ready"),
                    sim.port("in_payload_data"), sim.port("in_last"), sim.port("in_payload_keep"), sim.port("in_user")), seed, gap);
            StreamSink sink = new StreamSink(sim, "clk", StreamSource.Pins.named(sim, "out"), seed + 1, ready);
            Random random = new Random(seed);
            List<StreamSource.Frame> frames = new ArrayList<>();
            for (int length = 1; length <= 40; length++) frames.add(frame(random, length));
            for (int i = 0; i < 60; i++) frames.add(frame(random, 41 + random.nextInt(1500)));
            source.send(frames);
            sim.step("clk", 200_000);
            List<StreamSink.Frame> got = sink.receive();
            assertEquals(frames.size(), got.size(), "frames");
            for (int i = 0; i < frames.size(); i++) {
                assertArrayEquals(frames.get(i).data(), got.get(i).data(), "frame " + i);
                assertEquals(frames.get(i).user(), got.get(i).user(), "frame " + i + ": user");
            }
            if (fullRate) assertEquals(0, sim.port("gaps").get(), "clocks without a byte inside a frame");
        }
    }

    static StreamSource.Frame frame(Random random, int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        return new StreamSource.Frame(b, random.nextInt(4), 0);
    }

    @Test
    void framesPassByteExactUnderGapsAndBackPressure() {
        run(1, 0.3, 0.4, false);
    }

    @Test
    void atFullRateThereIsNoGapInsideAFrame() {
        run(2, 0, 1.0, true);
    }
}

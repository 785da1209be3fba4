package io.github.jnic.testbench.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.Verilog;
import io.github.jnic.jhdl.lib.Flow;
import io.github.jnic.jhdl.lib.Stream;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import io.github.jnic.testbench.sim.Simulator;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A stream taken as a {@link Flow} (always ready) and registered once: every beat, one clock later. */
class FlowSimTest {

    static class FlowStage extends Module {
        final Stream<UInt> in = input(Stream.packets(uint(8), 2));
        final Flow<UInt> out = output(Flow.packets(uint(8), 2));

        FlowStage() {
            in.toFlow().stage().connectTo(out);
        }
    }

    @Test
    void everyBeatOneClockLater() {
        VerilogDesign d = LibChecks.checked(Verilog.emit(new FlowStage()));
        Random random = new Random(19);
        try (Simulator sim = Simulator.load(d)) {
            sim.resetHigh("reset", "clk", 2);
            StreamPorts in = StreamPorts.of(sim, "in");
            boolean previousValid = false;
            long previousBeat = 0;
            for (int cycle = 0; cycle < 5000; cycle++) {
                boolean valid = random.nextBoolean();
                long beat = random.nextInt(1 << 11);
                in.valid().set(valid);
                in.drive(beat);
                assertEquals(1, in.ready().get(), "a flow is always ready");
                assertEquals(previousValid, sim.port("out_valid").isHigh(), "cycle " + cycle + ": valid");
                if (previousValid) {
                    assertEquals(previousBeat & 0xff, sim.port("out_payload").get(), "cycle " + cycle + ": payload");
                    assertEquals(previousBeat >> 8 & 1, sim.port("out_last").get(), "cycle " + cycle + ": last");
                    assertEquals(previousBeat >> 9, sim.port("out_user").get(), "cycle " + cycle + ": user");
                }
                previousValid = valid;
                previousBeat = beat;
                sim.step("clk", 1);
            }
        }
    }
}

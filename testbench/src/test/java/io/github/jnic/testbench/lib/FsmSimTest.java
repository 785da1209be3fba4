package io.github.jnic.testbench.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.jhdl.Verilog;
import io.github.jnic.jhdl.lib.examples.PacketGate;
import io.github.jnic.jhdl.lib.examples.PacketGate.Mode;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import io.github.jnic.testbench.sim.Simulator;
import java.util.ArrayDeque;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The FSM of {@link PacketGate}, cycle by cycle against a Java model of the same machine: state trace, beats, drop count. */
class FsmSimTest {

    @Test
    void stateTraceFollowsTheModel() {
        VerilogDesign d = LibChecks.checked(Verilog.emit(new PacketGate()));
        Random random = new Random(3);
        try (Simulator sim = Simulator.load(d)) {
            sim.resetHigh("reset", "clk", 2);
            StreamPorts in = StreamPorts.of(sim, "in"), out = StreamPorts.of(sim, "out");
            Mode state = Mode.IDLE;
            int dropped = 0, passed = 0, visits = 0;
            ArrayDeque<Long> packet = new ArrayDeque<>();
            boolean offering = false;
            for (int cycle = 0; cycle < 20_000; cycle++) {
                if (packet.isEmpty()) {
                    int length = 1 + random.nextInt(6);
                    for (int b = 0; b < length; b++) packet.add(random.nextInt(256) | (b == length - 1 ? 1L << 8 : 0));
                }
                if (!offering) offering = random.nextInt(4) != 0;
                boolean open = random.nextBoolean(), ready = random.nextInt(3) != 0;
                in.valid().set(offering);
                in.drive(packet.peek());
                sim.port("open").set(open);
                out.ready().set(ready);

                String at = "cycle " + cycle;
                assertEquals(state.ordinal(), sim.port("state").get(), at + ": state");
                assertEquals(dropped, sim.port("dropped").get(), at + ": dropped");
                boolean pass = state == Mode.PASS;
                assertEquals(offering && pass, out.valid().isHigh(), at + ": out_valid");
                boolean inReady = state == Mode.DROP || (pass && ready);
                assertEquals(inReady, in.ready().isHigh(), at + ": in_ready");
                if (out.valid().isHigh()) assertEquals(packet.peek(), out.beat(), at + ": beat");

                Mode next = state;
                boolean fire = offering && inReady;
                if (state == Mode.IDLE && offering) next = open ? Mode.PASS : Mode.DROP;
                if (fire) {
                    long beat = packet.pop();
                    offering = false;
                    if (pass) passed++;
                    if (in.isLast(beat)) next = Mode.IDLE;
                }
                if (next == Mode.DROP && state != Mode.DROP) dropped++;
                if (next != state) visits++;
                state = next;
                sim.step("clk", 1);
            }
            assertTrue(dropped > 500 && passed > 2000 && visits > 2000, dropped + " dropped, " + passed + " beats passed");
        }
    }
}

package io.github.jnic.testbench.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.jhdl.Hdl;
import io.github.jnic.jhdl.Verilog;
import io.github.jnic.jhdl.lib.Arbiter;
import io.github.jnic.jhdl.lib.Stream;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import io.github.jnic.testbench.sim.Simulator;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The round-robin arbiter with three packet streams, cycle by cycle: beats come out in order per
 * input and only from the granted one, packets never interleave, an offered beat stays until taken,
 * and each new packet goes to the first input offering one after the input served last.
 */
class ArbiterSimTest {
    static final int INPUTS = 3;

    @Test
    void packetsAreAtomicOrderedAndFair() {
        VerilogDesign d = LibChecks.checked(Verilog.emit(new Arbiter<>(Stream.packets(Hdl.uint(8)), INPUTS)));
        Random random = new Random(7);
        try (Simulator sim = Simulator.load(d)) {
            sim.resetHigh("reset", "clk", 2);
            List<StreamPorts> in = new ArrayList<>();
            for (int i = 0; i < INPUTS; i++) in.add(StreamPorts.of(sim, "inputs_" + i));
            StreamPorts out = StreamPorts.of(sim, "out");
            List<ArrayDeque<Long>> queued = new ArrayList<>();
            for (int i = 0; i < INPUTS; i++) queued.add(new ArrayDeque<>());
            boolean[] offering = new boolean[INPUTS];
            int[] sequence = new int[INPUTS];
            int current = -1; // input whose packet is on its way out
            int previousServed = INPUTS - 1;
            long previousOffer = -1;
            List<Integer> packetOrder = new ArrayList<>();
            long beats = 0;
            for (int cycle = 0; cycle < 30_000; cycle++) {
                boolean saturated = (cycle / 2000) % 2 == 1; // phases where every input always has data and out is always ready
                for (int i = 0; i < INPUTS; i++) {
                    if (queued.get(i).isEmpty()) { // a packet of 1 to 5 beats: input number and sequence in the payload
                        int length = 1 + random.nextInt(5);
                        for (int b = 0; b < length; b++) {
                            long payload = (long) i << 6 | (sequence[i]++ & 0x3f);
                            queued.get(i).add(payload | (b == length - 1 ? 1L << 8 : 0));
                        }
                    }
                    if (!offering[i]) offering[i] = saturated || random.nextInt(3) == 0;
                    in.get(i).valid().set(offering[i]);
                    in.get(i).drive(queued.get(i).peek());
                }
                boolean ready = saturated || random.nextBoolean();
                out.ready().set(ready);

                int grant = (int) sim.port("grant").get();
                String at = "cycle " + cycle;
                for (int i = 0; i < INPUTS; i++) assertEquals(ready && grant == i, in.get(i).ready().isHigh(), at + ": ready of input " + i);
                if (out.valid().isHigh()) {
                    assertTrue(offering[grant], at + ": valid without the granted input offering");
                    assertEquals(queued.get(grant).peek(), out.beat(), at + ": beat from input " + grant);
                    if (current >= 0) assertEquals(current, grant, at + ": another input inside a packet");
                    if (current < 0 && previousOffer < 0) assertEquals(nextInTurn(previousServed, offering), grant, at + ": out of turn");
                    if (previousOffer >= 0) assertEquals(previousOffer, out.beat(), at + ": offered beat changed before it was taken");
                    previousOffer = ready ? -1 : out.beat();
                    if (ready) {
                        long beat = queued.get(grant).pop();
                        offering[grant] = false;
                        beats++;
                        previousServed = grant;
                        if (current < 0) packetOrder.add(grant);
                        current = out.isLast(beat) ? -1 : grant;
                    }
                } else {
                    assertEquals(-1, previousOffer, at + ": an offered beat was withdrawn");
                    for (int i = 0; i < INPUTS; i++) assertTrue(!offering[i] || current >= 0, at + ": input " + i + " offers but nothing goes out");
                }
                sim.step("clk", 1);
            }
            assertTrue(beats > 15_000, "beats " + beats);
            assertTrue(packetOrder.size() > 5000, "packets " + packetOrder.size());
        }
    }

    /** The first offering input after {@code previous}, round-robin (previous itself last). */
    static int nextInTurn(int previous, boolean[] offering) {
        for (int k = 1; k <= INPUTS; k++) {
            int candidate = (previous + k) % INPUTS;
            if (offering[candidate]) return candidate;
        }
        throw new AssertionError("nobody offers");
    }
}

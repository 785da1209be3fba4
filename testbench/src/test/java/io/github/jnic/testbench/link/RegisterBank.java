package io.github.jnic.testbench.link;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jnic.testbench.sim.Simulator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A register bank on a design's AXI4-Lite master, played clock by clock: ready at random, answering
 * after a random wait, whole-word writes only; a register never written reads as its address times
 * 0x01010101. Every access it carries out is kept, in order, in {@link #seen}.
 */
final class RegisterBank {
    /** An access the register bank saw: {read, address, value}. */
    record Access(boolean read, long address, long value) {}

    final Map<Long, Long> bank = new HashMap<>();
    final List<Access> seen = new ArrayList<>();
    private final Simulator sim;
    private final String p;
    private final Random random;
    private long awAddress = -1, wData = -1, rValue;
    private int bDelay = -1, rDelay = -1;
    private boolean bTaken, rTaken;

    RegisterBank(Simulator sim, String prefix, long seed) {
        this.sim = sim;
        this.p = prefix + "_";
        this.random = new Random(seed);
    }

    /** Drives the port for the coming clock edge and takes what crosses on it. */
    void beforeEdge() {
        boolean awReady = random.nextInt(3) != 0, wReady = random.nextInt(3) != 0, arReady = random.nextInt(3) != 0;
        sim.port(p + "aw_ready").set(awReady && awAddress < 0 ? 1 : 0);
        sim.port(p + "w_ready").set(wReady && wData < 0 ? 1 : 0);
        sim.port(p + "ar_ready").set(arReady && rDelay < 0 ? 1 : 0);
        sim.port(p + "b_valid").set(bDelay == 0 ? 1 : 0);
        sim.port(p + "b_payload").set(0);
        sim.port(p + "r_valid").set(rDelay == 0 ? 1 : 0);
        sim.port(p + "r_payload_data").set(rValue);
        sim.port(p + "r_payload_resp").set(0);
        bTaken = bDelay == 0 && sim.port(p + "b_ready").get() != 0;
        rTaken = rDelay == 0 && sim.port(p + "r_ready").get() != 0;
        if (awReady && awAddress < 0 && sim.port(p + "aw_valid").get() != 0) awAddress = sim.port(p + "aw_payload").get();
        if (wReady && wData < 0 && sim.port(p + "w_valid").get() != 0) {
            wData = sim.port(p + "w_payload_data").get();
            assertEquals(0xF, sim.port(p + "w_payload_strb").get(), "whole-word writes");
        }
        if (arReady && rDelay < 0 && sim.port(p + "ar_valid").get() != 0) {
            long a = sim.port(p + "ar_payload").get();
            seen.add(new Access(true, a, 0));
            rValue = bank.getOrDefault(a, a * 0x01010101L & 0xFFFF_FFFFL);
            rDelay = 1 + random.nextInt(6);
        }
    }

    /** After the clock edge: the waits count down, a write whose address and data both came is done. */
    void afterEdge() {
        if (bTaken) bDelay = -1;
        else if (bDelay > 0) bDelay--;
        if (rTaken) rDelay = -1;
        else if (rDelay > 0) rDelay--;
        if (awAddress >= 0 && wData >= 0 && bDelay < 0) {
            seen.add(new Access(false, awAddress, wData));
            bank.put(awAddress, wData);
            awAddress = wData = -1;
            bDelay = 1 + random.nextInt(6);
        }
    }
}

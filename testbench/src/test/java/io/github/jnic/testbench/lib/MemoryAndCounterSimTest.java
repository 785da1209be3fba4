package io.github.jnic.testbench.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jnic.jhdl.Verilog;
import io.github.jnic.jhdl.examples.Counter;
import io.github.jnic.jhdl.examples.SimpleDualPortRam;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import io.github.jnic.testbench.sim.Simulator;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The basics the library is built on, against Java models: a block RAM read and written at random, and a counter. */
class MemoryAndCounterSimTest {

    /** Writes and registered reads at random addresses; a read of the word being written gives the old word. */
    @Test
    void ramReadWrite() {
        VerilogDesign d = LibChecks.checked(Verilog.emit(new SimpleDualPortRam(16, 256)));
        Random random = new Random(13);
        long[] model = new long[256];
        try (Simulator sim = Simulator.load(d)) {
            for (int cycle = 0; cycle < 20_000; cycle++) {
                boolean write = random.nextBoolean();
                int wa = random.nextInt(256), ra = random.nextInt(8) == 0 ? wa : random.nextInt(256);
                long wd = random.nextInt(1 << 16);
                sim.port("writeEnable").set(write);
                sim.port("writeAddress").set(wa);
                sim.port("writeData").set(wd);
                sim.port("readAddress").set(ra);
                long readNow = model[ra]; // read before this edge's write
                if (write) model[wa] = wd;
                sim.step("clk", 1);
                assertEquals(readNow, sim.port("readData").get(), "cycle " + cycle + ": word " + ra);
            }
        }
    }

    @Test
    void counterWrapsAndFlagsTheWrap() {
        VerilogDesign d = LibChecks.checked(Verilog.emit(new Counter(6)));
        Random random = new Random(17);
        try (Simulator sim = Simulator.load(d)) {
            sim.resetHigh("reset", "clk", 2);
            long count = 0;
            for (int cycle = 0; cycle < 5000; cycle++) {
                boolean enable = random.nextInt(4) != 0;
                sim.port("enable").set(enable);
                assertEquals(count, sim.port("count").get(), "cycle " + cycle);
                assertEquals(enable && count == 63, sim.port("wrapped").isHigh(), "cycle " + cycle + ": wrapped");
                if (enable) count = (count + 1) & 63;
                sim.step("clk", 1);
            }
        }
    }
}

package io.github.jnic.testbench.sim;

import io.github.jnic.jhdl.verilog.VerilogDesign;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every way a simulation can fail ends in a Java exception, and the JVM goes on. */
class FailureTest {

    private static HaltedException haltAt10(int mode, StringBuilder output) {
        try (Simulator sim = Simulator.load(TestDesigns.widths(), SimOptions.defaults().output(output::append))) {
            sim.resetHigh("rst", "clk", 1);
            sim.port("en").set(1);
            sim.port("halt").set(mode);
            HaltedException e = assertThrows(HaltedException.class, () -> sim.step("clk", 100));
            // The count reached 10 at the edge before the one that halted; the design stays readable.
            assertEquals(11, sim.port("count").get());
            assertThrows(HaltedException.class, () -> sim.step("clk", 1), "a halted design does not run again");
            return e;
        }
    }

    @Test
    void finishEndsTheRunWithAnException() {
        HaltedException e = haltAt10(1, new StringBuilder());
        assertEquals(HaltedException.Reason.FINISH, e.reason());
        assertTrue(e.getMessage().contains("$finish at") && e.getMessage().contains("widths.v"), e.getMessage());
        assertEquals(5_000 + 11 * 10_000, e.timePs());
    }

    @Test
    void stopGivesItsPlace() {
        HaltedException e = haltAt10(2, new StringBuilder());
        assertEquals(HaltedException.Reason.STOP, e.reason());
        assertTrue(e.getMessage().contains("$stop at") && e.getMessage().contains("widths.v"), e.getMessage());
    }

    @Test
    void fatalGivesItsMessage() {
        StringBuilder out = new StringBuilder();
        HaltedException e = haltAt10(3, out);
        assertEquals(HaltedException.Reason.FATAL, e.reason());
        assertTrue(e.getMessage().contains("count reached 10"), e.getMessage());
        assertTrue(out.toString().contains("Assertion failed"), out.toString());
        // and the JVM lives on: a fresh instance runs
        try (Simulator sim = Simulator.load(TestDesigns.widths())) {
            sim.step("clk", 3);
            assertEquals(3, sim.cycles("clk"));
        }
    }

    @Test
    void verilogErrorsAreReportedWithVerilatorsFirstErrors() {
        VerilogDesign broken = TestDesigns.of("broken", "module broken(input wire a, output wire y);\n"
                + "  assign y = a &;\nendmodule\n", "in a 1", "out y 1");
        BuildException e = assertThrows(BuildException.class, () -> Simulator.load(broken));
        assertTrue(e.getMessage().contains("%Error") && e.getMessage().contains("broken.v:2"), e.getMessage());
    }

    @Test
    void cppErrorsAreReportedWithTheCompilersFirstErrors() {
        // The port list claims a port the Verilog lacks: the generated C++ cannot compile.
        VerilogDesign mismatched = TestDesigns.of("mismatched", "module mismatched(input wire a, output wire y);\n"
                + "  assign y = a;\nendmodule\n", "in a 1", "out y 1", "out ghost 1");
        BuildException e = assertThrows(BuildException.class, () -> Simulator.load(mismatched));
        assertTrue(e.getMessage().contains("error:") && e.getMessage().contains("ghost"), e.getMessage());
    }

    @Test
    void aMissingVerilatorNamesItsPackage(@TempDir Path emptyBin) {
        SimOptions noTools = SimOptions.defaults().searchPath(emptyBin.toString());
        BuildException e = assertThrows(BuildException.class, () -> Simulator.load(TestDesigns.widths(), noTools));
        assertTrue(e.getMessage().contains("'verilator' was not found") && e.getMessage().contains("apt-get install verilator"),
                e.getMessage());
        try (Simulator sim = Simulator.load(TestDesigns.widths())) {
            sim.step("clk", 1);
        }
    }
}

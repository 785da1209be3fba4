package io.github.jnic.jhdl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.jhdl.examples.Crc32;
import io.github.jnic.jhdl.examples.GrayCrossing;
import io.github.jnic.jhdl.examples.MultiplyAccumulate;
import io.github.jnic.jhdl.examples.PatternDetector;
import io.github.jnic.jhdl.examples.PllBlinky;
import io.github.jnic.jhdl.examples.Rom;
import io.github.jnic.jhdl.examples.SimpleDualPortRam;
import io.github.jnic.jhdl.examples.TrueDualPortRam;
import io.github.jnic.jhdl.flow.Yosys;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import org.junit.jupiter.api.Test;

/** The example designs: lint-clean, synthesizable without latches, and mapped as intended. */
class ExamplesTest {

    static VerilogDesign clean(Module top) {
        VerilogDesign d = Verilog.emit(top);
        Tools.lintClean(d);
        return d;
    }

    @Test
    void crc32() {
        VerilogDesign d = clean(new Crc32(8));
        String v = d.files().get("Crc32.v");
        // the named expression keeps its name, computed only on the clocks that take a byte
        assertTrue(v.contains("end else if (valid) begin : next_scope\n        reg  [31:0] next;\n        next = {"), v);
        Yosys.Result r = Tools.synthClean(d, Yosys.Target.ICE40);
        assertEquals(32, r.flipFlops(), r.cells()::toString);
    }

    @Test
    void simpleDualPortRamIsOneIce40BlockRam() {
        VerilogDesign d = clean(new SimpleDualPortRam(16, 256));
        assertEquals(1, Tools.synthClean(d, Yosys.Target.ICE40).blockRams());
        assertEquals(1, Tools.synthClean(d, Yosys.Target.ECP5).blockRams());
    }

    @Test
    void trueDualPortRamIsOneEcp5BlockRam() {
        VerilogDesign d = clean(new TrueDualPortRam(16, 1024));
        assertEquals(2, d.ports().stream().filter(VerilogDesign.Port::clock).count());
        assertEquals(1, Tools.synthClean(d, Yosys.Target.ECP5).blockRams());
    }

    @Test
    void romFromAJavaArrayIsABlockRam() {
        VerilogDesign d = clean(new Rom(32, Rom.crc32Table()));
        String v = d.files().get("Rom.v");
        assertTrue(v.contains("table_[1] = 32'h77073096;"), v);
        assertTrue(Tools.synthClean(d, Yosys.Target.ICE40).blockRams() >= 2);
    }

    @Test
    void stateNamesAppearAsLocalparams() {
        VerilogDesign d = clean(new PatternDetector());
        String v = d.files().get("PatternDetector.v");
        assertTrue(v.contains("localparam [2:0] GOT_101 = 3'd3;"), v);
        assertTrue(v.contains("GOT_101: begin"), v);
        Tools.synthClean(d, Yosys.Target.ICE40);
    }

    @Test
    void grayCodeCrossingBetweenTwoDomains() {
        VerilogDesign d = clean(new GrayCrossing(6));
        String v = d.files().get("GrayCrossing.v");
        assertTrue(v.contains("always @(posedge rx_clk)"), v);
        Tools.synthClean(d, Yosys.Target.ICE40);
    }

    @Test
    void signedArithmetic() {
        VerilogDesign d = clean(new MultiplyAccumulate(8, 20));
        Tools.synthClean(d, Yosys.Target.ECP5);
    }

    @Test
    void blackBoxWithParametersAndSimulationModel() {
        VerilogDesign d = clean(new PllBlinky(24));
        assertEquals(1, d.simulationModels().size());
        String v = d.files().get("PllBlinky.v");
        assertTrue(v.contains(".DIVF(7'h3f)"), v);
        assertTrue(v.contains("always @(posedge pll_PLLOUTGLOBAL)"), v);
        Yosys.Result r = Tools.synthClean(d, Yosys.Target.ICE40);
        assertEquals(1, r.cells().get("SB_PLL40_CORE"), r.cells()::toString);
    }
}

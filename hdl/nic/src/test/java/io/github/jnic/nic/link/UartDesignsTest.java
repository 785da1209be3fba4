package io.github.jnic.nic.link;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.jhdl.flow.Yosys;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import io.github.jnic.nic.DesignChecks;
import org.junit.jupiter.api.Test;

/**
 * The UART host link's blocks as top modules (1 Mbaud at 12 MHz: 12 clocks a bit): lint-clean under
 * verilator -Wall, synthesizable for iCE40 and ECP5 without latches or warnings; the figures go
 * into docs/boards.md and docs/benchmarks.md.
 */
class UartDesignsTest {

    @Test
    void uartLink() {
        VerilogDesign design = DesignChecks.lintClean(() -> new UartLink(12));
        Yosys.Result ice40 = DesignChecks.synth(design, Yosys.Target.ICE40);
        assertTrue(ice40.blockRams() >= 1, ice40.cells()::toString);
        System.out.println("UartLink iCE40: " + ice40.luts() + " LUT4, " + ice40.flipFlops() + " FF, " + ice40.blockRams() + " RAM " + ice40.cells());
        Yosys.Result ecp5 = DesignChecks.synth(design, Yosys.Target.ECP5);
        System.out.println("UartLink ECP5: " + ecp5.luts() + " LUT4, " + ecp5.flipFlops() + " FF, " + ecp5.blockRams() + " RAM " + ecp5.cells());
    }

    @Test
    void uartBridge() {
        VerilogDesign design = DesignChecks.lintClean(() -> new UartBridge(12, 125_000, 2));
        Yosys.Result ice40 = DesignChecks.synth(design, Yosys.Target.ICE40);
        assertTrue(ice40.blockRams() >= 1, ice40.cells()::toString);
        System.out.println("UartBridge iCE40: " + ice40.luts() + " LUT4, " + ice40.flipFlops() + " FF, " + ice40.blockRams() + " RAM " + ice40.cells());
        Yosys.Result ecp5 = DesignChecks.synth(design, Yosys.Target.ECP5);
        System.out.println("UartBridge ECP5: " + ecp5.luts() + " LUT4, " + ecp5.flipFlops() + " FF, " + ecp5.blockRams() + " RAM " + ecp5.cells());
    }
}

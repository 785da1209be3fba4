package io.github.jnic.nic.link;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.jhdl.flow.Yosys;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import io.github.jnic.nic.DesignChecks;
import org.junit.jupiter.api.Test;

/** The host-link bridge's blocks as top modules: lint-clean under verilator -Wall, synthesizable for ECP5 and iCE40 without latches or warnings. */
class LinkDesignsTest {

    @Test
    void linkReceiver() {
        VerilogDesign design = DesignChecks.lintClean(LinkReceiver::new);
        Yosys.Result ecp5 = DesignChecks.synth(design, Yosys.Target.ECP5);
        assertTrue(ecp5.luts() > 50, ecp5.cells()::toString);
        DesignChecks.synth(design, Yosys.Target.ICE40);
    }

    @Test
    void linkSender() {
        // the board's window: 8 messages of up to 478 data bytes, in block RAM
        VerilogDesign design = DesignChecks.lintClean(() -> new LinkSender(8, 64, 3_000));
        Yosys.Result ecp5 = DesignChecks.synth(design, Yosys.Target.ECP5);
        assertTrue(ecp5.blockRams() >= 1, ecp5.cells()::toString);
        DesignChecks.synth(design, Yosys.Target.ICE40);
    }

    @Test
    void linkBridge() {
        Yosys.Result ecp5 = DesignChecks.synth(DesignChecks.lintClean(() -> new LinkBridge(125_000, 2)), Yosys.Target.ECP5);
        assertTrue(ecp5.blockRams() >= 1, ecp5.cells()::toString);
    }
}

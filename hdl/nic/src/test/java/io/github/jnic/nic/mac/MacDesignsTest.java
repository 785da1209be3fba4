package io.github.jnic.nic.mac;

import static io.github.jnic.nic.DesignChecks.lintClean;
import static io.github.jnic.nic.DesignChecks.synth;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.jhdl.Verilog;
import io.github.jnic.jhdl.flow.Yosys;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import io.github.jnic.nic.mdio.MdioMaster;
import io.github.jnic.nic.mdio.PhyMonitor;
import io.github.jnic.nic.phy.DdrVendor;
import org.junit.jupiter.api.Test;

/** Every MAC top and its parts: lint-clean under verilator -Wall, synthesizable for iCE40 and ECP5 without latches. */
class MacDesignsTest {

    @Test
    void gmiiMac() {
        VerilogDesign d = lintClean(GmiiMac::new);
        assertTrue(d.files().containsKey("MacTx.v") && d.files().containsKey("MacRx.v"), () -> d.files().keySet().toString());
        Yosys.Result ecp5 = synth(d, Yosys.Target.ECP5);
        assertTrue(ecp5.luts() > 100, ecp5.cells()::toString);
    }

    @Test
    void miiMac() {
        synth(lintClean(MiiMac::new), Yosys.Target.ICE40);
    }

    @Test
    void rmiiMac() {
        synth(lintClean(RmiiMac::new), Yosys.Target.ICE40);
    }

    @Test
    void rgmiiMacOnEachVendorsDdrCells() {
        lintClean(() -> new RgmiiMac(DdrVendor.GENERIC));
        // SB_IO is an inout cell yosys knows; it has no simulation model to lint against, so the iCE40
        // variant is checked by synthesis only
        VerilogDesign ice40Design = Verilog.emit(new RgmiiMac(DdrVendor.ICE40));
        Yosys.Result ice40 = synth(ice40Design, Yosys.Target.ICE40);
        assertEquals(11, ice40.cells().get("SB_IO"), ice40.cells()::toString);
        Yosys.Result ecp5 = synth(lintClean(() -> new RgmiiMac(DdrVendor.ECP5)), Yosys.Target.ECP5);
        assertEquals(6, ecp5.cells().get("ODDRX1F"), ecp5.cells()::toString);
        assertEquals(5, ecp5.cells().get("IDDRX1F"), ecp5.cells()::toString);
        // built for 10/100 as well: the same DDR cells, the nibble logic beside them
        Yosys.Result all = synth(lintClean(() -> new RgmiiMac(DdrVendor.ECP5, true)), Yosys.Target.ECP5);
        assertEquals(6, all.cells().get("ODDRX1F"), all.cells()::toString);
        assertEquals(5, all.cells().get("IDDRX1F"), all.cells()::toString);
    }

    @Test
    void rmiiEchoBoardTop() {
        Yosys.Result r = synth(lintClean(() -> new RmiiEcho(32)), Yosys.Target.ICE40);
        assertTrue(r.luts() < 5280, "fits an UP5K: " + r.cells());
    }

    @Test
    void mdioMaster() {
        VerilogDesign d = lintClean(() -> new MdioMaster(20));
        synth(d, Yosys.Target.ICE40);
    }

    @Test
    void phyMonitor() {
        VerilogDesign d = lintClean(() -> new PhyMonitor(25, 1_250_000));
        synth(d, Yosys.Target.ECP5);
    }
}

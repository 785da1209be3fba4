package io.github.jnic.boards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.Verilog;
import io.github.jnic.jhdl.flow.VerilatorLint;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import org.junit.jupiter.api.Test;

/**
 * PLL settings against the vendors' formulas, restated here from the documents (ECP5: FPGA-TN-02200
 * sysCLOCK; iCE40: TN1251 / icepll) rather than taken from the classes under test.
 */
class PllTest {

    /** ECP5, CLKOP feedback: CLKOP = f_in / CLKI_DIV * CLKFB_DIV, VCO = CLKOP * CLKOP_DIV, CLKOS = VCO / CLKOS_DIV. */
    @Test
    void ecp5Gives125And62p5FromTheBoards25MHz() {
        Ecp5Pll.Config c = Ecp5Pll.configure(25, 125, 62.5);
        assertEquals(1, c.clkiDiv());
        assertEquals(5, c.clkfbDiv());
        assertEquals(5, c.clkopDiv());
        assertEquals(10, c.clkosDiv());
        double op = 25.0 / c.clkiDiv() * c.clkfbDiv();
        double vco = op * c.clkopDiv();
        assertEquals(125.0, op, 1e-9);
        assertEquals(625.0, vco, 1e-9);
        assertEquals(62.5, vco / c.clkosDiv(), 1e-9);
        assertTrue(vco >= 400 && vco <= 800, "VCO " + vco);
    }

    @Test
    void ecp5SettingsStayInTheDatasheetRangesForOtherFrequencies() {
        double[][] wanted = {{25, 100, 50}, {25, 50, 25}, {12, 48, 24}, {100, 125, 62.5}, {25, 200, 40}};
        for (double[] w : wanted) {
            Ecp5Pll.Config c = Ecp5Pll.configure(w[0], w[1], w[2]);
            double pfd = w[0] / c.clkiDiv(), op = pfd * c.clkfbDiv(), vco = op * c.clkopDiv(), os = vco / c.clkosDiv();
            assertTrue(pfd >= 3.125 && pfd <= 400, c.describe());
            assertTrue(vco >= 400 && vco <= 800, c.describe());
            assertTrue(op >= 3.125 && op <= 400 && os >= 3.125 && os <= 400, c.describe());
            assertEquals(w[1], op, w[1] * 1e-3, c.describe());
            assertEquals(w[2], os, w[2] * 1e-3, c.describe());
        }
    }

    @Test
    void impossibleEcp5RequestsAreRefusedWithTheClosestSetting() {
        // 450 MHz is above every output's 400 MHz limit; 5 MHz is below the input's 8 MHz
        assertThrows(IllegalArgumentException.class, () -> Ecp5Pll.configure(25, 450, 62.5));
        assertThrows(IllegalArgumentException.class, () -> Ecp5Pll.configure(5, 125, 62.5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ecp5Pll.configure(25, 125, 61));
        assertTrue(e.getMessage().contains("closest"), e.getMessage());
    }

    /** iCE40 simple feedback: f_out = f_in * (DIVF + 1) / ((DIVR + 1) * 2^DIVQ). */
    @Test
    void ice40MatchesIcepllsKnownSettings() {
        // icepll -i 12 -o 48: DIVR 0, DIVF 63, DIVQ 4, FILTER_RANGE 1 (the iCEBreaker's usual 48 MHz)
        Ice40Pll.Config c48 = Ice40Pll.configure(12, 48);
        assertEquals(0, c48.divr());
        assertEquals(63, c48.divf());
        assertEquals(4, c48.divq());
        assertEquals(1, c48.filterRange());
        // icepll -i 12 -o 25: 25.125 MHz (DIVF 66, DIVQ 5): with a 12 MHz PFD no setting is exact
        Ice40Pll.Config c25 = Ice40Pll.configure(12, 25);
        assertEquals(0, c25.divr());
        assertEquals(66, c25.divf());
        assertEquals(5, c25.divq());
        double out = 12.0 * (c25.divf() + 1) / ((c25.divr() + 1) * (1 << c25.divq()));
        assertEquals(25.125, out, 1e-9);
        double vco = 12.0 * (c25.divf() + 1) / (c25.divr() + 1);
        assertTrue(vco >= 533 && vco <= 1066, "VCO " + vco);
        assertThrows(IllegalArgumentException.class, () -> Ice40Pll.configure(12, 300));
        assertThrows(IllegalArgumentException.class, () -> Ice40Pll.configure(12, 10)); // below the 16 MHz output minimum
    }

    @Test
    void blackBoxesCarryTheirParametersAndLint() {
        VerilogDesign ecp5 = Verilog.emit(new PllOnly(true));
        String text = ecp5.files().get("PllOnly.v");
        for (String p : new String[] {".CLKI_DIV(1)", ".CLKFB_DIV(5)", ".CLKOP_DIV(5)", ".CLKOS_DIV(10)", ".CLKOP_CPHASE(4)", ".CLKOS_CPHASE(9)",
                ".FEEDBK_PATH(\"CLKOP\")", "(* FREQUENCY_PIN_CLKI = \"25\" *)", "(* FREQUENCY_PIN_CLKOS = \"62.5\" *)", "(* ICP_CURRENT = \"12\" *)"}) {
            assertTrue(text.contains(p), p + " in\n" + text);
        }
        VerilatorLint.requireClean(ecp5);
        VerilogDesign ice40 = Verilog.emit(new PllOnly(false));
        String t = ice40.files().get("PllOnly.v");
        for (String p : new String[] {"SB_PLL40_PAD", ".DIVR(4'h0)", ".DIVF(7'h42)", ".DIVQ(3'h5)", ".FILTER_RANGE(3'h1)"}) {
            assertTrue(t.contains(p), p + " in\n" + t);
        }
        VerilatorLint.requireClean(ice40);
    }

    static class PllOnly extends Module {
        final Bool clk = input(bool());
        final Bool out = output(bool());
        final Bool locked = output(bool());

        PllOnly(boolean ecp5) {
            if (ecp5) {
                Ecp5Pll pll = new Ecp5Pll(Ecp5Pll.configure(25, 125, 62.5)).named("pll");
                pll.clockIn.assign(clk);
                pll.feedback.assign(pll.primary);
                pll.reset.assign(false);
                pll.standby.assign(false);
                out.assign(pll.secondary);
                locked.assign(pll.locked);
            } else {
                Ice40Pll pll = new Ice40Pll(Ice40Pll.configure(12, 25), true).named("pll");
                pll.clockIn.assign(clk);
                pll.resetN.assign(true);
                pll.bypass.assign(false);
                out.assign(pll.output);
                locked.assign(pll.locked);
            }
        }
    }
}

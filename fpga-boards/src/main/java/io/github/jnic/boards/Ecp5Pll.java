package io.github.jnic.boards;

import io.github.jnic.jhdl.BlackBox;
import io.github.jnic.jhdl.Bool;
import java.util.Locale;

/**
 * The ECP5 EHXPLLL with two outputs, fed back from CLKOP (FEEDBK_PATH "CLKOP"). Its dividers come
 * from {@link #configure}, which applies the datasheet's formulas (FPGA-TN-02200, ECP5 sysCLOCK):
 * f_PFD = f_CLKI / CLKI_DIV, f_CLKOP = f_PFD * CLKFB_DIV, f_VCO = f_CLKOP * CLKOP_DIV and
 * f_CLKOS = f_VCO / CLKOS_DIV, within the ranges below.
 */
public class Ecp5Pll extends BlackBox {
    public static final double INPUT_MIN = 8, INPUT_MAX = 400;
    public static final double PFD_MIN = 3.125, PFD_MAX = 400;
    public static final double VCO_MIN = 400, VCO_MAX = 800;
    public static final double OUTPUT_MIN = 3.125, OUTPUT_MAX = 400;
    /** How far from the wanted frequencies a configuration may land (relative). */
    public static final double TOLERANCE = 1e-3;

    public final Bool clockIn = input(bool()).named("CLKI");
    public final Bool feedback = input(bool()).named("CLKFB");
    public final Bool reset = input(bool()).named("RST");
    public final Bool standby = input(bool()).named("STDBY");
    public final Bool primary = output(bool()).named("CLKOP");
    public final Bool secondary = output(bool()).named("CLKOS");
    public final Bool locked = output(bool()).named("LOCK");

    /** Dividers of one configuration and the frequencies they give (MHz). */
    public record Config(double inputMHz, int clkiDiv, int clkfbDiv, int clkopDiv, int clkosDiv) {
        public double pfdMHz() {
            return inputMHz / clkiDiv;
        }

        public double primaryMHz() {
            return pfdMHz() * clkfbDiv;
        }

        public double vcoMHz() {
            return primaryMHz() * clkopDiv;
        }

        public double secondaryMHz() {
            return vcoMHz() / clkosDiv;
        }

        public String describe() {
            return String.format(Locale.ROOT, "%.4g MHz / %d (PFD %.4g) x %d -> CLKOP %.4g MHz, VCO %.4g MHz / %d -> CLKOS %.4g MHz",
                    inputMHz, clkiDiv, pfdMHz(), clkfbDiv, primaryMHz(), vcoMHz(), clkosDiv, secondaryMHz());
        }
    }

    /**
     * The dividers that give {@code primaryMHz} on CLKOP and {@code secondaryMHz} on CLKOS from
     * {@code inputMHz}: the closest within every range; among equals, the VCO farthest from its limits.
     *
     * @throws IllegalArgumentException if no configuration is within {@link #TOLERANCE} of both
     */
    public static Config configure(double inputMHz, double primaryMHz, double secondaryMHz) {
        if (inputMHz < INPUT_MIN || inputMHz > INPUT_MAX) throw new IllegalArgumentException("ECP5 PLL input " + inputMHz + " MHz is outside 8-400 MHz");
        Config best = null;
        double bestError = Double.MAX_VALUE;
        for (int clki = 1; clki <= 128; clki++) {
            double pfd = inputMHz / clki;
            if (pfd < PFD_MIN || pfd > PFD_MAX) continue;
            for (int fb = 1; fb <= 80; fb++) {
                double op = pfd * fb;
                if (op < OUTPUT_MIN || op > OUTPUT_MAX) continue;
                for (int opDiv = 1; opDiv <= 128; opDiv++) {
                    double vco = op * opDiv;
                    if (vco < VCO_MIN || vco > VCO_MAX) continue;
                    int osDiv = (int) Math.max(1, Math.min(128, Math.round(vco / secondaryMHz)));
                    double os = vco / osDiv;
                    if (os < OUTPUT_MIN || os > OUTPUT_MAX) continue;
                    double error = Math.max(Math.abs(op - primaryMHz) / primaryMHz, Math.abs(os - secondaryMHz) / secondaryMHz);
                    Config c = new Config(inputMHz, clki, fb, opDiv, osDiv);
                    if (error < bestError - 1e-12 || (Math.abs(error - bestError) <= 1e-12 && margin(c) > margin(best))) {
                        best = c;
                        bestError = error;
                    }
                }
            }
        }
        if (best == null || bestError > TOLERANCE) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "no ECP5 PLL setting gives %.4g and %.4g MHz from %.4g MHz%s",
                    primaryMHz, secondaryMHz, inputMHz, best == null ? "" : " (closest: " + best.describe() + ")"));
        }
        return best;
    }

    private static double margin(Config c) {
        return Math.min(c.vcoMHz() - VCO_MIN, VCO_MAX - c.vcoMHz());
    }

    public final Config config;

    public Ecp5Pll(Config c) {
        super("EHXPLLL");
        config = c;
        parameter("PLLRST_ENA", "DISABLED");
        parameter("INTFB_WAKE", "DISABLED");
        parameter("STDBY_ENABLE", "DISABLED");
        parameter("DPHASE_SOURCE", "DISABLED");
        parameter("OUTDIVIDER_MUXA", "DIVA");
        parameter("OUTDIVIDER_MUXB", "DIVB");
        parameter("CLKOP_ENABLE", "ENABLED");
        parameter("CLKOS_ENABLE", "ENABLED");
        parameter("CLKI_DIV", c.clkiDiv());
        parameter("CLKFB_DIV", c.clkfbDiv());
        parameter("CLKOP_DIV", c.clkopDiv());
        // a coarse phase of DIV - 1 steps is the zero-phase setting (as Lattice's tools emit it)
        parameter("CLKOP_CPHASE", c.clkopDiv() - 1);
        parameter("CLKOP_FPHASE", 0);
        parameter("CLKOS_DIV", c.clkosDiv());
        parameter("CLKOS_CPHASE", c.clkosDiv() - 1);
        parameter("CLKOS_FPHASE", 0);
        parameter("FEEDBK_PATH", "CLKOP");
        attribute("FREQUENCY_PIN_CLKI", mhz(c.inputMHz()));
        attribute("FREQUENCY_PIN_CLKOP", mhz(c.primaryMHz()));
        attribute("FREQUENCY_PIN_CLKOS", mhz(c.secondaryMHz()));
        // the loop filter Lattice's tools choose for these dividers' range
        attribute("ICP_CURRENT", "12");
        attribute("LPF_RESISTOR", "8");
        attribute("MFG_ENABLE_FILTEROPAMP", "1");
        attribute("MFG_GMCREF_SEL", "2");
        simulationModel("""
                // Ports of the ECP5 EHXPLLL for lint only: not a model of the PLL (CLKOP and CLKOS follow CLKI).
                /* verilator lint_off UNUSEDSIGNAL */
                /* verilator lint_off UNUSEDPARAM */
                module EHXPLLL #(
                  parameter PLLRST_ENA = "", INTFB_WAKE = "", STDBY_ENABLE = "", DPHASE_SOURCE = "",
                  parameter OUTDIVIDER_MUXA = "", OUTDIVIDER_MUXB = "", CLKOP_ENABLE = "", CLKOS_ENABLE = "",
                  parameter CLKI_DIV = 1, CLKFB_DIV = 1, CLKOP_DIV = 1, CLKOP_CPHASE = 0, CLKOP_FPHASE = 0,
                  parameter CLKOS_DIV = 1, CLKOS_CPHASE = 0, CLKOS_FPHASE = 0, FEEDBK_PATH = ""
                ) (input wire CLKI, input wire CLKFB, input wire RST, input wire STDBY,
                   output wire CLKOP, output wire CLKOS, output wire LOCK);
                  assign CLKOP = CLKI;
                  assign CLKOS = CLKI;
                  assign LOCK = 1'b1;
                endmodule
                /* verilator lint_on UNUSEDPARAM */
                /* verilator lint_on UNUSEDSIGNAL */
                """);
    }

    private static String mhz(double f) {
        String s = String.format(Locale.ROOT, "%.6f", f);
        return s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}

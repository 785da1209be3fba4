package io.github.jnic.boards;

import io.github.jnic.jhdl.BlackBox;
import io.github.jnic.jhdl.Bool;
import java.util.Locale;

/**
 * The iCE40 PLL in simple feedback mode, fed by its package pin (SB_PLL40_PAD) or by a clock net
 * (SB_PLL40_CORE). Its dividers come from {@link #configure}, with the formulas of Lattice's iCE40
 * sysCLOCK PLL guide (TN1251): f_PFD = f_IN / (DIVR + 1), f_VCO = f_PFD * (DIVF + 1),
 * f_OUT = f_VCO / 2^DIVQ, within the ranges below; FILTER_RANGE follows f_PFD.
 */
public class Ice40Pll extends BlackBox {
    public static final double INPUT_MIN = 10, INPUT_MAX = 133;
    public static final double PFD_MIN = 10, PFD_MAX = 133;
    public static final double VCO_MIN = 533, VCO_MAX = 1066;
    public static final double OUTPUT_MIN = 16, OUTPUT_MAX = 275;
    public static final double TOLERANCE = 1e-2;

    /** PACKAGEPIN for the pad variant, REFERENCECLK for the core one. */
    public final Bool clockIn;
    public final Bool resetN = input(bool()).named("RESETB");
    public final Bool bypass = input(bool()).named("BYPASS");
    public final Bool output = output(bool()).named("PLLOUTGLOBAL");
    public final Bool locked = output(bool()).named("LOCK");

    public record Config(double inputMHz, int divr, int divf, int divq) {
        public double pfdMHz() {
            return inputMHz / (divr + 1);
        }

        public double vcoMHz() {
            return pfdMHz() * (divf + 1);
        }

        public double outputMHz() {
            return vcoMHz() / (1 << divq);
        }

        /** The loop filter setting for this PFD frequency (the table icepll uses). */
        public int filterRange() {
            double pfd = pfdMHz();
            return pfd < 17 ? 1 : pfd < 26 ? 2 : pfd < 44 ? 3 : pfd < 66 ? 4 : pfd < 101 ? 5 : 6;
        }

        public String describe() {
            return String.format(Locale.ROOT, "%.4g MHz / %d (PFD %.4g) x %d -> VCO %.4g MHz / %d -> %.4g MHz",
                    inputMHz, divr + 1, pfdMHz(), divf + 1, vcoMHz(), 1 << divq, outputMHz());
        }
    }

    /**
     * The dividers closest to {@code outputMHz} from {@code inputMHz} with every frequency in range.
     *
     * @throws IllegalArgumentException if none is within {@link #TOLERANCE}
     */
    public static Config configure(double inputMHz, double outputMHz) {
        if (inputMHz < INPUT_MIN || inputMHz > INPUT_MAX) throw new IllegalArgumentException("iCE40 PLL input " + inputMHz + " MHz is outside 10-133 MHz");
        Config best = null;
        double bestError = Double.MAX_VALUE;
        for (int divr = 0; divr <= 15; divr++) {
            for (int divf = 0; divf <= 127; divf++) {
                for (int divq = 1; divq <= 6; divq++) {
                    Config c = new Config(inputMHz, divr, divf, divq);
                    if (c.pfdMHz() < PFD_MIN || c.pfdMHz() > PFD_MAX || c.vcoMHz() < VCO_MIN || c.vcoMHz() > VCO_MAX
                            || c.outputMHz() < OUTPUT_MIN || c.outputMHz() > OUTPUT_MAX) continue;
                    double error = Math.abs(c.outputMHz() - outputMHz) / outputMHz;
                    if (error < bestError - 1e-12) {
                        best = c;
                        bestError = error;
                    }
                }
            }
        }
        if (best == null || bestError > TOLERANCE) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "no iCE40 PLL setting gives %.4g MHz from %.4g MHz%s",
                    outputMHz, inputMHz, best == null ? "" : " (closest: " + best.describe() + ")"));
        }
        return best;
    }

    public final Config config;

    /** {@code pad}: SB_PLL40_PAD, its input straight from the package pin (which must be the PLL's pin). */
    public Ice40Pll(Config c, boolean pad) {
        super(pad ? "SB_PLL40_PAD" : "SB_PLL40_CORE");
        config = c;
        clockIn = input(bool()).named(pad ? "PACKAGEPIN" : "REFERENCECLK");
        parameter("FEEDBACK_PATH", "SIMPLE");
        parameter("DIVR", B(4, c.divr()));
        parameter("DIVF", B(7, c.divf()));
        parameter("DIVQ", B(3, c.divq()));
        parameter("FILTER_RANGE", B(3, c.filterRange()));
        String name = pad ? "SB_PLL40_PAD" : "SB_PLL40_CORE";
        String in = pad ? "PACKAGEPIN" : "REFERENCECLK";
        simulationModel("""
                // Ports of the iCE40 %s for lint only: not a model of the PLL (the output follows the input).
                /* verilator lint_off UNUSEDSIGNAL */
                /* verilator lint_off UNUSEDPARAM */
                module %s #(
                  parameter FEEDBACK_PATH = "", parameter [3:0] DIVR = 0, parameter [6:0] DIVF = 0,
                  parameter [2:0] DIVQ = 0, parameter [2:0] FILTER_RANGE = 0
                ) (input wire %s, input wire RESETB, input wire BYPASS, output wire PLLOUTGLOBAL, output wire LOCK);
                  assign PLLOUTGLOBAL = %s;
                  assign LOCK = 1'b1;
                endmodule
                /* verilator lint_on UNUSEDPARAM */
                /* verilator lint_on UNUSEDSIGNAL */
                """.formatted(name, name, in, in));
    }
}

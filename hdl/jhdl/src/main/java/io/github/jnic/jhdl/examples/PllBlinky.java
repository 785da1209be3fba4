package io.github.jnic.jhdl.examples;

import io.github.jnic.jhdl.BlackBox;
import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.ClockDomain;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;

/**
 * A black box (the iCE40 PLL) whose output clocks an internal clock domain; a counter in that
 * domain blinks {@code led}. In simulation the PLL model passes the reference clock through.
 */
public class PllBlinky extends Module {
    /** SB_PLL40_CORE with the parameters of a 12 MHz to 48 MHz PLL. */
    public static class Pll extends BlackBox {
        public final Bool referenceClock = input(bool()).named("REFERENCECLK");
        public final Bool resetB = input(bool()).named("RESETB");
        public final Bool bypass = input(bool()).named("BYPASS");
        public final Bool clockOut = output(bool()).named("PLLOUTGLOBAL");
        public final Bool lock = output(bool()).named("LOCK");

        public Pll() {
            super("SB_PLL40_CORE");
            parameter("FEEDBACK_PATH", "SIMPLE");
            parameter("DIVR", B(4, 0));
            parameter("DIVF", B(7, 63));
            parameter("DIVQ", B(3, 4));
            parameter("FILTER_RANGE", B(3, 1));
            simulationModel("""
                    // Simulation model: the output clock is the reference clock; lock follows reset.
                    /* verilator lint_off UNUSED */
                    module SB_PLL40_CORE #(
                      parameter FEEDBACK_PATH = "SIMPLE",
                      parameter [3:0] DIVR = 4'd0,
                      parameter [6:0] DIVF = 7'd0,
                      parameter [2:0] DIVQ = 3'd0,
                      parameter [2:0] FILTER_RANGE = 3'd0
                    ) (
                      input  wire REFERENCECLK,
                      input  wire RESETB,
                      input  wire BYPASS,
                      output wire PLLOUTGLOBAL,
                      output wire LOCK
                    );
                      assign PLLOUTGLOBAL = REFERENCECLK;
                      assign LOCK = RESETB;
                      wire _unused = &{1'b0, BYPASS, 1'b0};
                    endmodule
                    /* verilator lint_on UNUSED */
                    """);
        }
    }

    public final Bool clk12 = input(bool());
    public final Bool led = output(bool());
    final Pll pll = new Pll();

    public PllBlinky(int counterWidth) {
        pll.referenceClock.assign(clk12);
        pll.resetB.assign(true);
        pll.bypass.assign(false);
        ClockDomain fast = ClockDomain.internal("clk_48m", pll.clockOut).withSyncReset("pll_reset", pll.lock.not());
        withDomain(fast, () -> {
            UInt counter = reg(uint(counterWidth), 0).named("counter");
            counter.next(counter.plus(1));
            led.assign(counter.msb());
        });
    }
}

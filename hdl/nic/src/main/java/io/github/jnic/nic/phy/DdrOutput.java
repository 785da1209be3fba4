package io.github.jnic.nic.phy;

import io.github.jnic.jhdl.BlackBox;
import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.ClockDomain;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;

/**
 * Double-data-rate output pins: {@code d0} and {@code d1}, taken on a rising edge of {@code clock},
 * drive {@code q} during the high and then the low half of the following clock period. Build it in
 * the clock domain of {@code clock}.
 */
public class DdrOutput extends Module {
    public final Bool clock = input(bool());
    public final UInt d0, d1;
    public final UInt q;

    public DdrOutput(int width, DdrVendor vendor) {
        d0 = input(uint(width));
        d1 = input(uint(width));
        q = output(uint(width));
        switch (vendor) {
            case GENERIC -> generic(width);
            case ICE40 -> cells(width, i -> {
                SbIoDdrOut io = new SbIoDdrOut().named("io_" + i);
                io.clock.assign(clock);
                io.d0.assign(d0.bit(i));
                io.d1.assign(d1.bit(i));
                return io.pin;
            });
            case ECP5 -> cells(width, i -> {
                Oddrx1f io = new Oddrx1f().named("oddr_" + i);
                io.clock.assign(clock);
                io.reset.assign(false);
                io.d0.assign(d0.bit(i));
                io.d1.assign(d1.bit(i));
                return io.q;
            });
        }
    }

    /**
     * Registers on the rising edge are in the current clock domain, which must be clocked by
     * {@code clock}; the falling-edge register samples one of them half a period later (same clock,
     * so it is marked as allowed to read across the two edges).
     */
    private void generic(int width) {
        UInt rising = reg(uint(width)).named("rising");
        UInt fallingEarly = reg(uint(width)).named("fallingEarly");
        rising.next(d0);
        fallingEarly.next(d1);
        withDomain(ClockDomain.internal("clockInverted", clock.not().named("clockInverted")), () -> {
            UInt falling = reg(uint(width)).named("falling");
            falling.markSynchronizer();
            falling.next(fallingEarly);
            q.assign(mux(clock, rising, falling));
        });
    }

    private void cells(int width, java.util.function.IntFunction<Bool> cell) {
        Bool[] bits = new Bool[width];
        for (int i = 0; i < width; i++) bits[width - 1 - i] = cell.apply(i);
        q.assign(cat(bits).asUInt());
    }

    /**
     * iCE40 SB_IO as a DDR output (PIN_TYPE 0100_01: DDR output, plain input). It has no simulation
     * model here: yosys knows the cell, and simulation uses the generic cells.
     */
    public static class SbIoDdrOut extends BlackBox {
        public final Bool pin = output(bool()).named("PACKAGE_PIN");
        public final Bool clock = input(bool()).named("OUTPUT_CLK");
        public final Bool d0 = input(bool()).named("D_OUT_0");
        public final Bool d1 = input(bool()).named("D_OUT_1");

        public SbIoDdrOut() {
            super("SB_IO");
            parameter("PIN_TYPE", B(6, 0b010001));
        }
    }

    /** ECP5 ODDRX1F. */
    public static class Oddrx1f extends BlackBox {
        public final Bool d0 = input(bool()).named("D0");
        public final Bool d1 = input(bool()).named("D1");
        public final Bool clock = input(bool()).named("SCLK");
        public final Bool reset = input(bool()).named("RST");
        public final Bool q = output(bool()).named("Q");

        public Oddrx1f() {
            super("ODDRX1F");
            simulationModel("""
                    // Simulation model of the ECP5 ODDRX1F: D0 in the high half, D1 in the low half.
                    module ODDRX1F (input wire D0, input wire D1, input wire SCLK, input wire RST, output wire Q);
                      reg r0 = 1'b0, r1 = 1'b0, f1 = 1'b0;
                      always @(posedge SCLK) begin r0 <= RST ? 1'b0 : D0; r1 <= RST ? 1'b0 : D1; end
                      always @(negedge SCLK) f1 <= r1;
                      assign Q = SCLK ? r0 : f1;
                    endmodule
                    """);
        }
    }
}

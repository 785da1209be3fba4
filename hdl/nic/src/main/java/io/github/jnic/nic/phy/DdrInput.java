package io.github.jnic.nic.phy;

import io.github.jnic.jhdl.BlackBox;
import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.ClockDomain;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;

/**
 * Double-data-rate input pins: after each rising edge of {@code clock}, {@code q0} holds what
 * {@code d} carried at the rising edge before it and {@code q1} what it carried at the falling
 * edge in between — one clock period's pair, in order. Build it in the clock domain of {@code clock}.
 */
public class DdrInput extends Module {
    public final Bool clock = input(bool());
    public final UInt d;
    public final UInt q0, q1;

    public DdrInput(int width, DdrVendor vendor) {
        d = input(uint(width));
        q0 = output(uint(width));
        q1 = output(uint(width));
        switch (vendor) {
            case GENERIC -> generic(width);
            case ICE40 -> {
                Bool[] b0 = new Bool[width], b1 = new Bool[width];
                for (int i = 0; i < width; i++) {
                    SbIoDdrIn io = new SbIoDdrIn().named("io_" + i);
                    io.clock.assign(clock);
                    io.pin.assign(d.bit(i));
                    b0[width - 1 - i] = io.q0;
                    b1[width - 1 - i] = io.q1;
                }
                q0.assign(cat(b0).asUInt());
                q1.assign(cat(b1).asUInt());
            }
            case ECP5 -> {
                Bool[] b0 = new Bool[width], b1 = new Bool[width];
                for (int i = 0; i < width; i++) {
                    Iddrx1f io = new Iddrx1f().named("iddr_" + i);
                    io.clock.assign(clock);
                    io.reset.assign(false);
                    io.d.assign(d.bit(i));
                    b0[width - 1 - i] = io.q0;
                    b1[width - 1 - i] = io.q1;
                }
                q0.assign(cat(b0).asUInt());
                q1.assign(cat(b1).asUInt());
            }
        }
    }

    /**
     * Registers on the rising edge are in the current clock domain, which must be clocked by
     * {@code clock}; the one that takes the falling-edge sample half a period later is marked as
     * allowed to read across the two edges of the same clock.
     */
    private void generic(int width) {
        UInt[] atFall = new UInt[1];
        withDomain(ClockDomain.internal("clockInverted", clock.not().named("clockInverted")), () -> {
            atFall[0] = reg(uint(width)).named("falling");
            atFall[0].next(d);
        });
        UInt atRise = reg(uint(width)).named("rising");
        UInt out0 = reg(uint(width)).named("out0");
        UInt out1 = reg(uint(width)).named("out1");
        out1.markSynchronizer();
        atRise.next(d);
        out0.next(atRise);
        out1.next(atFall[0]);
        q0.assign(out0);
        q1.assign(out1);
    }

    /** iCE40 SB_IO as a DDR input (PIN_TYPE 0000_00: no output, DDR input); no simulation model, as for the output. */
    public static class SbIoDdrIn extends BlackBox {
        public final Bool pin = input(bool()).named("PACKAGE_PIN");
        public final Bool clock = input(bool()).named("INPUT_CLK");
        public final Bool q0 = output(bool()).named("D_IN_0");
        public final Bool q1 = output(bool()).named("D_IN_1");

        public SbIoDdrIn() {
            super("SB_IO");
            parameter("PIN_TYPE", B(6, 0b000000));
        }
    }

    /** ECP5 IDDRX1F. */
    public static class Iddrx1f extends BlackBox {
        public final Bool d = input(bool()).named("D");
        public final Bool clock = input(bool()).named("SCLK");
        public final Bool reset = input(bool()).named("RST");
        public final Bool q0 = output(bool()).named("Q0");
        public final Bool q1 = output(bool()).named("Q1");

        public Iddrx1f() {
            super("IDDRX1F");
            simulationModel("""
                    // Simulation model of the ECP5 IDDRX1F: Q0 from the rising edge, Q1 from the falling edge after it.
                    module IDDRX1F (input wire D, input wire SCLK, input wire RST, output reg Q0, output reg Q1);
                      reg rise = 1'b0, fall = 1'b0;
                      always @(posedge SCLK) begin rise <= D; Q0 <= RST ? 1'b0 : rise; Q1 <= RST ? 1'b0 : fall; end
                      always @(negedge SCLK) fall <= D;
                    endmodule
                    """);
        }
    }
}

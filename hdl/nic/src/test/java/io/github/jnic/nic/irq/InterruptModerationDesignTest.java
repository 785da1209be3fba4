package io.github.jnic.nic.irq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.jhdl.Verilog;
import io.github.jnic.nic.DesignChecks;
import io.github.jnic.jhdl.flow.Yosys;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The moderation block is lint-clean under verilator -Wall and synthesizes without latches; its tick constants are exact. */
class InterruptModerationDesignTest {

    @Test
    void lintCleanAndSynthesizable() {
        VerilogDesign d = Verilog.emit(new InterruptModeration(62_500_000L));
        assertTrue(d.files().containsKey("DelayTimer.v") && d.files().containsKey("TickGenerator.v"), () -> d.files().keySet().toString());
        DesignChecks.lintClean(d);
        for (Yosys.Target target : List.of(Yosys.Target.ICE40, Yosys.Target.ECP5)) {
            Yosys.Result r = DesignChecks.synth(d, target);
            assertTrue(r.flipFlops() > 100, r.cells()::toString);
        }
    }

    @Test
    void tickConstantsAreTheClockRatioInLowestTerms() {
        // 125 MHz: 32 cycles per 256 ns; 62.5 MHz: 16; 50 MHz: 12.8 = 64 / 5
        assertTick(125_000_000L, 256, 1, 32);
        assertTick(62_500_000L, 256, 1, 16);
        assertTick(50_000_000L, 256, 5, 64);
        assertTick(50_000_000L, 1024, 5, 256);
        assertTick(125_000_000L, 1024, 1, 128);
        assertThrows(IllegalArgumentException.class, () -> Verilog.emit(new TickGenerator(1_000_000L, 256)));
    }

    private static void assertTick(long hz, long ns, long increment, long modulus) {
        TickGenerator[] t = new TickGenerator[1];
        Verilog.emit(new io.github.jnic.jhdl.Module() {
            {
                t[0] = new TickGenerator(hz, ns);
                t[0].restart.assign(false);
            }
        });
        assertEquals(increment, t[0].increment, hz + " Hz, " + ns + " ns");
        assertEquals(modulus, t[0].modulus, hz + " Hz, " + ns + " ns");
    }
}

package io.github.jnic.boards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.jhdl.Verilog;
import io.github.jnic.jhdl.flow.VerilatorLint;
import io.github.jnic.jhdl.flow.Yosys;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import org.junit.jupiter.api.Test;

/**
 * The iCEBreaker's card top ({@link CardUartBringUp}): lint-clean under verilator -Wall, and what
 * yosys {@code synth_ice40} makes of it against the UP5K (5 280 logic cells, 30 SB_RAM40_4K): it does
 * not fit, and the test says by how much (docs/boards.md records the figures).
 */
class CardUartBringUpTest {
    static final int UP5K_CELLS = 5_280, UP5K_BRAM = 30;

    @Test
    void lintsCleanAndSynthesizesForTheUp5kWhichItDoesNotFit() {
        VerilogDesign design = Verilog.emit(new CardUartBringUp(Boards.ICEBREAKER_PHY));
        VerilatorLint.requireClean(design);
        Yosys.Result r = Yosys.synth(design, Yosys.Target.ICE40);
        assertTrue(r.latches().isEmpty(), r.latches()::toString);
        assertEquals(1, r.cells().getOrDefault("SB_PLL40_PAD", 0), r.cells()::toString);
        System.out.printf("CardUartBringUp, yosys synth_ice40: %,d SB_LUT4 (%.0f %% of the UP5K's %,d cells), %,d SB_CARRY, %,d flip-flops,"
                        + " %d SB_RAM40_4K (of %d)%n", r.luts(), 100.0 * r.luts() / UP5K_CELLS, UP5K_CELLS, r.cells().getOrDefault("SB_CARRY", 0),
                r.flipFlops(), r.blockRams(), UP5K_BRAM);
        assertTrue(r.luts() > UP5K_CELLS && r.blockRams() > UP5K_BRAM, "the card and the bridge do not fit the UP5K: " + r.cells());
    }
}

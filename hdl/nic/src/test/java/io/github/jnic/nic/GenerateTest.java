package io.github.jnic.nic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.jnic.jhdl.BlackBox;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.Verilog;
import io.github.jnic.jhdl.flow.VerilatorLint;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every design ./nic generate knows is emitted and lint-clean; the command writes one file per module. */
class GenerateTest {

    /** Designs with vendor cells that have no simulation model cannot be linted: they are only emitted. */
    @Test
    void everyRegisteredDesignEmitsAndIsLintClean() {
        assumeTrue(onPath("verilator"), "verilator is not installed (./nic test installs it); skipping");
        int linted = 0;
        for (var e : Generate.DESIGNS.entrySet()) {
            Module top = e.getValue().top().get();
            VerilogDesign d = Verilog.emit(top);
            assertTrue(d.files().containsKey(d.top() + ".v"), e.getKey());
            if (vendorCellsWithoutModel(top)) {
                System.out.println(e.getKey() + ": vendor cells without simulation model, not linted");
                continue;
            }
            assertEquals(List.of(), VerilatorLint.lint(d), e.getKey());
            linted++;
        }
        assertTrue(linted >= 9, "the jhdl examples at least");
    }

    private static boolean vendorCellsWithoutModel(Module m) {
        if (m instanceof BlackBox b && !b.hasSimulationModel()) return true;
        for (Module c : m.children()) if (vendorCellsWithoutModel(c)) return true;
        return false;
    }

    @Test
    void writesTheFilesOfANamedDesign(@TempDir Path dir) throws Exception {
        assertEquals(0, Generate.run(new String[] {"pll-blinky", "-o", dir.toString()}));
        assertTrue(Files.readString(dir.resolve("PllBlinky.v")).contains("module PllBlinky ("));
        assertTrue(Files.exists(dir.resolve("sim/SB_PLL40_CORE.v")));
        assertEquals(2, Generate.run(new String[] {"no-such-design"}));
        assertEquals(0, Generate.run(new String[] {"--list"}));
    }

    private static boolean onPath(String command) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(d, command).canExecute()) return true;
        }
        return false;
    }
}

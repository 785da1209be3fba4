package io.github.jnic.jhdl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.jnic.jhdl.flow.VerilatorLint;
import io.github.jnic.jhdl.flow.Yosys;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import java.io.File;
import java.util.List;

/** Lint and synthesis checks shared by the tests; they skip, saying why, where a tool is missing. */
public final class Tools {
    private Tools() {}

    public static boolean installed(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(dir, command).canExecute()) return true;
        }
        return false;
    }

    public static void requireTool(String command) {
        assumeTrue(installed(command), command + " is not installed (./nic test installs it); skipping this check");
    }

    /** verilator --lint-only -Wall reports nothing. */
    public static void lintClean(VerilogDesign d) {
        requireTool("verilator");
        VerilatorLint.requireClean(d);
    }

    /** yosys synthesizes for iCE40 without latches or warnings; returns the result. */
    public static Yosys.Result synthClean(VerilogDesign d, Yosys.Target target) {
        requireTool("yosys");
        Yosys.Result r = Yosys.synth(d, target);
        assertEquals(List.of(), r.latches(), "latches");
        assertEquals(List.of(), r.warnings(), "yosys warnings");
        return r;
    }
}

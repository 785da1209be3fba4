package io.github.jnic.testbench.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.jnic.jhdl.flow.VerilatorLint;
import io.github.jnic.jhdl.flow.Yosys;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import java.io.File;
import java.util.List;

/** Every design simulated here is also lint-clean and synthesizable for iCE40 without latches or warnings. */
final class LibChecks {
    private LibChecks() {}

    static VerilogDesign checked(VerilogDesign d) {
        assumeTrue(installed("yosys"), "yosys is not installed (./nic test installs it)");
        VerilatorLint.requireClean(d);
        Yosys.Result r = Yosys.synth(d, Yosys.Target.ICE40);
        assertEquals(List.of(), r.latches(), d.top() + ": latches");
        assertEquals(List.of(), r.warnings(), d.top() + ": yosys warnings");
        return d;
    }

    private static boolean installed(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(dir, command).canExecute()) return true;
        }
        return false;
    }
}

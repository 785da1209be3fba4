package io.github.jnic.nic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.Verilog;
import io.github.jnic.jhdl.flow.VerilatorLint;
import io.github.jnic.jhdl.flow.Yosys;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import java.io.File;
import java.util.List;
import java.util.function.Supplier;

/** The lint and synthesis checks every block of the card passes; they skip, saying why, where a tool is missing. */
public final class DesignChecks {
    private DesignChecks() {}

    static boolean installed(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(dir, command).canExecute()) return true;
        }
        return false;
    }

    /** Emits {@code top} and checks that {@code verilator --lint-only -Wall} reports nothing. */
    public static VerilogDesign lintClean(Supplier<Module> top) {
        return lintClean(Verilog.emit(top.get()));
    }

    public static VerilogDesign lintClean(VerilogDesign d) {
        assumeTrue(installed("verilator"), "verilator is not installed (./nic test installs it); skipping lint");
        VerilatorLint.requireClean(d);
        return d;
    }

    /** Synthesizes {@code d} for {@code target} and checks for no latch and no warning. */
    public static Yosys.Result synth(VerilogDesign d, Yosys.Target target) {
        assumeTrue(installed("yosys"), "yosys is not installed (./nic test installs it); skipping synthesis");
        Yosys.Result r = Yosys.synth(d, target);
        assertEquals(List.of(), r.latches(), "latches");
        assertEquals(List.of(), r.warnings(), "yosys warnings");
        return r;
    }
}

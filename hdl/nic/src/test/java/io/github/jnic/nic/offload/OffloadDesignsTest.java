package io.github.jnic.nic.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.Verilog;
import io.github.jnic.jhdl.flow.VerilatorLint;
import io.github.jnic.jhdl.flow.Yosys;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import java.io.File;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The offload engines as top modules: lint-clean under verilator -Wall, synthesizable for ECP5 without latches or warnings. */
class OffloadDesignsTest {

    static boolean installed(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(dir, command).canExecute()) return true;
        }
        return false;
    }

    static Yosys.Result checked(Supplier<Module> top) {
        VerilogDesign d = Verilog.emit(top.get());
        assumeTrue(installed("verilator") && installed("yosys"), "verilator or yosys is not installed (./nic test installs them)");
        VerilatorLint.requireClean(d);
        Yosys.Result r = Yosys.synth(d, Yosys.Target.ECP5);
        assertEquals(List.of(), r.latches(), "latches");
        assertEquals(List.of(), r.warnings(), "yosys warnings");
        return r;
    }

    @Test
    void rxChecksum() {
        Yosys.Result r = checked(() -> new RxChecksum(1));
        assertTrue(r.luts() > 100, r.cells()::toString);
    }

    @Test
    void bytePacker() {
        checked(BytePacker::new);
    }

    @Test
    void txChecksum() {
        checked(TxChecksum::new);
    }

    @Test
    void txOffload() {
        Yosys.Result r = checked(TxOffload::new);
        assertTrue(r.luts() > 100, r.cells()::toString);
    }
}

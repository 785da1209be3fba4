package io.github.jnic.nic.rx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.Verilog;
import io.github.jnic.jhdl.flow.VerilatorLint;
import io.github.jnic.jhdl.flow.Yosys;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import io.github.jnic.nic.dma.RxDma;
import io.github.jnic.nic.stream.Upsizer;
import java.io.File;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The receive path's blocks: lint-clean under verilator -Wall, synthesizable for ECP5 and iCE40 without latches. */
class RxDesignsTest {

    static boolean installed(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(dir, command).canExecute()) return true;
        }
        return false;
    }

    static VerilogDesign lintClean(Supplier<Module> top) {
        VerilogDesign d = Verilog.emit(top.get());
        assumeTrue(installed("verilator"), "verilator is not installed (./nic test installs it); skipping lint");
        VerilatorLint.requireClean(d);
        return d;
    }

    static Yosys.Result synth(VerilogDesign d, Yosys.Target target) {
        assumeTrue(installed("yosys"), "yosys is not installed (./nic test installs it); skipping synthesis");
        Yosys.Result r = Yosys.synth(d, target);
        assertEquals(List.of(), r.latches(), "latches");
        assertEquals(List.of(), r.warnings(), "yosys warnings");
        return r;
    }

    @Test
    void upsizer() {
        synth(lintClean(() -> new Upsizer(1)), Yosys.Target.ICE40);
    }

    @Test
    void filter() {
        Yosys.Result r = synth(lintClean(RxFilter::new), Yosys.Target.ECP5);
        assertTrue(r.cells().getOrDefault("DP16KD", 0) + r.cells().getOrDefault("PDPW16KD", 0) >= 1, () -> "the multicast table in block RAM: " + r.cells());
    }

    @Test
    void frameBufferInBlockRam() {
        Yosys.Result r = synth(lintClean(() -> new RxFrameBuffer(2048, 32)), Yosys.Target.ECP5);
        assertTrue(r.cells().getOrDefault("DP16KD", 0) + r.cells().getOrDefault("PDPW16KD", 0) >= 8, () -> "16 KiB of frames in block RAM: " + r.cells());
        synth(lintClean(() -> new RxFrameBuffer(256, 8)), Yosys.Target.ICE40);
    }

    @Test
    void dma() {
        Yosys.Result r = synth(lintClean(RxDma::new), Yosys.Target.ECP5);
        assertTrue(r.luts() > 100, r.cells()::toString);
    }
}

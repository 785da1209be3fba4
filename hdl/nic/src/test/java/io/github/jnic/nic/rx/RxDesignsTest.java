package io.github.jnic.nic.rx;

import static io.github.jnic.nic.DesignChecks.lintClean;
import static io.github.jnic.nic.DesignChecks.synth;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.jhdl.flow.Yosys;
import io.github.jnic.nic.dma.RxDma;
import io.github.jnic.nic.stream.Upsizer;
import org.junit.jupiter.api.Test;

/** The receive path's blocks: lint-clean under verilator -Wall, synthesizable for ECP5 and iCE40 without latches. */
class RxDesignsTest {

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

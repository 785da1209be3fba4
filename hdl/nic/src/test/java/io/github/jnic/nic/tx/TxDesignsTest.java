package io.github.jnic.nic.tx;

import static io.github.jnic.nic.DesignChecks.lintClean;
import static io.github.jnic.nic.DesignChecks.synth;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.jhdl.flow.Yosys;
import io.github.jnic.nic.dma.TxDma;
import io.github.jnic.nic.stream.Downsizer;
import org.junit.jupiter.api.Test;

/** The transmit path's blocks: lint-clean under verilator -Wall, synthesizable without latches. */
class TxDesignsTest {

    @Test
    void downsizer() {
        synth(lintClean(() -> new Downsizer(1)), Yosys.Target.ICE40);
    }

    @Test
    void frameBufferInBlockRam() {
        Yosys.Result r = synth(lintClean(() -> new TxFrameBuffer(2048, 16)), Yosys.Target.ECP5);
        assertTrue(r.cells().getOrDefault("DP16KD", 0) + r.cells().getOrDefault("PDPW16KD", 0) >= 8, () -> "16 KiB of frames in block RAM: " + r.cells());
    }

    @Test
    void dma() {
        lintClean(TxDma::new);
    }
}

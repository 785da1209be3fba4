package io.github.jnic.nic.tx;

import static io.github.jnic.nic.DesignChecks.lintClean;
import static io.github.jnic.nic.DesignChecks.synth;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.lib.Stream;
import io.github.jnic.jhdl.lib.axi.Axi4;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.flow.Yosys;
import io.github.jnic.nic.dma.TxDma;
import io.github.jnic.nic.offload.Patch;
import io.github.jnic.nic.offload.TxCommand;
import io.github.jnic.nic.stream.Downsizer;
import org.junit.jupiter.api.Test;

/**
 * The transmit path's blocks: each lint-clean under verilator -Wall; synthesized once together for
 * ECP5 without latches (TxOffload between them has its own checks), the frame buffer in block RAM.
 */
class TxDesignsTest {

    /** TxDma's frames straight into the frame buffer (its patches from outside), then the Downsizer. */
    static final class TxPath extends Module {
        final TxDma dma = new TxDma();
        final TxFrameBuffer buffer = new TxFrameBuffer(2048, 16);
        final Downsizer downsizer = new Downsizer(0);
        final Axi4 axi = output(new Axi4(4, 64, 64));
        final Stream<TxCommand> cmd = output(Stream.of(new TxCommand()));
        final Stream<Patch> patches = input(Stream.packets(new Patch()));
        final Stream<UInt> out = output(Stream.packets(uint(8)));

        TxPath() {
            dma.enable.assign(input(bool()).named("enable"));
            dma.cardReset.assign(input(bool()).named("cardReset"));
            buffer.flush.assign(dma.cardReset);
            dma.ringBase.assign(input(uint(64)).named("ringBase"));
            dma.ringBytes.assign(input(uint(20)).named("ringBytes"));
            dma.tail.assign(input(uint(16)).named("tail"));
            dma.headWrite.valid.assign(false);
            dma.headWrite.payload.assign(0);
            axi.connectFrom(dma.axi);
            dma.cmd.connectTo(cmd);
            dma.frames.connectTo(buffer.in);
            patches.connectTo(buffer.patches);
            buffer.out.connectTo(downsizer.in);
            downsizer.out.connectTo(out);
        }
    }

    @Test
    void eachBlockIsLintClean() {
        lintClean(() -> new Downsizer(1));
        lintClean(() -> new TxFrameBuffer(256, 4));
        lintClean(TxDma::new);
    }

    @Test
    void thePathSynthesizesWithTheFrameBufferInBlockRam() {
        Yosys.Result r = synth(lintClean(TxPath::new), Yosys.Target.ECP5);
        assertTrue(r.cells().getOrDefault("DP16KD", 0) + r.cells().getOrDefault("PDPW16KD", 0) >= 8, () -> "16 KiB of frames in block RAM: " + r.cells());
        assertTrue(r.luts() > 500, r.cells()::toString);
    }
}

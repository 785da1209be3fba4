package io.github.jnic.nic.rx;

import static io.github.jnic.nic.DesignChecks.lintClean;
import static io.github.jnic.nic.DesignChecks.synth;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.flow.Yosys;
import io.github.jnic.jhdl.lib.Flow;
import io.github.jnic.jhdl.lib.Stream;
import io.github.jnic.jhdl.lib.axi.Axi4;
import io.github.jnic.nic.dma.RxDma;
import io.github.jnic.nic.stream.Beat;
import io.github.jnic.nic.stream.Upsizer;
import io.github.jnic.spec.Registers;
import org.junit.jupiter.api.Test;

/**
 * The receive path's blocks: each lint-clean under verilator -Wall, and synthesizable without
 * latches or warnings, with its memories in block RAM. Synthesis is the slow part, so it runs once
 * per family on the blocks chained as the card chains them ({@link RxPath} for ECP5, the card's
 * FPGA; Upsizer into a small RxFrameBuffer for iCE40) instead of once per block.
 */
class RxDesignsTest {

    /** Upsizer, RxFilter, RxFrameBuffer and RxDma chained (in one clock here), every port of theirs brought out. */
    static final class RxPath extends Module {
        final Stream<UInt> bytes = input(Stream.packets(uint(8), 1));
        final UInt rctl = input(uint(32));
        final Bool vme = input(bool());
        final UInt[] ral = new UInt[Registers.RECEIVE_ADDRESSES];
        final UInt[] rah = new UInt[Registers.RECEIVE_ADDRESSES];
        final Bool mtaWrite = input(bool());
        final UInt mtaIndex = input(uint(7));
        final UInt mtaData = input(uint(32));
        final Bool cardReset = input(bool());
        final Bool enable = input(bool());
        final UInt ringBase = input(uint(64));
        final UInt ringBytes = input(uint(20));
        final UInt tail = input(uint(16));
        final Flow<UInt> headWrite = input(Flow.of(uint(16)));
        final UInt bufferBytes = input(uint(15));
        final UInt rdmts = input(uint(2));
        final Axi4 dma = output(new Axi4(4, 64, 64));
        final UInt head = output(uint(16));
        final Bool frameDone = output(bool());
        final UInt doneLength = output(uint(16));
        final Bool lowDescriptors = output(bool());
        final Bool noBuffer = output(bool());
        final Bool droppedStopped = output(bool());
        final Bool badDescriptor = output(bool());
        final Bool ringError = output(bool());
        final Bool busError = output(bool());
        final UInt busErrorAddress = output(uint(64));
        final Bool stopped = output(bool());
        final Bool dropBad = output(bool());
        final Bool dropFiltered = output(bool());
        final Bool overflow = output(bool());

        final Upsizer upsizer = new Upsizer(1);
        final RxFilter filter = new RxFilter();
        final RxFrameBuffer buffer = new RxFrameBuffer(2048, 32);
        final RxDma engine = new RxDma(4, 0);

        RxPath() {
            bytes.connectTo(upsizer.in);
            upsizer.out.connectTo(filter.in);
            filter.out.connectTo(buffer.in);
            buffer.out.connectTo(engine.frames);
            filter.rctl.assign(rctl);
            filter.vme.assign(vme);
            for (int n = 0; n < ral.length; n++) {
                ral[n] = input(uint(32));
                rah[n] = input(uint(32));
                filter.ral[n].assign(ral[n]);
                filter.rah[n].assign(rah[n]);
            }
            filter.mtaWrite.assign(mtaWrite);
            filter.mtaIndex.assign(mtaIndex);
            filter.mtaData.assign(mtaData);
            buffer.flush.assign(cardReset);
            engine.cardReset.assign(cardReset);
            engine.enable.assign(enable);
            engine.ringBase.assign(ringBase);
            engine.ringBytes.assign(ringBytes);
            engine.tail.assign(tail);
            engine.headWrite.connectFrom(headWrite);
            engine.bufferBytes.assign(bufferBytes);
            engine.rdmts.assign(rdmts);
            dma.connectFrom(engine.axi);
            head.assign(engine.head);
            frameDone.assign(engine.frameDone);
            doneLength.assign(engine.doneLength);
            lowDescriptors.assign(engine.lowDescriptors);
            noBuffer.assign(engine.noBuffer);
            droppedStopped.assign(engine.droppedStopped);
            badDescriptor.assign(engine.badDescriptor);
            ringError.assign(engine.ringError);
            busError.assign(engine.busError);
            busErrorAddress.assign(engine.busErrorAddress);
            stopped.assign(engine.stopped);
            dropBad.assign(buffer.dropBad);
            dropFiltered.assign(buffer.dropFiltered);
            overflow.assign(buffer.overflow);
        }
    }

    /** Upsizer straight into a small RxFrameBuffer (its user bits standing for the verdict): the iCE40 check. */
    static final class SmallRxPath extends Module {
        final Stream<UInt> bytes = input(Stream.packets(uint(8), RxFrame.VERDICT_WIDTH));
        final Stream<Beat> frames = output(Stream.packets(new Beat(), RxFrame.META_WIDTH));
        final Bool flush = input(bool());
        final Bool dropBad = output(bool());
        final Bool dropFiltered = output(bool());
        final Bool overflow = output(bool());

        final Upsizer upsizer = new Upsizer(RxFrame.VERDICT_WIDTH);
        final RxFrameBuffer buffer = new RxFrameBuffer(256, 8);

        SmallRxPath() {
            bytes.connectTo(upsizer.in);
            upsizer.out.connectTo(buffer.in);
            buffer.out.connectTo(frames);
            buffer.flush.assign(flush);
            dropBad.assign(buffer.dropBad);
            dropFiltered.assign(buffer.dropFiltered);
            overflow.assign(buffer.overflow);
        }
    }

    @Test
    void eachBlockIsLintClean() {
        lintClean(() -> new Upsizer(1));
        lintClean(RxFilter::new);
        lintClean(() -> new RxFrameBuffer(2048, 32));
        lintClean(() -> new RxFrameBuffer(256, 8));
        lintClean(RxDma::new);
    }

    @Test
    void theChainedBlocksSynthesizeForEcp5WithTheirMemoriesInBlockRam() {
        Yosys.Result r = synth(lintClean(RxPath::new), Yosys.Target.ECP5);
        // 16 KiB of frames take 8 DP16KD, the 4 Kibit multicast table one more
        int blockRams = r.cells().getOrDefault("DP16KD", 0) + r.cells().getOrDefault("PDPW16KD", 0);
        assertTrue(blockRams >= 9, () -> "the frame buffer and the multicast table in block RAM: " + r.cells());
        // and each where it belongs: yosys says how it mapped every memory
        assertTrue(r.log().matches("(?s).*mapping memory RxPath\\.filter\\.mta via \\$__ECP5_(PDPW16KD|DP16KD)_.*"), "the multicast table in block RAM");
        assertTrue(r.log().matches("(?s).*mapping memory RxPath\\.buffer\\.beats via \\$__ECP5_(PDPW16KD|DP16KD)_.*"), "the frames in block RAM");
        assertTrue(r.luts() > 500, r.cells()::toString);
    }

    @Test
    void theUpsizerAndASmallFrameBufferSynthesizeForIce40() {
        Yosys.Result r = synth(lintClean(SmallRxPath::new), Yosys.Target.ICE40);
        assertTrue(r.blockRams() >= 1, () -> "2 KiB of frames in block RAM: " + r.cells());
    }
}

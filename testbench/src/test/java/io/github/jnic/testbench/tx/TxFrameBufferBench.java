package io.github.jnic.testbench.tx;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.lib.Stream;
import io.github.jnic.nic.offload.Patch;
import io.github.jnic.nic.stream.Beat;
import io.github.jnic.nic.tx.TxFrameBuffer;

/**
 * {@link TxFrameBuffer} (2 KiB, 8 frames) with ports the harness's stream models can drive: each
 * patch arrives as one 8-byte beat on {@code patchWords} (enable in bit 0, offset from bit 1, value
 * from bit 16), a packet per frame; {@code oversize} pulses counted.
 */
class TxFrameBufferBench extends Module {
    final Stream<Beat> frames = input(Stream.packets(new Beat(), 1));
    final Stream<Beat> patchWords = input(Stream.packets(new Beat()));
    final Bool flush = input(bool());
    final Stream<Beat> out = output(Stream.packets(new Beat()));
    final UInt oversize = output(uint(32));

    final TxFrameBuffer buffer = new TxFrameBuffer(256, 8);

    TxFrameBufferBench() {
        frames.connectTo(buffer.in);
        buffer.out.connectTo(out);
        buffer.flush.assign(flush);
        Patch p = buffer.patches.payload;
        UInt w = patchWords.payload.data;
        buffer.patches.valid.assign(patchWords.valid);
        patchWords.ready.assign(buffer.patches.ready);
        buffer.patches.last.assign(patchWords.last);
        p.enable.assign(w.bit(0));
        p.offset.assign(w.slice(Patch.OFFSET_BITS, 1));
        p.value.assign(w.slice(31, 16));
        UInt c = reg(uint(32), 0);
        when(buffer.oversize, () -> c.next(c.plus(1)));
        oversize.assign(c);
    }
}

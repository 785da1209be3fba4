package io.github.jnic.testbench.offload;

import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.lib.Stream;
import io.github.jnic.nic.offload.TxOffload;
import io.github.jnic.nic.stream.Beat;
import io.github.jnic.nic.stream.Downsizer;
import io.github.jnic.nic.tx.TxFrameBuffer;

/**
 * The transmit path from TxOffload on, as the card chains it, in one clock: {@link TxOffloadBench}'s
 * command and frame ports, {@link TxOffload}, {@link TxFrameBuffer} (the patches applied, frames
 * marked drop discarded) and {@link Downsizer}, whose byte stream, one byte a clock, is what the
 * MAC takes.
 */
public class TxPathOffloadBench extends Module {
    public final Stream<Beat> commands = input(Stream.packets(new Beat()));
    public final Stream<Beat> frames = input(Stream.packets(new Beat(), 1));
    public final Stream<UInt> bytes = output(Stream.packets(uint(8)));

    final TxOffloadBench offload = new TxOffloadBench();
    final TxFrameBuffer buffer = new TxFrameBuffer(2048, 16);
    final Downsizer downsizer = new Downsizer(0);

    public TxPathOffloadBench() {
        commands.connectTo(offload.commands);
        frames.connectTo(offload.frames);
        offload.out.connectTo(buffer.in);
        // the patches back out of their 8-byte beats
        buffer.patches.valid.assign(offload.patchWords.valid);
        offload.patchWords.ready.assign(buffer.patches.ready);
        buffer.patches.last.assign(offload.patchWords.last);
        UInt w = offload.patchWords.payload.data;
        buffer.patches.payload.enable.assign(w.bit(0));
        buffer.patches.payload.offset.assign(w.slice(io.github.jnic.nic.offload.Patch.OFFSET_BITS, 1));
        buffer.patches.payload.value.assign(w.slice(31, 16));
        buffer.flush.assign(false);
        buffer.out.connectTo(downsizer.in);
        downsizer.out.connectTo(bytes);
    }
}

package io.github.jnic.jhdl.lib.examples;

import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.lib.Crc;
import io.github.jnic.jhdl.lib.Stream;

/**
 * Bytes pass through a stream FIFO and out again; each beat leaving carries in {@code user} the
 * CRC-32 of its packet up to and including that byte, so the last beat of a packet carries the
 * packet's CRC-32 (as {@link java.util.zip.CRC32} gives it). The reference design of the simulator
 * benchmark: a few thousand gates of the kind a NIC is made of (a block-RAM FIFO, handshakes, an
 * XOR network).
 */
public class FifoCrc32 extends Module {
    public final Stream<UInt> in = input(Stream.packets(uint(8)));
    public final Stream<UInt> out = output(Stream.packets(uint(8), 32));
    final UInt crc = reg(uint(32), Crc.CRC32.initialValue());

    public FifoCrc32(int fifoDepth) {
        Stream<UInt> buffered = in.fifo(fifoDepth);
        UInt updated = Crc.CRC32.next(crc, buffered.payload).named("updated");
        out.valid.assign(buffered.valid);
        out.payload.assign(buffered.payload);
        out.last.assign(buffered.last);
        out.user.assign(Crc.CRC32.result(updated).asBits());
        buffered.ready.assign(out.ready);
        when(out.fire(), () -> crc.next(mux(buffered.last, Crc.CRC32.initialValue(), updated)));
    }

    public FifoCrc32() {
        this(64);
    }
}

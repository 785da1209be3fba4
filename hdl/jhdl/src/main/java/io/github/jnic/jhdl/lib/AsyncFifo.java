package io.github.jnic.jhdl.lib;

import io.github.jnic.jhdl.Bits;
import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.ClockDomain;
import io.github.jnic.jhdl.Data;
import io.github.jnic.jhdl.Mem;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;

/**
 * A FIFO between two clock domains: {@code in} is written on the clock of {@code writeDomain},
 * {@code out} read on the clock of {@code readDomain}. The words sit in a memory written on one
 * clock and read on the other (a dual-clock block RAM); each side counts its position with a
 * binary pointer one bit wider than the address, and shows it to the other side in Gray code
 * through a {@link Synchronizer} (one bit changes per step, so the copy is always a pointer the
 * other side really had).
 *
 * <p>Full and empty are exact but late, never wrong: the writer sees the memory full when it has
 * written {@code depth} words more than it knows were read (the read pointer reaches it through the
 * synchronizer and one more clock; full is a register, so {@code in.ready} comes straight from a
 * flip-flop); the reader sees it empty when it has
 * read all it knows were written. A word written appears on {@code out} about three read clocks
 * later. The memory holds {@code depth} words and the output register one more.
 */
public class AsyncFifo<T extends Data> extends Module {
    public final Stream<T> in;
    public final Stream<T> out;
    final Mem<Bits> words;

    /** A FIFO of {@code depth} (a power of two, at least 2) beats shaped like {@code type}. */
    public AsyncFifo(Stream<T> type, int depth, ClockDomain writeDomain, ClockDomain readDomain) {
        if (depth < 2 || Integer.bitCount(depth) != 1) throw new IllegalArgumentException("depth must be a power of two, at least 2: " + depth);
        in = input(type);
        out = output(type.cloneType());
        words = mem(bits(in.beatWidth()), depth);
        int addressWidth = words.addressWidth();
        int pointerWidth = addressWidth + 1;
        UInt[] readGray = new UInt[1];

        // write side
        Synchronizer readPointer = new Synchronizer(writeDomain, pointerWidth, 2).named("readPointerSync");
        UInt[] writeGray = new UInt[1];
        withDomain(writeDomain, () -> {
            UInt writeBinary = reg(uint(pointerWidth), 0).named("writeBinary");
            writeGray[0] = reg(uint(pointerWidth), 0).named("writeGray");
            UInt writeNext = mux(in.fire(), writeBinary.plus(1), writeBinary).named("writeNext");
            // full is a register, worked out from the pointers' next values: the writer's ready leaves a
            // flip-flop (no comparison between it and what the writer does with it). The read pointer
            // counts as seen a clock after it leaves the synchronizer, which only makes full later to clear.
            // Depth more written than read: the same position in the memory, the other lap (an equality, no carry chain).
            UInt readSeen = binary(readPointer.out).named("readSeen");
            Bool full = reg(bool(), false).named("full");
            full.next(writeNext.slice(addressWidth - 1, 0).eq(readSeen.slice(addressWidth - 1, 0))
                    .and(writeNext.bit(addressWidth).ne(readSeen.bit(addressWidth))));
            in.ready.assign(full.not());
            when(in.fire(), () -> words.write(writeBinary.slice(addressWidth - 1, 0), in.packBeat()));
            writeBinary.next(writeNext);
            // the next Gray pointer chosen between two worked out from registers (writeGray is always
            // gray(writeBinary)): the handshake only selects, in one LUT level before the register
            writeGray[0].next(mux(in.fire(), gray(writeBinary.plus(1)), writeGray[0]));
        });

        // read side
        Synchronizer writePointer = new Synchronizer(readDomain, pointerWidth, 2).named("writePointerSync");
        writePointer.in.assign(writeGray[0]);
        withDomain(readDomain, () -> {
            UInt readBinary = reg(uint(pointerWidth), 0).named("readBinary");
            readGray[0] = reg(uint(pointerWidth), 0).named("readGray");
            Bool outValid = reg(bool(), false).named("outValid");
            // compared in Gray code (readGray is always gray(readBinary)): no Gray-to-binary chain in front of the read
            Bool empty = writePointer.out.eq(readGray[0]).named("empty");
            Bool fetch = empty.not().and(outValid.not().or(out.ready)).named("fetch");
            Bits[] head = new Bits[1];
            when(fetch, () -> head[0] = words.readSync(readBinary.slice(addressWidth - 1, 0)));
            UInt readNext = mux(fetch, readBinary.plus(1), readBinary).named("readNext");
            readBinary.next(readNext);
            readGray[0].next(mux(fetch, gray(readBinary.plus(1)), readGray[0]));
            when(fetch, () -> outValid.next(true)).elseWhen(out.ready, () -> outValid.next(false));
            out.valid.assign(outValid);
            out.unpackBeat(head[0].named("head"));
        });
        readPointer.in.assign(readGray[0]);
    }

    static UInt gray(UInt binary) {
        return binary.xor(binary.shiftRight(1));
    }

    /**
     * Asks synthesis for this kind of RAM for the words ({@link Mem#style}): a deep crossing in block
     * RAM leaves the LUTs its LUT RAM and read multiplexer would take (the read is synchronous).
     */
    public AsyncFifo<T> style(Mem.Style s) {
        words.style(s);
        return this;
    }

    /** Gray to binary: bit i is the XOR of the Gray bits i and above. */
    static UInt binary(UInt gray) {
        UInt b = gray;
        for (int shift = 1; shift < gray.width(); shift <<= 1) b = b.xor(b.shiftRight(shift));
        return b;
    }
}

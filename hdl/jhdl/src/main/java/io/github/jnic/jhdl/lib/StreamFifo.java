package io.github.jnic.jhdl.lib;

import io.github.jnic.jhdl.Bits;
import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Data;
import io.github.jnic.jhdl.Mem;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;

/**
 * A first-in first-out queue between two streams of the same clock, holding up to {@code depth}
 * beats. {@code count} is the number of beats held (0 = empty, {@code depth} = full; {@code in.ready}
 * is low exactly when full). Ready and valid are registered on both sides: no combinational path
 * goes through the FIFO.
 *
 * <p>Up to {@link #REGISTER_DEPTH} beats the words are kept in registers and a beat written is
 * readable on the next clock. Deeper FIFOs keep them in a memory with a synchronous read (a block
 * RAM) and an output register in front of it: a beat written into an empty FIFO appears on
 * {@code out} two clocks later, and a steady stream still moves one beat a clock.
 */
public class StreamFifo<T extends Data> extends Module {
    /** The deepest FIFO kept in registers. */
    public static final int REGISTER_DEPTH = 8;

    public final Stream<T> in;
    public final Stream<T> out;
    public final UInt count;
    final Mem<Bits> words;
    final UInt writeAddress;
    final UInt readAddress;

    /** A FIFO of {@code depth} beats of streams shaped like {@code type} (a stream type, not hardware). */
    public StreamFifo(Stream<T> type, int depth) {
        if (depth < 1) throw new IllegalArgumentException("a FIFO holds at least one beat, not " + depth);
        in = input(type);
        out = output(type.cloneType());
        count = output(uint(widthFor(depth)));
        words = mem(bits(in.beatWidth()), depth);
        writeAddress = reg(uint(words.addressWidth()), 0);
        readAddress = reg(uint(words.addressWidth()), 0);

        Bool push = in.fire().named("push");
        when(push, () -> {
            words.write(writeAddress, in.packBeat());
            writeAddress.next(advance(writeAddress, depth));
        });
        if (depth <= REGISTER_DEPTH) {
            UInt held = reg(uint(count.width()), 0).named("held");
            Bool pop = out.fire().named("pop");
            when(pop, () -> readAddress.next(advance(readAddress, depth)));
            out.valid.assign(held.ne(0));
            out.unpackBeat(words.readAsync(readAddress).named("head"));
            count(held, push, pop);
            count.assign(held);
        } else {
            // words in the memory, and a valid flag for the output register that the read fills
            UInt stored = reg(uint(count.width()), 0).named("stored");
            Bool outValid = reg(bool(), false).named("outValid");
            Bool fetch = stored.ne(0).and(outValid.not().or(out.ready)).named("fetch");
            Bits[] head = new Bits[1];
            when(fetch, () -> {
                head[0] = words.readSync(readAddress);
                readAddress.next(advance(readAddress, depth));
            });
            when(fetch, () -> outValid.next(true)).elseWhen(out.ready, () -> outValid.next(false));
            out.valid.assign(outValid);
            out.unpackBeat(head[0].named("head"));
            count(stored, push, fetch);
            count.assign(stored.plus(outValid.asUInt().resize(count.width())));
        }
        in.ready.assign(count.ne(depth));
    }

    private static void count(UInt counter, Bool up, Bool down) {
        when(up.and(down.not()), () -> counter.next(counter.plus(1)))
                .elseWhen(down.and(up.not()), () -> counter.next(counter.minus(1)));
    }

    /** The address after {@code address}, wrapping at {@code depth}. */
    static UInt advance(UInt address, int depth) {
        if (depth == 1 << address.width()) return address.plus(1);
        return mux(address.eq(depth - 1), U(address.width(), 0), address.plus(1));
    }

    /** Bits needed to count from 0 to {@code n}. */
    static int widthFor(int n) {
        return Math.max(1, 32 - Integer.numberOfLeadingZeros(n));
    }
}

package io.github.jnic.jhdl.lib;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Data;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.Switch;
import io.github.jnic.jhdl.UInt;
import java.util.ArrayList;
import java.util.List;

/**
 * Merges several streams into one, round-robin: after serving an input, the others get their turn
 * before it comes again. Once a beat is offered on {@code out} the choice holds until it is taken
 * (the beat stays stable), and for packet streams it holds until the beat with {@code last}, so
 * packets never interleave. {@code grant} says which input the beat on {@code out} comes from.
 */
public class Arbiter<T extends Data> extends Module {
    public final List<Stream<T>> inputs = new ArrayList<>();
    public final Stream<T> out;
    public final UInt grant;
    final UInt previous;
    final Bool locked;
    final UInt lockedInput;

    /** An arbiter between {@code count} streams shaped like {@code type}. */
    public Arbiter(Stream<T> type, int count) {
        if (count < 1) throw new IllegalArgumentException("an arbiter needs at least one input");
        for (int i = 0; i < count; i++) inputs.add(input(type.cloneType()));
        out = output(type.cloneType());
        int width = StreamFifo.widthFor(count - 1);
        grant = output(uint(width));
        previous = reg(uint(width), count - 1); // so that input 0 comes first
        locked = reg(bool(), false);
        lockedInput = reg(uint(width), 0);

        // the next input in turn after the previous one: the highest priority is assigned last
        UInt next = wire(uint(width)).named("next");
        next.assign(previous);
        Switch turns = switchOn(previous);
        for (int p = 0; p < count; p++) {
            int from = p;
            turns.is(p, () -> {
                for (int k = count; k >= 1; k--) {
                    int candidate = (from + k) % count;
                    when(inputs.get(candidate).valid, () -> next.assign(candidate));
                }
            });
        }
        grant.assign(mux(locked, lockedInput, next));

        inputs.get(0).forwardTo(out);
        for (int i = 0; i < count; i++) {
            int index = i;
            Stream<T> in = inputs.get(i);
            if (i > 0) when(grant.eq(i), () -> in.forwardTo(out));
            in.ready.assign(out.ready.and(grant.eq(index)));
        }

        when(out.fire(), () -> {
            previous.next(grant);
            locked.next(out.hasLast() ? out.last.not() : FALSE);
        }).elseWhen(out.valid, () -> locked.next(true));
        when(out.valid, () -> lockedInput.next(grant));
    }

    /** Merges {@code streams} (all of one shape) in the module being built; returns the merged stream. */
    public static <T extends Data> Stream<T> merge(List<Stream<T>> streams) {
        Arbiter<T> a = new Arbiter<>(streams.get(0).cloneType(), streams.size());
        for (int i = 0; i < streams.size(); i++) streams.get(i).connectTo(a.inputs.get(i));
        return a.out;
    }
}

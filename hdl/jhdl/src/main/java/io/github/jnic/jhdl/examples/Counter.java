package io.github.jnic.jhdl.examples;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;

/** A counter that counts while {@code enable} is high and wraps at 2^width; {@code wrapped} pulses on wrap. */
public class Counter extends Module {
    public final Bool enable = input(bool());
    public final UInt count;
    public final Bool wrapped = output(bool());

    public Counter(int width) {
        count = output(reg(uint(width), 0));
        wrapped.assign(enable.and(count.andR()));
        when(enable, () -> count.next(count.plus(1)));
    }
}

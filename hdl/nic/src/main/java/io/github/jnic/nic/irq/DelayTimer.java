package io.github.jnic.nic.irq;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;

/**
 * One moderation timer: {@code arm} loads {@code load} (a count of ticks, at least 1), each
 * {@code tick} counts one down, and {@code expired} is high in the cycle of the tick that takes it
 * to zero. {@code stop} wins over {@code arm}, and {@code arm} over a tick in the same cycle. The
 * timer runs while its count is not zero.
 */
public class DelayTimer extends Module {
    public final Bool tick = input(bool());
    public final Bool arm = input(bool());
    public final Bool stop = input(bool());
    public final UInt load;
    public final Bool running = output(bool());
    public final Bool expired = output(bool());

    final UInt count;

    public DelayTimer(int width) {
        load = input(uint(width));
        count = reg(uint(width), 0);
        running.assign(count.ne(0));
        expired.assign(tick.and(count.eq(1)));
        when(stop, () -> count.next(0))
                .elseWhen(arm, () -> count.next(load))
                .elseWhen(tick.and(running), () -> count.next(count.minus(1)));
    }
}

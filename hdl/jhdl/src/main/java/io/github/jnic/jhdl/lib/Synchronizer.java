package io.github.jnic.jhdl.lib;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.ClockDomain;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;

/**
 * Brings a signal from another clock domain into this module's domain through a chain of
 * registers (two by default). The first register may go metastable; the following ones give it a
 * clock period to settle. It is marked as a synchronizer stage, so the clock-domain-crossing check
 * accepts it.
 *
 * <p>Each bit crosses on its own, so a multi-bit value arrives consistent only if at most one bit
 * changes at a time (a Gray-coded counter) or it is held steady long enough (a configuration
 * register). For single events use {@link PulseSynchronizer}, for data {@link AsyncFifo}.
 */
public class Synchronizer extends Module {
    public final UInt in;
    public final UInt out;
    final UInt[] stages;

    /** A two-register synchronizer of {@code width} bits, in the domain current where it is created. */
    public Synchronizer(int width) {
        this(null, width, 2);
    }

    /** A synchronizer into {@code domain} (null: the current one) with {@code stageCount} registers. */
    public Synchronizer(ClockDomain domain, int width, int stageCount) {
        super(domain);
        if (stageCount < 2) throw new IllegalArgumentException("a synchronizer has at least two registers, not " + stageCount);
        in = input(uint(width));
        out = output(uint(width));
        stages = new UInt[stageCount];
        for (int i = 0; i < stageCount; i++) stages[i] = reg(uint(width), 0);
        stages[0].markSynchronizer();
        stages[0].next(in);
        for (int i = 1; i < stageCount; i++) stages[i].next(stages[i - 1]);
        out.assign(stages[stageCount - 1]);
    }

    /** {@code signal}, from another clock, seen in the current domain of the module being built. */
    public static Bool sync(Bool signal) {
        Synchronizer s = new Synchronizer(1);
        s.in.assign(signal.asUInt());
        return s.out.asBool();
    }

    /** {@code value}, from another clock, seen in the current domain (bit by bit: see the class notes). */
    public static UInt sync(UInt value) {
        Synchronizer s = new Synchronizer(value.width());
        s.in.assign(value);
        return s.out;
    }
}

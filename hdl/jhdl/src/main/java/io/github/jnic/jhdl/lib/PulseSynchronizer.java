package io.github.jnic.jhdl.lib;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.ClockDomain;
import io.github.jnic.jhdl.Module;

/**
 * Carries single-cycle events from one clock domain to another: each cycle with {@code in} high in
 * domain {@code from} flips a toggle register; the toggle crosses through a {@link Synchronizer},
 * and each change seen in domain {@code to} is one cycle of {@code out}. Events must be spaced by
 * at least three cycles of the slower clock, or some are lost (two flips cancel out).
 */
public class PulseSynchronizer extends Module {
    public final Bool in;
    public final Bool out;

    public PulseSynchronizer(ClockDomain from, ClockDomain to) {
        in = input(bool());
        out = output(bool());
        Bool[] toggle = new Bool[1];
        withDomain(from, () -> {
            toggle[0] = reg(bool(), false).named("toggle");
            when(in, () -> toggle[0].next(toggle[0].not()));
        });
        Synchronizer crossing = new Synchronizer(to, 1, 2).named("crossing");
        crossing.in.assign(toggle[0].asUInt());
        withDomain(to, () -> {
            Bool seen = reg(bool(), false).named("seen");
            seen.next(crossing.out.asBool());
            out.assign(crossing.out.asBool().xor(seen));
        });
    }
}

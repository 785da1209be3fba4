package io.github.jnic.testbench.lib;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.ClockDomain;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.lib.PulseSynchronizer;

/** Pulses of {@code in} (clock {@code aclk}) crossed to {@code bclk} and counted there, with the cycles {@code out} was high. */
class PulseCounter extends Module {
    static final ClockDomain A = ClockDomain.external("aclk").withSyncReset("areset");
    static final ClockDomain B = ClockDomain.external("bclk").withSyncReset("breset");

    final Bool in = input(bool());
    final UInt count = output(uint(16));
    final PulseSynchronizer crossing = new PulseSynchronizer(A, B);

    PulseCounter() {
        crossing.in.assign(in);
        withDomain(B, () -> {
            UInt counter = reg(uint(16), 0).named("counter");
            when(crossing.out, () -> counter.next(counter.plus(1)));
            count.assign(counter);
        });
    }
}

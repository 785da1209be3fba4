package io.github.jnic.jhdl.examples;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;

/**
 * A Moore machine that raises {@code found} for one cycle after the serial input has shown 1, 0, 1, 1
 * (overlaps allowed). Its states are named constants, so the Verilog reads {@code case (state) GOT_1: ...}.
 */
public class PatternDetector extends Module {
    static final UInt IDLE = constant("IDLE", U(3, 0));
    static final UInt GOT_1 = constant("GOT_1", U(3, 1));
    static final UInt GOT_10 = constant("GOT_10", U(3, 2));
    static final UInt GOT_101 = constant("GOT_101", U(3, 3));
    static final UInt FOUND = constant("FOUND", U(3, 4));

    public final Bool bit = input(bool());
    public final Bool valid = input(bool());
    public final Bool found = output(bool());
    final UInt state = reg(uint(3), IDLE);

    public PatternDetector() {
        when(valid, () -> switchOn(state)
                .is(IDLE, () -> when(bit, () -> state.next(GOT_1)))
                .is(GOT_1, () -> when(bit.not(), () -> state.next(GOT_10)))
                .is(GOT_10, () -> state.next(mux(bit, GOT_101, IDLE)))
                .is(GOT_101, () -> state.next(mux(bit, FOUND, GOT_10)))
                .is(FOUND, () -> state.next(mux(bit, GOT_1, GOT_10)))
                .otherwise(() -> state.next(IDLE)));
        found.assign(state.eq(FOUND));
    }
}

package io.github.jnic.nic.mac;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;
import java.util.ArrayList;
import java.util.List;

/**
 * A bank of up to 16 statistics counters, 32 bits wide, that wrap around, read one at a time through {@link CounterPort}. Subclasses declare their
 * counters with {@link #counter} in index order, then call {@link #finish}.
 */
public abstract class Counters extends Module {
    public static final int SELECT_BITS = 4;
    public static final int WIDTH = 32;

    public final CounterPort read = input(new CounterPort());
    private final List<UInt> counters = new ArrayList<>();

    /** A counter that adds {@code amount} on every clock where {@code add} is high. */
    protected UInt counter(String name, Bool add, UInt amount) {
        UInt c = reg(uint(WIDTH), 0).named(name);
        when(read.clear, () -> c.next(0)).elseWhen(add, () -> c.next(c.plus(amount.resize(WIDTH))));
        counters.add(c);
        return c;
    }

    /** A counter that adds one on every clock where {@code add} is high. */
    protected UInt counter(String name, Bool add) {
        return counter(name, add, U(1, 1));
    }

    /** Builds the read port once every counter is declared. */
    protected void finish() {
        read.value.assign(0);
        var s = switchOn(read.select);
        for (int i = 0; i < counters.size(); i++) {
            UInt c = counters.get(i);
            s = s.is(i, () -> read.value.assign(c));
        }
    }
}

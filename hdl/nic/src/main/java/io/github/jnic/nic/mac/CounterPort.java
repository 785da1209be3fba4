package io.github.jnic.nic.mac;

import static io.github.jnic.jhdl.Hdl.bool;
import static io.github.jnic.jhdl.Hdl.uint;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Bundle;
import io.github.jnic.jhdl.UInt;

/** The read side of a {@link Counters} bank: {@code select} a counter, read its {@code value}; {@code clear} zeroes all. */
public class CounterPort extends Bundle {
    public final Bool clear = bool();
    public final UInt select = uint(Counters.SELECT_BITS);
    public final UInt value = flip(uint(Counters.WIDTH));
}

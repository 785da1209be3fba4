package io.github.jnic.jhdl.lib;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;

/**
 * A CRC over a word stream, {@code dataWidth} bits a clock: the register advances by one word when
 * {@code enable} is high. {@code clear} restarts the message; with {@code enable} in the same cycle
 * the word is the first of the new message, so messages can follow back to back. {@code value} is
 * the CRC of the words taken so far (what {@link Crc#compute} gives for the same bytes).
 */
public class CrcGenerator extends Module {
    public final Bool clear = input(bool());
    public final Bool enable = input(bool());
    public final UInt data;
    public final UInt register;
    public final UInt value;

    public CrcGenerator(Crc crc, int dataWidth) {
        data = input(uint(dataWidth));
        register = reg(uint(crc.width()), crc.initialValue());
        value = output(uint(crc.width()));
        UInt start = mux(clear, crc.initialValue(), register).named("start");
        when(enable, () -> register.next(crc.next(start, data)))
                .elseWhen(clear, () -> register.next(crc.initialValue()));
        value.assign(crc.result(register));
    }
}

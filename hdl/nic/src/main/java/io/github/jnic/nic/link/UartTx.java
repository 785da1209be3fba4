package io.github.jnic.nic.link;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.lib.Stream;

/**
 * A UART transmitter, 8N1, {@code clocksPerBit} clocks a bit: a byte taken from {@code in} goes out
 * on {@code txd} (a register, high when idle) as a low start bit, its eight bits least significant
 * first and a high stop bit; the next byte is taken as the stop bit ends, so bytes follow back to
 * back at a tenth of the baud rate.
 */
public class UartTx extends Module {
    public final Stream<UInt> in = input(Stream.of(uint(8)));
    public final Bool txd = output(reg(bool(), true));

    public UartTx(int clocksPerBit) {
        if (clocksPerBit < 1) throw new IllegalArgumentException("clocks a bit " + clocksPerBit);
        UInt timer = reg(uint(32 - Integer.numberOfLeadingZeros(clocksPerBit)), 0).named("timer");
        UInt left = reg(uint(4), 0).named("left");       // bits still to send after the one on the line
        UInt shift = reg(uint(9), 0x1FF).named("shift"); // the data bits and the stop bit, next in bit 0
        Bool idle = left.eq(0).and(timer.eq(0)).named("idle");
        in.ready.assign(idle);
        when(in.fire(), () -> {
            txd.next(false);
            shift.next(cat(TRUE, in.payload).asUInt());
            left.next(9);
            timer.next(clocksPerBit - 1);
        }).elseWhen(timer.ne(0), () -> timer.next(timer.minus(1)))
                .elseWhen(left.ne(0), () -> {
                    txd.next(shift.bit(0));
                    shift.next(cat(TRUE, shift.slice(8, 1)).asUInt());
                    left.next(left.minus(1));
                    timer.next(clocksPerBit - 1);
                });
    }
}

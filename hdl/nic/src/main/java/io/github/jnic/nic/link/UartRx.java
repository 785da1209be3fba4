package io.github.jnic.nic.link;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.lib.Flow;
import io.github.jnic.jhdl.lib.Fsm;
import io.github.jnic.jhdl.lib.Synchronizer;

/**
 * A UART receiver, 8N1, {@code clocksPerBit} clocks a bit (the clock over the baud rate: 12 for
 * 1 Mbaud on the iCEBreaker's 12 MHz). The line comes in through a {@link Synchronizer}; a falling
 * edge starts a byte, and the start bit is checked half a bit later (still low, or it was a glitch
 * and the receiver waits for the next edge). Each data bit, least significant first, and the stop
 * bit are sampled a whole bit after the one before, in the middle of the bit. A byte whose stop bit
 * is high leaves on {@code out} (one clock); one whose stop bit is low is a framing error (a pulse on
 * {@code framingError}, the byte dropped), and the receiver waits for the line to go high again (a
 * break holds it low) before it looks for the next start bit.
 */
public class UartRx extends Module {
    public final Bool rxd = input(bool());
    public final Flow<UInt> out = output(Flow.of(uint(8)));
    public final Bool framingError = output(reg(bool(), false));

    enum RxState { IDLE, START, DATA, STOP, BREAK }

    final Fsm<RxState> state = new Fsm<>(RxState.IDLE);

    public UartRx(int clocksPerBit) {
        if (clocksPerBit < 4) throw new IllegalArgumentException("at least 4 clocks a bit, not " + clocksPerBit);
        // synchronized inverted, so the line reads idle (high) out of reset
        Bool line = Synchronizer.sync(rxd.not()).not().named("line");
        UInt timer = reg(uint(32 - Integer.numberOfLeadingZeros(clocksPerBit)), 0).named("timer");
        UInt bits = reg(uint(3), 0).named("bits");
        UInt shift = reg(uint(8), 0).named("shift");
        Bool valid = reg(bool(), false).named("valid");
        Bool tick = timer.eq(0).named("tick");
        valid.next(false);
        framingError.next(false);
        out.valid.assign(valid);
        out.payload.assign(shift);
        when(tick.not(), () -> timer.next(timer.minus(1)));

        state.on(RxState.IDLE, () -> when(line.not(), () -> {
            timer.next((clocksPerBit - 1) / 2 - 1);
            state.goTo(RxState.START);
        })).on(RxState.START, () -> when(tick, () -> {
            // the middle of the start bit: still low, or it was a glitch
            timer.next(clocksPerBit - 1);
            bits.next(0);
            when(line, () -> state.goTo(RxState.IDLE)).otherwise(() -> state.goTo(RxState.DATA));
        })).on(RxState.DATA, () -> when(tick, () -> {
            timer.next(clocksPerBit - 1);
            shift.next(cat(line, shift.slice(7, 1)).asUInt());
            bits.next(bits.plus(1));
            when(bits.eq(7), () -> state.goTo(RxState.STOP));
        })).on(RxState.STOP, () -> when(tick, () -> {
            when(line, () -> {
                valid.next(true);
                state.goTo(RxState.IDLE);
            }).otherwise(() -> {
                framingError.next(true);
                state.goTo(RxState.BREAK);
            });
        })).on(RxState.BREAK, () -> when(line, () -> state.goTo(RxState.IDLE)));
    }
}

package io.github.jnic.nic.irq;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;
import java.math.BigInteger;

/**
 * A tick every {@code periodNs} nanoseconds of a {@code clockHz} clock, exact on average: a
 * fractional accumulator adds {@link #increment} each cycle and ticks (subtracting {@link #modulus})
 * whenever the sum reaches the modulus, where increment / modulus = 10^9 / (clockHz × periodNs)
 * in lowest terms. The k-th tick after reset or after {@code restart} falls on cycle
 * ceil(k × clockHz × periodNs / 10^9): at 125 MHz a 256 ns tick every 32 cycles, at 50 MHz ticks
 * 13, 13, 13, 13, 12 cycles apart (12.8 on average).
 *
 * <p>{@code tick} is high during the cycle a tick falls on (it depends on the accumulator only);
 * {@code restart} high in a cycle makes the next cycle count as the first after a reset.
 */
public class TickGenerator extends Module {
    public final Bool restart = input(bool());
    public final Bool tick = output(bool());

    /** Added each cycle. */
    public final long increment;
    /** Subtracted at each tick. */
    public final long modulus;

    final UInt accumulator;

    public TickGenerator(long clockHz, long periodNs) {
        BigInteger num = BigInteger.valueOf(1_000_000_000L);
        BigInteger den = BigInteger.valueOf(clockHz).multiply(BigInteger.valueOf(periodNs));
        BigInteger g = num.gcd(den);
        if (clockHz <= 0 || periodNs <= 0 || num.compareTo(den) > 0) {
            throw new IllegalArgumentException("a " + periodNs + " ns tick needs a clock of at least one cycle per tick, not " + clockHz + " Hz");
        }
        if (den.divide(g).bitLength() > 62) throw new IllegalArgumentException(clockHz + " Hz: the accumulator would pass 64 bits");
        increment = num.divide(g).longValueExact();
        modulus = den.divide(g).longValueExact();
        int width = 64 - Long.numberOfLeadingZeros(2 * modulus);
        accumulator = reg(uint(width), 0);
        // the sum reaches the modulus this cycle
        tick.assign(accumulator.ge(modulus - increment));
        UInt sum = accumulator.plus(increment);
        when(restart, () -> accumulator.next(0))
                .elseWhen(tick, () -> accumulator.next(sum.minus(modulus)))
                .otherwise(() -> accumulator.next(sum));
    }
}

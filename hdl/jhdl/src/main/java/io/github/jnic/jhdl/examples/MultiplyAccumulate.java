package io.github.jnic.jhdl.examples;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.SInt;

/**
 * Signed arithmetic: {@code acc += a * b} (full product, sign-extended), cleared by {@code clear};
 * {@code negative} is a signed comparison and {@code half} an arithmetic shift.
 */
public class MultiplyAccumulate extends Module {
    public final Bool clear = input(bool());
    public final SInt a, b;
    public final SInt acc;
    public final Bool negative = output(bool());
    public final SInt half;

    public MultiplyAccumulate(int width, int accumulatorWidth) {
        a = input(sint(width));
        b = input(sint(width));
        acc = output(reg(sint(accumulatorWidth), 0));
        half = output(sint(accumulatorWidth));
        SInt product = a.times(b).named("product");
        when(clear, () -> acc.next(0)).otherwise(() -> acc.next(acc.plus(product.resize(accumulatorWidth))));
        negative.assign(acc.lt(0));
        half.assign(acc.shiftRight(1));
    }
}

package io.github.jnic.jhdl.examples;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.ClockDomain;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;

/**
 * A counter in the {@code clk} domain seen from the {@code rx_clk} domain: the count crosses in Gray
 * code through two registers, the first marked as a synchronizer stage, and is converted back to
 * binary on the other side ({@code count} lags the source by two or three {@code rx_clk} edges).
 */
public class GrayCrossing extends Module {
    public static final ClockDomain RX = ClockDomain.external("rx_clk").withSyncReset("rx_reset");

    public final Bool enable = input(bool());
    public final UInt count;

    public GrayCrossing(int width) {
        count = output(uint(width));
        UInt binary = reg(uint(width), 0).named("binary");
        UInt gray = reg(uint(width), 0).named("gray");
        when(enable, () -> binary.next(binary.plus(1)));
        gray.next(binary.xor(binary.shiftRight(1)));
        withDomain(RX, () -> {
            UInt stage1 = reg(uint(width), 0).named("stage1");
            UInt stage2 = reg(uint(width), 0).named("stage2");
            stage1.markSynchronizer();
            stage1.next(gray);
            stage2.next(stage1);
            // Gray to binary: bit i is the XOR of Gray bits i and above
            UInt b = stage2;
            for (int shift = 1; shift < width; shift <<= 1) b = b.xor(b.shiftRight(shift));
            count.assign(b);
        });
    }
}

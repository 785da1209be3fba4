package io.github.jnic.jhdl.examples;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.ClockDomain;
import io.github.jnic.jhdl.Mem;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;

/**
 * Two independent ports, each reading and writing, each on its own clock ({@code a_clk}, {@code b_clk}):
 * a true dual-port block RAM on ECP5. Each port reads the old word when it writes.
 */
public class TrueDualPortRam extends Module {
    public static final ClockDomain A = ClockDomain.external("a_clk");
    public static final ClockDomain B = ClockDomain.external("b_clk");

    public final Bool aWrite = input(bool());
    public final UInt aAddress, aWriteData, aReadData;
    public final Bool bWrite = input(bool());
    public final UInt bAddress, bWriteData, bReadData;
    final Mem<UInt> ram;

    public TrueDualPortRam(int width, int depth) {
        ram = mem(uint(width), depth);
        aAddress = input(uint(ram.addressWidth()));
        aWriteData = input(uint(width));
        aReadData = output(uint(width));
        bAddress = input(uint(ram.addressWidth()));
        bWriteData = input(uint(width));
        bReadData = output(uint(width));
        withDomain(A, () -> {
            when(aWrite, () -> ram.write(aAddress, aWriteData));
            aReadData.assign(ram.readSync(aAddress));
        });
        withDomain(B, () -> {
            when(bWrite, () -> ram.write(bAddress, bWriteData));
            bReadData.assign(ram.readSync(bAddress));
        });
    }
}

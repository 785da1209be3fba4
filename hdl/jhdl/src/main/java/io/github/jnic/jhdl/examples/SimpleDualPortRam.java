package io.github.jnic.jhdl.examples;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Mem;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;

/**
 * One write port and one registered read port on the same clock: block RAM on iCE40 and ECP5.
 * A read of the address being written returns the old word.
 */
public class SimpleDualPortRam extends Module {
    public final Bool writeEnable = input(bool());
    public final UInt writeAddress;
    public final UInt writeData;
    public final UInt readAddress;
    public final UInt readData;
    final Mem<UInt> ram;

    public SimpleDualPortRam(int width, int depth) {
        ram = mem(uint(width), depth);
        writeAddress = input(uint(ram.addressWidth()));
        writeData = input(uint(width));
        readAddress = input(uint(ram.addressWidth()));
        readData = output(uint(width));
        when(writeEnable, () -> ram.write(writeAddress, writeData));
        readData.assign(ram.readSync(readAddress));
    }
}

package io.github.jnic.jhdl.examples;

import io.github.jnic.jhdl.Mem;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;

/** A read-only memory filled from a Java array, read one clock after the address. */
public class Rom extends Module {
    public final UInt address;
    public final UInt data;
    final Mem<UInt> table;

    public Rom(int width, long[] contents) {
        table = rom(uint(width), contents);
        address = input(uint(table.addressWidth()));
        data = output(uint(width));
        data.assign(table.readSync(address));
    }

    /** The table of the byte-wise CRC-32 (a classic ROM content). */
    public static long[] crc32Table() {
        long[] t = new long[256];
        for (int n = 0; n < 256; n++) {
            long c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320L ^ (c >>> 1) : c >>> 1;
            t[n] = c;
        }
        return t;
    }
}

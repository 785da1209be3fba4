package io.github.jnic.jhdl.examples;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.lib.Crc;

/**
 * CRC-32 of Ethernet (reflected polynomial 0xEDB88320, initial value all ones), {@code dataWidth}
 * bits per clock, least significant bit first. The XOR equations of the parallel update come from
 * the library's CRC generator ({@link Crc#next}), worked out in Java when the module is built. After
 * the last word, {@code fcs} equals {@link java.util.zip.CRC32} of the bytes.
 */
public class Crc32 extends Module {
    public final Bool clear = input(bool());
    public final Bool valid = input(bool());
    public final UInt data;
    public final UInt crc = output(reg(uint(32), Crc.CRC32.initialValue()));
    public final UInt fcs = output(uint(32));

    public Crc32(int dataWidth) {
        data = input(uint(dataWidth));
        UInt next = Crc.CRC32.next(crc, data).named("next");
        when(clear, () -> crc.next(Crc.CRC32.initialValue())).elseWhen(valid, () -> crc.next(next));
        fcs.assign(Crc.CRC32.result(crc));
    }
}

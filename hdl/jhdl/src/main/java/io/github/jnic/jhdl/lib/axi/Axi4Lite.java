package io.github.jnic.jhdl.lib.axi;

import static io.github.jnic.jhdl.Hdl.uint;

import io.github.jnic.jhdl.Bundle;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.lib.Stream;

/**
 * An AXI4-Lite port (32-bit data) as its master sees it, each channel a {@link Stream}. A register
 * file declares it with {@code input(new Axi4Lite(addressWidth))}. No prot signals: slaves here do
 * not distinguish access kinds.
 */
public class Axi4Lite extends Bundle {
    public final int addressWidth;

    public final Stream<UInt> aw;
    public final Stream<WriteData> w;
    public final Stream<UInt> b;
    public final Stream<UInt> ar;
    public final Stream<ReadData> r;

    public Axi4Lite(int addressWidth) {
        this.addressWidth = addressWidth;
        aw = Stream.of(uint(addressWidth));
        w = Stream.of(new WriteData());
        b = flip(Stream.of(uint(2)));
        ar = Stream.of(uint(addressWidth));
        r = flip(Stream.of(new ReadData()));
    }

    @Override
    public Axi4Lite cloneType() {
        return new Axi4Lite(addressWidth);
    }

    /** W: 32 data bits and their byte strobes. */
    public static class WriteData extends Bundle {
        public final UInt data = uint(32);
        public final UInt strb = uint(4);
    }

    /** R: 32 data bits and the response. */
    public static class ReadData extends Bundle {
        public final UInt data = uint(32);
        public final UInt resp = uint(2);
    }
}

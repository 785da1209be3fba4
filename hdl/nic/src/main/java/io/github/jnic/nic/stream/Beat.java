package io.github.jnic.nic.stream;

import static io.github.jnic.jhdl.Hdl.cat;
import static io.github.jnic.jhdl.Hdl.uint;

import io.github.jnic.jhdl.Bundle;
import io.github.jnic.jhdl.Signal;
import io.github.jnic.jhdl.UInt;

/**
 * One beat of a frame inside the card's system clock domain: eight bytes, little-endian (the
 * frame's first byte in bits 7:0), and a {@code keep} bit per byte as AXI-Stream's TKEEP. Frames
 * are packed: every beat but the last has all eight bytes, the last has {@code keep} ones from bit
 * 0 up (1 to 8 bytes). A frame stream is {@code Stream.packets(new Beat(), userWidth)}, whose
 * {@code last} ends the frame.
 */
public class Beat extends Bundle {
    public static final int BYTES = 8;
    public static final int WIDTH = 8 * BYTES;

    public final UInt data = uint(WIDTH);
    public final UInt keep = uint(BYTES);

    /** Byte lane {@code i} of a beat. */
    public static UInt lane(UInt data, int i) {
        return data.slice(8 * i + 7, 8 * i);
    }

    /** The keep mask of the first {@code n} lanes ({@code n} from 0 to 8). */
    public static UInt firstLanes(UInt n) {
        Signal[] bits = new Signal[BYTES];
        for (int i = 0; i < BYTES; i++) bits[BYTES - 1 - i] = n.gt(i);
        return cat(bits).asUInt();
    }
}

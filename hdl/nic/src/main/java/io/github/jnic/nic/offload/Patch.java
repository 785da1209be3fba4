package io.github.jnic.nic.offload;

import static io.github.jnic.jhdl.Hdl.bool;
import static io.github.jnic.jhdl.Hdl.uint;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Bundle;
import io.github.jnic.jhdl.UInt;

/**
 * A 16-bit value to write into a frame before it leaves: what {@link TxOffload} hands the TX frame
 * buffer, which holds the frame (store and forward) and applies the patches before releasing it.
 *
 * <p>Contract ({@code Stream.packets(new Patch())}): exactly one patch packet per frame leaving
 * {@code TxOffload.out}, in the same frame order, its final patch with {@code last}; a frame with
 * nothing to patch gets one patch with {@code enable = 0}. {@code value} is big-endian as on the
 * wire: {@code value[15:8]} is written at byte {@code offset} of the frame, {@code value[7:0]} at
 * {@code offset + 1}. Offsets may be odd; the engine only emits patches that lie inside the frame
 * (both bytes). A frame's patch packet may arrive before or after the frame's last beat; the frame
 * buffer releases the frame once it has both.
 */
public class Patch extends Bundle {
    /** Bits of {@link #offset}: frames up to 16 KiB. */
    public static final int OFFSET_BITS = 14;

    /** Write this patch (0: a placeholder, nothing to write). */
    public final Bool enable = bool();
    /** Byte offset in the frame of the value's first (high) byte. */
    public final UInt offset = uint(OFFSET_BITS);
    /** The value, big-endian: bits 15:8 at {@code offset}, bits 7:0 at {@code offset + 1}. */
    public final UInt value = uint(16);
}

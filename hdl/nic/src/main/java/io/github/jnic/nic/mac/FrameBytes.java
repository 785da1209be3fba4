package io.github.jnic.nic.mac;

import static io.github.jnic.jhdl.Hdl.bool;
import static io.github.jnic.jhdl.Hdl.uint;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Bundle;
import io.github.jnic.jhdl.UInt;

/**
 * Frames as a stream of bytes, one per beat: {@code last} marks a frame's final byte and
 * {@code error} says the frame is bad (set on its last beat, or on the beat where it went bad).
 * This is the receive side's output, which cannot be held back; {@link FrameStream} adds
 * {@code ready} for the transmit side.
 */
public class FrameBytes extends Bundle {
    public final Bool valid = bool();
    public final UInt data = uint(8);
    public final Bool last = bool();
    public final Bool error = bool();
}

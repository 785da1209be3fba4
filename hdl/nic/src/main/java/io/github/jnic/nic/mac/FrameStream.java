package io.github.jnic.nic.mac;

import static io.github.jnic.jhdl.Hdl.bool;
import static io.github.jnic.jhdl.Hdl.uint;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Bundle;
import io.github.jnic.jhdl.UInt;

/**
 * Frames as a ready/valid stream of bytes: a beat moves when {@code valid} and {@code ready} are
 * both high; {@code last} marks a frame's final byte and {@code error} asks the MAC to send the
 * frame as bad.
 */
public class FrameStream extends Bundle {
    public final Bool valid = bool();
    public final Bool ready = flip(bool());
    public final UInt data = uint(8);
    public final Bool last = bool();
    public final Bool error = bool();
}

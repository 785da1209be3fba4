package io.github.jnic.nic.mac;

import static io.github.jnic.jhdl.Hdl.bool;
import static io.github.jnic.jhdl.Hdl.uint;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Bundle;
import io.github.jnic.jhdl.UInt;

/**
 * One frame's end as the MAC saw it, for statistics kept in another clock domain (the card's
 * register file): carried as a {@code Flow}, one beat per frame, across a small clock-crossing
 * FIFO (a frame takes at least 84 byte times, so the FIFO never fills).
 */
public class FrameEvent extends Bundle {
    /** The frame was bad: on receive an FCS error, runt, oversize or PHY error; on transmit an underrun or error flag. */
    public final Bool bad = bool();
    public final Bool fcsError = bool();
    public final Bool runt = bool();
    public final Bool oversize = bool();
    public final Bool phyError = bool();
    /** The destination address's group bit (byte 0, bit 0): multicast or broadcast. */
    public final Bool multicast = bool();
    /** The destination is ff:ff:ff:ff:ff:ff. */
    public final Bool broadcast = bool();
    /** Bytes from the destination address to the FCS included. */
    public final UInt octets = uint(MacRx.LENGTH_BITS);
}

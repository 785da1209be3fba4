package io.github.jnic.nic.phy;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;

/**
 * RGMII receive adapter at 1000 Mb/s: RXD's low nibble is taken on the rising edge of RXC and the
 * high nibble on the falling edge; RX_CTL is RX_DV on the rising edge and RX_DV xor RX_ER on the
 * falling edge. The PHY's RX delay (or the board's) is expected to centre RXC on the data.
 */
public class RgmiiRx extends Module {
    /** RXC, as a signal (the DDR cells need it); it also clocks the receive side of the MAC. */
    public final Bool clock = input(bool());
    public final UInt rgmiiRxd = input(uint(4));
    public final Bool rgmiiRxCtl = input(bool());

    public final UInt rxd = output(uint(8));
    public final Bool rxDv = output(bool());
    public final Bool rxEr = output(bool());

    /** 10/100 only: RXC carries a nibble per period. */
    public final Bool nibbleMode;
    /** 10/100 only: a byte time (always high at 1000 Mb/s). */
    public final Bool ce;
    /** 10/100 only: the frame that just ended had half a byte left over. */
    public final Bool oddNibble;

    final DdrInput pins;
    final MiiRx nibbles;

    public RgmiiRx(DdrVendor vendor) {
        this(vendor, false);
    }

    /**
     * With {@code tenHundred}, also 100 and 10 Mb/s: while {@link #nibbleMode} is high, RXC runs at
     * 25 or 2.5 MHz and carries one nibble per period on its rising edge (RX_CTL still RX_DV, then
     * RX_DV xor RX_ER on the falling edge); the nibbles are paired into bytes as on MII ({@link MiiRx}),
     * with {@link #ce} marking the byte times and {@link #oddNibble} a frame that ended half-way.
     */
    public RgmiiRx(DdrVendor vendor, boolean tenHundred) {
        pins = new DdrInput(5, vendor);
        pins.clock.assign(clock);
        pins.d.assign(cat(rgmiiRxCtl, rgmiiRxd).asUInt());
        UInt byteData = cat(pins.q1.slice(3, 0), pins.q0.slice(3, 0)).asUInt().named("byteData");
        Bool byteDv = pins.q0.bit(4);
        Bool byteEr = pins.q0.bit(4).xor(pins.q1.bit(4)).named("byteEr");
        if (!tenHundred) {
            nibbleMode = null;
            ce = null;
            oddNibble = null;
            nibbles = null;
            rxd.assign(byteData);
            rxDv.assign(byteDv);
            rxEr.assign(byteEr);
            return;
        }
        nibbleMode = input(bool());
        ce = output(bool());
        oddNibble = output(bool());
        nibbles = new MiiRx().named("nibbles");
        nibbles.miiRxd.assign(pins.q0.slice(3, 0));
        nibbles.miiRxDv.assign(byteDv);
        nibbles.miiRxEr.assign(byteEr);
        rxd.assign(mux(nibbleMode, nibbles.rxd, byteData));
        rxDv.assign(mux(nibbleMode, nibbles.rxDv, byteDv));
        rxEr.assign(mux(nibbleMode, nibbles.rxEr, byteEr));
        ce.assign(mux(nibbleMode, nibbles.ce, bool(true)));
        oddNibble.assign(nibbleMode.and(nibbles.oddNibble));
    }
}

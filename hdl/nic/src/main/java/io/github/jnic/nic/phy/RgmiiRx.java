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

    final DdrInput pins;

    public RgmiiRx(DdrVendor vendor) {
        pins = new DdrInput(5, vendor);
        pins.clock.assign(clock);
        pins.d.assign(cat(rgmiiRxCtl, rgmiiRxd).asUInt());
        rxd.assign(cat(pins.q1.slice(3, 0), pins.q0.slice(3, 0)).asUInt());
        rxDv.assign(pins.q0.bit(4));
        rxEr.assign(pins.q0.bit(4).xor(pins.q1.bit(4)));
    }
}

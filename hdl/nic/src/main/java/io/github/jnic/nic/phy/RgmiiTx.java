package io.github.jnic.nic.phy;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;

/**
 * RGMII transmit adapter at 1000 Mb/s (125 MHz, a byte every clock): the low nibble goes out on
 * the rising edge and the high nibble on the falling edge; TX_CTL carries TX_EN on the rising edge
 * and TX_EN xor TX_ER on the falling edge. TXC is forwarded through a DDR cell (1 then 0), edge
 * aligned: the PHY's internal TX delay (or a board delay) centres it on the data.
 */
public class RgmiiTx extends Module {
    /** The transmit clock, as a signal (the DDR cells need it). */
    public final Bool clock = input(bool());
    public final UInt txd = input(uint(8));
    public final Bool txEn = input(bool());
    public final Bool txEr = input(bool());

    public final UInt rgmiiTxd = output(uint(4));
    public final Bool rgmiiTxCtl = output(bool());
    public final Bool rgmiiTxc = output(bool());

    final DdrOutput data;
    final DdrOutput control;

    public RgmiiTx(DdrVendor vendor) {
        data = new DdrOutput(4, vendor);
        control = new DdrOutput(2, vendor);
        data.clock.assign(clock);
        data.d0.assign(txd.slice(3, 0));
        data.d1.assign(txd.slice(7, 4));
        rgmiiTxd.assign(data.q);
        control.clock.assign(clock);
        control.d0.assign(cat(txEn, bool(true)).asUInt());
        control.d1.assign(cat(txEn.xor(txEr), bool(false)).asUInt());
        rgmiiTxCtl.assign(control.q.bit(1));
        rgmiiTxc.assign(control.q.bit(0));
    }
}

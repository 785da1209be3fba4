package io.github.jnic.nic.phy;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;

/**
 * MII transmit adapter (4 bits per clock of the PHY's TX_CLK, 25 MHz at 100 Mb/s, 2.5 MHz at
 * 10 Mb/s): asks the MAC for a byte every second clock ({@code ce}) and sends it low nibble first.
 */
public class MiiTx extends Module {
    /** The MAC's byte, which changes after each clock with {@code ce}. */
    public final UInt txd = input(uint(8));
    public final Bool txEn = input(bool());
    public final Bool txEr = input(bool());
    public final Bool ce = output(bool());

    public final UInt miiTxd = output(reg(uint(4), 0));
    public final Bool miiTxEn = output(reg(bool(), false));
    public final Bool miiTxEr = output(reg(bool(), false));

    final Bool highNibble = reg(bool(), false);

    public MiiTx() {
        highNibble.next(highNibble.not());
        ce.assign(highNibble);
        miiTxd.next(mux(highNibble, txd.slice(7, 4), txd.slice(3, 0)));
        miiTxEn.next(txEn);
        miiTxEr.next(txEr);
    }
}

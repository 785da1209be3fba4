package io.github.jnic.nic.mac;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.ClockDomain;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.nic.phy.MiiRx;
import io.github.jnic.nic.phy.MiiTx;

/**
 * The MAC on MII (4 bits per clock; the PHY gives TX_CLK and RX_CLK at 25 MHz for 100 Mb/s or
 * 2.5 MHz for 10 Mb/s, so the speed needs no setting here).
 */
public class MiiMac extends EthernetMac {
    public static final ClockDomain TX = ClockDomain.external("txClk").withSyncReset("txReset");
    public static final ClockDomain RX = ClockDomain.external("rxClk").withSyncReset("rxReset");

    public final UInt miiTxd = output(uint(4));
    public final Bool miiTxEn = output(bool());
    public final Bool miiTxEr = output(bool());
    public final UInt miiRxd = input(uint(4));
    public final Bool miiRxDv = input(bool());
    public final Bool miiRxEr = input(bool());

    MiiTx txPhy;
    MiiRx rxPhy;

    public MiiMac() {
        this(TX, RX);
    }

    /** In the domains of the PHY's two clocks as the module around it has them (a board top's, with its own resets). */
    public MiiMac(ClockDomain tx, ClockDomain rx) {
        build(tx, rx);
        withDomain(tx, () -> txPhy = new MiiTx());
        withDomain(rx, () -> rxPhy = new MiiRx());
        macTx.ce.assign(txPhy.ce);
        txPhy.txd.assign(macTx.txd);
        txPhy.txEn.assign(macTx.txEn);
        txPhy.txEr.assign(macTx.txEr);
        miiTxd.assign(txPhy.miiTxd);
        miiTxEn.assign(txPhy.miiTxEn);
        miiTxEr.assign(txPhy.miiTxEr);

        rxPhy.miiRxd.assign(miiRxd);
        rxPhy.miiRxDv.assign(miiRxDv);
        rxPhy.miiRxEr.assign(miiRxEr);
        macRx.ce.assign(rxPhy.ce);
        macRx.rxd.assign(rxPhy.rxd);
        macRx.rxDv.assign(rxPhy.rxDv);
        macRx.rxEr.assign(rxPhy.rxEr);
        macRx.oddNibble.assign(rxPhy.oddNibble);
    }
}

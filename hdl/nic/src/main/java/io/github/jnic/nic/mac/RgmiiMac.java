package io.github.jnic.nic.mac;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.ClockDomain;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.nic.phy.DdrVendor;
import io.github.jnic.nic.phy.RgmiiRx;
import io.github.jnic.nic.phy.RgmiiTx;

/**
 * The MAC on RGMII at 1000 Mb/s (4 bits on both edges of 125 MHz clocks). The clocks are ports
 * the design also uses as signals, because the DDR cells ({@link DdrVendor}) take them: the
 * transmit side runs on {@code txClk}, the receive side on the PHY's {@code rgmiiRxc}.
 */
public class RgmiiMac extends EthernetMac {
    public final Bool txClk = input(bool());
    public final Bool txReset = input(bool());
    public final Bool rgmiiRxc = input(bool());
    public final Bool rxReset = input(bool());
    public final UInt rgmiiTxd = output(uint(4));
    public final Bool rgmiiTxCtl = output(bool());
    public final Bool rgmiiTxc = output(bool());
    public final UInt rgmiiRxd = input(uint(4));
    public final Bool rgmiiRxCtl = input(bool());

    final RgmiiTx txPhy;
    final RgmiiRx rxPhy;

    public RgmiiMac(DdrVendor vendor) {
        ClockDomain tx = ClockDomain.internal("txClk", txClk).withSyncReset("txReset", txReset);
        ClockDomain rx = ClockDomain.internal("rxClk", rgmiiRxc).withSyncReset("rxReset", rxReset);
        build(tx, rx);
        RgmiiTx[] t = new RgmiiTx[1];
        RgmiiRx[] r = new RgmiiRx[1];
        withDomain(tx, () -> t[0] = new RgmiiTx(vendor));
        withDomain(rx, () -> r[0] = new RgmiiRx(vendor));
        txPhy = t[0];
        rxPhy = r[0];

        macTx.ce.assign(true);
        txPhy.clock.assign(txClk);
        txPhy.txd.assign(macTx.txd);
        txPhy.txEn.assign(macTx.txEn);
        txPhy.txEr.assign(macTx.txEr);
        rgmiiTxd.assign(txPhy.rgmiiTxd);
        rgmiiTxCtl.assign(txPhy.rgmiiTxCtl);
        rgmiiTxc.assign(txPhy.rgmiiTxc);

        rxPhy.clock.assign(rgmiiRxc);
        rxPhy.rgmiiRxd.assign(rgmiiRxd);
        rxPhy.rgmiiRxCtl.assign(rgmiiRxCtl);
        macRx.ce.assign(true);
        macRx.rxd.assign(rxPhy.rxd);
        macRx.rxDv.assign(rxPhy.rxDv);
        macRx.rxEr.assign(rxPhy.rxEr);
        macRx.oddNibble.assign(false);
    }
}

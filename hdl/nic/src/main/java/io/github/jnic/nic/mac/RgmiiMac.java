package io.github.jnic.nic.mac;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.ClockDomain;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.lib.Synchronizer;
import io.github.jnic.nic.mdio.PhyMonitor;
import io.github.jnic.nic.phy.DdrVendor;
import io.github.jnic.nic.phy.RgmiiRx;
import io.github.jnic.nic.phy.RgmiiTx;

/**
 * The MAC on RGMII at 1000 Mb/s (4 bits on both edges of 125 MHz clocks), and if asked at 100 and
 * 10 Mb/s too (a nibble per period of a 25 or 2.5 MHz clock). The clocks are ports
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

    /**
     * 10/100 capable MACs only: the link's speed as {@link PhyMonitor} resolves it ({@code SPEED_10},
     * {@code SPEED_100}, {@code SPEED_1000}), from any domain: it is synchronized into both.
     */
    public final UInt speed;

    final RgmiiTx txPhy;
    final RgmiiRx rxPhy;

    public RgmiiMac(DdrVendor vendor) {
        this(vendor, false);
    }

    /** With {@code tenHundred}, also 100 and 10 Mb/s ({@link #speed}; RGMII's nibble mode, see {@link RgmiiTx}, {@link RgmiiRx}). */
    public RgmiiMac(DdrVendor vendor, boolean tenHundred) {
        speed = tenHundred ? input(uint(2)) : null;
        ClockDomain tx = ClockDomain.internal("txClk", txClk).withSyncReset("txReset", txReset);
        ClockDomain rx = ClockDomain.internal("rxClk", rgmiiRxc).withSyncReset("rxReset", rxReset);
        build(tx, rx);
        RgmiiTx[] t = new RgmiiTx[1];
        RgmiiRx[] r = new RgmiiRx[1];
        withDomain(tx, () -> t[0] = new RgmiiTx(vendor, tenHundred));
        withDomain(rx, () -> r[0] = new RgmiiRx(vendor, tenHundred));
        txPhy = t[0];
        rxPhy = r[0];

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
        macRx.rxd.assign(rxPhy.rxd);
        macRx.rxDv.assign(rxPhy.rxDv);
        macRx.rxEr.assign(rxPhy.rxEr);
        if (!tenHundred) {
            macTx.ce.assign(true);
            macRx.ce.assign(true);
            macRx.oddNibble.assign(false);
            return;
        }
        // carried as speed xor SPEED_1000, so that the synchronizers' reset value 0 means 1000 Mb/s:
        // under reset and until told otherwise the MAC is the gigabit one
        UInt fromGigabit = speed.xor(U(2, PhyMonitor.SPEED_1000)).named("speedFromGigabit");
        Synchronizer txSpeed = new Synchronizer(tx, 2, 2).named("txSpeed");
        txSpeed.in.assign(fromGigabit);
        Synchronizer rxSpeed = new Synchronizer(rx, 2, 2).named("rxSpeed");
        rxSpeed.in.assign(fromGigabit);
        txPhy.nibbleMode.assign(txSpeed.out.ne(0));
        txPhy.speed10.assign(txSpeed.out.eq(PhyMonitor.SPEED_10 ^ PhyMonitor.SPEED_1000));
        macTx.ce.assign(txPhy.ce);
        rxPhy.nibbleMode.assign(rxSpeed.out.ne(0));
        macRx.ce.assign(rxPhy.ce);
        macRx.oddNibble.assign(rxPhy.oddNibble);
    }
}

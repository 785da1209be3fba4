package io.github.jnic.nic.mac;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.ClockDomain;
import io.github.jnic.jhdl.UInt;

/**
 * The MAC on GMII (8 bits at 125 MHz, 1000 Mb/s): a byte every clock each way. The transmit side
 * runs on {@code txClk} (the GTX clock the board also gives the PHY), the receive side on the PHY's
 * {@code rxClk}. The receive pins are registered once before the MAC.
 */
public class GmiiMac extends EthernetMac {
    public static final ClockDomain TX = ClockDomain.external("txClk").withSyncReset("txReset");
    public static final ClockDomain RX = ClockDomain.external("rxClk").withSyncReset("rxReset");

    public final UInt gmiiTxd = output(uint(8));
    public final Bool gmiiTxEn = output(bool());
    public final Bool gmiiTxEr = output(bool());
    public final UInt gmiiRxd = input(uint(8));
    public final Bool gmiiRxDv = input(bool());
    public final Bool gmiiRxEr = input(bool());

    public GmiiMac() {
        build(TX, RX);
        macTx.ce.assign(true);
        gmiiTxd.assign(macTx.txd);
        gmiiTxEn.assign(macTx.txEn);
        gmiiTxEr.assign(macTx.txEr);

        withDomain(RX, () -> {
            UInt rxd = reg(uint(8), 0).named("rxd");
            Bool rxDv = reg(bool(), false).named("rxDv");
            Bool rxEr = reg(bool(), false).named("rxEr");
            rxd.next(gmiiRxd);
            rxDv.next(gmiiRxDv);
            rxEr.next(gmiiRxEr);
            macRx.ce.assign(true);
            macRx.rxd.assign(rxd);
            macRx.rxDv.assign(rxDv);
            macRx.rxEr.assign(rxEr);
            macRx.oddNibble.assign(false);
        });
    }
}

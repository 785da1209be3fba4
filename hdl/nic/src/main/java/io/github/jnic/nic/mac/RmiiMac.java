package io.github.jnic.nic.mac;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.ClockDomain;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.nic.phy.RmiiRx;
import io.github.jnic.nic.phy.RmiiTx;

/**
 * The MAC on RMII (2 bits per clock of the 50 MHz reference clock, both directions): 100 Mb/s, or
 * 10 Mb/s with {@code speed10}. RMII has no TX_ER; RX_ER is optional on PHYs (tie it low if absent).
 */
public class RmiiMac extends EthernetMac {
    public static final ClockDomain REF = ClockDomain.external("refClk").withSyncReset("reset");

    public final Bool speed10 = input(bool());
    public final UInt rmiiTxd = output(uint(2));
    public final Bool rmiiTxEn = output(bool());
    public final UInt rmiiRxd = input(uint(2));
    public final Bool rmiiCrsDv = input(bool());
    public final Bool rmiiRxEr = input(bool());

    RmiiTx txPhy;
    RmiiRx rxPhy;

    public RmiiMac() {
        this(REF);
    }

    /** In the reference clock's domain as the module around it has it (a board top's, with its own reset). */
    public RmiiMac(ClockDomain ref) {
        build(ref, ref);
        withDomain(ref, () -> {
            txPhy = new RmiiTx();
            rxPhy = new RmiiRx();
        });
        txPhy.speed10.assign(speed10);
        macTx.ce.assign(txPhy.ce);
        txPhy.txd.assign(macTx.txd);
        txPhy.txEn.assign(macTx.txEn);
        rmiiTxd.assign(txPhy.rmiiTxd);
        rmiiTxEn.assign(txPhy.rmiiTxEn);

        rxPhy.speed10.assign(speed10);
        rxPhy.rmiiRxd.assign(rmiiRxd);
        rxPhy.rmiiCrsDv.assign(rmiiCrsDv);
        rxPhy.rmiiRxEr.assign(rmiiRxEr);
        macRx.ce.assign(rxPhy.ce);
        macRx.rxd.assign(rxPhy.rxd);
        macRx.rxDv.assign(rxPhy.rxDv);
        macRx.rxEr.assign(rxPhy.rxEr);
        macRx.oddNibble.assign(rxPhy.oddNibble);
    }
}

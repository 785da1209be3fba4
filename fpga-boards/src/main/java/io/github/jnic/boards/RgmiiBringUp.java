package io.github.jnic.boards;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.ClockDomain;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.lib.PulseSynchronizer;
import io.github.jnic.nic.mac.RgmiiMac;
import io.github.jnic.nic.mdio.PhyMonitor;
import io.github.jnic.nic.phy.DdrVendor;

/**
 * The bring-up image of the ECP5 boards with two RGMII PHYs (Colorlight 5A-75B, i5): each port sends
 * back every frame it receives (port 0 at the speed its PHY negotiated, 10, 100 or 1000 Mb/s; port 1
 * at 1000), a {@link PhyMonitor} watches port 0's PHY over MDIO and
 * the LED shows its link and the activity of both ports ({@link StatusLed}). An EHXPLLL makes the
 * 125 MHz transmit clock and the 62.5 MHz system clock from the board's 25 MHz; each port's receive
 * side runs on its PHY's RXC. The PHYs' shared reset is never asserted: on the 5A-75B v8.0 the
 * 25 MHz clock itself comes from a PHY.
 */
public class RgmiiBringUp extends Module {
    public static final double INPUT_MHZ = 25, TX_MHZ = 125, SYSTEM_MHZ = 62.5;

    public final Bool clk25 = input(bool());
    public final Bool led = output(bool());
    public final Bool phyReset = output(bool());
    public final Bool mdc = output(bool());
    public final Bool mdioOut = output(bool());
    public final Bool mdioOe = output(bool());
    public final Bool mdioIn = input(bool());
    public final Bool eth0Txc = output(bool());
    public final Bool eth0TxCtl = output(bool());
    public final UInt eth0Txd = output(uint(4));
    public final Bool eth0Rxc = input(bool());
    public final Bool eth0RxCtl = input(bool());
    public final UInt eth0Rxd = input(uint(4));
    public final Bool eth1Txc = output(bool());
    public final Bool eth1TxCtl = output(bool());
    public final UInt eth1Txd = output(uint(4));
    public final Bool eth1Rxc = input(bool());
    public final Bool eth1RxCtl = input(bool());
    public final UInt eth1Rxd = input(uint(4));

    final Ecp5Pll pll;
    final PhyMonitor monitor;

    /** @param phyAddress the MDIO address of port 0's PHY */
    public RgmiiBringUp(int phyAddress) {
        pll = new Ecp5Pll(Ecp5Pll.configure(INPUT_MHZ, TX_MHZ, SYSTEM_MHZ)).named("pll");
        pll.clockIn.assign(clk25);
        pll.feedback.assign(pll.primary);
        pll.reset.assign(false);
        pll.standby.assign(false);
        ClockDomain tx = BringUp.domain("tx", pll.primary, pll.locked);
        ClockDomain system = BringUp.domain("system", pll.secondary, pll.locked);
        ClockDomain rx0 = BringUp.domain("rx0", eth0Rxc, pll.locked);
        ClockDomain rx1 = BringUp.domain("rx1", eth1Rxc, pll.locked);

        RgmiiMac mac0 = port(tx, rx0, eth0Rxc, eth0RxCtl, eth0Rxd, "mac0");
        eth0Txc.assign(mac0.rgmiiTxc);
        eth0TxCtl.assign(mac0.rgmiiTxCtl);
        eth0Txd.assign(mac0.rgmiiTxd);
        RgmiiMac mac1 = port(tx, rx1, eth1Rxc, eth1RxCtl, eth1Rxd, "mac1");
        eth1Txc.assign(mac1.rgmiiTxc);
        eth1TxCtl.assign(mac1.rgmiiTxCtl);
        eth1Txd.assign(mac1.rgmiiTxd);

        PulseSynchronizer frames0 = new PulseSynchronizer(rx0, system).named("frames0");
        frames0.in.assign(BringUp.echo(mac0, rx0, tx, "echo0"));
        PulseSynchronizer frames1 = new PulseSynchronizer(rx1, system).named("frames1");
        frames1.in.assign(BringUp.echo(mac1, rx1, tx, "echo1"));

        PhyMonitor[] m = new PhyMonitor[1];
        StatusLed[] status = new StatusLed[1];
        withDomain(system, () -> {
            // MDC at 62.5 MHz / 26 = 2.4 MHz (802.3 allows 2.5); a poll every 10 ms
            m[0] = new PhyMonitor(13, 625_000).named("phyMonitor");
            status[0] = new StatusLed((long) (SYSTEM_MHZ * 1e6)).named("status");
        });
        monitor = m[0];
        monitor.phyAddress.assign(phyAddress);
        monitor.gigabit.assign(true);
        monitor.commandStart.assign(false);
        monitor.commandWrite.assign(false);
        monitor.commandPhy.assign(0);
        monitor.commandRegister.assign(0);
        monitor.commandData.assign(0);
        mdc.assign(monitor.mdc);
        mdioOut.assign(monitor.mdioOut);
        mdioOe.assign(monitor.mdioOe);
        monitor.mdioIn.assign(mdioIn);
        status[0].linkUp.assign(monitor.linkUp);
        status[0].activity.assign(frames0.out.or(frames1.out));
        led.assign(status[0].on);
        phyReset.assign(false);
        // port 0 follows what its PHY negotiated; port 1's PHY is not polled (one MDIO master, one
        // PHY watched), so it stays at 1000 Mb/s
        mac0.speed.assign(monitor.speed);
        mac1.speed.assign(PhyMonitor.SPEED_1000);
    }

    private RgmiiMac port(ClockDomain tx, ClockDomain rx, Bool rxc, Bool rxCtl, UInt rxd, String name) {
        RgmiiMac mac = new RgmiiMac(DdrVendor.ECP5, true).named(name);
        mac.txClk.assign(pll.primary);
        mac.txReset.assign(tx.resetSignal());
        mac.rgmiiRxc.assign(rxc);
        mac.rxReset.assign(rx.resetSignal());
        mac.rgmiiRxCtl.assign(rxCtl);
        mac.rgmiiRxd.assign(rxd);
        return mac;
    }
}

package io.github.jnic.boards;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.ClockDomain;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.lib.PulseSynchronizer;
import io.github.jnic.jhdl.lib.Synchronizer;
import io.github.jnic.nic.mac.RmiiMac;
import io.github.jnic.nic.mdio.PhyMonitor;

/**
 * The bring-up image of the iCEBreaker with a LAN8720 RMII module: frames received are sent back
 * (100 or 10 Mb/s, as the PHY negotiated: {@link PhyMonitor} reads it over MDIO and sets the MAC's
 * speed), the green LED shows link and activity ({@link StatusLed}) and the red one lights while the
 * link is at 10 Mb/s. The MAC runs on the module's 50 MHz reference clock (on a global-buffer pin);
 * the system side (the PHY monitor, the LEDs) on an SB_PLL40_PAD from the board's 12 MHz.
 */
public class RmiiBringUp extends Module {
    public static final double INPUT_MHZ = 12, SYSTEM_MHZ = 25;

    public final Bool clk12 = input(bool());
    public final Bool ledGreen = output(bool());
    public final Bool ledRed = output(bool());
    public final Bool refClk = input(bool());
    public final UInt rmiiTxd = output(uint(2));
    public final Bool rmiiTxEn = output(bool());
    public final UInt rmiiRxd = input(uint(2));
    public final Bool rmiiCrsDv = input(bool());
    public final Bool mdc = output(bool());
    public final Bool mdioOut = output(bool());
    public final Bool mdioOe = output(bool());
    public final Bool mdioIn = input(bool());

    final Ice40Pll pll;

    /** @param phyAddress the LAN8720's MDIO address (its PHYAD0 strap: 0 or 1) */
    public RmiiBringUp(int phyAddress) {
        pll = new Ice40Pll(Ice40Pll.configure(INPUT_MHZ, SYSTEM_MHZ), true).named("pll");
        pll.clockIn.assign(clk12);
        pll.resetN.assign(true);
        pll.bypass.assign(false);
        ClockDomain system = BringUp.domain("system", pll.output, pll.locked);
        ClockDomain ref = BringUp.domain("ref", refClk, bool(true));

        RmiiMac mac = new RmiiMac(ref).named("mac");
        rmiiTxd.assign(mac.rmiiTxd);
        rmiiTxEn.assign(mac.rmiiTxEn);
        mac.rmiiRxd.assign(rmiiRxd);
        mac.rmiiCrsDv.assign(rmiiCrsDv);
        mac.rmiiRxEr.assign(false);
        PulseSynchronizer frames = new PulseSynchronizer(ref, system).named("frames");
        frames.in.assign(BringUp.echo(mac, ref, ref, "echo"));

        PhyMonitor[] m = new PhyMonitor[1];
        StatusLed[] status = new StatusLed[1];
        withDomain(system, () -> {
            // MDC at 25 MHz / 12 = 2.1 MHz; a poll every 10 ms
            m[0] = new PhyMonitor(6, 250_000).named("phyMonitor");
            status[0] = new StatusLed((long) (SYSTEM_MHZ * 1e6)).named("status");
        });
        PhyMonitor monitor = m[0];
        monitor.phyAddress.assign(phyAddress);
        monitor.gigabit.assign(false);
        monitor.commandStart.assign(false);
        monitor.commandWrite.assign(false);
        monitor.commandPhy.assign(0);
        monitor.commandRegister.assign(0);
        monitor.commandData.assign(0);
        mdc.assign(monitor.mdc);
        mdioOut.assign(monitor.mdioOut);
        mdioOe.assign(monitor.mdioOe);
        monitor.mdioIn.assign(mdioIn);
        Bool at10 = monitor.linkUp.and(monitor.speed.eq(PhyMonitor.SPEED_10)).named("at10");
        Synchronizer speed10 = new Synchronizer(ref, 1, 2).named("speed10Sync");
        speed10.in.assign(at10.asUInt());
        mac.speed10.assign(speed10.out.bit(0));
        status[0].linkUp.assign(monitor.linkUp);
        status[0].activity.assign(frames.out);
        ledGreen.assign(status[0].on);
        ledRed.assign(at10);
    }
}

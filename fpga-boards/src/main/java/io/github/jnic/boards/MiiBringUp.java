package io.github.jnic.boards;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.ClockDomain;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.lib.PulseSynchronizer;
import io.github.jnic.nic.mac.MiiMac;
import io.github.jnic.nic.mdio.PhyMonitor;

/**
 * The bring-up image of the Arty A7-35T's DP83848 (MII, 10/100): frames received are sent back, the
 * LED shows link and activity. The PHY's 25 MHz reference is the board's 100 MHz divided by four
 * (a register, so the clock leaves the FPGA from a flip-flop); the MAC runs on the PHY's TX_CLK and
 * RX_CLK, the PHY monitor on the 100 MHz clock.
 */
public class MiiBringUp extends Module {
    public static final double SYSTEM_MHZ = 100;

    public final Bool clk100 = input(bool());
    public final Bool led = output(bool());
    public final Bool ethRefClk = output(bool());
    public final Bool phyReset = output(bool());
    public final Bool ethTxClk = input(bool());
    public final Bool ethRxClk = input(bool());
    public final UInt miiTxd = output(uint(4));
    public final Bool miiTxEn = output(bool());
    public final UInt miiRxd = input(uint(4));
    public final Bool miiRxDv = input(bool());
    public final Bool miiRxEr = input(bool());
    public final Bool mdc = output(bool());
    public final Bool mdioOut = output(bool());
    public final Bool mdioOe = output(bool());
    public final Bool mdioIn = input(bool());

    public MiiBringUp(int phyAddress) {
        ClockDomain system = BringUp.domain("system", clk100, bool(true));
        ClockDomain tx = BringUp.domain("tx", ethTxClk, bool(true));
        ClockDomain rx = BringUp.domain("rx", ethRxClk, bool(true));
        MiiMac mac = new MiiMac(tx, rx).named("mac");
        miiTxd.assign(mac.miiTxd);
        miiTxEn.assign(mac.miiTxEn);
        mac.miiRxd.assign(miiRxd);
        mac.miiRxDv.assign(miiRxDv);
        mac.miiRxEr.assign(miiRxEr);
        PulseSynchronizer frames = new PulseSynchronizer(rx, system).named("frames");
        frames.in.assign(BringUp.echo(mac, rx, tx, "echo"));

        PhyMonitor[] m = new PhyMonitor[1];
        StatusLed[] status = new StatusLed[1];
        withDomain(system, () -> {
            UInt divider = reg(uint(2), 0).named("refDivider");
            divider.next(divider.plus(1));
            ethRefClk.assign(divider.bit(1));
            // MDC at 100 MHz / 40 = 2.5 MHz; a poll every 10 ms
            m[0] = new PhyMonitor(20, 1_000_000).named("phyMonitor");
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
        status[0].linkUp.assign(monitor.linkUp);
        status[0].activity.assign(frames.out);
        led.assign(status[0].on);
        phyReset.assign(false);
    }
}

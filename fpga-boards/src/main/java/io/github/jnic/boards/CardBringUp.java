package io.github.jnic.boards;

import io.github.jnic.jhdl.Bits;
import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.ClockDomain;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.Signal;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.lib.Stream;
import io.github.jnic.nic.card.Nic;
import io.github.jnic.nic.phy.DdrVendor;
import java.util.ArrayList;
import java.util.List;

/**
 * The card on a Colorlight board, for its size and timing: {@link Nic} on port 0's RGMII PHY, its
 * system domain on the PLL's 62.5 MHz and its transmit side on 125 MHz. It has no host link yet:
 * the card's host side (the AXI4-Lite register port, the AXI4 DMA master, the interrupt) is reached
 * through a scan chain on three pins instead ({@code scanIn}, {@code scanLoad}, {@code scanOut}: every
 * input of the card's host side held in a register loaded from a shift register, every output
 * captured into one and shifted out), which keeps all of the card in the netlist with registered
 * boundaries. It is a measuring harness, not a way to drive the card; port 1 is where the host
 * link will go.
 */
public class CardBringUp extends Module {
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
    public final Bool scanIn = input(bool());
    public final Bool scanLoad = input(bool());
    public final Bool scanOut = output(bool());

    final Nic card;
    /** Bits the scan chain drives into the card and captures from it. */
    public final int scanInBits, scanOutBits;

    public CardBringUp(int phyAddress) {
        this(phyAddress, true);
    }

    /** {@code offload}: with the card's offload engines ({@link Nic.Config#offload}). */
    public CardBringUp(int phyAddress, boolean offload) {
        Ecp5Pll pll = new Ecp5Pll(Ecp5Pll.configure(RgmiiBringUp.INPUT_MHZ, RgmiiBringUp.TX_MHZ, RgmiiBringUp.SYSTEM_MHZ)).named("pll");
        pll.clockIn.assign(clk25);
        pll.feedback.assign(pll.primary);
        pll.reset.assign(false);
        pll.standby.assign(false);
        ClockDomain tx = BringUp.domain("tx", pll.primary, pll.locked);
        ClockDomain system = BringUp.domain("system", pll.secondary, pll.locked);
        ClockDomain rx = BringUp.domain("rx0", eth0Rxc, pll.locked);

        Nic.Config c = new Nic.Config().phy(Nic.Phy.RGMII);
        c.vendor = DdrVendor.ECP5;
        c.systemHz = (long) (RgmiiBringUp.SYSTEM_MHZ * 1e6);
        c.phyAddress = phyAddress;
        c.offload = offload;
        Nic[] n = new Nic[1];
        withDomain(system, () -> n[0] = new Nic(c).named("card"));
        card = n[0];
        card.phyPin("txClk").assignFrom(pll.primary);
        card.phyPin("txReset").assignFrom(tx.resetSignal());
        card.phyPin("rgmiiRxc").assignFrom(eth0Rxc);
        card.phyPin("rxReset").assignFrom(rx.resetSignal());
        card.phyPin("rgmiiRxCtl").assignFrom(eth0RxCtl);
        card.phyPin("rgmiiRxd").assignFrom(eth0Rxd);
        eth0Txc.assign((Bool) card.phyPin("rgmiiTxc"));
        eth0TxCtl.assign((Bool) card.phyPin("rgmiiTxCtl"));
        eth0Txd.assign((UInt) card.phyPin("rgmiiTxd"));
        mdc.assign(card.mdc);
        mdioOut.assign(card.mdioOut);
        mdioOe.assign(card.mdioOe);
        card.mdioIn.assign(mdioIn);
        phyReset.assign(false);

        // the host side: what the card takes in and what it gives out
        List<Signal> into = new ArrayList<>(), outOf = new ArrayList<>();
        for (Stream<?> s : List.<Stream<?>>of(card.host.aw, card.host.w, card.host.ar)) split(s, into, outOf);
        for (Stream<?> s : List.<Stream<?>>of(card.host.b, card.host.r)) split(s, outOf, into);
        for (Stream<?> s : List.<Stream<?>>of(card.dma.aw, card.dma.w, card.dma.ar)) split(s, outOf, into);
        for (Stream<?> s : List.<Stream<?>>of(card.dma.b, card.dma.r)) split(s, into, outOf);
        outOf.add(card.irq); // (quiet, for simulators, is read across the card's domains: left out)
        scanInBits = into.stream().mapToInt(Signal::width).sum();
        scanOutBits = outOf.stream().mapToInt(Signal::width).sum();

        Bool[] ledOn = new Bool[1];
        withDomain(system, () -> {
            UInt shiftIn = reg(uint(scanInBits), 0).named("scanShiftIn");
            UInt held = reg(uint(scanInBits), 0).named("scanHeld");
            UInt captured = reg(uint(scanOutBits), 0).named("scanCaptured");
            shiftIn.next(cat(shiftIn.slice(scanInBits - 2, 0), scanIn).asUInt());
            Bits outputs = cat(outOf.toArray(new Signal[0]));
            when(scanLoad, () -> {
                held.next(shiftIn);
                captured.next(outputs.asUInt());
            }).otherwise(() -> captured.next(captured.shiftRight(1)));
            int at = 0;
            for (Signal s : into) {
                s.assignFrom(s instanceof Bool ? held.bit(at) : held.slice(at + s.width() - 1, at));
                at += s.width();
            }
            scanOut.assign(captured.bit(0));
            // the LED: the card's interrupt line, held by the scan chain's capture
            ledOn[0] = card.irq;
        });
        led.assign(ledOn[0]);
    }

    /** A stream's leaves: ready goes one way ({@code readyTo}), everything else the other ({@code rest}). */
    private static void split(Stream<?> s, List<Signal> rest, List<Signal> readyTo) {
        for (Signal leaf : s.leaves()) {
            if (leaf == s.ready) readyTo.add(leaf);
            else rest.add(leaf);
        }
    }
}

package io.github.jnic.boards;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.ClockDomain;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.lib.AsyncFifo;
import io.github.jnic.jhdl.lib.Flow;
import io.github.jnic.jhdl.lib.Stream;
import io.github.jnic.nic.card.Nic;
import io.github.jnic.nic.link.LinkBridge;
import io.github.jnic.nic.mac.RgmiiMac;
import io.github.jnic.nic.mdio.PhyMonitor;
import io.github.jnic.nic.phy.DdrVendor;
import io.github.jnic.nic.rx.RxFrame;
import io.github.jnic.nic.rx.RxFrameBuffer;
import io.github.jnic.nic.stream.Beat;
import io.github.jnic.nic.stream.Downsizer;
import io.github.jnic.nic.stream.Upsizer;

/**
 * The card on a Colorlight board, driven over its host link: {@link Nic} on port 0's RGMII PHY (the
 * network port), and on port 1 (the host link, 1000 Mb/s) a second RGMII MAC whose frames go
 * through a frame buffer to the {@link LinkBridge}, which carries the card's host side (its
 * AXI4-Lite registers, its AXI4 DMA master, its interrupt line) to and from the host as messages
 * of EtherType 0x88B5. The system domain (card and bridge) runs on the PLL's 62.5 MHz, both ports'
 * transmit sides on 125 MHz, each receive side on its PHY's RXC. The LED shows the network port's
 * link and activity ({@link StatusLed}: blinking without a link, steady with it, dark a moment for
 * each frame the card receives or sends).
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
    public final Bool eth1Txc = output(bool());
    public final Bool eth1TxCtl = output(bool());
    public final UInt eth1Txd = output(uint(4));
    public final Bool eth1Rxc = input(bool());
    public final Bool eth1RxCtl = input(bool());
    public final UInt eth1Rxd = input(uint(4));

    /** The link port's MAC address: locally administered, 02:4a:4e:42:00:01. */
    public static final byte[] LINK_ADDRESS = {0x02, 0x4a, 0x4e, 0x42, 0x00, 0x01};
    /** The bridge resends what the host has not acknowledged after 2 ms at 62.5 MHz. */
    public static final int LINK_TIMEOUT_CYCLES = 125_000;
    /** The link port's receive buffer: 4 KiB, 16 frames (a message is at most 1 058 bytes). */
    static final int LINK_BUFFER_BEATS = 512, LINK_BUFFER_FRAMES = 16;

    final Nic card;
    final LinkBridge bridge;

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
        ClockDomain rx1 = BringUp.domain("rx1", eth1Rxc, pll.locked);

        Nic.Config c = BringUp.card(Nic.Phy.RGMII, RgmiiBringUp.SYSTEM_MHZ, phyAddress);
        c.vendor = DdrVendor.ECP5;
        c.offload = offload;
        Nic[] n = new Nic[1];
        LinkBridge[] b = new LinkBridge[1];
        withDomain(system, () -> {
            n[0] = new Nic(c).named("card");
            b[0] = new LinkBridge(LINK_TIMEOUT_CYCLES, n[0].dma.idWidth).named("bridge");
        });
        card = n[0];
        bridge = b[0];
        card.phyPin("txClk").assignFrom(pll.primary);
        card.phyPin("txReset").assignFrom(tx.resetSignal());
        card.phyPin("rgmiiRxc").assignFrom(eth0Rxc);
        card.phyPin("rxReset").assignFrom(rx.resetSignal());
        card.phyPin("rgmiiRxCtl").assignFrom(eth0RxCtl);
        card.phyPin("rgmiiRxd").assignFrom(eth0Rxd);
        eth0Txc.assign((Bool) card.phyPin("rgmiiTxc"));
        eth0TxCtl.assign((Bool) card.phyPin("rgmiiTxCtl"));
        eth0Txd.assign((UInt) card.phyPin("rgmiiTxd"));
        BringUp.mdio(card, mdc, mdioOut, mdioOe, mdioIn);
        phyReset.assign(false);

        // ---- the host link on port 1 --------------------------------------------------------------
        RgmiiMac linkMac = new RgmiiMac(DdrVendor.ECP5, true).named("linkMac");
        linkMac.txClk.assign(pll.primary);
        linkMac.txReset.assign(tx.resetSignal());
        linkMac.rgmiiRxc.assign(eth1Rxc);
        linkMac.rxReset.assign(rx1.resetSignal());
        linkMac.rgmiiRxCtl.assign(eth1RxCtl);
        linkMac.rgmiiRxd.assign(eth1Rxd);
        eth1Txc.assign(linkMac.rgmiiTxc);
        eth1TxCtl.assign(linkMac.rgmiiTxCtl);
        eth1Txd.assign(linkMac.rgmiiTxd);
        linkMac.speed.assign(PhyMonitor.SPEED_1000);   // port 1's PHY is not polled: a cable to the host at 1000
        linkMac.ifg.assign(12);
        linkMac.jumbo.assign(false);
        linkMac.txStats.clear.assign(false);
        linkMac.txStats.select.assign(0);
        linkMac.rxStats.clear.assign(false);
        linkMac.rxStats.select.assign(0);

        // received: bytes to beats on RXC, across to the system clock, whole and good frames only
        Upsizer[] up = new Upsizer[1];
        withDomain(rx1, () -> {
            up[0] = new Upsizer(1).named("linkUpsizer");
            // registered once, so no path runs from the MAC's checks into the upsizer
            Flow<UInt> staged = linkMac.rx.stage();
            up[0].in.valid.assign(staged.valid);
            up[0].in.payload.assign(staged.payload);
            up[0].in.last.assign(staged.last);
            up[0].in.user.assign(staged.user);
        });
        AsyncFifo<Beat> rxCrossing = new AsyncFifo<>(Stream.packets(new Beat(), 1), 32, rx1, system).named("linkRxCrossing");
        up[0].out.connectTo(rxCrossing.in);
        AsyncFifo<Beat> txCrossing = new AsyncFifo<>(Stream.packets(new Beat()), 32, system, tx).named("linkTxCrossing");
        withDomain(system, () -> {
            RxFrameBuffer frames = new RxFrameBuffer(LINK_BUFFER_BEATS, LINK_BUFFER_FRAMES).named("linkFrames");
            frames.flush.assign(false);
            frames.in.valid.assign(rxCrossing.out.valid);
            frames.in.payload.connectFrom(rxCrossing.out.payload);
            frames.in.last.assign(rxCrossing.out.last);
            // the MAC's verdict (FCS, length, alignment) on the last beat: a bad frame never reaches the bridge
            frames.in.user.assign(mux(rxCrossing.out.last, rxCrossing.out.user.asUInt().resize(RxFrame.VERDICT_WIDTH), U(RxFrame.VERDICT_WIDTH, 0)).asBits());
            rxCrossing.out.ready.assign(frames.in.ready);
            // through a registered stage: the frame buffer's block RAM output reaches the receiver's
            // judgement of a message, and the receiver's ready the buffer's next read (the system
            // clock's longest path, 19.2 ns on the LFE5U-25F, without it)
            frames.out.stage().connectTo(bridge.rx);
            bridge.tx.connectTo(txCrossing.in);
            bridge.station.assign(BringUp.address(LINK_ADDRESS));
            card.host.connectFrom(bridge.regs);
            // the card's read and write addresses through registered stages: without them the card's
            // arbiter and the AR's length ran through the bridge's read-buffer room check into its AR
            // and AW ready, and back through the join's write order into RxDma's state (the system
            // clock's longest path, 19.6 ns on the LFE5U-25F). AXI orders nothing between AR and AW,
            // and W follows its AW in the join as before (the bridge takes W only after its AW).
            card.dma.ar.stage().connectTo(bridge.dma.ar);
            card.dma.aw.stage().connectTo(bridge.dma.aw);
            card.dma.w.connectTo(bridge.dma.w);
            bridge.dma.b.connectTo(card.dma.b);
            bridge.dma.r.connectTo(card.dma.r);
            bridge.irq.assign(card.irq);
        });
        withDomain(tx, () -> {
            Downsizer down = new Downsizer(0).named("linkDownsizer");
            txCrossing.out.connectTo(down.in);
            linkMac.tx.valid.assign(down.out.valid);
            linkMac.tx.payload.assign(down.out.payload);
            linkMac.tx.last.assign(down.out.last);
            linkMac.tx.user.assign(0);
            down.out.ready.assign(linkMac.tx.ready);
        });
        withDomain(system, () -> led.assign(BringUp.status(card, c.systemHz)));
    }
}

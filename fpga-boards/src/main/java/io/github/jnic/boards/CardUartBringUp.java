package io.github.jnic.boards;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.ClockDomain;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.nic.card.Nic;
import io.github.jnic.nic.link.UartBridge;

/**
 * The card on the iCEBreaker, driven over its FTDI UART: {@link Nic} on the LAN8720's RMII (the
 * smallest useful card: no offload engines, 2 KiB buffers each way, {@link #card}) and a
 * {@link UartBridge} on the UART pins, which carries the card's host side (registers, DMA,
 * interrupt line) to and from the host as {@code StreamFraming} frames. The system domain (card
 * and bridge) runs on an SB_PLL40_PAD's 24 MHz from the board's 12 MHz: 8 clocks a bit is then
 * 3 Mbaud, the fastest rate the FT2232H makes exactly (its 12 MHz base over 4), with the bridge's
 * receiver sampling at 8 times the baud. The MAC runs on the module's 50 MHz reference clock. The
 * green LED shows the network port's link and activity ({@link StatusLed}).
 *
 * <p>It does not fit the UP5K (docs/boards.md): it is the configuration the simulation runs
 * ({@code CardUartLinuxTest}), the largest that is still the whole card.
 */
public class CardUartBringUp extends Module {
    public static final double SYSTEM_MHZ = 24;
    /** 24 MHz over 8: 3 Mbaud. */
    public static final int CLOCKS_PER_BIT = 8;
    /**
     * The bridge resends what the host has not acknowledged after 50 ms (15 000 bytes on the UART): an
     * ack comes behind whatever the host queued before it, at most its window of 32 messages (the
     * card's reads answered, 256 bytes each: 9 000 bytes, 30 ms), and a timeout shorter than that
     * resends what was never lost.
     */
    public static final int LINK_TIMEOUT_CYCLES = 1_200_000;
    /** The board's address on the link (the UART carries no Ethernet header: any value will do). */
    public static final byte[] STATION = CardBringUp.LINK_ADDRESS;

    public final Bool clk12 = input(bool());
    public final Bool ledGreen = output(bool());
    public final Bool uartRx = input(bool());
    public final Bool uartTx = output(bool());
    public final Bool refClk = input(bool());
    public final UInt rmiiTxd = output(uint(2));
    public final Bool rmiiTxEn = output(bool());
    public final UInt rmiiRxd = input(uint(2));
    public final Bool rmiiCrsDv = input(bool());
    public final Bool mdc = output(bool());
    public final Bool mdioOut = output(bool());
    public final Bool mdioOe = output(bool());
    public final Bool mdioIn = input(bool());

    final Nic card;
    final UartBridge bridge;

    /** The card's configuration: RMII, no offload, one 1518-byte frame's 2 KiB buffer each way, small crossings. */
    static Nic.Config card(int phyAddress) {
        Nic.Config c = BringUp.card(Nic.Phy.RMII, SYSTEM_MHZ, phyAddress);
        c.offload = false;
        c.rxBufferBeats = c.txBufferBeats = 256;
        c.rxBufferFrames = c.txBufferFrames = 4;
        c.crossingBeats = 8;
        return c;
    }

    /** @param phyAddress the LAN8720's MDIO address (its PHYAD0 strap: 0 or 1) */
    public CardUartBringUp(int phyAddress) {
        Ice40Pll pll = new Ice40Pll(Ice40Pll.configure(RmiiBringUp.INPUT_MHZ, SYSTEM_MHZ), true).named("pll");
        pll.clockIn.assign(clk12);
        pll.resetN.assign(true);
        pll.bypass.assign(false);
        ClockDomain system = BringUp.domain("system", pll.output, pll.locked);
        ClockDomain ref = BringUp.domain("ref", refClk, bool(true));

        Nic.Config c = card(phyAddress);
        Nic[] n = new Nic[1];
        UartBridge[] b = new UartBridge[1];
        withDomain(system, () -> {
            n[0] = new Nic(c).named("card");
            b[0] = new UartBridge(CLOCKS_PER_BIT, LINK_TIMEOUT_CYCLES, n[0].dma.idWidth).named("bridge");
        });
        card = n[0];
        bridge = b[0];
        card.phyPin("refClk").assignFrom(refClk);
        card.phyPin("refReset").assignFrom(ref.resetSignal());
        card.phyPin("rmiiRxd").assignFrom(rmiiRxd);
        card.phyPin("rmiiCrsDv").assignFrom(rmiiCrsDv);
        card.phyPin("rmiiRxEr").assignFrom(bool(false));   // the LAN8720 module brings no RX_ER out
        rmiiTxd.assign((UInt) card.phyPin("rmiiTxd"));
        rmiiTxEn.assign((Bool) card.phyPin("rmiiTxEn"));
        BringUp.mdio(card, mdc, mdioOut, mdioOe, mdioIn);

        bridge.rxd.assign(uartRx);
        uartTx.assign(bridge.txd);
        bridge.station.assign(BringUp.address(STATION));
        bridge.peer.assign(BringUp.address(STATION) ^ 0x0100_0000_0000L);
        withDomain(system, () -> {
            card.host.connectFrom(bridge.regs);
            bridge.dma.connectFrom(card.dma);
            bridge.irq.assign(card.irq);
            ledGreen.assign(BringUp.status(card, c.systemHz));
        });
    }
}

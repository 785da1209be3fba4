package io.github.jnic.nic.link;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.lib.axi.Axi4;
import io.github.jnic.jhdl.lib.axi.Axi4Lite;
import io.github.jnic.nic.regs.RegisterFile;

/**
 * The board's end of the host link on a UART: a {@link UartLink} in front of a {@link LinkBridge}.
 * On the iCEBreaker the pins are its FTDI UART's; at its 12 MHz clock, {@code clocksPerBit} 12 is
 * 1 Mbaud (the FT2232H divides its 12 MHz base exactly there; 3 Mbaud needs 4 clocks a bit, or a
 * 48 MHz system clock and 16).
 *
 * <p>Ports: {@code rxd}, {@code txd}, {@code station} (the board's address, which the bridge wants
 * in its frames) and {@code peer} (the source address the UART link writes into them, which the
 * bridge learns as the host's; the UART carries no Ethernet header, so any value will do),
 * {@code regs}, {@code dma}, {@code irq} as {@link LinkBridge}'s, and the pulses and counts of
 * both: {@code corrupt}, {@code framingError}, {@code overflow}, {@code corruptFrames},
 * {@code framingErrors} (the UART's); {@code foreign}, {@code malformed}, {@code outOfOrder},
 * {@code unexpected}, {@code busy}, {@code resent} (the bridge's).
 */
public class UartBridge extends Module {
    public final Bool rxd = input(bool());
    public final Bool txd = output(bool());
    public final UInt station = input(uint(48));
    public final UInt peer = input(uint(48));
    public final Axi4Lite regs = output(new Axi4Lite(RegisterFile.ADDRESS_BITS));
    public final Axi4 dma;
    public final Bool irq = input(bool());
    public final Bool corrupt = output(bool());
    public final Bool framingError = output(bool());
    public final Bool overflow = output(bool());
    public final UInt corruptFrames = output(uint(16));
    public final UInt framingErrors = output(uint(16));
    public final Bool foreign = output(bool());
    public final Bool malformed = output(bool());
    public final Bool outOfOrder = output(bool());
    public final Bool unexpected = output(bool());
    public final Bool busy = output(bool());
    public final Bool resent = output(bool());

    /** The UART at the clock over {@code clocksPerBit} baud; the bridge's window resent after {@code timeoutCycles}. */
    public UartBridge(int clocksPerBit, int timeoutCycles, int dmaIdWidth) {
        dma = input(new Axi4(dmaIdWidth, 64, 64));
        UartLink link = new UartLink(clocksPerBit).named("link");
        LinkBridge bridge = new LinkBridge(timeoutCycles, dmaIdWidth).named("bridge");
        link.rxd.assign(rxd);
        txd.assign(link.txd);
        link.station.assign(station);
        link.peer.assign(peer);
        bridge.station.assign(station);
        bridge.rx.connectFrom(link.rx);
        link.tx.connectFrom(bridge.tx);
        regs.connectFrom(bridge.regs);
        bridge.dma.connectFrom(dma);
        bridge.irq.assign(irq);
        corrupt.assign(link.corrupt);
        framingError.assign(link.framingError);
        overflow.assign(link.overflow);
        corruptFrames.assign(link.corruptFrames);
        framingErrors.assign(link.framingErrors);
        foreign.assign(bridge.foreign);
        malformed.assign(bridge.malformed);
        outOfOrder.assign(bridge.outOfOrder);
        unexpected.assign(bridge.unexpected);
        busy.assign(bridge.busy);
        resent.assign(bridge.resent);
    }
}

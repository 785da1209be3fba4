package io.github.jnic.boards;

import io.github.jnic.driver.link.LinkBus;
import io.github.jnic.driver.link.LinkMessage;
import io.github.jnic.driver.link.SerialTransport;
import io.github.jnic.driver.link.StreamFraming;
import io.github.jnic.jhdl.Verilog;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import io.github.jnic.net.dev.TapDevice;
import io.github.jnic.nic.mdio.PhyMonitor;
import io.github.jnic.testbench.phy.MdioRegisters;
import io.github.jnic.testbench.phy.RmiiPort;
import io.github.jnic.testbench.phy.UartPort;
import io.github.jnic.testbench.sim.Simulator;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * The whole iCEBreaker card top ({@link CardUartBringUp}) in Verilator: the RMII network port
 * ({@link RmiiPort}, 100 Mb/s full duplex as an {@link MdioRegisters} LAN8720 reports it) bridged
 * to a TAP the caller gives (in a network namespace), the FTDI UART's pins to a {@link UartPort} at
 * 3 Mbaud, on which the driver's {@link LinkBus} runs over {@link SerialTransport}, as it would over
 * the board's serial port: nothing of the host side knows the board is simulated.
 *
 * <h2>Time</h2>
 * {@link SimulatedTop}'s. The 12 MHz pin is clocked at 24 MHz, the system clock the board's PLL
 * makes from it (the PLL's simulation model passes its input through), so the card, the bridge and
 * the UART run at their own rates in board time; the reference clock at 50 MHz. A UART byte takes
 * 3.3 µs: the board moves 2 µs at a time while the host waits for the link, at most 10 µs between
 * two looks of the host loop.
 */
final class SimulatedIcebreaker extends SimulatedTop {
    /** 24 MHz (23.9998). */
    static final long CLOCK_PS = 41_667;
    static final long REF_PS = 20_000;
    /** The host resends what the board has not acknowledged after 50 ms, as the board does ({@link CardUartBringUp#LINK_TIMEOUT_CYCLES}). */
    static final long RESEND_NS = 50_000_000;
    private static VerilogDesign design;

    private final UartPort uart;
    private final SerialTransport transport;

    /**
     * @param network the network port's TAP (its far end in Linux), or null for frames handed to
     *        {@code fromNetworkPort} and taken from {@link #toNetworkPort}
     */
    SimulatedIcebreaker(TapDevice network, Consumer<byte[]> fromNetworkPort) {
        super(load(), network, "clk12", CLOCK_PS, 2_000, 10_000);
        try {
            sim.clock("refClk", REF_PS);
            MdioRegisters phy = new MdioRegisters(sim, "clk12", Boards.ICEBREAKER_PHY);
            phy.set(PhyMonitor.BMSR, 0x782D);   // 10/100 capable, link up, autonegotiation complete
            phy.set(PhyMonitor.ANAR, 0x01E1);
            phy.set(PhyMonitor.ANLPAR, 0x01E1);  // 100 full duplex, both ends
            networkPort = new RmiiPort(sim, "refClk", f -> {
                if (network != null) toKernel(network, f);
                else fromNetworkPort.accept(f);
            });
            uart = new UartPort(sim, "clk12", "uartRx", "uartTx", CardUartBringUp.CLOCKS_PER_BIT);
            transport = new SerialTransport(uart);
        } catch (RuntimeException e) {
            sim.close();
            throw e;
        }
    }

    private static Simulator load() {
        if (design == null) design = Verilog.emit(new CardUartBringUp(Boards.ICEBREAKER_PHY));
        return Simulator.load(design);
    }

    @Override
    protected void afterStep() {}   // the UART is decoded as the host reads it

    @Override
    protected LinkBus.Transport transport() {
        return transport;
    }

    @Override
    long toNetworkPort(byte[] frame) {
        return now() + networkPort.send(frame) * REF_PS / 1000;
    }

    /** The driver's bus: resends after {@link #RESEND_NS}, a read given up after a second. */
    @Override
    LinkBus bus(ByteBuffer memory, long busAddress) {
        return bus(memory, busAddress, RESEND_NS, 1_000_000_000);
    }

    @Override
    long underruns() { return 0; }   // both ports' receive pins hold their idle when nothing is queued

    /** Frames from the board the host's framing rejected (corrupt, cut short, not a message), and bytes with a low stop bit. */
    @Override
    long foreignLinkFrames() { return transport.rejected() + uart.framingErrors(); }

    /** Bytes on the UART (each ten bits on the wire). */
    @Override
    long linkBytesToHost() { return uart.received(); }

    @Override
    long linkBytesToBoard() { return uart.sent(); }

    /** Its COBS frame with the CRC and the delimiter. */
    @Override
    long linkWireBytes(LinkMessage m) {
        return StreamFraming.encode(m).length;
    }

    /** baud / 10. */
    @Override
    double linkBytesPerSecond() { return 1e12 / CLOCK_PS / CardUartBringUp.CLOCKS_PER_BIT / 10; }

    @Override
    double networkBitsPerSecond() { return 100e6; }
}

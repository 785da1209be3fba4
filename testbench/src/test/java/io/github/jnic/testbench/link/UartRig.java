package io.github.jnic.testbench.link;

import io.github.jnic.driver.link.LinkBus;
import io.github.jnic.driver.link.LinkMessage;
import io.github.jnic.driver.link.SerialTransport;
import io.github.jnic.jhdl.Verilog;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import io.github.jnic.nic.link.UartBridge;
import io.github.jnic.testbench.phy.UartWire;
import io.github.jnic.testbench.sim.Simulator;
import java.nio.ByteBuffer;

/**
 * The simulated {@link UartBridge} (the UART link in front of the bridge) with what surrounds it:
 * a {@link RegisterBank} on its register master, its interrupt input, the card's DMA master once a
 * test puts one there, and a {@link UartWire} to the host that flips a bit in a byte now and then
 * and sends a stop bit low now and then; the host's {@link LinkBus} on a {@link SerialTransport}
 * over that wire. {@value #CLOCKS_PER_BIT} clocks a bit: 3 Mbaud at the iCEBreaker's 12 MHz, the
 * fastest the receiver takes, so that the simulation moves.
 */
final class UartRig implements AutoCloseable {
    static final int CLOCKS_PER_BIT = 4;
    /** The board's and the host's go-back-N timeout: the time of 3 000 bytes on the wire. */
    static final int TIMEOUT = 10 * CLOCKS_PER_BIT * 3_000;
    /** The board's clock period in the host's time: 12 MHz. */
    static final long NS = 83;
    static final VerilogDesign DESIGN = Verilog.emit(new UartBridge(CLOCKS_PER_BIT, TIMEOUT, 2));
    static final long STATION = 0x01_00_42_4e_4a_02L, HOST = 0x01_00_48_4e_4a_02L;

    final Simulator sim = Simulator.load(DESIGN);
    final RegisterBank bank;
    final UartWire wire;
    final SerialTransport serial;
    final LinkBus bus;
    DmaMaster dma;
    boolean irq;
    long cycle;
    long corruptSeen, framingSeen;

    UartRig(long seed, double flip, double breakStop, ByteBuffer memory, long memoryBase) {
        sim.resetHigh("reset", "clk", 2);
        sim.port("station").set(STATION);
        sim.port("peer").set(HOST);
        bank = new RegisterBank(sim, "regs", seed);
        wire = new UartWire(sim, "rxd", "txd", CLOCKS_PER_BIT, seed + 1, flip, breakStop);
        serial = new SerialTransport(wire);
        bus = new LinkBus(new LinkBus.Transport() {
            @Override public void send(LinkMessage m) { serial.send(m); }

            @Override public LinkMessage receive() {
                LinkMessage m = serial.receive();
                if (m == null) {   // nothing here yet: let the board and the wire run a little
                    for (int i = 0; i < 16; i++) step();
                    m = serial.receive();
                }
                return m;
            }
        }, memory, memoryBase, () -> cycle * NS, TIMEOUT * NS, 50_000_000 * NS);
    }

    /** One clock of the board, the bank, the card's DMA and the wire. */
    void step() {
        bank.beforeEdge();
        sim.port("irq").set(irq ? 1 : 0);
        if (dma != null) dma.beforeEdge();
        wire.beforeEdge();
        sim.step("clk", 1);
        cycle++;
        bank.afterEdge();
        corruptSeen += sim.port("corrupt").get();
        framingSeen += sim.port("framingError").get();
    }

    @Override
    public void close() {
        sim.close();
    }
}

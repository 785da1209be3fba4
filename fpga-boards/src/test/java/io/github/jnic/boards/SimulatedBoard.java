package io.github.jnic.boards;

import io.github.jnic.driver.link.EthernetTransport;
import io.github.jnic.driver.link.LinkBus;
import io.github.jnic.driver.link.LinkMessage;
import io.github.jnic.driver.link.PacketSocket;
import io.github.jnic.jhdl.Verilog;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import io.github.jnic.net.dev.TapDevice;
import io.github.jnic.net.wire.MacAddress;
import io.github.jnic.nic.mdio.PhyMonitor;
import io.github.jnic.spec.HostLink;
import io.github.jnic.testbench.phy.Ethernet;
import io.github.jnic.testbench.phy.MdioRegisters;
import io.github.jnic.testbench.phy.RgmiiPort;
import io.github.jnic.testbench.sim.Simulator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * The whole Colorlight top-level ({@link CardBringUp} without offload, as it is built for the
 * 5A-75B) in Verilator, both RGMII ports bridged to Linux TAP devices: port 0, the network port, to
 * a TAP the caller gives (in a network namespace), port 1, the host link, to a TAP of its own in this
 * namespace, on which the host's {@link PacketSocket} sends and receives the link's frames, as it
 * would on the Ethernet port a real board is plugged into. The driver's bus is {@link LinkBus} over
 * {@link EthernetTransport}: nothing of the host side knows the board is simulated.
 *
 * <h2>Time</h2>
 * {@link SimulatedTop}'s. The oscillator pin is clocked at 125 MHz (the ECP5 PLL's simulation model
 * passes its input through, so the transmit and system domains both run at 125 MHz here, the system
 * domain twice as fast as on the board), each PHY's receive clock a little apart from it. The board
 * moves 0.5 µs at a time while the host waits for the link, at most 2 µs between two looks of the
 * host loop.
 */
final class SimulatedBoard extends SimulatedTop {
    static final long CLOCK_PS = 8_000;
    private static VerilogDesign design;

    private final TapDevice link;
    private final RgmiiPort linkPort;
    private final PacketSocket socket;
    private final EthernetTransport transport;

    /**
     * @param network the network port's TAP (its far end in Linux), or null for frames handed to and
     *        taken from the port here ({@link #toNetworkPort}, {@code fromNetworkPort})
     * @param linkName the name of the host link's TAP, created here and brought up
     */
    SimulatedBoard(TapDevice network, String linkName) throws IOException, InterruptedException {
        this(network, linkName, f -> {});
    }

    SimulatedBoard(TapDevice network, String linkName, Consumer<byte[]> fromNetworkPort) throws IOException, InterruptedException {
        super(load(), network, "clk25", CLOCK_PS, 500, 2_000);
        try {
            sim.clock("eth0Rxc", CLOCK_PS + 1);   // each PHY 125 ppm from the board's oscillator
            sim.clock("eth1Rxc", CLOCK_PS - 1);
            MdioRegisters phy = new MdioRegisters(sim, "clk25", Boards.COLORLIGHT_PHY);
            phy.set(PhyMonitor.BMSR, 0x796D);   // link up, autonegotiation complete
            phy.set(PhyMonitor.ANAR, 0x01E1);
            phy.set(PhyMonitor.ANLPAR, 0x01E1);
            phy.set(PhyMonitor.GBCR, 0x0200);   // 1000 full advertised, and the partner's
            phy.set(PhyMonitor.GBSR, 0x0800);
            networkPort = new RgmiiPort(sim, "clk25", "eth0Rxc", "eth0", f -> {
                if (network != null) toKernel(network, f);
                else fromNetworkPort.accept(f);
            });
            link = TapDevice.open(linkName, MacAddress.local(linkName.hashCode()), 1500);
            linkPort = new RgmiiPort(sim, "clk25", "eth1Rxc", "eth1", f -> toKernel(link, f));
            // only the link's frames on the link: no IPv6 of the kernel's own
            run("sysctl", "-q", "-w", "net.ipv6.conf." + link.name() + ".disable_ipv6=1");
            run("ip", "link", "set", link.name(), "up");
            socket = PacketSocket.open(link.name(), HostLink.ETHERTYPE);
            transport = new EthernetTransport(socket, CardBringUp.LINK_ADDRESS);
        } catch (IOException | InterruptedException | RuntimeException e) {
            sim.close();
            throw e;
        }
    }

    private static Simulator load() {
        if (design == null) design = Verilog.emit(new CardBringUp(Boards.COLORLIGHT_PHY, false));
        return Simulator.load(design);
    }

    @Override
    protected void beforeStep(long cycles) {
        long edges = 2 * cycles + 64;   // the receive clocks run a little faster: some to spare
        ((RgmiiPort) networkPort).feed(edges);
        linkPort.feed(edges);
    }

    @Override
    protected void afterStep() {
        linkPort.drain();
        link.receive(f -> linkPort.send(bytes(f)), 64);
    }

    @Override
    protected LinkBus.Transport transport() {
        return transport;
    }

    @Override
    long toNetworkPort(byte[] frame) {
        return now() + networkPort.send(frame) * (CLOCK_PS + 1) / 2000;
    }

    /** The driver's bus: resends after 1 ms, a read given up after 100 ms. */
    @Override
    LinkBus bus(ByteBuffer memory, long busAddress) {
        return bus(memory, busAddress, 1_000_000, 100_000_000);
    }

    @Override
    long badFrames() { return super.badFrames() + linkPort.badFrames(); }

    @Override
    long underruns() { return networkPort.underruns() + linkPort.underruns(); }

    /** Preamble, SFD, frame, FCS and gap of the link port's good frames. */
    @Override
    long linkBytesToHost() { return linkPort.wireBytesOut(); }

    @Override
    long linkBytesToBoard() { return linkPort.wireBytesIn(); }

    /** Its frame: Ethernet header, message, padding to 60, FCS; preamble, SFD and gap. */
    @Override
    long linkWireBytes(LinkMessage m) {
        return Math.max(60, HostLink.FRAME_OFFSET + m.encodedBytes()) + Ethernet.FCS_LENGTH + Ethernet.OVERHEAD;
    }

    /** 1 Gb/s. */
    @Override
    double linkBytesPerSecond() { return 125e6; }

    @Override
    double networkBitsPerSecond() { return 1e9; }

    @Override
    long foreignLinkFrames() { return transport.dropped(); }

    @Override
    public void close() {
        socket.close();
        link.close();
        super.close();
    }
}

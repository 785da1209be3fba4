package io.github.jnic.boards;

import io.github.jnic.driver.link.EthernetTransport;
import io.github.jnic.driver.link.LinkBus;
import io.github.jnic.driver.link.LinkMessage;
import io.github.jnic.driver.link.PacketSocket;
import io.github.jnic.jhdl.Verilog;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import io.github.jnic.net.buf.BufferPool;
import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.net.dev.TapDevice;
import io.github.jnic.net.stack.NetStack;
import io.github.jnic.net.wire.MacAddress;
import io.github.jnic.nic.mdio.PhyMonitor;
import io.github.jnic.spec.HostLink;
import io.github.jnic.testbench.phy.MdioRegisters;
import io.github.jnic.testbench.phy.RgmiiPort;
import io.github.jnic.testbench.sim.Simulator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The whole Colorlight top-level ({@link CardBringUp} without offload, as it is built for the
 * 5A-75B) in Verilator, both RGMII ports bridged to Linux TAP devices: port 0, the network port, to
 * a TAP the caller gives (in a network namespace), port 1, the host link, to a TAP of its own in this
 * namespace, on which the host's {@link PacketSocket} sends and receives the link's frames, as it
 * would on the Ethernet port a real board is plugged into. The driver's bus is {@link LinkBus} over
 * {@link EthernetTransport}: nothing of the host side knows the board is simulated.
 *
 * <h2>Time</h2>
 * One clock: the board's. The oscillator pin is clocked at 125 MHz (the ECP5 PLL's simulation model
 * passes its input through, so the transmit and system domains both run at 125 MHz here, the system
 * domain twice as fast as on the board), each PHY's receive clock a little apart from it. The host
 * (stack, driver, link) runs on the board's time: whenever it waits for the link, for a timer or for
 * a frame, the board is simulated forward, cycle by cycle; Linux sees a slow network, not a wrong one.
 * Everything runs on one thread.
 */
final class SimulatedBoard implements AutoCloseable {
    static final long CLOCK_PS = 8_000;
    /** How far the board moves when the host waits for the link and nothing has come. */
    static final long WAIT_STEP_NS = 500;
    /** How far the board moves at most between two looks of the host loop. */
    static final long LOOP_STEP_NS = 2_000;
    private static final long EPOCH_NS = 1_000_000_000L;
    private static VerilogDesign design;

    private final Simulator sim;
    private final TapDevice network, link;
    private final RgmiiPort networkPort, linkPort;
    private final PacketSocket socket;
    private final EthernetTransport transport;
    private final BufferPool pool = new BufferPool(16_384, 64);

    /**
     * @param network the network port's TAP (its far end in Linux), or null for frames handed to and
     *        taken from the port here ({@link #toNetworkPort}, {@code fromNetworkPort})
     * @param linkName the name of the host link's TAP, created here and brought up
     */
    SimulatedBoard(TapDevice network, String linkName) throws IOException, InterruptedException {
        this(network, linkName, f -> {});
    }

    SimulatedBoard(TapDevice network, String linkName, Consumer<byte[]> fromNetworkPort) throws IOException, InterruptedException {
        if (design == null) design = Verilog.emit(new CardBringUp(Boards.COLORLIGHT_PHY, false));
        this.network = network;
        sim = Simulator.load(design);
        try {
            sim.clock("clk25", CLOCK_PS);
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

    /** The board's time in ns, the host's clock. */
    long now() {
        return EPOCH_NS + sim.cycles("clk25") * CLOCK_PS / 1000;
    }

    LongSupplier clock() {
        return this::now;
    }

    /** Simulates the board {@code ns} further (at least a cycle), then carries frames between its pins and the TAPs. */
    void advance(long ns) {
        long cycles = Math.max(1, (ns * 1000 + CLOCK_PS - 1) / CLOCK_PS);
        long edges = 2 * cycles + 64;   // the receive clocks run a little faster: some to spare
        networkPort.feed(edges);
        linkPort.feed(edges);
        sim.step("clk25", cycles);
        networkPort.drain();
        linkPort.drain();
        if (network != null) network.receive(f -> networkPort.send(bytes(f)), 64);
        link.receive(f -> linkPort.send(bytes(f)), 64);
    }

    /** Queues a frame (without FCS) on the network port's receive pins; returns the board time (ns) its last byte is on them. */
    long toNetworkPort(byte[] frame) {
        return now() + networkPort.send(frame) * (CLOCK_PS + 1) / 2000;
    }

    /** The driver's bus: the link, waiting for which moves the board. */
    LinkBus bus(ByteBuffer memory, long busAddress) {
        LinkBus.Transport waiting = new LinkBus.Transport() {
            @Override public void send(LinkMessage m) { transport.send(m); }

            @Override public LinkMessage receive() {
                LinkMessage m = transport.receive();
                if (m != null) return m;
                advance(WAIT_STEP_NS);
                return transport.receive();
            }
        };
        return new LinkBus(waiting, memory, busAddress, clock(), 1_000_000, 100_000_000);
    }

    /** Runs the host on the board's clock until {@code running} turns false: the stack's thread. */
    void runHost(NetStack stack, java.util.function.BooleanSupplier running) {
        while (running.getAsBoolean()) {
            long now = now();
            stack.poll(now);
            long due = stack.nextDeadline();
            if (due > now) advance(Math.min(due - now, LOOP_STEP_NS));
        }
    }

    private void toKernel(TapDevice tap, byte[] frame) {
        PacketBuffer b = pool.take();
        b.append(frame, 0, frame.length);
        if (!tap.transmit(b)) b.release();
        tap.flush();
    }

    private static byte[] bytes(PacketBuffer f) {
        byte[] b = Arrays.copyOfRange(f.data(), f.start(), f.end());
        f.release();
        return b;
    }

    /** Frames with a bad FCS, TX_ER or no SFD either port sent (never expected). */
    long badFrames() { return networkPort.badFrames() + linkPort.badFrames(); }

    /** Edges on which a port's receive pins had nothing queued (never expected). */
    long underruns() { return networkPort.underruns() + linkPort.underruns(); }

    RgmiiPort linkPort() { return linkPort; }

    /** Link frames the host's socket dropped: from another station, or not a message. */
    long foreignLinkFrames() { return transport.dropped(); }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IOException(String.join(" ", cmd) + ": " + out);
    }

    @Override
    public void close() {
        socket.close();
        link.close();
        sim.close();
    }
}

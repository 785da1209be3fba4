package io.github.jnic.testbench.card;

import io.github.jnic.driver.DmaArena;
import io.github.jnic.driver.DmaMemory;
import io.github.jnic.driver.HostBus;
import io.github.jnic.jhdl.Verilog;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import io.github.jnic.nic.card.Nic;
import io.github.jnic.spec.Registers;
import io.github.jnic.testbench.axi.AxiLitePort;
import io.github.jnic.testbench.axi.AxiMemory;
import io.github.jnic.testbench.phy.GmiiPort;
import io.github.jnic.testbench.phy.MdioRegisters;
import io.github.jnic.testbench.sim.Simulator;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The card's RTL, simulated, as the driver's {@link HostBus}: registers through its AXI4-Lite slave,
 * host memory behind its AXI4 master (the same bytes the driver sees as {@link DmaMemory}), its
 * interrupt pin, and on the PHY side a GMII far end and a PHY's management registers. A frame the
 * card sends goes to whoever listens ({@link #onSent}); frames arrive through {@link #receive}, or
 * from another card joined with {@link #connect}, or from the card itself through {@link #loopBack}.
 *
 * <h2>One clock</h2>
 * The card's time is the stack's clock: every bus call first simulates the card up to the clock's
 * present time. A register access then takes the bus cycles it takes in the RTL, so the card may be
 * a little ahead of the clock; the next call happens at whichever is later. While the card is quiet
 * (its {@code quiet} pin: no frame in it, both DMA engines idle, no moderation timer running, no
 * interrupt pending) and no frame is on its wires, nothing it does depends on time, so the quiet
 * stretch is skipped rather than simulated: a second of idle costs nothing.
 *
 * <h2>The host's own cost</h2>
 * A stated model ({@link HostCost}), in the clock's time: taking an interrupt costs
 * {@code interruptNs} before the ICR read that starts the handler, and each frame handled costs
 * {@code frameNs} before the tail write that hands it back or queues it (RDT, TDT). The card keeps
 * working meanwhile. Figures that depend on it print {@link HostCost#toString()} beside them.
 *
 * <h2>Two cards</h2>
 * {@link #connect} joins two cards' GMII pins through a cable model that delivers each frame, as it
 * was on the sender's pins (preamble, SFD, FCS), to the receiver's pins {@value #CABLE_DELAY_NS} ns
 * after its last byte left: store and forward of one frame, and a fixed delay. The delay is what
 * lets the two simulations run apart by up to that much and still meet every frame exactly on
 * time: they are simulated in turn, in steps of the delay (conservative parallel simulation with
 * the delay as lookahead), so a frame is always in its receiver's future when it is handed over.
 *
 * <p>Not thread-safe: the stack thread calls it.
 */
public final class SimulatedNic implements HostBus, AutoCloseable {
    /** Where host memory starts on the bus (above 4 GiB, so both halves of every address register matter). */
    public static final long BUS_BASE = 0x1_0000_0000L;
    /** The cable's delay from a frame's last byte leaving one card to its first byte reaching the other, and the two cards' lockstep. */
    public static final long CABLE_DELAY_NS = 512;
    /** While the card is busy, how often the host must look at the interrupt line though nothing told it to. */
    public static final long BUSY_CHECK_NS = 1_000;
    /**
     * How long {@code quiet} must have held before time is skipped: longer than any stage the pin
     * does not see (the MAC's own pipeline, an MDIO access) takes to show its work elsewhere.
     */
    public static final long QUIET_GUARD_NS = 4_000;
    /**
     * Quiet time is skipped in whole multiples of this: 128 × 1.024 µs, a whole number of periods of
     * every clock and counter that runs in the card while it is quiet (both clocks, the moderation's
     * 256 ns and 1.024 µs ticks, the adaptive mode's rate window), so that a skip leaves the card
     * exactly as simulating the stretch would have. Only the PHY monitor's poll moves in phase.
     */
    static final long SKIP_QUANTUM_PS = 131_072_000L;

    /** The host's cost per interrupt taken and per frame handled, in nanoseconds of the clock. */
    public record HostCost(long interruptNs, long frameNs) {
        public static final HostCost NONE = new HostCost(0, 0);

        @Override
        public String toString() {
            return "host cost model: " + interruptNs + " ns per interrupt, " + frameNs + " ns per frame";
        }
    }

    /** How the card and its host are simulated. */
    public static final class Options {
        public long systemPeriodPs = 16_000;      // 62.5 MHz, the card's system clock on an ECP5
        public long phyPeriodPs = 8_000;          // GMII, 125 MHz
        public int memoryBytes = 8 << 20;
        public long memoryLatencyCycles = 32;     // 0.5 µs at 62.5 MHz
        public long memoryJitterCycles = 0;
        public double memoryReorder = 0;
        public long seed = 1;
        public HostCost hostCost = HostCost.NONE;
        public int phyAddress = 1;
        /** While the card is busy, how often the host looks at the interrupt line (the resolution of latencies measured by the host). */
        public long busyCheckNs = BUSY_CHECK_NS;
        /** Skip the card's quiet stretches instead of simulating them (off: every cycle is simulated, for checking that skipping changes nothing). */
        public boolean skipQuietTime = true;
        /** For {@code CardKind}'s pairs: build the card with its offload engines ({@link #design(boolean)}). */
        public boolean offloadEngines = true;
        /** The card's PHY poll interval, as built ({@link #design()}). */
        public long phyPollNs = POLL_CYCLES * 16;
    }

    private static final int MII_BMSR = 1, MII_ANAR = 4, MII_ANLPAR = 5, MII_GBCR = 9, MII_GBSR = 10;
    /** The simulated card polls its PHY every 0.1 ms (a board's every 1 ms): link changes show sooner. */
    static final int POLL_CYCLES = 6_250;
    private static VerilogDesign design, designWithoutOffload;

    /** The card as simulated: GMII, 62.5 MHz system clock, the PHY polled every 0.1 ms. Emitted once. */
    public static VerilogDesign design() {
        return design(true);
    }

    /** The card as {@link #design()}, with or without its offload engines ({@link Nic.Config#offload}). */
    public static synchronized VerilogDesign design(boolean offload) {
        if (offload ? design == null : designWithoutOffload == null) {
            Nic.Config c = new Nic.Config();
            c.phy = Nic.Phy.GMII;
            c.systemHz = 62_500_000;
            c.phyPollCycles = POLL_CYCLES;
            c.offload = offload;
            VerilogDesign d = Verilog.emit(new Nic(c));
            if (offload) design = d;
            else designWithoutOffload = d;
        }
        return offload ? design : designWithoutOffload;
    }

    private final Simulator sim;
    private final LongSupplier clock;
    private final Options options;
    private final AxiMemory memory;
    private final AxiLitePort regs;
    private final GmiiPort gmii;
    private final MdioRegisters phy;
    private final DmaArena arena;
    private final List<Consumer<GmiiPort.Sent>> listeners = new ArrayList<>();
    private SimulatedNic peer;
    private boolean cableUp = true;
    /** The longest stretch simulated between two looks at the pins (shorter with a loopback plug: its frames must arrive on time). */
    private long runStepPs = BUSY_CHECK_NS * 1000;

    /** The clock's picoseconds minus the simulation's: grows when quiet time is skipped. */
    private long offsetPs;
    /** Card time from which {@code quiet} has been seen at every look; -1 when it was last seen low. */
    private long quietSincePs = -1;
    /** Card time before which the card is simulated even when quiet (after the PHY's state changed: its next poll must run). */
    private long busyUntilPs;
    private int rxRingSize = 1, txRingSize = 1, rdt, tdt;
    private long interruptsTaken, cyclesSkipped;
    /** The offset from each skip on, by the simulation's time (ps): to date what was recorded in the card. */
    private final java.util.TreeMap<Long, Long> offsets = new java.util.TreeMap<>();

    public SimulatedNic(VerilogDesign card, LongSupplier clock, Options options) {
        this.clock = clock;
        this.options = options;
        sim = Simulator.load(card);
        sim.clock("clk", options.systemPeriodPs);
        sim.clock("txClk", options.phyPeriodPs);
        sim.clock("rxClk", options.phyPeriodPs);
        memory = new AxiMemory(sim, "clk", "dma", BUS_BASE, options.memoryBytes, options.seed)
                .latency(options.memoryLatencyCycles, options.memoryLatencyCycles, options.memoryJitterCycles)
                .reorder(options.memoryReorder);
        regs = new AxiLitePort(sim, "clk", "host", 10_000);
        gmii = new GmiiPort(sim, "txClk", "rxClk", "gmii", 12);
        phy = new MdioRegisters(sim, "clk", options.phyAddress);
        arena = new DmaArena(memory.memory(), BUS_BASE);
        for (String reset : new String[] {"reset", "txReset", "rxReset"}) sim.port(reset).set(1);
        sim.step("clk", 4);
        for (String reset : new String[] {"reset", "txReset", "rxReset"}) sim.port(reset).set(0);
        offsetPs = clock.getAsLong() * 1000 - sim.time();
        offsets.put(sim.time(), offsetPs);
        setLink(false);
    }

    /** The PHY's management registers (to bring the link up or down, as a PHY would report it). */
    public MdioRegisters phy() {
        return phy;
    }

    public Simulator simulator() {
        return sim;
    }

    public AxiMemory hostMemory() {
        return memory;
    }

    /** Calls {@code listener} with every frame the card puts on its pins, as they were on the wire. */
    public void onSent(Consumer<GmiiPort.Sent> listener) {
        listeners.add(listener);
    }

    /** A frame (bytes as on the wire) arriving on the card's receive pins at the clock's time {@code atNs} or, if that has passed, now. */
    public void receive(byte[] wire, long atNs) {
        long edge = sim.cycles("rxClk") + Math.max(0, (atNs * 1000 - offsetPs - sim.time()) / options.phyPeriodPs);
        gmii.send(wire, edge);
    }

    /** Joins two cards' PHYs with a cable (see the class comment); both PHYs report the link up. */
    public static void connect(SimulatedNic a, SimulatedNic b) {
        if (a.clock != b.clock) throw new IllegalArgumentException("two connected cards must share one clock");
        a.advance();
        b.advance();
        a.peer = b;
        b.peer = a;
        a.onSent(f -> { if (a.cableUp) b.receive(f.wire(), a.nanosOfTxEdge(f.endEdge()) + CABLE_DELAY_NS); });
        b.onSent(f -> { if (b.cableUp) a.receive(f.wire(), b.nanosOfTxEdge(f.endEdge()) + CABLE_DELAY_NS); });
        a.setLink(true);
        b.setLink(true);
    }

    /**
     * A loopback plug in the card's port: each frame it sends arrives on its own receive pins
     * {@value #CABLE_DELAY_NS} ns after its last byte left, exactly on time (the card is simulated in
     * steps of that delay); the PHY reports the link up. One card then carries line rate both ways.
     */
    public static void loopBack(SimulatedNic card) {
        card.advance();
        card.runStepPs = CABLE_DELAY_NS * 1000;
        card.onSent(f -> { if (card.cableUp) card.receive(f.wire(), card.nanosOfTxEdge(f.endEdge()) + CABLE_DELAY_NS); });
        card.setLink(true);
    }

    /** Plugs or unplugs the cable of a connected pair: both PHYs report it; frames sent while it is out are lost. */
    public void setCableUp(boolean up) {
        advance();
        cableUp = up;
        setLink(up);
        if (peer != null) {
            peer.cableUp = up;
            peer.setLink(up);
        }
    }

    /**
     * Sets the PHY's registers as a gigabit PHY reports a link that is up (auto-negotiated 1000 full
     * with a gigabit partner) or down, and keeps the card simulated until its monitor has polled.
     */
    public void setLink(boolean up) {
        phy.set(MII_BMSR, 0x7949 | (up ? 0x0024 : 0));       // link status and auto-negotiation complete
        phy.set(MII_ANAR, 0x01E1);
        phy.set(MII_ANLPAR, up ? 0xC1E1 : 0);
        phy.set(MII_GBCR, 0x0200);
        phy.set(MII_GBSR, up ? 0x0800 : 0);
        simulateAtLeast(3 * options.phyPollNs);
    }

    /** Interrupts the host took (ICR reads while the line was high). */
    public long interruptsTaken() {
        return interruptsTaken;
    }

    /** System clock cycles not simulated because the card was quiet. */
    public long cyclesSkipped() {
        return cyclesSkipped;
    }

    public long cyclesSimulated() {
        return sim.cycles("clk");
    }

    // ---- HostBus -------------------------------------------------------------------------------

    @Override
    public int read(int offset) {
        advance();
        if (offset == Registers.ICR.offset() && sim.port("irq").get() != 0) {
            interruptsTaken++;
            hostWork(options.hostCost.interruptNs());
        }
        int v = regs.read(offset);
        quietSincePs = -1;   // what the host did may start something: watch the card again
        deliver();
        return v;
    }

    @Override
    public void write(int offset, int value) {
        advance();
        if (offset == Registers.RDLEN.offset()) rxRingSize = Math.max(1, value / 16);
        if (offset == Registers.TDLEN.offset()) txRingSize = Math.max(1, value / 16);
        if (offset == Registers.RDT.offset()) {
            hostWork(options.hostCost.frameNs() * Math.floorMod(value - rdt, rxRingSize));
            rdt = value;
        }
        if (offset == Registers.TDT.offset()) {
            hostWork(options.hostCost.frameNs() * Math.floorMod(value - tdt, txRingSize));
            tdt = value;
        }
        regs.write(offset, value);
        quietSincePs = -1;
        deliver();
    }

    @Override
    public DmaMemory allocate(int bytes, int alignment) {
        return arena.allocate(bytes, alignment);
    }

    @Override
    public boolean interruptAsserted() {
        advance();
        return sim.port("irq").get() != 0;
    }

    @Override
    public long nextInterruptCheck() {
        advance();
        long now = nowNs();
        if (sim.port("irq").get() != 0) return now;
        if (idle() && (peer == null || peer.idle())) return Long.MAX_VALUE;
        return now + options.busyCheckNs;
    }

    @Override
    public void close() {
        sim.close();
    }

    // ---- time ----------------------------------------------------------------------------------

    /** The clock's time (ns) of the simulation's time {@code simPs}: of an edge a recorder saw, say (edge × period). */
    public long clockNanosOf(long simPs) {
        var e = offsets.floorEntry(simPs);
        return (simPs + (e == null ? offsets.firstEntry().getValue() : e.getValue())) / 1000;
    }

    /**
     * The card's time on the clock, in ns: at least the clock's, and ahead of it by the bus time of
     * register accesses and the host's modelled work since (a host on a hand-moved clock moves it
     * here to stay in step).
     */
    public long timeNs() {
        return nowNs();
    }

    /** The clock's time the card has reached, in ns. */
    private long nowNs() {
        return Math.max(clock.getAsLong(), (sim.time() + offsetPs) / 1000);
    }

    /** The clock's time (ns) of the transmit clock's edge {@code edge}, e.g. a sent frame's {@link GmiiPort.Sent#endEdge}. */
    public long nanosOfTxEdge(long edge) {
        return (edge * options.phyPeriodPs + offsetPs) / 1000;
    }

    /** Nothing in the card or on its wires, and so since the guard time: time may pass without simulating it. */
    private boolean idle() {
        return options.skipQuietTime && quietFor() >= QUIET_GUARD_NS * 1000 && cardPs() >= busyUntilPs;
    }

    /** How long the card has looked quiet, in ps (-1: it is not). */
    private long quietFor() {
        boolean quiet = sim.port("quiet").get() != 0 && gmii.framesQueued() == 0 && !gmii.sending();
        if (!quiet) {
            quietSincePs = -1;
            return -1;
        }
        if (quietSincePs < 0) quietSincePs = cardPs();
        return cardPs() - quietSincePs;
    }

    /**
     * Keeps the card simulated for {@code ns} even if it is quiet: after its PHY's registers changed,
     * so the monitor's next poll sees it.
     */
    public void simulateAtLeast(long ns) {
        busyUntilPs = Math.max(busyUntilPs, cardPs() + ns * 1000);
    }

    /** Brings the card (and a connected one) to the clock's present time. */
    private void advance() {
        advanceTo(clock.getAsLong() * 1000);
    }

    /** Brings the card (and a connected one, in lockstep) to card time {@code target} ps. */
    private void advanceTo(long target) {
        if (peer == null) {
            runTo(target);
            return;
        }
        long step = CABLE_DELAY_NS * 1000;
        while (cardPs() < target || peer.cardPs() < target) {
            if (idle() && peer.idle()) {
                // neither can send anything before its host acts: no lockstep needed, both may skip
                runTo(target);
                peer.runTo(target);
                continue;
            }
            long next = Math.min(target, Math.min(cardPs(), peer.cardPs()) + step);
            runTo(next);
            peer.runTo(next);
        }
    }

    /** The card's time in the clock's picoseconds. */
    private long cardPs() {
        return sim.time() + offsetPs;
    }

    private void runTo(long targetPs) {
        while (cardPs() < targetPs) {
            long skip = (targetPs - cardPs()) / SKIP_QUANTUM_PS * SKIP_QUANTUM_PS;
            if (skip > 0 && idle()) {
                offsetPs += skip;
                offsets.put(sim.time(), offsetPs);
                cyclesSkipped += skip / options.systemPeriodPs;
                continue;
            }
            sim.run(Math.min(targetPs - cardPs(), runStepPs));
            deliver();
        }
    }

    /** The host is busy for {@code ns}: the card runs on meanwhile. */
    private void hostWork(long ns) {
        if (ns > 0) advanceTo(cardPs() + ns * 1000);
    }

    /** Hands the frames the card sent to the listeners. */
    private void deliver() {
        for (GmiiPort.Sent f : gmii.sent()) for (Consumer<GmiiPort.Sent> l : listeners) l.accept(f);
    }
}

package io.github.jnic.boards;

import io.github.jnic.driver.link.LinkBus;
import io.github.jnic.driver.link.LinkMessage;
import io.github.jnic.net.buf.BufferPool;
import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.net.dev.TapDevice;
import io.github.jnic.net.stack.NetStack;
import io.github.jnic.testbench.phy.PhyPort;
import io.github.jnic.testbench.sim.Simulator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * A whole board top in Verilator, driven over its host link, its network port on a Linux TAP (or
 * frames handed to and taken from it here): what {@link SimulatedBoard} (the Colorlight over
 * Ethernet) and {@link SimulatedIcebreaker} (the iCEBreaker over its UART) share.
 *
 * <h2>Time</h2>
 * One clock: the board's, {@code clock} at {@code clockPs}. The host (stack, driver, link) runs on
 * the board's time: whenever it waits for the link, for a timer or for a frame, the board is
 * simulated forward; Linux sees a slow network, not a wrong one. Everything runs on one thread.
 */
abstract class SimulatedTop implements AutoCloseable {
    private static final long EPOCH_NS = 1_000_000_000L;

    protected final Simulator sim;
    protected final TapDevice network;
    private final String clock;
    private final long clockPs, waitStepNs, loopStepNs;
    private final BufferPool pool = new BufferPool(16_384, 64);
    protected PhyPort networkPort;
    private byte[] offered;
    private long offeredFrames;
    private BiConsumer<Boolean, LinkMessage> linkWatcher = (fromBoard, m) -> {};

    /**
     * {@code waitStepNs}: how far the board moves when the host waits for the link and nothing has
     * come; {@code loopStepNs}: how far at most between two looks of the host loop.
     */
    SimulatedTop(Simulator sim, TapDevice network, String clock, long clockPs, long waitStepNs, long loopStepNs) {
        this.sim = sim;
        this.network = network;
        this.clock = clock;
        this.clockPs = clockPs;
        this.waitStepNs = waitStepNs;
        this.loopStepNs = loopStepNs;
        sim.clock(clock, clockPs);
    }

    /** The board's time in ns, the host's clock. */
    final long now() {
        return EPOCH_NS + sim.cycles(clock) * clockPs / 1000;
    }

    final LongSupplier clock() {
        return this::now;
    }

    /** Simulates the board {@code ns} further (at least a cycle), then carries frames between its pins and the TAPs. */
    final void advance(long ns) {
        long cycles = Math.max(1, (ns * 1000 + clockPs - 1) / clockPs);
        long lineBytes = (long) (cycles * clockPs * networkBitsPerSecond() / 8e12) + 128;
        while (offered != null && networkPort.queuedBytes() < lineBytes) {
            networkPort.send(offered);
            offeredFrames++;
        }
        beforeStep(cycles);
        sim.step(clock, cycles);
        networkPort.drain();
        afterStep();
        if (network != null) network.receive(f -> networkPort.send(bytes(f)), 64);
    }

    /**
     * Keeps the network port's receive pins busy with {@code frame} (without FCS), back to back at
     * line rate whatever the host is doing, until called with null.
     */
    final void offer(byte[] frame) {
        offered = frame;
    }

    /** Frames {@link #offer} has queued on the network port's pins so far. */
    final long offeredFrames() {
        return offeredFrames;
    }

    /** {@code watcher} sees every message on the host link as the host sends and receives it: true for the board's. */
    final void watchLink(BiConsumer<Boolean, LinkMessage> watcher) {
        linkWatcher = watcher;
    }

    /** Before {@code cycles} of the board's clock: keeps the pins fed. */
    protected void beforeStep(long cycles) {}

    /** After a step: the link's pins decoded, its frames carried. */
    protected abstract void afterStep();

    /** The host link's transport, as the host has it. */
    protected abstract LinkBus.Transport transport();

    /** Queues a frame (without FCS) on the network port's receive pins; returns the board time (ns) its last byte is on them. */
    abstract long toNetworkPort(byte[] frame);

    /** The driver's bus, with the link's timeouts. */
    abstract LinkBus bus(ByteBuffer memory, long busAddress);

    /** The driver's bus: the link, waiting for which moves the board; resends after {@code resendNs}, a read fails after {@code timeoutNs}. */
    final LinkBus bus(ByteBuffer memory, long busAddress, long resendNs, long timeoutNs) {
        LinkBus.Transport link = transport();
        LinkBus.Transport waiting = new LinkBus.Transport() {
            @Override public void send(LinkMessage m) {
                linkWatcher.accept(false, m);
                link.send(m);
            }

            @Override public LinkMessage receive() {
                LinkMessage m = link.receive();
                if (m == null) {
                    advance(waitStepNs);
                    m = link.receive();
                }
                if (m != null) linkWatcher.accept(true, m);
                return m;
            }
        };
        return new LinkBus(waiting, memory, busAddress, clock(), resendNs, timeoutNs);
    }

    /** Runs the host on the board's clock until {@code running} turns false: the stack's thread. */
    final void runHost(NetStack stack, BooleanSupplier running) {
        while (running.getAsBoolean()) {
            long now = now();
            stack.poll(now);
            long due = stack.nextDeadline();
            if (due > now) advance(Math.min(due - now, loopStepNs));
        }
    }

    /** Frames the network port sent with a bad FCS (and, where there is one, the link port; never expected). */
    long badFrames() { return networkPort.badFrames(); }

    /** Edges on which a port's receive pins had nothing queued (never expected where they are kept fed). */
    abstract long underruns();

    /** The host link's bytes so far towards the host, as the link counts them on its wire. */
    abstract long linkBytesToHost();

    /** The same towards the board. */
    abstract long linkBytesToBoard();

    /** The host link's ceiling, in those bytes a second each way. */
    abstract double linkBytesPerSecond();

    /** The bytes a message takes on the link's wire, in the units of {@link #linkBytesToHost}. */
    abstract long linkWireBytes(LinkMessage m);

    /** The network port's bit rate. */
    abstract double networkBitsPerSecond();

    /** Link frames the host dropped: from another station, not a message, or corrupt. */
    abstract long foreignLinkFrames();

    protected final void toKernel(TapDevice tap, byte[] frame) {
        PacketBuffer b = pool.take();
        b.append(frame, 0, frame.length);
        if (!tap.transmit(b)) b.release();
        tap.flush();
    }

    protected static byte[] bytes(PacketBuffer f) {
        byte[] b = Arrays.copyOfRange(f.data(), f.start(), f.end());
        f.release();
        return b;
    }

    protected static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IOException(String.join(" ", cmd) + ": " + out);
    }

    @Override
    public void close() {
        sim.close();
    }
}

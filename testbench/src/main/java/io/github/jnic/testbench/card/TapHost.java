package io.github.jnic.testbench.card;

import io.github.jnic.net.buf.BufferPool;
import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.net.dev.TapDevice;
import io.github.jnic.net.stack.NetStack;
import io.github.jnic.testbench.phy.Ethernet;
import io.github.jnic.testbench.phy.GmiiPort;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * A jnic host on a simulated card whose PHY is bridged to a Linux TAP device: frames the card puts
 * on its GMII pins go to the kernel (preamble, SFD and FCS taken off, the FCS checked first), and
 * the kernel's frames arrive on the card's pins with theirs. The stack, its driver, the card and
 * the bridge run on one thread of their own.
 *
 * <h2>Time</h2>
 * The stack and the card share one clock ({@link #clock()}), which is the card's time. While the
 * card is busy, the clock moves in steps of {@value #BUSY_STEP_NS} ns that are simulated cycle by
 * cycle, slower than real time: the kernel sees a slow network, not a wrong one. While the card is
 * quiet and the stack has nothing due, the clock follows real time and the thread sleeps, looking at
 * the TAP every {@value #IDLE_LOOK_NS} ns.
 */
public final class TapHost implements AutoCloseable {
    public static final long BUSY_STEP_NS = 2_000;
    public static final long IDLE_LOOK_NS = 100_000;

    private final NetStack stack;
    private final TapDevice tap;
    private final BufferPool pool = new BufferPool(16_384, 64);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;
    private long now = 1_000_000_000L;
    private final LongSupplier clock = () -> now;
    private SimulatedNic card;
    private long badFcs, toKernel, fromKernel;

    /** A host whose stack is built by {@code build} on the clock it is given (create the card and driver there and return the card). */
    public TapHost(NetStack stack, TapDevice tap, java.util.function.Function<LongSupplier, SimulatedNic> build, String name) {
        this.stack = stack;
        this.tap = tap;
        this.card = build.apply(clock);
        card.setLink(true);
        card.onSent(this::toKernel);
        thread = new Thread(this::loop, name);
        thread.setDaemon(true);
    }

    /** The clock the stack and card share: give it to whatever is built for this host. */
    public LongSupplier clock() {
        return clock;
    }

    public TapHost start() {
        stack.claim(thread);
        thread.start();
        return this;
    }

    public NetStack stack() {
        return stack;
    }

    public SimulatedNic card() {
        return card;
    }

    /** The last exception the loop threw, or null. */
    public Throwable failure() {
        return failure;
    }

    /** Frames from the card dropped because their FCS was wrong (never expected). */
    public long badFcs() {
        return badFcs;
    }

    public long framesToKernel() {
        return toKernel;
    }

    public long framesFromKernel() {
        return fromKernel;
    }

    private void loop() {
        while (running) {
            try {
                tap.receive(this::fromKernel, 64);
                stack.poll(now);
                long due = stack.nextDeadline();
                if (due <= now) continue;
                long check = card.nextInterruptCheck();
                if (check < Long.MAX_VALUE) {
                    now = Math.min(due, Math.max(now + 1, Math.min(check, now + BUSY_STEP_NS)));
                } else {
                    long before = System.nanoTime();
                    LockSupport.parkNanos(Math.min(IDLE_LOOK_NS, due - now));
                    now = Math.min(due, now + Math.max(1, System.nanoTime() - before));
                }
            } catch (Throwable t) {
                failure = t;
                t.printStackTrace();
                LockSupport.parkNanos(1_000_000);
            }
        }
    }

    private void fromKernel(PacketBuffer frame) {
        byte[] bytes = Arrays.copyOfRange(frame.data(), frame.start(), frame.end());
        frame.release();
        card.receive(Ethernet.onWire(Ethernet.padAndFcs(bytes), Ethernet.PREAMBLE_LENGTH), now);
        fromKernel++;
    }

    private void toKernel(GmiiPort.Sent sent) {
        byte[] wire = sent.wire();
        int start = Ethernet.PREAMBLE_LENGTH + 1;
        byte[] withFcs = Arrays.copyOfRange(wire, start, wire.length);
        if (sent.error() || wire.length < start + 64 || wire[start - 1] != Ethernet.SFD || !Ethernet.fcsGood(withFcs)) {
            badFcs++;
            return;
        }
        PacketBuffer b = pool.take();
        b.append(withFcs, 0, withFcs.length - Ethernet.FCS_LENGTH);
        if (!tap.transmit(b)) b.release();
        tap.flush();
        toKernel++;
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        card.close();
    }
}

package io.github.jnic.net.stack;

import io.github.jnic.net.eth.NetInterface;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Drives a {@link NetStack} with the real clock on a thread of its own: poll, then sleep until the
 * next deadline or until a device has frames or an application queues a request. Devices with a
 * descriptor (TAP) are waited on with ppoll(2); the others wake the runner through callbacks.
 * Use {@link #CLOCK} for anything that must share the runner's time (a {@code MemoryLink}).
 */
public final class StackRunner implements AutoCloseable {
    /** The clock runners use: {@link System#nanoTime()}. */
    public static final LongSupplier CLOCK = System::nanoTime;

    private final NetStack stack;
    private final Waiter waiter;
    private final Thread thread;
    private volatile boolean running;
    private volatile Throwable failure;

    public StackRunner(NetStack stack, String name) {
        this.stack = stack;
        List<Integer> fds = new ArrayList<>();
        for (NetInterface i : stack.interfaces()) if (i.device().pollDescriptor() >= 0) fds.add(i.device().pollDescriptor());
        this.waiter = fds.isEmpty() ? new MonitorWaiter() : new DescriptorWaiter(fds.stream().mapToInt(Integer::intValue).toArray());
        this.thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        stack.setWakeup(waiter::wake);
    }

    /** Creates and starts a runner. */
    public static StackRunner start(NetStack stack, String name) {
        StackRunner r = new StackRunner(stack, name);
        r.running = true;
        stack.claim(r.thread);   // from now on, callers on other threads go through the request queue
        r.thread.start();
        return r;
    }

    private void loop() {
        while (running) {
            try {
                stack.poll(CLOCK.getAsLong());
                // Armed before the last look at the request queue: a request queued after that look
                // finds the waiter armed and wakes it; one queued before is seen by the look.
                waiter.arm();
                long wait = stack.nextDeadline() - CLOCK.getAsLong();
                if (wait > 0 && running) waiter.await(Math.min(wait, 1_000_000_000L));
                waiter.disarm();
            } catch (Throwable t) {
                // A bug must not silently stop the network: remember it, report it, keep going.
                failure = t;
                t.printStackTrace();
            }
        }
    }

    /** The last exception the stack threw, or null: tests assert it stayed null. */
    public Throwable failure() { return failure; }

    public NetStack stack() { return stack; }

    /** Stops the thread and waits for it. */
    @Override public void close() {
        running = false;
        waiter.wake();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        waiter.close();
    }
}

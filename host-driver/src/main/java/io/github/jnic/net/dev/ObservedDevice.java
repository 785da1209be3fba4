package io.github.jnic.net.dev;

import io.github.jnic.net.buf.PacketBuffer;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Any device, with every frame it sends or receives shown to an {@link Observer} first, on the
 * stack's thread: the one hook for captures, journals and traces.
 */
public class ObservedDevice implements NetDevice {

    /** Sees each frame's bytes, timestamped with the clock given to the device. */
    @FunctionalInterface
    public interface Observer {
        void frame(long now, byte[] data, int off, int len);
    }

    private final NetDevice inner;
    private final Observer observer;
    private final LongSupplier clock;
    private FrameSink sink;
    private final FrameSink observing = this::observe;

    /** {@code clock}: timestamps in nanoseconds (the stack's clock, so virtual-time runs make sense). */
    public ObservedDevice(NetDevice inner, Observer observer, LongSupplier clock) {
        this.inner = inner;
        this.observer = observer;
        this.clock = clock;
    }

    @Override public boolean transmit(PacketBuffer frame) {
        frame.linearize();   // the observer reads every byte
        observer.frame(clock.getAsLong(), frame.data(), frame.start(), frame.length());
        return inner.transmit(frame);
    }

    @Override public int receive(FrameSink sink, int budget) {
        this.sink = sink;
        return inner.receive(observing, budget);
    }

    private void observe(PacketBuffer frame) {
        observer.frame(clock.getAsLong(), frame.data(), frame.start(), frame.length());
        sink.accept(frame);
    }

    @Override public String name() { return inner.name(); }
    @Override public byte[] macAddress() { return inner.macAddress(); }
    @Override public int mtu() { return inner.mtu(); }
    @Override public boolean linkUp() { return inner.linkUp(); }
    @Override public Set<Feature> features() { return inner.features(); }
    @Override public long nextDeadline() { return inner.nextDeadline(); }
    @Override public int flush() { return inner.flush(); }
    @Override public int pollDescriptor() { return inner.pollDescriptor(); }
    @Override public void setReceiveWakeup(Runnable wakeup) { inner.setReceiveWakeup(wakeup); }
}

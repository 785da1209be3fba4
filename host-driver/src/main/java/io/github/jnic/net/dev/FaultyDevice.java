package io.github.jnic.net.dev;

import io.github.jnic.net.buf.BufferPool;
import io.github.jnic.net.buf.PacketBuffer;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Any device with a {@link FaultInjector} on each direction: how faults are injected on a TAP path,
 * where netem is not available. Receive delivers the inner device's frames through the inbound
 * injector; transmit passes through the outbound one (held frames go out on later calls).
 */
public final class FaultyDevice implements NetDevice {
    private final NetDevice inner;
    private final FaultInjector outbound;
    private final FaultInjector inbound;
    private final LongSupplier clock;
    private final BufferPool pool;
    private FrameSink sink;
    private final FrameSink intoInbound = this::intoInbound;
    private final FaultInjector.FrameConsumer toInner = this::toInner;
    private final FaultInjector.FrameConsumer toSink = this::toSink;

    public FaultyDevice(NetDevice inner, FaultInjector outbound, FaultInjector inbound, LongSupplier clock) {
        if (inner.features().contains(Feature.RX_CHECKSUM) || inner.features().contains(Feature.TSO)) {
            // Frames cross the injector as bytes: offload metadata (partial checksums, segment sizes) would be lost.
            throw new IllegalArgumentException("fault injection needs a device without offloads, not " + inner.name());
        }
        this.inner = inner;
        this.outbound = outbound;
        this.inbound = inbound;
        this.clock = clock;
        this.pool = new BufferPool(PacketBuffer.DEFAULT_HEADROOM + inner.mtu() + 64, 64);
    }

    @Override public String name() { return inner.name(); }
    @Override public byte[] macAddress() { return inner.macAddress(); }
    @Override public int mtu() { return inner.mtu(); }
    @Override public boolean linkUp() { return inner.linkUp(); }
    /** Only what survives being copied through an injector: the device sees finished frames. */
    @Override public Set<Feature> features() { return Set.of(); }

    @Override public boolean transmit(PacketBuffer frame) {
        outbound.submit(frame.data(), frame.start(), frame.length(), clock.getAsLong());
        frame.release();
        flushOutbound();
        return true;
    }

    private void flushOutbound() {
        outbound.deliver(clock.getAsLong(), toInner, Integer.MAX_VALUE);
    }

    private void toInner(byte[] data, int length) {
        PacketBuffer b = pool.take();
        b.append(data, 0, length);
        if (!inner.transmit(b)) b.release();
    }

    @Override public int receive(FrameSink sink, int budget) {
        flushOutbound();
        this.sink = sink;
        inner.receive(intoInbound, budget);
        return inbound.deliver(clock.getAsLong(), toSink, budget);
    }

    private void intoInbound(PacketBuffer frame) {
        inbound.submit(frame.data(), frame.start(), frame.length(), clock.getAsLong());
        frame.release();
    }

    private void toSink(byte[] data, int length) {
        PacketBuffer b = pool.take();
        b.append(data, 0, length);
        sink.accept(b);
    }

    @Override public int flush() { return inner.flush(); }

    @Override public long nextDeadline() {
        return Math.min(Math.min(outbound.nextDeadline(), inbound.nextDeadline()), inner.nextDeadline());
    }

    @Override public int pollDescriptor() { return inner.pollDescriptor(); }
    @Override public void setReceiveWakeup(Runnable wakeup) { inner.setReceiveWakeup(wakeup); }
}

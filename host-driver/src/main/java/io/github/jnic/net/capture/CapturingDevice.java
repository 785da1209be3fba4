package io.github.jnic.net.capture;

import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.net.dev.NetDevice;
import java.util.Set;
import java.util.function.LongSupplier;

/** Any device, with every frame it sends and receives also written to a {@link PcapWriter}. */
public final class CapturingDevice implements NetDevice {
    private final NetDevice inner;
    private final PcapWriter pcap;
    private final LongSupplier clock;
    private FrameSink sink;
    private final FrameSink recording = this::record;

    /** {@code clock}: timestamps in nanoseconds (the stack's clock, so captures of virtual-time runs make sense). */
    public CapturingDevice(NetDevice inner, PcapWriter pcap, LongSupplier clock) {
        this.inner = inner;
        this.pcap = pcap;
        this.clock = clock;
    }

    @Override public boolean transmit(PacketBuffer frame) {
        pcap.write(clock.getAsLong(), frame);
        return inner.transmit(frame);
    }

    @Override public int receive(FrameSink sink, int budget) {
        this.sink = sink;
        return inner.receive(recording, budget);
    }

    private void record(PacketBuffer frame) {
        pcap.write(clock.getAsLong(), frame);
        sink.accept(frame);
    }

    @Override public String name() { return inner.name(); }
    @Override public byte[] macAddress() { return inner.macAddress(); }
    @Override public int mtu() { return inner.mtu(); }
    @Override public boolean linkUp() { return inner.linkUp(); }
    @Override public Set<Feature> features() { return inner.features(); }
    @Override public long nextDeadline() { return inner.nextDeadline(); }
    @Override public int pollDescriptor() { return inner.pollDescriptor(); }
    @Override public void setReceiveWakeup(Runnable wakeup) { inner.setReceiveWakeup(wakeup); }
}

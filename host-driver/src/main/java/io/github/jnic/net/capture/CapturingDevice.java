package io.github.jnic.net.capture;

import io.github.jnic.net.dev.NetDevice;
import io.github.jnic.net.dev.ObservedDevice;
import java.util.function.LongSupplier;

/** Any device, with every frame it sends and receives also written to a {@link PcapWriter}. */
public final class CapturingDevice extends ObservedDevice {

    /** {@code clock}: timestamps in nanoseconds (the stack's clock, so captures of virtual-time runs make sense). */
    public CapturingDevice(NetDevice inner, PcapWriter pcap, LongSupplier clock) {
        super(inner, pcap::write, clock);
    }
}

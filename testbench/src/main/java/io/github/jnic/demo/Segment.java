package io.github.jnic.demo;

import io.github.jnic.net.buf.BufferPool;
import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.net.dev.NetDevice;
import io.github.jnic.net.wire.MacAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * An Ethernet segment in memory: a learning switch with one {@link Port} per host. A frame to a
 * MAC the switch has seen goes to that host's port only; broadcast, multicast and unknown
 * destinations are flooded. Every frame entering the switch is shown to the {@link Observer}
 * once (the capture point of the whole segment), then delivered {@code latency} later on the
 * clock given, so timestamps in virtual time look like a real (fast) cable.
 */
final class Segment {
    /** Sees each frame as it enters the switch, on the sending stack's thread. */
    interface Observer {
        void frame(Port from, long now, byte[] data, int off, int len);
    }

    private final LongSupplier clock;
    private final long latency;
    private final List<Port> ports = new ArrayList<>();
    private final Map<String, Port> learned = new HashMap<>();
    private Observer observer = (from, now, data, off, len) -> {};

    Segment(LongSupplier clock, long latencyNanos) {
        this.clock = clock;
        this.latency = latencyNanos;
    }

    void observe(Observer observer) { this.observer = observer; }

    /** A new port, for a host whose card has the given name and MAC address. */
    Port port(String name, byte[] mac) {
        Port p = new Port(name, mac);
        ports.add(p);
        return p;
    }

    private void forward(Port from, byte[] data, int off, int len) {
        long now = clock.getAsLong();
        observer.frame(from, now, data, off, len);
        learned.put(MacAddress.toString(data, off + 6), from);
        Port to = (data[off] & 1) != 0 ? null : learned.get(MacAddress.toString(data, off));
        byte[] copy = java.util.Arrays.copyOfRange(data, off, off + len);
        for (Port p : ports) {
            if (p != from && (to == null || p == to)) p.arrive(copy, now + latency);
        }
    }

    /** One host's plug on the segment: a {@link NetDevice} without offloads, MTU 1500. */
    final class Port implements NetDevice {
        private record Pending(byte[] frame, long at) {}

        private final String name;
        private final byte[] mac;
        private final ArrayDeque<Pending> inbound = new ArrayDeque<>();
        private final BufferPool rxPool = new BufferPool(PacketBuffer.DEFAULT_HEADROOM + 1600, 16);
        private Runnable wakeup = () -> {};
        private java.util.function.ObjLongConsumer<byte[]> direct;

        private Port(String name, byte[] mac) {
            this.name = name;
            this.mac = mac.clone();
        }

        /** Hands each frame for this port to {@code to} with its time of arrival as it enters the switch, instead of queueing it for {@link #receive}. */
        void deliverTo(java.util.function.ObjLongConsumer<byte[]> to) {
            direct = to;
        }

        private void arrive(byte[] frame, long at) {
            if (direct != null) {
                direct.accept(frame, at);
                return;
            }
            inbound.add(new Pending(frame, at));
            wakeup.run();
        }

        @Override public String name() { return name; }
        @Override public byte[] macAddress() { return mac.clone(); }
        @Override public int mtu() { return 1500; }
        @Override public boolean linkUp() { return true; }
        @Override public Set<Feature> features() { return EnumSet.noneOf(Feature.class); }

        @Override public boolean transmit(PacketBuffer frame) {
            forward(this, frame.data(), frame.start(), frame.length());
            frame.release();
            return true;
        }

        @Override public int receive(FrameSink sink, int budget) {
            long now = clock.getAsLong();
            int n = 0;
            while (n < budget && !inbound.isEmpty() && inbound.peek().at() <= now) {
                byte[] f = inbound.poll().frame();
                PacketBuffer b = rxPool.take();
                if (b.tailroom() < f.length) b.reset(0);
                b.append(f, 0, f.length);
                sink.accept(b);
                n++;
            }
            return n;
        }

        @Override public long nextDeadline() { return inbound.isEmpty() ? Long.MAX_VALUE : inbound.peek().at(); }
        @Override public void setReceiveWakeup(Runnable wakeup) { this.wakeup = wakeup; }
    }
}

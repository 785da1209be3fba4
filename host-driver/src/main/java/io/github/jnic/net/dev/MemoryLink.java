package io.github.jnic.net.dev;

import io.github.jnic.net.buf.BufferPool;
import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.net.wire.MacAddress;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * A cable between two stacks in one JVM: two {@link NetDevice} ends, {@link #a()} and {@link #b()},
 * each direction passing through its own {@link FaultInjector}. Time is the clock given at
 * construction (a virtual clock in tests), so delays and rate limits are deterministic.
 *
 * <p>Frames are copied into the injector on transmit and into the receiving end's own buffers on
 * receive, so the two stacks never share a buffer or a pool and may run on different threads.
 */
public final class MemoryLink {
    private final End a;
    private final End b;

    public MemoryLink(LongSupplier clock, FaultInjector aToB, FaultInjector bToA) {
        this(clock, aToB, bToA, 1500);
    }

    public MemoryLink(LongSupplier clock, FaultInjector aToB, FaultInjector bToA, int mtu) {
        this.a = new End("mem-a", MacAddress.local(1), mtu, clock, aToB, bToA);
        this.b = new End("mem-b", MacAddress.local(2), mtu, clock, bToA, aToB);
        a.peer = b;
        b.peer = a;
    }

    /** A fault-free link. */
    public MemoryLink(LongSupplier clock) {
        this(clock, FaultInjector.none(), FaultInjector.none());
    }

    public End a() { return a; }
    public End b() { return b; }

    /**
     * Both ends offload TCP/UDP checksums as Linux's loopback does: a frame that asks for its
     * checksum crosses unchecksummed and arrives marked verified, since it never crossed a wire.
     * Where the direction's injector may corrupt frames, the sending end fills the checksum in
     * (as a NIC would) and the receiver checks it, so corruption is still caught.
     */
    public MemoryLink offloadChecksums() {
        for (End e : new End[] {a, b}) {
            e.checksumOffload = true;
            e.features = EnumSet.of(NetDevice.Feature.TX_CHECKSUM, NetDevice.Feature.RX_CHECKSUM);
        }
        return this;
    }

    /** One end of the link. */
    public static final class End implements NetDevice {
        private final String name;
        private final byte[] mac;
        private final int mtu;
        private final LongSupplier clock;
        private final FaultInjector out;
        private final FaultInjector in;
        private final BufferPool rxPool;
        private End peer;
        private volatile Runnable wakeup = () -> {};
        private volatile boolean up = true;
        private Set<Feature> features = EnumSet.noneOf(Feature.class);
        private boolean checksumOffload;
        private FrameSink sink;
        private final FaultInjector.FrameConsumer toSink = this::handUp;

        End(String name, byte[] mac, int mtu, LongSupplier clock, FaultInjector out, FaultInjector in) {
            this.name = name;
            this.mac = mac;
            this.mtu = mtu;
            this.clock = clock;
            this.out = out;
            this.in = in;
            this.rxPool = new BufferPool(PacketBuffer.DEFAULT_HEADROOM + mtu + 32, 64);
        }

        @Override public String name() { return name; }
        @Override public byte[] macAddress() { return mac.clone(); }
        @Override public int mtu() { return mtu; }
        @Override public boolean linkUp() { return up; }
        @Override public Set<Feature> features() { return features; }

        /** Pretends the device offers these offloads (the link passes the requests through and does nothing). */
        public End features(Set<Feature> features) {
            this.features = features.isEmpty() ? EnumSet.noneOf(Feature.class) : EnumSet.copyOf(features);
            return this;
        }

        /** Unplugs or plugs the cable at this end: while down, frames sent either way are lost. */
        public void setLinkUp(boolean up) { this.up = up; }

        @Override public boolean transmit(PacketBuffer frame) {
            if (up && peer.up) {
                frame.linearize();   // offered SCATTER_GATHER: the payload is read where it lies, now, as a card's DMA does
                if (checksumOffload && frame.checksumRequested() && out.corrupts()) frame.completeChecksum();
                out.submit(frame.data(), frame.start(), frame.length(), clock.getAsLong());
                peer.wakeup.run();
            }
            frame.release();
            return true;
        }

        @Override public int receive(FrameSink sink, int budget) {
            this.sink = sink;
            return in.deliver(clock.getAsLong(), toSink, budget);
        }

        private void handUp(byte[] data, int length) {
            PacketBuffer b = rxPool.take();
            if (length > b.capacity()) { b.release(); return; }   // oversized: the wire would not carry it
            if (b.tailroom() < length) b.reset(0);
            b.append(data, 0, length);
            if (checksumOffload && !in.corrupts()) b.rxChecksum(PacketBuffer.RxChecksum.GOOD);
            sink.accept(b);
        }

        @Override public long nextDeadline() { return in.nextDeadline(); }
        @Override public void setReceiveWakeup(Runnable wakeup) { this.wakeup = wakeup; }

        /** The injector on frames this end sends. */
        public FaultInjector outbound() { return out; }
    }
}

package io.github.jnic.net.tcp;

import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.net.ip.Ipv4Output;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * A fake IPv4 layer for TCP tests: hands out buffers, finishes checksum requests the way the IP
 * layer's software fallback does, and records (or forwards) every segment sent.
 */
final class RecordingIp implements Ipv4Output {
    final int localAddr;
    int mtu = 1500;
    boolean tso;
    /** Segments sent and not yet taken by the test. */
    final ArrayDeque<Segment> sent = new ArrayDeque<>();
    /** When set, segments go here instead of into {@link #sent}. */
    Consumer<Segment> forward;
    long allocations;
    /** Segments that came with (part of) their payload still in the send buffer, to be gathered. */
    long gathered;

    RecordingIp(int localAddr) {
        this.localAddr = localAddr;
    }

    @Override
    public PacketBuffer allocate(int transportBytes) {
        allocations++;
        return PacketBuffer.allocate(transportBytes + 64, 64);
    }

    @Override
    public SendResult send(PacketBuffer segment, int src, int dst, int protocol, int ttl, int tos, boolean dontFragment) {
        if (protocol != 6) throw new AssertionError("protocol " + protocol);
        if (segment.gathers()) gathered++;
        if (segment.checksumRequested()) segment.completeChecksum();   // as the IP layer's fallback does
        Segment s = new Segment(src, dst, segment.toByteArray(), segment.segmentSize());
        segment.release();
        if (forward != null) forward.accept(s);
        else sent.add(s);
        return SendResult.SENT;
    }

    @Override public int sourceAddressFor(int dst) { return localAddr; }
    @Override public int mtuFor(int dst) { return mtu; }
    @Override public boolean segmentationOffloadFor(int dst) { return tso; }
    @Override public boolean isLocalAddress(int addr) { return addr == localAddr; }

    Segment take() {
        Segment s = sent.poll();
        if (s == null) throw new AssertionError("expected a segment, none was sent");
        return s;
    }
}

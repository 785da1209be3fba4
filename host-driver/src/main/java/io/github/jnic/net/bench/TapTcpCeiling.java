package io.github.jnic.net.bench;

import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.net.dev.NetDevice;
import io.github.jnic.net.dev.NetworkNamespace;
import io.github.jnic.net.dev.TapDevice;
import io.github.jnic.net.tcp.TcpOptions;
import io.github.jnic.net.wire.Bytes;
import io.github.jnic.net.wire.Checksum;
import io.github.jnic.net.wire.EthernetFrame;
import io.github.jnic.net.wire.Ipv4Address;
import io.github.jnic.net.wire.Ipv4Header;
import io.github.jnic.net.wire.MacAddress;
import io.github.jnic.net.wire.TcpHeader;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * The TAP ceiling for TCP: a loop that only writes and reads frames, like {@link TapCeiling}, but
 * whose frames are the segments of one real TCP connection with the kernel. Towards Linux it writes
 * prebuilt full-size data segments as fast as Linux's window allows and reads the ACKs; from Linux
 * it reads the data segments and writes a prebuilt ACK for every second one. Only the sequence and
 * acknowledgment numbers change per frame (checksum patched incrementally); there is no congestion
 * control and no buffering. The kernel does all the TCP work it does against a jnic stack, inside
 * the same TAP system calls; this side does as good as none. So this is what TCP over a TAP device
 * can reach frame by frame, and the reference the jnic stack is measured against.
 *
 * <p>With {@code offloads}, the TAP carries virtio-net headers, as the stack's own offload runs do:
 * towards Linux the loop writes 64 KB segments that the kernel cuts (TSO) with their checksums
 * left to it; from Linux it reads the kernel's unsegmented (GSO) frames.
 *
 * <p>{@code ./nic bench tcp} measures it beside jnic; {@link #main} prints it alone.
 */
public final class TapTcpCeiling {
    private static final int MSS = 1460;
    private static final int SHIFT = 7;   // our window scale: 65535 << 7, about 8 MB, never the limit
    private static final int TO_LINUX_PORT = 5311;
    private static final int FROM_LINUX_PORT = 5312;

    /** The two figures, in Mbit/s of TCP payload. */
    public record Ceiling(double toLinuxMbps, double fromLinuxMbps) {}

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        String reason = TapCeiling.unavailableReason();
        if (reason != null) {
            System.err.println("tap-tcp-ceiling: cannot run: " + reason);
            System.exit(2);
        }
        for (boolean offloads : new boolean[] {false, true}) {
            Ceiling c = measure(seconds, offloads);
            System.out.printf("TCP-shaped TAP ceiling (prebuilt segments of one connection, no stack)%s%n", offloads ? ", TAP offloads" : "");
            System.out.printf("%-28s %10.0f Mbit/s%n", "jnic -> Linux", c.toLinuxMbps());
            System.out.printf("%-28s %10.0f Mbit/s%n", "Linux -> jnic", c.fromLinuxMbps());
        }
    }

    /** Measures both directions for about {@code seconds} each; needs root, ip and nc. */
    public static Ceiling measure(double seconds, boolean offloads) throws Exception {
        byte[] mac = MacAddress.local(4246);
        try (NetworkNamespace ns = NetworkNamespace.create(offloads ? "10.214.7" : "10.214.6", mac, 1500, offloads)) {
            Link link = Link.on(ns, mac, offloads);
            return new Ceiling(send(ns, link, seconds, 0), receive(ns, link, seconds));
        }
    }

    /**
     * jnic -> Linux frame by frame, as {@link #measure}, with {@code workNanos} of busy work after
     * every data segment written: what a sender that spends that long on each segment of its own
     * can reach. The kernel's share of each segment grows as the sender slows (docs/benchmarks.md),
     * so this shows how far below the ceiling any stack lands for its per-segment work.
     */
    public static double toLinuxWithWork(double seconds, long workNanos) throws Exception {
        byte[] mac = MacAddress.local(4247);
        try (NetworkNamespace ns = NetworkNamespace.create("10.214.8", mac, 1500, false)) {
            return send(ns, Link.on(ns, mac, false), seconds, workNanos);
        }
    }

    /** jnic -> Linux: full-size segments up to Linux's window; go back to the last ACK if it stops moving. */
    private static double send(NetworkNamespace ns, Link link, double seconds, long workNanos) throws Exception {
        Process nc = ns.start("sh", "-c", "nc -l -w 30 " + TO_LINUX_PORT + " > /dev/null");
        try {
            int port = 40001;
            int iss = 0x1000_0000;
            Segment syn = new Segment(link, port, TO_LINUX_PORT, TcpHeader.SYN, true, 0, 0);
            Incoming in = new Incoming(link, TO_LINUX_PORT, port);
            long give = System.nanoTime() + 10_000_000_000L;
            do {   // nc needs a moment to listen: a RST means "not yet"
                link.send(syn.with(iss, 0));
                in.await(TcpHeader.SYN | TcpHeader.RST, 100);
                if (System.nanoTime() > give) throw new IOException("Linux did not answer the SYN");
            } while (!in.has(TcpHeader.SYN));
            int irs = in.seq;
            int peerShift = in.windowShift;
            int mss = Math.min(MSS, in.mss);
            // With TSO, one write carries as many full segments as the window and an IPv4 packet hold.
            Segment[] data = new Segment[link.offloads() ? (0xffff - 40) / mss + 1 : 2];   // [k]: k segments

            Segment ack = new Segment(link, port, TO_LINUX_PORT, TcpHeader.ACK, false, 0, 0);
            link.send(ack.with(iss + 1, irs + 1));
            int una = iss + 1, nxt = una;
            long window = in.window;   // the SYN-ACK's window is not scaled
            long t0 = System.nanoTime(), end = t0 + (long) (seconds * 1e9), lastMove = t0, now;
            long acked = 0;
            while ((now = System.nanoTime()) < end) {
                int k;
                while ((k = (int) Math.min(data.length - 1, (window - (nxt - una)) / mss)) > 0) {
                    if (data[k] == null) data[k] = new Segment(link, port, TO_LINUX_PORT, TcpHeader.ACK, false, k * mss, mss);
                    link.send(data[k].with(nxt, irs + 1));
                    nxt += k * mss;
                    if (workNanos > 0) {   // a stand-in for a stack's own work per segment
                        long busyUntil = System.nanoTime() + workNanos;
                        while (System.nanoTime() - busyUntil < 0) Thread.onSpinWait();
                    }
                }
                in.reset();
                while (link.tap.receive(in, 64) > 0) { }
                if (in.acks > 0) {
                    if (in.ack - una > 0) {
                        acked += in.ack - una;
                        una = in.ack;
                        lastMove = now;
                    }
                    window = (long) in.window << peerShift;
                }
                if (nxt - una > 0 && now - lastMove > 200_000_000L) {   // a lost segment: go back
                    nxt = una;
                    lastMove = now;
                }
            }
            double secs = (now - t0) / 1e9;
            link.send(new Segment(link, port, TO_LINUX_PORT, TcpHeader.RST, false, 0, 0).with(nxt, 0));
            return acked * 8 / secs / 1e6;
        } finally {
            nc.destroy();
            nc.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** Linux -> jnic: takes every in-order segment, ACKs every second one (and whatever waits when the TAP is empty). */
    private static double receive(NetworkNamespace ns, Link link, double seconds) throws Exception {
        long bytes = (long) (seconds * 1.5e9);   // more than it can carry: the run ends on time, not on EOF
        Process nc = ns.start("sh", "-c", "head -c " + bytes + " /dev/zero | nc -N " + ns.stackAddress() + " " + FROM_LINUX_PORT);
        try {
            Incoming in = new Incoming(link, -1, FROM_LINUX_PORT);
            in.await(TcpHeader.SYN, 10_000);
            if (!in.has(TcpHeader.SYN)) throw new IOException("Linux did not connect");
            int port = in.sourcePort;
            int iss = 0x2000_0000;
            in.expect(port, in.seq + 1);
            Segment synAck = new Segment(link, FROM_LINUX_PORT, port, TcpHeader.SYN | TcpHeader.ACK, true, 0, 0);
            Segment ack = new Segment(link, FROM_LINUX_PORT, port, TcpHeader.ACK, false, 0, 0);
            link.send(synAck.with(iss, in.rcvNxt));
            long t0 = 0, end = Long.MAX_VALUE, now = System.nanoTime(), give = now + 10_000_000_000L;
            while ((now = System.nanoTime()) < end) {
                int n = link.tap.receive(in, 64);
                if (in.unacked >= 2 || (n == 0 && in.unacked > 0) || in.outOfOrder) {
                    link.send(ack.with(iss + 1, in.rcvNxt));
                    in.unacked = 0;
                    in.outOfOrder = false;
                }
                if (t0 == 0 && in.received > 0) {
                    t0 = now;
                    end = t0 + (long) (seconds * 1e9);
                }
                if (t0 == 0 && now > give) throw new IOException("Linux sent no data");
            }
            double secs = (now - t0) / 1e9;
            link.send(new Segment(link, FROM_LINUX_PORT, port, TcpHeader.RST, false, 0, 0).with(iss + 1, 0));
            return in.received * 8 / secs / 1e6;
        } finally {
            nc.destroy();
            nc.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** Our end of the TAP and both hosts' addresses. */
    private record Link(TapDevice tap, byte[] mac, byte[] linuxMac, int address, int linuxAddress, boolean offloads) {
        /** The namespace's TAP, with Linux told our {@code mac} for good (the loop answers no ARP). */
        static Link on(NetworkNamespace ns, byte[] mac, boolean offloads) throws Exception {
            byte[] linuxMac = TapCeiling.pinNeighbour(ns, mac);
            return new Link(ns.tap(), mac, linuxMac, Ipv4Address.parse(ns.stackAddress()), Ipv4Address.parse(ns.linuxAddress()), offloads);
        }

        /** Writes a frame at once: its prebuilt buffer is patched again for the next one. */
        void send(PacketBuffer frame) {
            tap.transmit(frame);
            tap.flush();
        }
    }

    /**
     * One prebuilt segment from us to Linux, {@code payload} zero bytes long. {@link #with} patches
     * the sequence and acknowledgment numbers and the checksum, from a sum taken once over the rest;
     * over an offloading TAP the kernel sums (the field holds the pseudo-header sum) and segments.
     */
    private static final class Segment {
        private static final int TCP_AT = EthernetFrame.HEADER_LENGTH + Ipv4Header.MIN_LENGTH;
        private final byte[] frame;
        private final PacketBuffer buffer;   // unpooled: written again and again
        private final long sumWithoutNumbers;
        private final boolean offloads;
        private final int segmentSize;

        Segment(Link link, int srcPort, int dstPort, int flags, boolean synOptions, int payload, int tsoSize) {
            int tcpLength = (synOptions ? 28 : 20) + payload;
            byte[] frame = new byte[TCP_AT + tcpLength];
            EthernetFrame.write(frame, 0, link.linuxMac(), 0, link.mac(), -1, EthernetFrame.TYPE_IPV4);
            Ipv4Header.write(frame, EthernetFrame.HEADER_LENGTH, 0, Ipv4Header.MIN_LENGTH + tcpLength, 0, Ipv4Header.FLAG_DF, 64,
                    Ipv4Header.PROTO_TCP, link.address(), link.linuxAddress());
            Bytes.put16(frame, TCP_AT, srcPort);
            new TcpHeader().wrap(frame, TCP_AT).destinationPort(dstPort).headerLength(synOptions ? 28 : 20).flags(flags).window(0xffff);
            if (synOptions) {   // MSS, NOP, window scale
                int o = TCP_AT + 20;
                frame[o] = 2; frame[o + 1] = 4; Bytes.put16(frame, o + 2, MSS);
                frame[o + 4] = 1; frame[o + 5] = 3; frame[o + 6] = 3; frame[o + 7] = SHIFT;
            }
            long pseudo = Checksum.pseudoHeader(link.address(), link.linuxAddress(), Ipv4Header.PROTO_TCP, tcpLength);
            offloads = link.offloads();
            segmentSize = payload > tsoSize ? tsoSize : 0;
            if (offloads) Bytes.put16(frame, TCP_AT + TcpHeader.CHECKSUM_OFFSET, Checksum.fold(pseudo));   // the kernel sums the rest
            sumWithoutNumbers = offloads ? 0 : Checksum.add(pseudo, frame, TCP_AT, tcpLength);
            buffer = PacketBuffer.of(frame);
            this.frame = buffer.data();   // the buffer's own copy is the one patched and written
        }

        PacketBuffer with(int seq, int ack) {
            Bytes.put32(frame, TCP_AT + 4, seq);
            Bytes.put32(frame, TCP_AT + 8, ack);
            if (offloads) {
                buffer.requestChecksum(TCP_AT, TcpHeader.CHECKSUM_OFFSET);
                if (segmentSize > 0) buffer.requestSegmentation(segmentSize);
            } else {
                Bytes.put16(frame, TCP_AT + TcpHeader.CHECKSUM_OFFSET, Checksum.finish(Checksum.add32(Checksum.add32(sumWithoutNumbers, seq), ack)));
            }
            return buffer;
        }
    }

    /**
     * What arrives from Linux on one connection, read straight from the frames: the latest ACK and
     * window, SYN options, and, when receiving, the in-order byte count (out-of-order data is
     * dropped and answered with a duplicate ACK).
     */
    private static final class Incoming implements NetDevice.FrameSink {
        private final Link link;
        private final TcpHeader tcp = new TcpHeader();
        private final TcpOptions options = new TcpOptions();
        private int fromPort;   // -1: any
        private final int toPort;
        int seq, ack, window, flags, acks, sourcePort;
        int mss = 536, windowShift;
        int rcvNxt;
        boolean receiving, outOfOrder;
        int unacked;
        long received;

        Incoming(Link link, int fromPort, int toPort) {
            this.link = link;
            this.fromPort = fromPort;
            this.toPort = toPort;
        }

        /** From now on, count the data of connection {@code port} from sequence number {@code next}. */
        void expect(int port, int next) {
            fromPort = port;
            rcvNxt = next;
            receiving = true;
        }

        void reset() { acks = 0; flags = 0; }

        boolean has(int flag) { return (flags & flag) != 0; }

        /** Reads frames until one carries any of {@code anyFlags}, or {@code millis} pass. */
        void await(int anyFlags, long millis) throws InterruptedException {
            reset();
            long end = System.nanoTime() + millis * 1_000_000L;
            while ((flags & anyFlags) == 0 && System.nanoTime() < end) {
                if (link.tap().receive(this, 16) == 0) Thread.sleep(1);
            }
        }

        @Override public void accept(PacketBuffer b) {
            try {
                byte[] d = b.data();
                int ip = b.start() + EthernetFrame.HEADER_LENGTH;
                if (b.length() < EthernetFrame.HEADER_LENGTH + 40 || Bytes.get16(d, b.start() + 12) != EthernetFrame.TYPE_IPV4
                        || (d[ip + 9] & 0xff) != Ipv4Header.PROTO_TCP) return;
                int ipLength = Bytes.get16(d, ip + 2);
                int at = ip + (d[ip] & 0x0f) * 4;
                tcp.wrap(d, at);
                if (tcp.destinationPort() != toPort || (fromPort >= 0 && tcp.sourcePort() != fromPort)) return;
                int f = tcp.flags();
                flags |= f;
                sourcePort = tcp.sourcePort();
                if ((f & TcpHeader.SYN) != 0) readSynOptions();
                if ((f & TcpHeader.ACK) != 0) {
                    acks++;
                    ack = tcp.acknowledgmentNumber();
                    window = tcp.window();
                }
                seq = tcp.sequenceNumber();
                if (!receiving) return;
                int len = ipLength - (at - ip) - tcp.headerLength();
                if (len <= 0) return;
                if (seq == rcvNxt) {
                    rcvNxt += len;
                    received += len;
                    unacked++;
                } else {
                    outOfOrder = true;
                }
            } finally {
                b.release();
            }
        }

        /** The SYN's MSS (536 without one, RFC 9293) and window scale (none: 0). */
        private void readSynOptions() {
            options.parse(tcp.data(), tcp.optionsStart(), tcp.optionsLength());   // what it read stands even if malformed
            mss = options.mss >= 0 ? options.mss : 536;
            windowShift = Math.max(0, options.windowScale);
        }
    }
}

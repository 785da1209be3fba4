package io.github.jnic.net.bench;

import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.net.dev.NetworkNamespace;
import io.github.jnic.net.dev.TapDevice;
import io.github.jnic.net.wire.Bytes;
import io.github.jnic.net.wire.Checksum;
import io.github.jnic.net.wire.EthernetFrame;
import io.github.jnic.net.wire.Ipv4Address;
import io.github.jnic.net.wire.Ipv4Header;
import io.github.jnic.net.wire.MacAddress;
import io.github.jnic.net.wire.UdpHeader;

/**
 * The raw TAP ceiling: how fast full-size frames cross a TAP device between the Linux kernel (in a
 * network namespace) and a Java loop that only reads or writes frames, with no stack. It bounds
 * what any protocol over {@link TapDevice} can reach; TCP throughput is reported next to it.
 *
 * <pre>./nic bench tap [seconds]</pre>
 */
public final class TapCeiling {
    private static final int FRAME = 1514;

    /** The two figures, in Mbit/s of Ethernet frames. */
    public record Ceiling(double toLinuxMbps, double fromLinuxMbps) {}

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        String reason = unavailableReason();
        if (reason != null) {
            System.err.println("tap-ceiling: cannot run: " + reason);
            System.exit(2);
        }
        measure(seconds);
    }

    /** Why the TAP benchmarks cannot run here (no root, no TAP, no ip or nc), or null if they can. */
    static String unavailableReason() {
        String reason = NetworkNamespace.unavailableReason();
        if (reason == null && !NetworkNamespace.onPath("nc")) reason = "'nc' (netcat-openbsd) is not installed";
        return reason;
    }

    /** Measures both directions for about {@code seconds} each, printing the table; needs root, ip and nc. */
    public static Ceiling measure(double seconds) throws Exception {
        byte[] mac = MacAddress.local(4242);
        try (NetworkNamespace ns = NetworkNamespace.create("10.214.1", mac, 1500)) {
            TapDevice tap = ns.tap();
            byte[] linuxMac = pinNeighbour(ns, mac);
            System.out.printf("TAP ceiling: full-size frames (%d bytes) between Linux and a loop that only reads/writes frames%n", FRAME);
            System.out.printf("%-28s %12s %12s %10s%n", "direction", "frames", "frames/s", "Mbit/s");
            double out = transmit(ns, tap, mac, linuxMac, seconds);
            double in = receive(ns, tap, seconds);
            return new Ceiling(out, in);
        }
    }

    /**
     * For a loop with no ARP of its own: tells Linux our address {@code mac} for good, and returns
     * the MAC of Linux's end of the TAP.
     */
    static byte[] pinNeighbour(NetworkNamespace ns, byte[] mac) throws Exception {
        String dev = ns.tap().name();
        ns.run("ip", "neigh", "replace", ns.stackAddress(), "lladdr", MacAddress.toString(mac), "dev", dev, "nud", "permanent");
        return MacAddress.parse(ns.run("cat", "/sys/class/net/" + dev + "/address").trim());
    }

    /** jnic -> Linux: writes the same valid UDP frame as fast as the kernel takes it. */
    private static double transmit(NetworkNamespace ns, TapDevice tap, byte[] mac, byte[] linuxMac, double seconds) throws Exception {
        int src = Ipv4Address.parse(ns.stackAddress()), dst = Ipv4Address.parse(ns.linuxAddress());
        byte[] f = new byte[FRAME];
        EthernetFrame.write(f, 0, linuxMac, 0, mac, -1, EthernetFrame.TYPE_IPV4);
        Ipv4Header.write(f, 14, 0, FRAME - 14, 1, Ipv4Header.FLAG_DF, 64, Ipv4Header.PROTO_UDP, src, dst);
        int udpLen = FRAME - 14 - 20;
        UdpHeader.write(f, 34, 40000, 9, udpLen, src, dst);
        Bytes.put16(f, 40, 0);
        Bytes.put16(f, 40, Checksum.finish(Checksum.add(Checksum.pseudoHeader(src, dst, 17, udpLen), f, 34, udpLen)));
        PacketBuffer frame = PacketBuffer.of(f);   // unpooled: release() is a no-op, so it is written again and again
        String stats = "/sys/class/net/" + tap.name() + "/statistics/rx_packets";
        long kernelBefore = Long.parseLong(ns.run("cat", stats).trim());
        long written0 = tap.txFrames();
        long t0 = System.nanoTime(), end = t0 + (long) (seconds * 1e9);
        long now;
        do {
            for (int i = 0; i < 256; i++) {
                tap.transmit(frame);
                tap.flush();
            }
        } while ((now = System.nanoTime()) < end);
        double secs = (now - t0) / 1e9;
        long written = tap.txFrames() - written0;
        long kernel = Long.parseLong(ns.run("cat", stats).trim()) - kernelBefore;
        report("jnic -> Linux (written)", written, written * FRAME, secs);
        return report("jnic -> Linux (kernel took)", kernel, kernel * FRAME, secs);
    }

    /** Linux -> jnic: nc sends zeros as fast as it can; the loop reads and counts frames. */
    private static double receive(NetworkNamespace ns, TapDevice tap, double seconds) throws Exception {
        while (tap.receive(b -> b.release(), 1024) > 0) { }   // drain ICMP answers to the transmit test
        long megabytes = (long) Math.max(64, seconds * 200);
        Process gen = ns.start("sh", "-c", "dd if=/dev/zero bs=1M count=" + megabytes + " 2>/dev/null | nc -u -w1 " + ns.stackAddress() + " 9");
        long[] bytes = {0};
        long frames = 0, first = 0, last = 0;
        long end = System.nanoTime() + (long) (seconds * 1e9) + 5_000_000_000L;
        while (System.nanoTime() < end) {
            int n = tap.receive(b -> { bytes[0] += b.length(); b.release(); }, 256);
            if (n > 0) {
                last = System.nanoTime();
                if (frames == 0) first = last;
                frames += n;
                if (last - first > seconds * 1e9) break;
            } else if (frames > 0 && System.nanoTime() - last > 1_000_000_000L) {
                break;   // the generator finished
            }
        }
        gen.destroy();
        gen.waitFor();
        double secs = Math.max(1e-9, (last - first) / 1e9);
        double mbps = report("Linux -> jnic (read)", frames, bytes[0], secs);
        System.out.printf("  (Linux -> jnic: nc's datagrams are fragmented; average frame %.0f bytes)%n", frames == 0 ? 0.0 : (double) bytes[0] / frames);
        return mbps;
    }

    private static double report(String what, long frames, long bytes, double secs) {
        double mbps = bytes * 8.0 / secs / 1e6;
        System.out.printf("%-28s %12d %12.0f %10.0f%n", what, frames, frames / secs, mbps);
        return mbps;
    }
}

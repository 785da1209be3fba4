package io.github.jnic.testbench.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.net.dev.NetDevice;
import io.github.jnic.net.dev.NetworkNamespace;
import io.github.jnic.net.dev.TapDevice;
import io.github.jnic.net.socket.DatagramSocket;
import io.github.jnic.net.stack.NetStack;
import io.github.jnic.net.stack.StackRunner;
import io.github.jnic.net.tcp.Tcp;
import io.github.jnic.net.tcp.TcpServerSocket;
import io.github.jnic.net.tcp.TcpSocket;
import io.github.jnic.net.wire.Checksum;
import io.github.jnic.net.wire.MacAddress;
import io.github.jnic.spec.Descriptors.Rx;
import io.github.jnic.testbench.card.LinuxPeers;
import io.github.jnic.testbench.offload.OffloadReference.Command;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The engines with Linux on the far end. Linux as the receiver of what TxOffload sends: a jnic stack whose device offers checksum
 * offload and TSO and puts every frame through the simulated engine (the context mapped from the
 * stack's request as NicDriver maps it, the patches applied, each result also compared with the
 * reference) onto a TAP whose kernel side does no offload of its own, so the kernel checks every
 * checksum itself. 8 MB of TCP to nc (SHA-256 compared) and UDP datagrams to a closed port; the
 * kernel's counters show no checksum or header error and every datagram reached the port lookup.
 * The other way, {@link #linuxToJnicVerdictsAgreeAndCatchCorruption}. Needs root, /dev/net/tun
 * and nc (CI has them); elsewhere it is skipped with the reason.
 */
@Timeout(300)
class OffloadLinuxTest {

    /** The stack's device: every frame through TxOffload in the simulator, then onto the TAP. */
    static final class ThroughTheEngine implements NetDevice {
        final TapDevice tap;
        final TxRig rig = new TxRig(11, 0.1, 0.8);
        /** RxChecksum for received frames, or null to hand them up unchecked. */
        final RxChecksumTest.Rig rx;
        int sent, tsoRequests, checksumRequests, received, corrupted, good, bad;

        ThroughTheEngine(TapDevice tap, boolean checkReceived) {
            this.tap = tap;
            rx = checkReceived ? new RxChecksumTest.Rig(13) : null;
        }

        void close() {
            rig.close();
            if (rx != null) rx.close();
        }

        @Override public String name() { return tap.name(); }
        @Override public byte[] macAddress() { return tap.macAddress(); }
        @Override public int mtu() { return tap.mtu(); }
        @Override public boolean linkUp() { return tap.linkUp(); }
        @Override public Set<Feature> features() {
            return rx == null ? EnumSet.of(Feature.TX_CHECKSUM, Feature.TSO) : EnumSet.of(Feature.TX_CHECKSUM, Feature.TSO, Feature.RX_CHECKSUM);
        }
        @Override public int flush() { return tap.flush(); }
        @Override public int receive(FrameSink sink, int budget) {
            if (rx == null) return tap.receive(sink, budget);
            return tap.receive(frame -> {
                byte[] f = frame.toByteArray();
                // now and then a bit of a TCP payload flips on the way: the verdict must catch it
                if (f.length > 200 && OffloadReference.get16(f, 12) == 0x0800 && f[23] == 6 && ++received % 40 == 0) {
                    f[f.length - 1] ^= 0x10;
                    frame.data()[frame.end() - 1] ^= 0x10;
                    corrupted++;
                }
                rx.check(List.of(f), 0, true, true, "received frame " + received);
                OffloadReference.Verdict v = rx.seen.get(rx.seen.size() - 1);
                // as NicDriver turns the descriptor's verdict into the stack's
                boolean checked = (v.status() & Rx.IXSM.mask()) == 0 && (v.status() & (Rx.TCPCS.mask() | Rx.UDPCS.mask())) != 0;
                if (checked) frame.rxChecksum(Rx.TCPE.isSet(v.errors()) ? PacketBuffer.RxChecksum.BAD : PacketBuffer.RxChecksum.GOOD);
                if (checked && Rx.TCPE.isSet(v.errors())) bad++;
                else if (checked) good++;
                sink.accept(frame);
            }, budget);
        }
        @Override public long nextDeadline() { return tap.nextDeadline(); }
        @Override public int pollDescriptor() { return tap.pollDescriptor(); }

        @Override public boolean transmit(PacketBuffer frame) {
            byte[] f = frame.toByteArray();
            Command c = command(frame, f);
            frame.release();
            int before = rig.wire.size();
            rig.send(f, c);
            rig.settle(4_000_000, "frame " + sent);
            for (byte[] out : rig.wire.subList(before, rig.wire.size())) {
                tap.transmit(PacketBuffer.of(out));
                sent++;
            }
            return true;
        }

        /** The context NicDriver writes for the stack's request, and TSO's seed convention applied to the frame. */
        Command command(PacketBuffer frame, byte[] f) {
            if (!frame.checksumRequested()) return Command.none();
            int css = frame.checksumStart() - frame.start(), cso = css + frame.checksumOffset();
            int ip = OffloadReference.get16(f, 12) == 0x8100 ? 18 : 14;
            boolean ipv4 = (f[ip] & 0xF0) == 0x40, tcp = frame.checksumOffset() == 16;
            if (frame.segmentSize() == 0) {
                checksumRequests++;
                return Command.checksum(false, 0, 0, 0, true, css, cso, 0).withKind(tcp, ipv4);
            }
            tsoRequests++;
            int ipHeader = ipv4 ? (f[ip] & 0x0F) * 4 : 40, hdr = css + (f[css + 12] >> 4 & 0x0F) * 4;
            // the seed without the big segment's length (the engine adds each segment's); IPv4's checksum 0
            OffloadReference.put16(f, cso, Checksum.fold(OffloadReference.get16(f, cso) + (~(f.length - css) & 0xFFFF)));
            if (ipv4) OffloadReference.put16(f, ip + 10, 0);
            return Command.tso(ipv4, ip, ipHeader, css, hdr, frame.segmentSize(), f.length - hdr);
        }
    }

    static void skipUnlessLinux() {
        String reason = NetworkNamespace.unavailableReason();
        if (reason == null && !NetworkNamespace.onPath("nc")) reason = "'nc' is not installed (./nic test installs it)";
        String why = reason;
        Assumptions.assumeTrue(why == null, () -> "skipping the Linux tests of the offload engines: " + why);
    }

    @Test
    void linuxFindsEveryChecksumGood() throws Exception {
        skipUnlessLinux();
        String subnet = "10.219." + (1 + (ProcessHandle.current().pid() * 2) % 250);
        try (NetworkNamespace linux = NetworkNamespace.create(subnet, MacAddress.local(ProcessHandle.current().pid() + 19), 1500, false)) {
            ThroughTheEngine device = new ThroughTheEngine(linux.tap(), false);
            NetStack stack = new NetStack();
            stack.addAddress(stack.addInterface(device), linux.stackAddress() + "/24");
            Tcp tcp = new Tcp(stack.ipv4());
            stack.register(tcp);
            Map<String, Long> before = snmp(linux);
            try (StackRunner runner = StackRunner.start(stack, "jnic-offload-linux")) {
                sendToLinux(linux, stack, tcp, 5301, 8L << 20);
                try (DatagramSocket udp = new DatagramSocket(stack, 7301)) {
                    for (int size : new int[] {0, 1, 17, 100, 1000, 1472}) {
                        udp.send(new DatagramPacket(new byte[size], size, InetAddress.getByName(linux.linuxAddress()), 9));
                    }
                }
                Map<String, Long> after = awaitNoPorts(linux, before.get("Udp.NoPorts") + 6);
                for (String counter : List.of("Ip.InHdrErrors", "Tcp.InCsumErrors", "Tcp.InErrs", "Udp.InCsumErrors", "Udp.InErrors")) {
                    assertEquals(before.get(counter), after.get(counter), counter + " in Linux");
                }
                assertEquals(6, after.get("Udp.NoPorts") - before.get("Udp.NoPorts"), "every datagram passed the checksum and reached the port lookup");
                assertTrue(device.tsoRequests > 20 && device.checksumRequests > 5, device.tsoRequests + " TSO requests, "
                        + device.checksumRequests + " checksum requests");
                assertTrue(device.sent > 8 * 1024 * 1024 / 1460, device.sent + " frames sent");
                assertEquals(0, device.rig.tsoFailed, "no TSO request refused");
                assertNull(runner.failure(), "the stack thread (where the engine ran) threw");
            } finally {
                device.close();
            }
        }
    }

    /**
     * Linux as the sender: 8 MB of its TCP to a jnic server, every received frame through the
     * simulated RxChecksum (verdict compared with the reference's), its verdict handed to the stack
     * as NicDriver hands it, so the stack trusts it; one TCP frame in 40 gets a payload bit flipped
     * on the way. Linux's frames all carry checksums Linux computed: each is "good" but the flipped
     * ones, which are TCPE, dropped by the stack and sent again by Linux; the data arrives intact.
     */
    @Test
    void linuxToJnicVerdictsAgreeAndCatchCorruption() throws Exception {
        skipUnlessLinux();
        String subnet = "10.219." + (1 + (ProcessHandle.current().pid() * 2 + 1) % 250);
        try (NetworkNamespace linux = NetworkNamespace.create(subnet, MacAddress.local(ProcessHandle.current().pid() + 23), 1500, false)) {
            ThroughTheEngine device = new ThroughTheEngine(linux.tap(), true);
            NetStack stack = new NetStack();
            stack.addAddress(stack.addInterface(device), linux.stackAddress() + "/24");
            Tcp tcp = new Tcp(stack.ipv4());
            stack.register(tcp);
            try (StackRunner runner = StackRunner.start(stack, "jnic-offload-linux-rx")) {
                receiveFromLinux(linux, stack, tcp, 5302, 8L << 20);
                assertTrue(device.corrupted > 10, device.corrupted + " frames corrupted");
                assertEquals(device.corrupted, device.bad, "every corrupted frame found bad, no other");
                assertTrue(device.good > 8 * 1024 * 1024 / 1500, device.good + " frames good");
                assertNull(runner.failure(), "the stack thread (where the engine ran) threw");
            } finally {
                device.close();
            }
        }
    }

    static void receiveFromLinux(NetworkNamespace ns, NetStack s, Tcp t, int port, long size) throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("jnic-offload-", ".bin");
        try (TcpServerSocket server = new TcpServerSocket(s, t, port, 4)) {
            byte[] data = new byte[(int) size];
            new SplittableRandom(port).nextBytes(data);
            java.nio.file.Files.write(file, data);
            server.setSoTimeout(30_000);
            Process nc = ns.start("sh", "-c", "nc -N -w 30 " + ns.stackAddress() + " " + port + " < " + file);
            try (TcpSocket conn = server.accept()) {
                conn.setSoTimeout(60_000);
                java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
                conn.getInputStream().transferTo(got);
                assertTrue(java.util.Arrays.equals(data, got.toByteArray()), "every byte, once, intact and in order (" + got.size() + " of " + size + ")");
            }
            assertTrue(nc.waitFor(60, TimeUnit.SECONDS), "nc finished");
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    /** Linux's counters once Udp.NoPorts has reached {@code noPorts} (the datagrams are on their way), at most 30 s. */
    static Map<String, Long> awaitNoPorts(NetworkNamespace ns, long noPorts) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        Map<String, Long> m = snmp(ns);
        while (m.get("Udp.NoPorts") < noPorts && System.nanoTime() < deadline) {
            Thread.sleep(100);
            m = snmp(ns);
        }
        Thread.sleep(200);   // and a moment longer: nothing more may come
        return snmp(ns);
    }

    /** Linux's /proc/net/snmp in the namespace, as "Group.Counter" → value. */
    static Map<String, Long> snmp(NetworkNamespace ns) throws Exception {
        List<String> lines = ns.run("cat", "/proc/net/snmp").lines().toList();
        Map<String, Long> m = new HashMap<>();
        for (int i = 0; i + 1 < lines.size(); i += 2) {
            String[] names = lines.get(i).split("\\s+"), values = lines.get(i + 1).split("\\s+");
            String group = names[0].replace(":", "");
            for (int k = 1; k < names.length && k < values.length; k++) m.put(group + "." + names[k], Long.parseLong(values[k]));
        }
        return m;
    }

    static void sendToLinux(NetworkNamespace ns, NetStack s, Tcp t, int port, long size) throws Exception {
        Process nc = ns.start("sh", "-c", "nc -l -w 30 " + port + " | sha256sum");
        TcpSocket conn = LinuxPeers.connectWhenListening(s, t, InetAddress.getByName(ns.linuxAddress()), port, 5_000);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        SplittableRandom r = new SplittableRandom(12);
        byte[] chunk = new byte[1 << 20];
        conn.setSoTimeout(60_000);
        for (long done = 0; done < size; done += chunk.length) {
            r.nextBytes(chunk);
            int n = (int) Math.min(chunk.length, size - done);
            md.update(chunk, 0, n);
            conn.getOutputStream().write(chunk, 0, n);
        }
        conn.shutdownOutput();
        assertTrue(nc.waitFor(120, TimeUnit.SECONDS), "nc finished");
        String printed = new String(nc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(HexFormat.of().formatHex(md.digest()), printed.split("\\s+")[0], "Linux got every byte intact and in order");
        conn.close();
    }
}

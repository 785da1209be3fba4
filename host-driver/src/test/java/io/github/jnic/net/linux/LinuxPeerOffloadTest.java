package io.github.jnic.net.linux;

import static org.junit.jupiter.api.Assertions.*;

import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.net.dev.NetDevice;
import io.github.jnic.net.dev.NetworkNamespace;
import io.github.jnic.net.socket.DatagramSocket;
import io.github.jnic.net.socket.Pinger;
import io.github.jnic.net.stack.NetStack;
import io.github.jnic.net.wire.Bytes;
import io.github.jnic.net.wire.Checksum;
import io.github.jnic.net.wire.Ipv4Address;
import io.github.jnic.net.wire.MacAddress;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The stack on a TAP device whose kernel side does checksums and TCP segmentation (virtio-net header). */
class LinuxPeerOffloadTest {
    private static NetworkNamespace linux;
    private static NetStack stack;
    private static StackOnLinux host;

    @BeforeAll
    static void setUp() throws Exception {
        StackOnLinux.skipUnless("the Linux peer offload tests", "ping", "nc");
        host = new StackOnLinux(StackOnLinux.subnet(2), MacAddress.local(77), true, false, "jnic-offload");
        linux = host.linux;
        stack = host.stack;
        assertTrue(linux.tap().features().contains(NetDevice.Feature.TSO));
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (host != null) host.close();
    }

    @Test
    void pingBothWaysWithFragments() throws Exception {
        NetworkNamespace.Result r = linux.exec(20, "ping", "-c", "2", "-i", "0.2", "-W", "2", "-s", "4000", linux.stackAddress());
        assertEquals(0, r.exit(), r.output());
        assertTrue(Pinger.ping(stack, InetAddress.getByName(linux.linuxAddress()), 3000, 3000) >= 0);
    }

    @Test
    void udpBothWaysWithChecksumsLeftToTheOtherSide() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(stack, 7101)) {
            socket.setSoTimeout(5000);
            NetworkNamespace.Result r = linux.exec(10, "sh", "-c", "printf 'partial checksum' | nc -u -w1 " + linux.stackAddress() + " 7101");
            assertEquals(0, r.exit(), r.output());
            DatagramPacket p = new DatagramPacket(new byte[200], 200);
            socket.receive(p);
            assertEquals("partial checksum", new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8));

            Process nc = linux.start("timeout", "5", "nc", "-u", "-l", "-W", "1", "7102");
            byte[] msg = "checksum by the kernel".getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 40 && nc.isAlive(); i++) {
                socket.send(new DatagramPacket(msg, msg.length, InetAddress.getByName(linux.linuxAddress()), 7102));
                Thread.sleep(100);
            }
            nc.waitFor();
            assertTrue(new String(nc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).startsWith("checksum by the kernel"));
        }
    }

    @Test
    void aLargeTcpSegmentIsTakenByTheKernel() throws Exception {
        // A 10000-byte TCP segment (MSS 1460) to a closed port: the kernel accepts the TSO frame and
        // answers with a reset, which shows the virtio-net header and the partial checksum were valid.
        Pinger.ping(stack, InetAddress.getByName(linux.linuxAddress()), 8, 3000);   // neighbour resolved first
        long resetsBefore = linux.tap().txErrors();
        java.util.concurrent.CompletableFuture<Long> framesWritten = new java.util.concurrent.CompletableFuture<>();
        int src = Ipv4Address.parse(linux.stackAddress()), dst = Ipv4Address.parse(linux.linuxAddress());
        java.util.concurrent.CompletableFuture<byte[]> reset = new java.util.concurrent.CompletableFuture<>();
        stack.execute(() -> {
            stack.register(new io.github.jnic.net.ip.Ipv4Transport() {
                @Override public int protocol() { return 6; }
                @Override public void receive(PacketBuffer seg, int s, int d, long now) { reset.complete(seg.toByteArray()); seg.release(); }
                @Override public void icmpError(int t, int c, int s, int d, byte[] q, int o, int l, long now) {}
                @Override public long poll(long now) { return Long.MAX_VALUE; }
            });
            int payload = 10000;
            PacketBuffer seg = stack.ipv4().allocate(20 + payload);
            int at = seg.append(20 + payload);
            byte[] d = seg.data();
            Bytes.put16(d, at, 40000);
            Bytes.put16(d, at + 2, 9);
            Bytes.put32(d, at + 4, 12345);
            Bytes.put32(d, at + 8, 0);
            d[at + 12] = 0x50;
            d[at + 13] = 0x18;   // PSH ACK: no connection, so the kernel resets with seq = our ack (0)
            Bytes.put16(d, at + 14, 65535);
            Bytes.put16(d, at + 16, Checksum.fold(Checksum.pseudoHeader(src, dst, 6, 20 + payload)));
            seg.requestChecksum(at, 16);
            seg.requestSegmentation(1460);
            long before = linux.tap().txFrames();
            stack.ipv4().send(seg, src, dst, 6, -1, 0, true);
            linux.tap().flush();   // the doorbell, as the stack rings it at the end of its poll
            framesWritten.complete(linux.tap().txFrames() - before);
        });
        assertEquals(1, framesWritten.get(5, java.util.concurrent.TimeUnit.SECONDS), "one write: the kernel segments");
        byte[] rst = reset.get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(0x04, rst[13] & 0x04, "RST from the kernel");
        assertEquals(resetsBefore, linux.tap().txErrors(), "the kernel refused no frame");
    }
}

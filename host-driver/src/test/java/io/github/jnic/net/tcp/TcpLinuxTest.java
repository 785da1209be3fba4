package io.github.jnic.net.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.net.dev.FaultInjector;
import io.github.jnic.net.dev.FaultyDevice;
import io.github.jnic.net.dev.NetworkNamespace;
import io.github.jnic.net.eth.NetInterface;
import io.github.jnic.net.linux.StackOnLinux;
import io.github.jnic.net.stack.NetStack;
import io.github.jnic.net.stack.StackRunner;
import io.github.jnic.net.wire.MacAddress;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * TCP against the Linux kernel's TCP through a TAP device in a network namespace the test makes,
 * with {@code nc} on the Linux side: 100 MB each way (SHA-256 checked), refused connects both
 * ways, and a transfer through the TAP path's fault injector. Needs root, /dev/net/tun and nc (CI
 * has all three); elsewhere it is skipped with the reason.
 */
@Timeout(300)
public class TcpLinuxTest {
    static final int MB = 1024 * 1024;
    private static NetworkNamespace linux;
    private static NetStack stack;
    private static Tcp tcp;
    private static StackOnLinux host;
    private static Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        StackOnLinux.skipUnless("the TCP tests against Linux", "nc");
        host = new StackOnLinux(subnet(2), MacAddress.local(ProcessHandle.current().pid() + 7), false, true, "jnic-tcp");
        linux = host.linux;
        stack = host.stack;
        tcp = host.tcp;
        dir = Files.createTempDirectory("jnic-tcp");
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (host != null) host.close();
        if (dir != null) {
            try (var files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) Files.delete(p);
            }
            Files.delete(dir);
        }
    }

    static String subnet(int k) {
        return StackOnLinux.subnet(k);
    }

    /** A file of seeded random bytes; returns its SHA-256. */
    static String makeFile(Path file, long size, long seed) throws IOException {
        MessageDigest md = sha256();
        SplittableRandom r = new SplittableRandom(seed);
        byte[] chunk = new byte[MB];
        try (var out = Files.newOutputStream(file)) {
            for (long done = 0; done < size; done += chunk.length) {
                r.nextBytes(chunk);
                int n = (int) Math.min(chunk.length, size - done);
                md.update(chunk, 0, n);
                out.write(chunk, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Reads the socket to its end; returns the SHA-256 and the byte count. */
    static String drain(TcpSocket s, long[] count) throws IOException {
        MessageDigest md = sha256();
        byte[] buf = new byte[256 * 1024];
        InputStream in = s.getInputStream();
        int n;
        while ((n = in.read(buf)) > 0) {
            md.update(buf, 0, n);
            count[0] += n;
        }
        return HexFormat.of().formatHex(md.digest());
    }

    @Test
    void linuxSends100MegabytesToUs() throws Exception {
        receiveFromLinux(linux, stack, tcp, 5001, 100L * MB);
    }

    @Test
    void weSend100MegabytesToLinux() throws Exception {
        sendToLinux(linux, stack, tcp, 5002, 100L * MB, 3);
    }

    static void receiveFromLinux(NetworkNamespace ns, NetStack s, Tcp t, int port, long size) throws Exception {
        Path file = dir.resolve("to-jnic-" + port);
        String want = makeFile(file, size, port);
        try (TcpServerSocket server = new TcpServerSocket(s, t, port, 4)) {
            server.setSoTimeout(30_000);
            Process nc = ns.start("nc", "-N", "-w", "30", ns.stackAddress(), Integer.toString(port));
            CompletableFuture<Void> feeding = CompletableFuture.runAsync(() -> {
                try (var feed = nc.getOutputStream()) {
                    Files.copy(file, feed);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (TcpSocket conn = server.accept()) {
                conn.setSoTimeout(60_000);
                long[] count = {0};
                String got = drain(conn, count);
                assertEquals(size, count[0], "every byte, once");
                assertEquals(want, got, "intact and in order");
            }
            feeding.get(30, TimeUnit.SECONDS);
            assertTrue(nc.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, nc.exitValue(), () -> "nc: " + output(nc));
        }
    }

    static void sendToLinux(NetworkNamespace ns, NetStack s, Tcp t, int port, long size, long seed) throws Exception {
        Process nc = ns.start("sh", "-c", "nc -l -w 30 " + port + " | sha256sum");
        TcpSocket conn = connectWhenListening(s, t, InetAddress.getByName(ns.linuxAddress()), port);
        MessageDigest md = sha256();
        SplittableRandom r = new SplittableRandom(seed);
        byte[] chunk = new byte[MB];
        conn.setSoTimeout(60_000);
        for (long done = 0; done < size; done += chunk.length) {
            r.nextBytes(chunk);
            int n = (int) Math.min(chunk.length, size - done);
            md.update(chunk, 0, n);
            conn.getOutputStream().write(chunk, 0, n);
        }
        conn.shutdownOutput();
        assertTrue(nc.waitFor(120, TimeUnit.SECONDS), "nc finished");
        String printed = output(nc).trim();
        assertEquals(HexFormat.of().formatHex(md.digest()), printed.split("\\s+")[0], "Linux got every byte intact and in order");
        conn.setSoTimeout(10_000);
        assertEquals(-1, conn.getInputStream().read(), "Linux closed its side too");
        conn.close();
    }

    /** nc needs a moment to listen: a refused connect is retried for a while (LinuxHardeningTest uses it too). */
    public static TcpSocket connectWhenListening(NetStack s, Tcp t, InetAddress to, int port) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            TcpSocket conn = new TcpSocket(s, t);
            try {
                conn.connect(new InetSocketAddress(to, port), 5000);
                return conn;
            } catch (ConnectException e) {
                if (System.nanoTime() > deadline) throw e;
                Thread.sleep(50);
            }
        }
    }

    @Test
    void connectingToAClosedLinuxPortIsRefused() throws Exception {
        TcpSocket s = new TcpSocket(stack, tcp);
        ConnectException e = assertThrows(ConnectException.class,
                () -> s.connect(new InetSocketAddress(InetAddress.getByName(linux.linuxAddress()), 9), 5000));
        assertTrue(e.getMessage().contains("refused"), e.getMessage());
    }

    @Test
    void linuxConnectingToAClosedPortOfOursIsRefused() throws Exception {
        long before = tcp.counters().get(TcpCounters.Drop.NO_SOCKET);
        NetworkNamespace.Result r = linux.exec(20, "nc", "-v", "-z", "-w", "5", linux.stackAddress(), "9");
        assertNotEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("refused"), r.output());
        assertTrue(tcp.counters().get(TcpCounters.Drop.NO_SOCKET) > before);
    }

    @Test
    void transfersThroughTheFaultInjectorArriveIntact() throws Exception {
        try (NetworkNamespace faulty = NetworkNamespace.create(subnet(3), MacAddress.local(ProcessHandle.current().pid() + 9), 1500)) {
            FaultInjector in = new FaultInjector(17).loss(0.02).reorder(0.05, 2_000_000).duplicate(0.02).corrupt(0.02);
            FaultInjector out = new FaultInjector(18).loss(0.02).reorder(0.05, 2_000_000).duplicate(0.02).corrupt(0.02);
            NetStack s = new NetStack();
            NetInterface iface = s.addInterface(new FaultyDevice(faulty.tap(), out, in, StackRunner.CLOCK));
            s.addAddress(iface, faulty.stackAddress() + "/24");
            TcpConfig cfg = new TcpConfig();
            cfg.minRto = 200_000_000L; // as Linux does, so the test spends its time moving data
            Tcp t = new Tcp(s.ipv4(), cfg);
            s.register(t);
            try (StackRunner r = StackRunner.start(s, "jnic-tcp-faulty")) {
                receiveFromLinux(faulty, s, t, 5003, 4L * MB);
                sendToLinux(faulty, s, t, 5004, 4L * MB, 5);
                assertTrue(in.lost() > 0 && in.corrupted() > 0 && in.reordered() > 0 && in.duplicated() > 0, in.toString());
                assertTrue(out.lost() > 0 && out.corrupted() > 0, out.toString());
                assertTrue(t.counters().get(TcpCounters.Event.RETRANSMITTED_SEGMENTS) > 0);
                assertNull(r.failure());
            }
        }
    }

    @Test
    void transfersOverATapWithOffloadsUseTsoAndArriveIntact() throws Exception {
        // The TAP carries virtio-net headers: jnic hands the kernel 16 KiB segments to cut (TSO) and
        // leaves checksums to it; the kernel hands jnic whole GSO segments.
        try (NetworkNamespace offloading = NetworkNamespace.create(subnet(4), MacAddress.local(ProcessHandle.current().pid() + 11), 1500, true)) {
            NetStack s = new NetStack();
            NetInterface iface = s.addInterface(offloading.tap());
            s.addAddress(iface, offloading.stackAddress() + "/24");
            Tcp t = new Tcp(s.ipv4());
            s.register(t);
            try (StackRunner r = StackRunner.start(s, "jnic-tcp-offloads")) {
                receiveFromLinux(offloading, s, t, 5005, 20L * MB);
                sendToLinux(offloading, s, t, 5006, 20L * MB, 7);
                assertTrue(t.counters().get(TcpCounters.Event.BYTES_SENT) / t.counters().get(TcpCounters.Event.SEGMENTS_SENT) > 1460,
                        () -> "segments larger than the MSS went to the device: " + t.counters());
                assertNull(r.failure());
            }
        }
    }

    static String output(Process p) {
        try {
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

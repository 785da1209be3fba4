package io.github.jnic.testbench.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.driver.NicDriver;
import io.github.jnic.net.dev.NetworkNamespace;
import io.github.jnic.net.socket.DatagramSocket;
import io.github.jnic.net.stack.NetStack;
import io.github.jnic.net.tcp.Tcp;
import io.github.jnic.net.tcp.TcpServerSocket;
import io.github.jnic.net.tcp.TcpSocket;
import io.github.jnic.net.wire.MacAddress;
import io.github.jnic.testbench.card.LinuxPeers;
import io.github.jnic.testbench.card.SimulatedNic;
import io.github.jnic.testbench.card.TapHost;
import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The offload engines inside the simulated card, Linux on the far end: a jnic host on the card
 * ({@link TapHost}: the card's GMII pins bridged to a TAP whose kernel side does no offload of its
 * own), the driver with transmit offload and receive checksum verdicts on. jnic sends TSO'd TCP
 * and checksum-offloaded UDP to Linux, and Linux's counters show no checksum or header error; Linux
 * sends TCP to jnic, and the card's verdicts agree with Linux's own (every frame Linux checksummed
 * is "good", none "bad"). Needs root, /dev/net/tun and nc (CI has them); elsewhere it is skipped
 * with the reason.
 */
@Timeout(600)
class CardOffloadLinuxTest {
    static final int BYTES = 4 << 20;
    static NetworkNamespace linux;
    static TapHost host;
    static Tcp tcp;
    static NicDriver driver;

    @BeforeAll
    static void setUp() throws Exception {
        OffloadLinuxTest.skipUnlessLinux();
        String subnet = "10.219." + (1 + (ProcessHandle.current().pid() * 2 + 2) % 250);
        linux = NetworkNamespace.create(subnet, MacAddress.local(ProcessHandle.current().pid() + 31), 1500, false);
        NetStack stack = new NetStack();
        host = new TapHost(stack, linux.tap(), clock -> new SimulatedNic(SimulatedNic.design(), clock, new SimulatedNic.Options()), "jnic-card-offload");
        NicDriver.Config config = new NicDriver.Config();
        config.name = "jnic0";
        config.mac = MacAddress.local(ProcessHandle.current().pid() + 37);
        config.txOffload = true;
        config.rxChecksum = true;
        driver = new NicDriver(host.card(), config);
        stack.addAddress(stack.addInterface(driver), linux.stackAddress() + "/24");
        tcp = new Tcp(stack.ipv4());
        stack.register(tcp);
        host.start();
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (host != null) host.close();
        if (linux != null) linux.close();
    }

    /** A driver or card statistic by the end of its name. */
    static long stat(Map<String, Long> s, String suffix) {
        List<String> keys = s.keySet().stream().filter(k -> k.endsWith(suffix)).toList();
        assertEquals(1, keys.size(), () -> "one statistic named *" + suffix + " in " + s);
        return s.get(keys.get(0));
    }

    static Map<String, Long> statistics() throws Exception {
        return host.stack().call(() -> driver.statistics(), 10_000);
    }

    @Test
    void linuxFindsEveryChecksumTheCardMadeGood() throws Exception {
        Map<String, Long> before = OffloadLinuxTest.snmp(linux), cardBefore = statistics();
        byte[] data = new byte[BYTES];
        new SplittableRandom(21).nextBytes(data);
        Process nc = linux.start("sh", "-c", "nc -l -w 60 5501 | sha256sum");
        TcpSocket conn = LinuxPeers.connectWhenListening(host.stack(), tcp, InetAddress.getByName(linux.linuxAddress()), 5501, 10_000);
        conn.setSoTimeout(120_000);
        conn.getOutputStream().write(data);
        conn.shutdownOutput();
        assertTrue(nc.waitFor(180, TimeUnit.SECONDS), "nc finished");
        String printed = new String(nc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)), printed.split("\\s+")[0], "jnic to Linux intact");
        conn.close();
        try (DatagramSocket udp = new DatagramSocket(host.stack(), 7501)) {
            for (int size : new int[] {0, 1, 17, 100, 1000, 1472}) {
                udp.send(new DatagramPacket(new byte[size], size, InetAddress.getByName(linux.linuxAddress()), 9));
            }
        }
        Map<String, Long> after = OffloadLinuxTest.awaitNoPorts(linux, before.get("Udp.NoPorts") + 6), card = statistics();
        for (String counter : List.of("Ip.InHdrErrors", "Tcp.InCsumErrors", "Tcp.InErrs", "Udp.InCsumErrors", "Udp.InErrors")) {
            assertEquals(before.get(counter), after.get(counter), counter + " in Linux");
        }
        assertEquals(6, after.get("Udp.NoPorts") - before.get("Udp.NoPorts"), "every datagram passed Linux's checksum and reached the port lookup");
        long tso = stat(card, "tx-tso") - stat(cardBefore, "tx-tso");
        assertTrue(tso > 10, "TSO sends: " + tso);
        assertEquals(tso, stat(card, "card.TSCTC") - stat(cardBefore, "card.TSCTC"), "every TSO send segmented whole (TSCTC)");
        assertEquals(0, stat(card, "card.TSCTFC"), "no TSO request failed");
        assertNull(host.failure());
        assertEquals(0, host.badFcs());
    }

    @Test
    void theCardsVerdictsAgreeWithLinuxs() throws Exception {
        Map<String, Long> before = statistics();
        byte[] data = new byte[BYTES];
        new SplittableRandom(22).nextBytes(data);
        Path file = Files.createTempFile("jnic-card-offload-", ".bin");
        try (TcpServerSocket server = new TcpServerSocket(host.stack(), tcp, 5502, 4)) {
            Files.write(file, data);
            server.setSoTimeout(120_000);
            Process nc = linux.start("sh", "-c", "nc -N -w 60 " + linux.stackAddress() + " 5502 < " + file);
            try (TcpSocket conn = server.accept()) {
                conn.setSoTimeout(120_000);
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                conn.getInputStream().transferTo(got);
                assertTrue(Arrays.equals(data, got.toByteArray()), "Linux to jnic intact (" + got.size() + " of " + BYTES + " bytes)");
            }
            assertTrue(nc.waitFor(120, TimeUnit.SECONDS), "nc finished");
        } finally {
            Files.deleteIfExists(file);
        }
        Map<String, Long> after = statistics();
        long good = stat(after, "rx-checksum-good") - stat(before, "rx-checksum-good");
        assertTrue(good > BYTES / 1500, "frames the card vouched for: " + good);
        assertEquals(stat(before, "rx-checksum-bad"), stat(after, "rx-checksum-bad"), "no frame of Linux's found bad");
        assertNull(host.failure());
    }
}

package io.github.jnic.testbench.card;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.driver.NicDriver;
import io.github.jnic.net.app.http.HttpLimits;
import io.github.jnic.net.app.http.HttpResponse;
import io.github.jnic.net.app.http.HttpRouter;
import io.github.jnic.net.app.http.HttpServer;
import io.github.jnic.net.app.http.HttpService;
import io.github.jnic.net.dev.NetworkNamespace;
import io.github.jnic.net.stack.NetStack;
import io.github.jnic.net.tcp.Tcp;
import io.github.jnic.net.tcp.TcpServerSocket;
import io.github.jnic.net.tcp.TcpSocket;
import io.github.jnic.net.wire.MacAddress;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Linux as the peer of a jnic host on the simulated card: the card's GMII pins bridged to a TAP in
 * a network namespace ({@link TapHost}), the driver and the stack on the card's clock. Linux pings it
 * (also with fragments), curl fetches a page from its HTTP server, and nc moves 10 MB each way,
 * hashed. Needs root, /dev/net/tun, ping, curl and nc (CI has them).
 */
@Timeout(600)
class SimulatedNicLinuxTest {
    static final int MB10 = 10 << 20;
    static NetworkNamespace linux;
    static TapHost host;
    static Tcp tcp;
    static NicDriver driver;

    @BeforeAll
    static void setUp() throws Exception {
        String reason = NetworkNamespace.unavailableReason();
        for (String tool : new String[] {"ping", "curl", "nc"}) if (reason == null && !NetworkNamespace.onPath(tool)) reason = "'" + tool + "' is not installed";
        String why = reason;
        Assumptions.assumeTrue(why == null, () -> "skipping the simulated card against Linux: " + why);
        String subnet = "10.221." + (1 + (ProcessHandle.current().pid() * 2) % 250);
        byte[] mac = MacAddress.local(ProcessHandle.current().pid() + 23);
        linux = NetworkNamespace.create(subnet, MacAddress.local(ProcessHandle.current().pid() + 29), 1500, false);
        NetStack stack = new NetStack();
        host = new TapHost(stack, linux.tap(), clock -> new SimulatedNic(SimulatedNic.design(), clock, new SimulatedNic.Options()), "jnic-simulated-card");
        NicDriver.Config config = new NicDriver.Config();
        config.name = "jnic0";
        config.mac = mac;
        driver = new NicDriver(host.card(), config);
        stack.addAddress(stack.addInterface(driver), linux.stackAddress() + "/24");
        tcp = new Tcp(stack.ipv4());
        stack.register(tcp);
        HttpService.listen(stack, tcp, 80, new HttpServer(new HttpRouter().route("GET", "/", r -> HttpResponse.text(200, "jnic on a simulated card\n")), HttpLimits.defaults()));
        host.start();
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (host != null) host.close();
        if (linux != null) linux.close();
    }

    @Test
    void linuxPingsTheCardAlsoWithFragments() throws Exception {
        // -w: wait for every reply (with -W alone ping waits only two round trips once one reply came,
        // and the simulated card's round trips are long)
        NetworkNamespace.Result small = linux.exec(60, "ping", "-c", "3", "-i", "0.2", "-w", "30", linux.stackAddress());
        assertEquals(0, small.exit(), small.output());
        NetworkNamespace.Result big = linux.exec(60, "ping", "-c", "2", "-i", "0.2", "-w", "30", "-s", "8000", linux.stackAddress());
        assertEquals(0, big.exit(), "8000-byte echoes, six fragments each, answered: " + big.output());
        assertTrue(big.output().contains("2 received"), big.output());
        assertNull(host.failure());
        assertEquals(0, host.badFcs(), "every frame the card sent had a good FCS");
    }

    @Test
    void curlFetchesAPageFromTheCardsHost() throws Exception {
        NetworkNamespace.Result r = linux.exec(60, "curl", "-sS", "--max-time", "30", "http://" + linux.stackAddress() + "/");
        assertEquals(0, r.exit(), r.output());
        assertEquals("jnic on a simulated card\n", r.output());
    }

    @Test
    void ncMovesTenMegabytesEachWayIntact() throws Exception {
        // Linux to jnic: a file of random bytes, its hash known here
        byte[] data = new byte[MB10];
        new SplittableRandom(5).nextBytes(data);
        Path file = Files.createTempFile("jnic-card-", ".bin");
        try {
            Files.write(file, data);
            try (TcpServerSocket server = new TcpServerSocket(host.stack(), tcp, 5401, 4)) {
                server.setSoTimeout(120_000);
                Process nc = linux.start("sh", "-c", "nc -N -w 60 " + linux.stackAddress() + " 5401 < " + file);
                MessageDigest got = MessageDigest.getInstance("SHA-256");
                long received = 0;
                try (TcpSocket conn = server.accept()) {
                    conn.setSoTimeout(120_000);
                    InputStream in = conn.getInputStream();
                    byte[] buf = new byte[1 << 16];
                    for (int n; (n = in.read(buf)) > 0; received += n) got.update(buf, 0, n);
                }
                assertTrue(nc.waitFor(120, TimeUnit.SECONDS), "nc finished");
                assertEquals(MB10, received, "bytes from Linux");
                assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)), HexFormat.of().formatHex(got.digest()),
                        "Linux to jnic intact");
            }
        } finally {
            Files.deleteIfExists(file);
        }

        // jnic to Linux: nc hashes what it gets
        Process nc = linux.start("sh", "-c", "nc -l -w 60 5402 | sha256sum");
        TcpSocket conn = LinuxPeers.connectWhenListening(host.stack(), tcp, InetAddress.getByName(linux.linuxAddress()), 5402, 10_000);
        conn.setSoTimeout(120_000);
        conn.getOutputStream().write(data);
        conn.shutdownOutput();
        assertTrue(nc.waitFor(180, TimeUnit.SECONDS), "nc finished");
        String printed = new String(nc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)), printed.split("\\s+")[0], "jnic to Linux intact");
        conn.close();
        assertNull(host.failure());
        assertEquals(0, host.badFcs());
        var s = host.stack().call(() -> driver.statistics(), 10_000);
        assertTrue(s.get("card.GPRC") > MB10 / 1500 && s.get("card.GPTC") > MB10 / 1500, s::toString);
        assertEquals(0, s.get("card.MPC") + s.get("card.DMAEC") + s.get("card.DDEC"), s::toString);
    }
}

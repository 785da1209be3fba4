package io.github.jnic.net.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.net.app.http.HttpLimits;
import io.github.jnic.net.app.http.HttpResponse;
import io.github.jnic.net.app.http.HttpRouter;
import io.github.jnic.net.app.http.HttpServer;
import io.github.jnic.net.app.http.HttpService;
import io.github.jnic.net.dev.NetworkNamespace;
import io.github.jnic.net.linux.StackOnLinux;
import io.github.jnic.net.tcp.TcpCounters.Drop;
import io.github.jnic.net.tcp.TcpCounters.Event;
import io.github.jnic.net.wire.Ipv4Address;
import io.github.jnic.net.wire.MacAddress;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A spoofed-source SYN flood from Linux (hping3, bounded in count and rate) against jnic's HTTP
 * server over a TAP in a namespace the test makes, while curl fetches pages: the SYN queue fills,
 * cookies answer, and every curl gets its page; then the same flood while the accept queue is
 * full, where curl's SYN is dropped silently and its retransmission gets in once the application
 * accepts. The spoofed source is one address of the namespace's own subnet that nobody holds; the
 * stack is told its MAC is the namespace's, so the SYN-ACKs go back into the namespace, whose
 * kernel (not forwarding) drops them. Needs root, /dev/net/tun, hping3 and curl (CI has them).
 */
@Timeout(120)
class TcpSynFloodLinuxTest {
    private static final int FLOOD_SYNS = 20_000;
    /** Microseconds between flood SYNs: 10 000 a second at most. */
    private static final int FLOOD_GAP_US = 100;
    private static StackOnLinux host;
    private static NetworkNamespace linux;
    private static String spoofed;

    @BeforeAll
    static void setUp() throws Exception {
        StackOnLinux.skipUnless("the SYN flood tests against Linux", "hping3", "curl", "nc");
        String subnet = "10.218." + (1 + (ProcessHandle.current().pid() * 2) % 250);
        host = new StackOnLinux(subnet, MacAddress.local(ProcessHandle.current().pid() + 15), false, true, "jnic-synflood");
        linux = host.linux;
        spoofed = subnet + ".77";
        byte[] linuxMac = MacAddress.parse(linux.run("cat", "/sys/class/net/" + linux.tap().name() + "/address").trim());
        HttpServer http = new HttpServer(new HttpRouter().route("GET", "/page", r -> HttpResponse.text(200, "the page\n")), HttpLimits.defaults());
        host.stack.call(() -> {
            host.stack.arp().addStatic(host.stack.interfaces().get(0), Ipv4Address.parse(spoofed), linuxMac, host.stack.now());
            HttpService.listen(host.stack, host.tcp, 80, http);
            return null;
        }, 5000);
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (host != null) host.close();
    }

    /** hping3 in the namespace: SYNs from the spoofed address, the source port counting up, to {@code port}. */
    private static Process flood(int port) throws Exception {
        return linux.start("hping3", "-q", "-S", "-p", Integer.toString(port), "-a", spoofed, "-i", "u" + FLOOD_GAP_US,
                "-c", Integer.toString(FLOOD_SYNS), linux.stackAddress());
    }

    private static long counter(Event e) throws Exception {
        return host.stack.call(() -> host.tcp.counters().get(e), 5000);
    }

    private static long counter(Drop d) throws Exception {
        return host.stack.call(() -> host.tcp.counters().get(d), 5000);
    }

    @Test
    void curlGetsEveryPageDuringASpoofedSynFlood() throws Exception {
        long cookiesBefore = counter(Event.SYN_COOKIES_SENT);
        Process hping = flood(80);
        List<String> failures = new ArrayList<>();
        int fetched = 0;
        try {
            // Wait for the flood to overflow the SYN queue, then fetch while it lasts.
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (counter(Event.SYN_COOKIES_SENT) == cookiesBefore && System.nanoTime() < until) Thread.sleep(20);
            while (hping.isAlive() && fetched < 20) {
                NetworkNamespace.Result r = linux.exec(10, "curl", "-sS", "--max-time", "5", "http://" + linux.stackAddress() + "/page");
                if (r.exit() != 0 || !r.output().equals("the page\n")) failures.add(r.exit() + ": " + r.output());
                fetched++;
            }
            assertTrue(hping.waitFor(30, TimeUnit.SECONDS), "hping3 ends by itself");
        } finally {
            hping.destroyForcibly();
        }
        int halfOpen = host.stack.call(() -> host.tcp.halfOpenCount(), 5000);
        System.out.printf("SYN flood: %d pages fetched, %s%n", fetched, host.stack.call(() -> host.tcp.counters().snapshot(), 5000));
        assertEquals(List.of(), failures);
        assertTrue(fetched >= 3, "pages fetched during the flood: " + fetched);
        assertTrue(counter(Event.SYN_COOKIES_SENT) - cookiesBefore > 1000, "the flood overflowed the SYN queue into cookies");
        assertTrue(counter(Event.SYN_COOKIES_ACCEPTED) >= 1, "curl got in with a cookie");
        assertTrue(halfOpen <= host.tcp.config().synBacklog, "half-open handshakes bounded: " + halfOpen);
    }

    @Test
    void withTheAcceptQueueFullCurlsRetransmittedSynGetsInOnceTheApplicationAccepts() throws Exception {
        int port = 8080;
        try (TcpServerSocket server = new TcpServerSocket(host.stack, host.tcp, port, 2)) {
            // Two clients fill the accept queue; nobody accepts yet.
            List<Process> holders = new ArrayList<>();
            for (int i = 0; i < 2; i++) holders.add(linux.start("sh", "-c", "sleep 30 | nc " + linux.stackAddress() + " " + port));
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (host.stack.call(() -> acceptable(port), 5000) < 2 && System.nanoTime() < until) Thread.sleep(20);
            long droppedBefore = counter(Drop.BACKLOG_FULL);
            long resetsBefore = counter(Event.RESETS_SENT);
            Process hping = flood(port);
            Process curl = linux.start("curl", "-sS", "--max-time", "20", "http://" + linux.stackAddress() + ":" + port + "/page");
            try {
                Thread.sleep(1500);
                assertTrue(curl.isAlive(), "curl is not refused: it waits and retries");
                assertTrue(counter(Drop.BACKLOG_FULL) > droppedBefore, "SYNs dropped at the full accept queue");
                assertEquals(resetsBefore, counter(Event.RESETS_SENT), "and none answered with RST");
                // The application catches up: the holders first, then curl's connection once its SYN comes back.
                for (int i = 0; i < 2; i++) server.accept().close();
                server.setSoTimeout(15_000);
                TcpSocket s = server.accept();
                s.setSoTimeout(10_000);
                readRequest(s.getInputStream());
                s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 9\r\nConnection: close\r\n\r\nthe page\n".getBytes(StandardCharsets.US_ASCII));
                s.shutdownOutput();
                assertTrue(curl.waitFor(15, TimeUnit.SECONDS), "curl finishes");
                String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertEquals(0, curl.exitValue(), out);
                assertEquals("the page\n", out);
                s.close();
                System.out.printf("accept queue full: %s%n", host.stack.call(() -> host.tcp.counters().snapshot(), 5000));
                assertTrue(hping.waitFor(30, TimeUnit.SECONDS), "hping3 ends by itself");
            } finally {
                curl.destroyForcibly();
                hping.destroyForcibly();
                for (Process p : holders) p.destroyForcibly();
            }
        }
    }

    /** Established connections on {@code port} (none is accepted yet: they wait in the accept queue). */
    private static int acceptable(int port) {
        int n = 0;
        for (TcpConnection c : host.tcp.connections()) if (c.localPort() == port && c.state() == TcpState.ESTABLISHED) n++;
        return n;
    }

    /** Reads up to the blank line that ends an HTTP request's head. */
    private static void readRequest(InputStream in) throws Exception {
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) throw new AssertionError("the request ended early");
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
        }
    }
}

package io.github.jnic.net.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.net.app.dhcp.DhcpClientService;
import io.github.jnic.net.app.dhcp.DhcpLease;
import io.github.jnic.net.app.dhcp.DhcpServer;
import io.github.jnic.net.app.dhcp.DhcpServerService;
import io.github.jnic.net.app.dns.DnsResult;
import io.github.jnic.net.app.dns.DnsServer;
import io.github.jnic.net.app.dns.DnsService;
import io.github.jnic.net.app.dns.DnsType;
import io.github.jnic.net.app.dns.ResolverService;
import io.github.jnic.net.app.dns.StubResolver;
import io.github.jnic.net.app.dns.Zone;
import io.github.jnic.net.app.dns.ZoneFile;
import io.github.jnic.net.app.echo.EchoService;
import io.github.jnic.net.app.http.HttpClientConnection;
import io.github.jnic.net.app.http.HttpLimits;
import io.github.jnic.net.app.http.HttpRequest;
import io.github.jnic.net.app.http.HttpResponse;
import io.github.jnic.net.app.http.HttpRouter;
import io.github.jnic.net.app.http.HttpServer;
import io.github.jnic.net.app.http.HttpService;
import io.github.jnic.net.dev.NetworkNamespace;
import io.github.jnic.net.linux.StackOnLinux;
import io.github.jnic.net.stack.NetStack;
import io.github.jnic.net.stack.StackRunner;
import io.github.jnic.net.tcp.Tcp;
import io.github.jnic.net.wire.MacAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The application services against Linux programs through a TAP device in a network namespace:
 * dig asks our DNS server (over UDP, and over TCP after truncation), curl talks to our HTTP server,
 * nc to our echo service, busybox udhcpc leases an address from our DHCP server; the other way,
 * our HTTP client fetches from busybox httpd, our stub resolver asks dnsmasq, and our DHCP client
 * leases an address from busybox udhcpd. Needs root and /dev/net/tun (CI has both) and the tools
 * ./nic test installs; elsewhere it is skipped with the reason.
 */
class LinuxPeerAppsTest {
    private static NetworkNamespace linux;
    private static NetStack stack;
    private static Tcp tcp;
    private static StackOnLinux host;
    private static DnsServer dns;
    private static HttpServer http;

    @BeforeAll
    static void setUp() throws Exception {
        StackOnLinux.skipUnless("the Linux peer application tests", "dig", "curl", "nc", "busybox");
        String subnet = "10.214." + (1 + (ProcessHandle.current().pid() * 2) % 250);
        host = new StackOnLinux(subnet, MacAddress.local(ProcessHandle.current().pid() + 7), false, true, "jnic-apps");
        linux = host.linux;
        stack = host.stack;
        tcp = host.tcp;

        StringBuilder zone = new StringBuilder("$TTL 300\n@ SOA ns hostmaster 7 3600 600 86400 60\n@ NS ns\nns A " + linux.stackAddress() + "\nwww A 192.0.2.80\nalias CNAME www\n");
        for (int i = 0; i < 40; i++) zone.append("big TXT \"").append("z".repeat(60)).append(i).append("\"\n");
        dns = new DnsServer(List.of(Zone.parse(zone.toString(), "jnic.test")));
        http = new HttpServer(new HttpRouter()
                .route("GET", "/hello", r -> HttpResponse.text(200, "hello, " + r.headers().get("User-Agent").split("/")[0] + "\n"))
                .route("GET", "/ok", r -> HttpResponse.text(200, "ok\n"))
                .route("POST", "/echo", r -> HttpResponse.of(200, "application/octet-stream", r.body())), HttpLimits.defaults());
        int pool = ZoneFile.ipv4(subnet + ".100");
        DhcpServer dhcp = new DhcpServer(DhcpServer.Config.of(ZoneFile.ipv4(linux.stackAddress()), pool, pool + 10, 0xffffff00,
                List.of(ZoneFile.ipv4(linux.stackAddress())), List.of(ZoneFile.ipv4(linux.stackAddress())), "jnic.test"));
        stack.call(() -> {
            DnsService.start(stack, tcp, 53, dns);
            HttpService.listen(stack, tcp, 80, http);
            EchoService.start(stack, tcp, 7);
            DhcpServerService.start(stack, dhcp);
            return null;
        }, 5000);
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (host != null) host.close();
    }

    private static String inLinux(String... cmd) throws Exception {
        NetworkNamespace.Result r = linux.exec(30, cmd);
        assertEquals(0, r.exit(), String.join(" ", cmd) + ": " + r.output());
        return r.output();
    }

    @Test
    void digGetsAnswersFromOurDnsServer() throws Exception {
        String at = "@" + linux.stackAddress();
        assertEquals("192.0.2.80", inLinux("dig", at, "+short", "+tries=1", "+time=3", "www.jnic.test", "A").strip());
        assertEquals("www.jnic.test.\n192.0.2.80", inLinux("dig", at, "+short", "+tries=1", "+time=3", "alias.jnic.test", "A").strip());
        String nx = inLinux("dig", at, "+tries=1", "+time=3", "nope.jnic.test", "A");
        assertTrue(nx.contains("status: NXDOMAIN") && nx.contains("flags: qr aa rd;"), nx);
        String tcpOnly = inLinux("dig", at, "+tcp", "+short", "+tries=1", "+time=3", "ns.jnic.test");
        assertEquals(linux.stackAddress(), tcpOnly.strip());
        // 40 TXT records do not fit in UDP: dig sees TC and asks again over TCP.
        String big = inLinux("dig", at, "+tries=1", "+time=3", "+bufsize=1232", "big.jnic.test", "TXT");
        assertTrue(big.contains("Truncated, retrying in TCP mode"), big);
        assertTrue(big.contains("ANSWER: 40,"), big);
        assertEquals(0, dns.rejects().total(), dns.rejects().toString());
    }

    @Test
    void curlTalksToOurHttpServer() throws Exception {
        String base = "http://" + linux.stackAddress();
        assertEquals("hello, curl\n", inLinux("curl", "-sS", "--max-time", "10", base + "/hello"));
        // Two URLs in one command: curl keeps the connection alive and reuses it.
        String both = inLinux("curl", "-sS", "-v", "--max-time", "10", base + "/hello", base + "/hello");
        assertTrue(both.contains("Re-using existing connection") || both.contains("Reusing existing connection"), both);
        // A chunked upload comes back whole.
        String body = "x".repeat(100_000);
        // (the echo is hashed in the namespace: exec reads output only after the command ends, through a 64 KiB pipe)
        String echoed = inLinux("sh", "-c", "printf '" + body + "' | curl -sS --max-time 10 -H 'Transfer-Encoding: chunked' --data-binary @- " + base + "/echo | sha256sum");
        assertEquals(sha256(body) + "  -", echoed.strip());
        String missing = inLinux("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "10", base + "/nope");
        assertEquals("404", missing);
    }

    @Test
    void wrkWithFiftyConnectionsGetsOnlyGoodAnswers() throws Exception {
        Assumptions.assumeTrue(NetworkNamespace.onPath("wrk"), "wrk is not installed (./nic test installs it)");
        long before = http.rejects().total();
        String out = inLinux("wrk", "-t", "2", "-c", "50", "-d", "3s", "--timeout", "5s", "http://" + linux.stackAddress() + "/ok");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) requests in").matcher(out);
        assertTrue(m.find(), out);
        assertTrue(Long.parseLong(m.group(1)) > 50, out);
        assertTrue(!out.contains("Socket errors") && !out.contains("Non-2xx"), out);
        assertEquals(before, http.rejects().total());
        System.out.println(out); // the figures, for whoever reads the test report
    }

    @Test
    void ncGetsItsEchoBack() throws Exception {
        String tcp = inLinux("sh", "-c", "printf 'echo over tcp' | nc -N -w 5 " + linux.stackAddress() + " 7");
        assertEquals("echo over tcp", tcp);
        String udp = inLinux("sh", "-c", "printf 'echo over udp' | nc -u -w 2 " + linux.stackAddress() + " 7");
        assertEquals("echo over udp", udp);
    }

    @Test
    void udhcpcLeasesAnAddressFromOurDhcpServer() throws Exception {
        String out = inLinux("busybox", "udhcpc", "-i", linux.tap().name(), "-f", "-q", "-n", "-t", "3", "-T", "2", "-s", "/bin/true");
        String pool = linux.linuxAddress().substring(0, linux.linuxAddress().lastIndexOf('.')) + ".100";
        assertTrue(out.contains("lease of " + pool + " obtained"), out);
    }

    @Test
    void ourHttpClientFetchesFromBusyboxHttpd() throws Exception {
        Path dir = Files.createTempDirectory("jnic-httpd");
        byte[] page = new byte[200_000];
        new java.util.SplittableRandom(3).nextBytes(page);
        Files.write(dir.resolve("page.bin"), page);
        Process httpd = linux.start("busybox", "httpd", "-f", "-p", "8080", "-h", dir.toString());
        try {
            CompletableFuture<HttpResponse> result = new CompletableFuture<>();
            for (int attempt = 0; attempt < 50 && !result.isDone(); attempt++) {
                CompletableFuture<HttpResponse> one = new CompletableFuture<>();
                stack.execute(() -> {
                    try {
                        HttpService.fetch(stack, tcp, ZoneFile.ipv4(linux.linuxAddress()), 8080, HttpRequest.get("/page.bin", linux.linuxAddress()),
                                new HttpClientConnection.ResponseHandler() {
                                    @Override
                                    public void response(HttpResponse response) {
                                        one.complete(response);
                                    }

                                    @Override
                                    public void failed(String why) {
                                        one.completeExceptionally(new java.io.IOException(why));
                                    }
                                });
                    } catch (Exception e) {
                        one.completeExceptionally(e);
                    }
                });
                try {
                    result.complete(one.get(10, TimeUnit.SECONDS));
                } catch (java.util.concurrent.ExecutionException refusedWhileStarting) {
                    Thread.sleep(100);
                }
            }
            HttpResponse r = result.get(1, TimeUnit.SECONDS);
            assertEquals(200, r.status());
            assertArrayEquals(page, r.body());
        } finally {
            httpd.destroy();
            httpd.waitFor(5, TimeUnit.SECONDS);
            Files.delete(dir.resolve("page.bin"));
            Files.delete(dir);
        }
    }

    @Test
    void ourStubResolverAsksDnsmasq() throws Exception {
        Assumptions.assumeTrue(NetworkNamespace.onPath("dnsmasq") || Files.exists(Path.of("/usr/sbin/dnsmasq")), "dnsmasq is not installed (./nic test installs it)");
        String dnsmasq = NetworkNamespace.onPath("dnsmasq") ? "dnsmasq" : "/usr/sbin/dnsmasq";
        Process server = linux.start(dnsmasq, "--no-daemon", "--conf-file=/dev/null", "--no-resolv", "--no-hosts", "--user=root",
                "--pid-file=", "--bind-interfaces", "--listen-address=" + linux.linuxAddress(), "--local=/jnic.example/",
                "--host-record=www.jnic.example,192.0.2.7", "--cname=alias.jnic.example,www.jnic.example");
        try {
            ResolverService resolver = stack.callQuietly(() -> new ResolverService(stack, tcp,
                    new StubResolver(List.of(ZoneFile.ipv4(linux.linuxAddress())), new SecureRandom())));
            DnsResult www = null;
            for (int attempt = 0; attempt < 20; attempt++) { // dnsmasq may still be starting
                www = resolver.lookup("www.jnic.example", DnsType.A).get(10, TimeUnit.SECONDS);
                if (www.status() == DnsResult.Status.ANSWER) break;
                Thread.sleep(200);
            }
            assertEquals(DnsResult.Status.ANSWER, www.status(), www.detail());
            assertEquals(List.of(ZoneFile.ipv4("192.0.2.7")), www.ipv4Addresses());
            DnsResult alias = resolver.lookup("alias.jnic.example", DnsType.A).get(10, TimeUnit.SECONDS);
            assertEquals("www.jnic.example", alias.canonicalName());
            assertEquals(List.of(ZoneFile.ipv4("192.0.2.7")), alias.ipv4Addresses());
            assertEquals(DnsResult.Status.NXDOMAIN, resolver.lookup("nope.jnic.example", DnsType.A).get(10, TimeUnit.SECONDS).status());
        } finally {
            server.destroy();
            server.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void ourDhcpClientLeasesFromBusyboxUdhcpd() throws Exception {
        String subnet = "10.215." + (1 + (ProcessHandle.current().pid() * 2) % 250);
        try (NetworkNamespace ns = NetworkNamespace.create(subnet, MacAddress.local(ProcessHandle.current().pid() + 11), 1500)) {
            NetStack bare = new NetStack();
            var iface = bare.addInterface(ns.tap());
            Path conf = Files.createTempFile("jnic-udhcpd", ".conf");
            Path leases = Files.createTempFile("jnic-udhcpd", ".leases");
            Files.writeString(conf, "start " + subnet + ".50\nend " + subnet + ".60\ninterface " + ns.tap().name() + "\n"
                    + "lease_file " + leases + "\npidfile " + conf + ".pid\noption subnet 255.255.255.0\noption router " + ns.linuxAddress()
                    + "\noption lease 600\n");
            Process udhcpd = ns.start("busybox", "udhcpd", "-f", conf.toString());
            try (StackRunner r = StackRunner.start(bare, "jnic-dhcp-client")) {
                CompletableFuture<DhcpLease> bound = new CompletableFuture<>();
                bare.call(() -> DhcpClientService.start(bare, iface, "jnic", new SecureRandom(),
                        DhcpClientService.NO_PROBE, bound::complete, address -> { }), 5000);
                DhcpLease lease = bound.get(30, TimeUnit.SECONDS);
                int first = ZoneFile.ipv4(subnet + ".50");
                assertTrue(lease.address() >= first && lease.address() <= first + 10, "an address from the pool (udhcpd picks one by hashing the MAC)");
                assertEquals(ZoneFile.ipv4(ns.linuxAddress()), lease.server());
                assertEquals(List.of(ZoneFile.ipv4(ns.linuxAddress())), lease.routers());
                assertEquals(600, lease.leaseSeconds());
                // Linux reaches us at the leased address.
                String leased = subnet + "." + (lease.address() & 0xff);
                NetworkNamespace.Result ping = ns.exec(10, "ping", "-c", "1", "-W", "3", leased);
                assertEquals(0, ping.exit(), ping.output());
                assertNull(r.failure());
            } finally {
                udhcpd.destroy();
                udhcpd.waitFor(5, TimeUnit.SECONDS);
                Files.deleteIfExists(conf);
                Files.deleteIfExists(leases);
                Files.deleteIfExists(Path.of(conf + ".pid"));
            }
        }
    }

    static String sha256(String s) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.ISO_8859_1)));
    }
}

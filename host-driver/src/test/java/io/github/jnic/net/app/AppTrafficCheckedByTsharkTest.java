package io.github.jnic.net.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.net.app.dhcp.DhcpClient;
import io.github.jnic.net.app.dhcp.DhcpLease;
import io.github.jnic.net.app.dhcp.DhcpMessage;
import io.github.jnic.net.app.dhcp.DhcpServer;
import io.github.jnic.net.app.dhcp.DhcpServerService;
import io.github.jnic.net.app.dns.DnsResult;
import io.github.jnic.net.app.dns.DnsServer;
import io.github.jnic.net.app.dns.DnsService;
import io.github.jnic.net.app.dns.DnsType;
import io.github.jnic.net.app.dns.ResolverService;
import io.github.jnic.net.app.dns.StubResolver;
import io.github.jnic.net.app.dns.Zone;
import io.github.jnic.net.app.http.HttpClientConnection;
import io.github.jnic.net.app.http.HttpLimits;
import io.github.jnic.net.app.http.HttpRequest;
import io.github.jnic.net.app.http.HttpResponse;
import io.github.jnic.net.app.http.HttpRouter;
import io.github.jnic.net.app.http.HttpServer;
import io.github.jnic.net.app.http.HttpService;
import io.github.jnic.net.capture.CapturingDevice;
import io.github.jnic.net.capture.PcapWriter;
import io.github.jnic.net.dev.MemoryLink;
import io.github.jnic.net.stack.NetStack;
import io.github.jnic.net.stack.Simulation;
import io.github.jnic.net.tcp.Tcp;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tshark, an independent implementation of these protocols, reads the DHCP, DNS and HTTP traffic
 * our engines put on the wire and must find every field where we put it and nothing malformed.
 */
class AppTrafficCheckedByTsharkTest {
    static final long SECOND = 1_000_000_000L;

    @Test
    void tsharkReadsOurDhcpDnsAndHttp(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(new File("/usr/bin/tshark").canExecute(), "skipping: tshark is not installed (./nic test installs it)");
        Path file = dir.resolve("apps.pcap");
        Simulation sim = new Simulation();
        NetStack server = sim.add(new NetStack());
        NetStack client = sim.add(new NetStack());
        MemoryLink link = new MemoryLink(sim.clock());
        try (PcapWriter pcap = PcapWriter.create(file)) {
            server.addAddress(server.addInterface(link.a()), "10.0.0.1/24");
            client.addAddress(client.addInterface(new CapturingDevice(link.b(), pcap, sim.clock())), "10.0.0.2/24");
            Tcp serverTcp = new Tcp(server.ipv4());
            Tcp clientTcp = new Tcp(client.ipv4());
            server.register(serverTcp);
            client.register(clientTcp);

            // DHCP: our client engine against our server, through UDP 68 -> 67 broadcasts.
            DhcpServerService.start(server, new DhcpServer(DhcpServer.Config.of(0x0a000001, 0x0a000064, 0x0a0000c8, 0xffffff00,
                    List.of(0x0a000001), List.of(0x0a000001), "jnic.test")));
            List<DhcpLease> leases = new ArrayList<>();
            DhcpClient[] dhcp = new DhcpClient[1];
            dhcp[0] = new DhcpClient(client.interfaces().get(0).device().macAddress(), new SplittableRandom(1), "jnic-host", new DhcpClient.Listener() {
                @Override
                public void probe(int address) {
                    client.execute(() -> dhcp[0].probeResult(false, client.now()));
                }

                @Override
                public void bound(DhcpLease lease) {
                    leases.add(lease);
                }

                @Override
                public void lost(DhcpLease lease, String why) { }
            });
            UdpEndpoint port68 = UdpEndpoint.open(client, 0, DhcpMessage.CLIENT_PORT, (e, data, len, src, srcPort, now) -> dhcp[0].receive(data, 0, len, now));
            client.addTimer(now -> {
                long next = dhcp[0].poll(now);
                DhcpClient.Transmission t;
                while ((t = dhcp[0].nextTransmission()) != null) port68.send(t.message(), 0, t.message().length, t.destination(), DhcpMessage.SERVER_PORT);
                return Math.min(next, dhcp[0].poll(now));
            });
            dhcp[0].start(sim.now());
            assertTrue(sim.runUntil(() -> !leases.isEmpty(), 10 * SECOND));

            // DNS: the stub resolver against the authoritative server, a CNAME and an MX.
            DnsService.start(server, serverTcp, 53, new DnsServer(List.of(Zone.parse(
                    "$TTL 300\n@ SOA ns h 1 2 3 4 60\n@ NS ns\nns A 10.0.0.1\n@ MX 10 mail\nmail A 192.0.2.25\nwww CNAME web\nweb A 192.0.2.80\n", "jnic.test"))));
            ResolverService resolver = new ResolverService(client, clientTcp, new StubResolver(List.of(0x0a000001), new SplittableRandom(2)));
            List<DnsResult> results = new ArrayList<>();
            resolver.resolve("www.jnic.test", DnsType.A, results::add);
            resolver.resolve("jnic.test", DnsType.MX, results::add);
            assertTrue(sim.runUntil(() -> results.size() == 2, 10 * SECOND));

            // HTTP: one GET.
            HttpService.listen(server, serverTcp, 80, new HttpServer(new HttpRouter().route("GET", "/", r -> HttpResponse.text(200, "jnic\n")), HttpLimits.defaults()));
            List<HttpResponse> responses = new ArrayList<>();
            HttpService.fetch(client, clientTcp, 0x0a000001, 80, HttpRequest.get("/", "10.0.0.1"), new HttpClientConnection.ResponseHandler() {
                @Override
                public void response(HttpResponse response) {
                    responses.add(response);
                }

                @Override
                public void failed(String why) { }
            });
            assertTrue(sim.runUntil(() -> responses.size() == 1, 10 * SECOND));
            sim.runFor(SECOND);
        }

        List<String> lines = tshark(file, "dhcp", "dhcp.option.dhcp", "dhcp.ip.your", "dhcp.option.requested_ip_address", "dhcp.option.dhcp_server_id", "dhcp.option.hostname");
        // type | yiaddr | requested address | server id | host name
        assertEquals(List.of("1|0.0.0.0|||jnic-host", "2|10.0.0.100||10.0.0.1|", "3|0.0.0.0|10.0.0.100|10.0.0.1|jnic-host", "5|10.0.0.100||10.0.0.1|"),
                lines, String.join("\n", lines));
        List<String> dns = tshark(file, "dns", "dns.flags.response", "dns.qry.name", "dns.flags.authoritative", "dns.cname", "dns.a", "dns.mx.mail_exchange");
        assertEquals(4, dns.size(), String.join("\n", dns));
        assertTrue(dns.contains("0|www.jnic.test||||"), String.join("\n", dns));
        assertTrue(dns.contains("0|jnic.test||||"), String.join("\n", dns));
        assertTrue(dns.contains("1|www.jnic.test|1|web.jnic.test|192.0.2.80|"), String.join("\n", dns));
        assertTrue(dns.contains("1|jnic.test|1||192.0.2.25|mail.jnic.test"), String.join("\n", dns));
        List<String> http = tshark(file, "http", "http.request.method", "http.request.uri", "http.response.code", "http.content_length");
        assertEquals(List.of("GET|/||", "||200|5"), http);
        assertEquals(List.of(), tshark(file, "_ws.malformed || _ws.expert.severity >= 6291456", "frame.number"), "nothing malformed, no warnings");
    }

    private static List<String> tshark(Path file, String filter, String... fields) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-r", file.toString(), "-Y", filter, "-T", "fields", "-E", "separator=|"));
        for (String f : fields) {
            cmd.add("-e");
            cmd.add(f);
        }
        Process t = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> lines = new String(t.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertTrue(t.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, t.exitValue(), "tshark accepts the filter " + filter);
        return lines;
    }
}

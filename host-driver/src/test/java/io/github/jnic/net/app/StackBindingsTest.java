package io.github.jnic.net.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.net.app.dhcp.DhcpClientService;
import io.github.jnic.net.app.dhcp.DhcpMessage;
import io.github.jnic.net.app.dhcp.DhcpServer;
import io.github.jnic.net.app.dhcp.DhcpServerService;
import io.github.jnic.net.app.dhcp.DhcpWriter;
import io.github.jnic.net.app.dns.DnsResult;
import io.github.jnic.net.app.dns.DnsServer;
import io.github.jnic.net.app.dns.DnsService;
import io.github.jnic.net.app.dns.DnsType;
import io.github.jnic.net.app.dns.ResolverService;
import io.github.jnic.net.app.dns.StubResolver;
import io.github.jnic.net.app.dns.Zone;
import io.github.jnic.net.app.echo.EchoService;
import io.github.jnic.net.app.http.HttpClientConnection;
import io.github.jnic.net.app.http.HttpLimits;
import io.github.jnic.net.app.http.HttpRequest;
import io.github.jnic.net.app.http.HttpResponse;
import io.github.jnic.net.app.http.HttpRouter;
import io.github.jnic.net.app.http.HttpServer;
import io.github.jnic.net.app.http.HttpService;
import io.github.jnic.net.dev.FaultInjector;
import io.github.jnic.net.dev.MemoryLink;
import io.github.jnic.net.stack.NetStack;
import io.github.jnic.net.stack.Simulation;
import io.github.jnic.net.tcp.Tcp;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The application engines bound to two real stacks joined by a memory link, in virtual time. */
class StackBindingsTest {
    static final long SECOND = 1_000_000_000L;
    static final int SERVER = 0x0a000001;
    static final int CLIENT = 0x0a000002;

    final Simulation sim = new Simulation();
    final NetStack server = sim.add(new NetStack());
    final NetStack client = sim.add(new NetStack());
    final Tcp serverTcp = new Tcp(server.ipv4());
    final Tcp clientTcp = new Tcp(client.ipv4());

    StackBindingsTest() {
        MemoryLink link = new MemoryLink(sim.clock(), FaultInjector.none(), FaultInjector.none(), 1500);
        server.addAddress(server.addInterface(link.a()), "10.0.0.1/24");
        client.addAddress(client.addInterface(link.b()), "10.0.0.2/24");
        server.register(serverTcp);
        client.register(clientTcp);
    }

    @Test
    void resolverAsksTheDnsServiceOverUdpAndFallsBackToTcp() throws Exception {
        StringBuilder zone = new StringBuilder("$TTL 300\n@ SOA ns h 1 2 3 4 60\n@ NS ns\nns A 10.0.0.1\nwww A 192.0.2.80\n");
        for (int i = 0; i < 40; i++) zone.append("big TXT \"").append("y".repeat(60)).append(i).append("\"\n");
        DnsServer dns = new DnsServer(List.of(Zone.parse(zone.toString(), "example.com")));
        DnsService.start(server, serverTcp, 53, dns);
        ResolverService resolver = new ResolverService(client, clientTcp, new StubResolver(List.of(SERVER), new SplittableRandom(5)));

        List<DnsResult> results = new ArrayList<>();
        resolver.resolve("www.example.com", DnsType.A, results::add);
        assertTrue(sim.runUntil(() -> results.size() == 1, 5 * SECOND));
        assertEquals(List.of(0xc0000250), results.get(0).ipv4Addresses());

        resolver.resolve("big.example.com", DnsType.TXT, results::add);
        assertTrue(sim.runUntil(() -> results.size() == 2, 5 * SECOND));
        assertEquals(DnsResult.Status.ANSWER, results.get(1).status(), results.get(1).detail());
        assertEquals(40, results.get(1).records().size(), "the whole answer came over TCP");
        assertEquals(0, resolver.resolver().pending());
        var typo = resolver.lookup("bad..name", DnsType.A);
        sim.runFor(SECOND);
        assertTrue(typo.isCompletedExceptionally(), "a malformed name fails the lookup, not the stack");
        for (int port = 49152; port < 65536; port++) assertNull(client.udp().socketOn(port), "query ports are closed after use");
    }

    @Test
    void httpClientAndServerKeepOneConnectionAlive() throws Exception {
        byte[] big = new byte[300_000];
        new SplittableRandom(9).nextBytes(big);
        HttpServer http = new HttpServer(new HttpRouter()
                .route("GET", "/hello", r -> HttpResponse.text(200, "hello\n"))
                .route("GET", "/big", r -> HttpResponse.of(200, "application/octet-stream", big)), HttpLimits.defaults());
        HttpService.listen(server, serverTcp, 80, http);

        HttpClientConnection connection = new HttpClientConnection(HttpLimits.defaults());
        List<HttpResponse> responses = new ArrayList<>();
        HttpClientConnection.ResponseHandler collect = new HttpClientConnection.ResponseHandler() {
            @Override
            public void response(HttpResponse response) {
                responses.add(response);
            }

            @Override
            public void failed(String why) {
                throw new AssertionError(why);
            }
        };
        connection.send(HttpRequest.get("/hello", "10.0.0.1"), collect, sim.now());
        connection.send(HttpRequest.get("/big", "10.0.0.1"), collect, sim.now());
        HttpService.connect(client, clientTcp, SERVER, 80, connection);
        assertTrue(sim.runUntil(() -> responses.size() == 2, 30 * SECOND));
        assertEquals("hello\n", responses.get(0).bodyText());
        assertArrayEquals(big, responses.get(1).body());
        assertEquals(1, serverTcp.connectionCount(), "both requests on one connection");
        assertTrue(connection.idle());
        assertEquals(0, http.rejects().total());
    }

    @Test
    void keepAliveRequestsDoNotWaitForDelayedAcks() throws Exception {
        // A response goes out as head then body: with Nagle on, the body would wait for the ACK of
        // the head, which the client delays 40 ms. In virtual time that shows as elapsed time.
        HttpService.listen(server, serverTcp, 80, new HttpServer(new HttpRouter().route("GET", "/", r -> HttpResponse.text(200, "ok")), HttpLimits.defaults(), null));
        HttpClientConnection connection = new HttpClientConnection(HttpLimits.defaults());
        int[] done = {0};
        HttpClientConnection.ResponseHandler next = new HttpClientConnection.ResponseHandler() {
            @Override
            public void response(HttpResponse response) {
                if (++done[0] < 50) connection.send(HttpRequest.get("/", "10.0.0.1"), this, sim.now());
            }

            @Override
            public void failed(String why) {
                throw new AssertionError(why);
            }
        };
        connection.send(HttpRequest.get("/", "10.0.0.1"), next, sim.now());
        HttpService.connect(client, clientTcp, SERVER, 80, connection);
        long start = sim.now();
        assertTrue(sim.runUntil(() -> done[0] == 50, 60 * SECOND));
        assertTrue(sim.now() - start < 40_000_000L, "50 requests took " + (sim.now() - start) / 1_000_000 + " ms of virtual time");
    }

    @Test
    void echoesOverUdpAndTcp() throws Exception {
        EchoService echo = EchoService.start(server, serverTcp, 7);
        List<String> udpEchoes = new ArrayList<>();
        UdpEndpoint udp = UdpEndpoint.open(client, 0, 0, (e, data, len, src, srcPort, now) -> udpEchoes.add(new String(data, 0, len) + " from " + srcPort));
        udp.send("ping".getBytes(), 0, 4, SERVER, 7);
        assertTrue(sim.runUntil(() -> udpEchoes.size() == 1, SECOND));
        assertEquals("ping from 7", udpEchoes.get(0));

        byte[] stream = new byte[500_000];
        new SplittableRandom(4).nextBytes(stream);
        ByteArrayOutputStream back = new ByteArrayOutputStream();
        StreamSession sender = new StreamSession() {
            int sent;

            @Override
            public int room() {
                return 65536;
            }

            @Override
            public void receive(byte[] b, int off, int len, long now) {
                back.write(b, off, len);
            }

            @Override
            public void peerClosed(long now) { }

            @Override
            public byte[] nextOutput() {
                if (sent >= stream.length) return null;
                int n = Math.min(8192, stream.length - sent);
                byte[] piece = java.util.Arrays.copyOfRange(stream, sent, sent + n);
                sent += n;
                return piece;
            }

            @Override
            public boolean shouldClose() {
                return back.size() == stream.length;
            }

            @Override
            public long poll(long now) {
                return Long.MAX_VALUE;
            }
        };
        TcpPump pump = TcpPump.connect(client, clientTcp, SERVER, 7, sender);
        assertTrue(sim.runUntil(pump::finished, 60 * SECOND));
        assertArrayEquals(stream, back.toByteArray());
        assertEquals(1, echo.datagrams().echoed());
    }

    @Test
    void dhcpServiceAnswersABroadcastDiscover() throws Exception {
        DhcpServerService.start(server, new DhcpServer(DhcpServer.Config.of(SERVER, 0x0a000064, 0x0a0000c8, 0xffffff00, List.of(SERVER), List.of(SERVER), "jnic.test")));
        List<DhcpMessage> replies = new ArrayList<>();
        UdpEndpoint port68 = UdpEndpoint.open(client, 0, DhcpMessage.CLIENT_PORT, (e, data, len, src, srcPort, now) -> {
            replies.add(DhcpMessage.parse(java.util.Arrays.copyOf(data, len)));
        });
        byte[] mac = client.interfaces().get(0).device().macAddress();
        byte[] discover = new DhcpWriter(DhcpMessage.BOOTREQUEST, 0x1234, mac).broadcastFlag(true).optionByte(DhcpMessage.MESSAGE_TYPE, DhcpMessage.DISCOVER).toByteArray();
        assertTrue(port68.send(discover, 0, discover.length, 0xffffffff, DhcpMessage.SERVER_PORT));
        assertTrue(sim.runUntil(() -> !replies.isEmpty(), SECOND));
        DhcpMessage offer = replies.get(0);
        assertEquals(DhcpMessage.OFFER, offer.messageType());
        assertEquals(0x1234, offer.xid());
        assertEquals(0x0a000064, offer.yiaddr());
        assertFalse(offer.has(DhcpMessage.HOST_NAME));
    }

    @Test
    void dhcpClientServiceConfiguresAStackThatHasNoAddress() throws Exception {
        Simulation net = new Simulation();
        NetStack router = net.add(new NetStack());
        NetStack bare = net.add(new NetStack());
        MemoryLink link = new MemoryLink(net.clock(), FaultInjector.none(), FaultInjector.none(), 1500);
        router.addAddress(router.addInterface(link.a()), "10.0.0.1/24");
        var iface = bare.addInterface(link.b());
        DhcpServer leases = new DhcpServer(DhcpServer.Config.of(SERVER, 0x0a000064, 0x0a0000c8, 0xffffff00, List.of(SERVER), List.of(SERVER), "jnic.test"));
        DhcpServerService.start(router, leases);
        EchoService.start(router, null, 7);

        List<String> events = new ArrayList<>();
        DhcpClientService dhcp = DhcpClientService.start(bare, iface, "bare", new SplittableRandom(8), DhcpClientService.NO_PROBE,
                lease -> events.add("bound " + Integer.toHexString(lease.address())), address -> events.add("lost " + Integer.toHexString(address)));
        assertTrue(net.runUntil(() -> !events.isEmpty(), 30 * SECOND));
        assertEquals(List.of("bound a000064"), events);
        assertEquals(0x0a000064, iface.primaryAddress());
        assertTrue(bare.routes().routes().stream().anyMatch(r -> r.prefixLength() == 0 && r.gateway() == SERVER), "default route through the router");

        // The new address works: a UDP echo round trip.
        List<Integer> echoedTo = new ArrayList<>();
        UdpEndpoint udp = UdpEndpoint.open(bare, 0, 0, (e, data, len, src, srcPort, now) -> echoedTo.add(src));
        assertTrue(udp.send(new byte[] {1, 2, 3}, 0, 3, SERVER, 7));
        assertTrue(net.runUntil(() -> !echoedTo.isEmpty(), SECOND));

        // Renewal at T1 (half of the hour) keeps the address; a release takes it away.
        net.runFor(1800 * SECOND + SECOND);
        assertEquals(List.of("bound a000064", "bound a000064"), events);
        dhcp.close();
        assertTrue(net.runUntil(() -> leases.bindings().isEmpty(), SECOND), "the server got the RELEASE (through ARP, from the address)");
        net.runFor(SECOND);
        assertEquals("lost a000064", events.get(2));
        assertEquals(0, iface.primaryAddress());
        assertTrue(bare.routes().routes().stream().noneMatch(r -> r.prefixLength() == 0));
    }
}

package io.github.jnic.net.app;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.net.app.dhcp.DhcpClient;
import io.github.jnic.net.app.dhcp.DhcpLease;
import io.github.jnic.net.app.dhcp.DhcpMessage;
import io.github.jnic.net.app.dhcp.DhcpServer;
import io.github.jnic.net.app.dhcp.DhcpWriter;
import io.github.jnic.net.app.dns.DnsMessage;
import io.github.jnic.net.app.dns.DnsServer;
import io.github.jnic.net.app.dns.DnsTransmission;
import io.github.jnic.net.app.dns.DnsType;
import io.github.jnic.net.app.dns.DnsWriter;
import io.github.jnic.net.app.dns.StubResolver;
import io.github.jnic.net.app.dns.Zone;
import io.github.jnic.net.app.http.HttpClientConnection;
import io.github.jnic.net.app.http.HttpHeaders;
import io.github.jnic.net.app.http.HttpLimits;
import io.github.jnic.net.app.http.HttpRequest;
import io.github.jnic.net.app.http.HttpResponse;
import io.github.jnic.net.app.http.HttpRouter;
import io.github.jnic.net.app.http.HttpServer;
import io.github.jnic.net.app.http.HttpServerConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded random mutations of valid DNS, DHCP and HTTP messages fed to every engine: nothing may
 * escape as an exception, nothing may hang, and every input is either answered or counted.
 * The seed is fixed so a failure reproduces; the time bound only guards against a hang.
 */
class MalformedInputFuzzTest {
    static final int ROUNDS = 20_000;
    final SplittableRandom random = new SplittableRandom(20240601);

    byte[] mutate(byte[] valid) {
        byte[] m = valid.clone();
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            if (m.length == 0) return m;
            int at = random.nextInt(m.length);
            switch (random.nextInt(7)) {
                case 0 -> m[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> m[at] = (byte) random.nextInt(256);
                case 2 -> m = Arrays.copyOf(m, at); // truncate
                case 3 -> { // insert random bytes
                    byte[] extra = new byte[1 + random.nextInt(8)];
                    random.nextBytes(extra);
                    byte[] n = new byte[m.length + extra.length];
                    System.arraycopy(m, 0, n, 0, at);
                    System.arraycopy(extra, 0, n, at, extra.length);
                    System.arraycopy(m, at, n, at + extra.length, m.length - at);
                    m = n;
                }
                case 4 -> m[at] = (byte) (0xc0 | random.nextInt(0x40)); // a compression pointer, maybe a loop
                case 5 -> m[at] = (byte) (random.nextBoolean() ? 0xff : 0x00);
                default -> { // duplicate a range
                    int len = Math.min(m.length - at, 1 + random.nextInt(16));
                    byte[] n = Arrays.copyOf(m, m.length + len);
                    System.arraycopy(m, at, n, m.length, len);
                    m = n;
                }
            }
        }
        return m;
    }

    @Test
    void dnsServerAndResolverSurviveMutatedMessages() {
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            Zone zone = Zone.parse("$TTL 60\n@ SOA ns h 1 2 3 4 5\n@ NS ns\nns A 10.0.0.1\nwww CNAME ns\n@ MX 10 ns\n@ TXT \"t\"\nsub NS ns.sub\nns.sub A 10.0.0.2\n", "example.com");
            DnsServer server = new DnsServer(List.of(zone));
            byte[][] seeds = new byte[4][];
            String[] names = {"www.example.com", "example.com", "x.sub.example.com", "nope.example.com"};
            int[] types = {DnsType.A, DnsType.MX, DnsType.A, DnsType.TXT};
            for (int i = 0; i < 4; i++) {
                DnsWriter w = new DnsWriter(512);
                w.header(i, DnsMessage.RD);
                w.question(names[i], types[i], 1);
                w.opt(1232);
                seeds[i] = w.toByteArray();
            }
            byte[][] answers = new byte[4][];
            for (int i = 0; i < 4; i++) answers[i] = server.answer(seeds[i], 0, seeds[i].length, false);

            StubResolver resolver = new StubResolver(List.of(0x0a000001), new SplittableRandom(1));
            for (int round = 0; round < ROUNDS; round++) {
                byte[] q = mutate(seeds[round % 4]);
                long before = server.rejects().total();
                byte[] a = server.answer(q, 0, q.length, round % 2 == 0);
                assertTrue(a != null || server.rejects().total() > before, "every query is answered or counted");
                if (a != null) DnsMessage.parse(a); // whatever the server says must itself parse

                // A resolver waiting for an answer gets a mangled one instead.
                resolver.resolve(names[round % 4], types[round % 4], round, r -> { });
                DnsTransmission t = resolver.nextTransmission();
                if (t != null) {
                    byte[] reply = mutate(server.answer(t.message(), 0, t.message().length, false));
                    long rejected = resolver.rejects().total();
                    int pending = resolver.pending();
                    resolver.receiveUdp(t.localPort(), t.server(), t.serverPort(), reply, 0, reply.length, round);
                    assertTrue(resolver.pending() < pending || resolver.rejects().total() > rejected || resolver.nextTransmission() != null,
                            "a mangled answer is used, counted, or leads to a retry");
                    resolver.poll(Long.MAX_VALUE / 2); // time out whatever is left
                    while (resolver.nextTransmission() != null) resolver.poll(Long.MAX_VALUE / 2);
                }
            }
            assertTrue(server.rejects().total() > ROUNDS / 10, "mutations were rejected: " + server.rejects());
            assertTrue(resolver.rejects().total() > 0);
        });
    }

    @Test
    void dhcpEnginesSurviveMutatedMessages() {
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            byte[] mac = {2, 0, 0, 0, 0, 1};
            DhcpServer server = new DhcpServer(DhcpServer.Config.of(0x0a000001, 0x0a000010, 0x0a0000f0, 0xffffff00, List.of(0x0a000001), List.of(0x0a000001), "t"));
            DhcpClient client = new DhcpClient(mac, new SplittableRandom(2), "c", new DhcpClient.Listener() {
                @Override
                public void probe(int address) { }

                @Override
                public void bound(DhcpLease lease) { }

                @Override
                public void lost(DhcpLease lease, String why) { }
            });
            client.start(0);
            byte[] discover = client.nextTransmission().message();
            byte[] offer = server.receive(discover, 0, discover.length, 0).message();
            byte[] request = new DhcpWriter(DhcpMessage.BOOTREQUEST, 5, mac).optionByte(DhcpMessage.MESSAGE_TYPE, DhcpMessage.REQUEST)
                    .optionInt(DhcpMessage.SERVER_ID, 0x0a000001).optionInt(DhcpMessage.REQUESTED_ADDRESS, 0x0a000010).toByteArray();
            for (int round = 0; round < ROUNDS; round++) {
                byte[] in = mutate(round % 2 == 0 ? discover : request);
                server.receive(in, 0, in.length, round);
                byte[] reply = mutate(offer);
                client.receive(reply, 0, reply.length, round);
                client.poll(round);
                while (client.nextTransmission() != null) { }
            }
            assertTrue(server.rejects().total() > 0 && client.rejects().total() > 0);
        });
    }

    @Test
    void httpEnginesSurviveMutatedMessages() {
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            HttpServer server = new HttpServer(new HttpRouter().route("POST", "/", r -> HttpResponse.of(200, "text/plain", r.body()))
                    .route("GET", "/", r -> HttpResponse.text(200, "ok")), HttpLimits.defaults());
            byte[][] requests = {
                "GET /?a=b HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1),
                "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello".getBytes(StandardCharsets.ISO_8859_1),
                "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1),
                "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1),
            };
            byte[][] responses = {
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.ISO_8859_1),
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1),
            };
            for (int round = 0; round < ROUNDS; round++) {
                HttpServerConnection c = server.accept(0);
                byte[] in = mutate(requests[round % requests.length]);
                long before = server.rejects().total();
                int cut = in.length == 0 ? 0 : random.nextInt(in.length + 1); // in two segments
                c.receive(in, 0, cut, 0);
                c.receive(in, cut, in.length - cut, 0);
                c.peerClosed(0);
                boolean answered = false;
                while (c.nextOutput() != null) answered = true;
                assertTrue(answered || server.rejects().total() > before || in.length == 0, "every request is answered or counted");

                HttpClientConnection client = new HttpClientConnection(HttpLimits.defaults());
                boolean[] settled = {false};
                client.send(new HttpRequest("GET", "/", "HTTP/1.1", new HttpHeaders().add("Host", "x"), new byte[0]), new HttpClientConnection.ResponseHandler() {
                    @Override
                    public void response(HttpResponse response) {
                        settled[0] = true;
                    }

                    @Override
                    public void failed(String why) {
                        settled[0] = true;
                    }
                }, 0);
                byte[] reply = mutate(responses[round % responses.length]);
                client.receive(reply, 0, reply.length, 0);
                client.peerClosed(0);
                assertTrue(settled[0], "the request ends one way or the other once the connection closes");
            }
            assertTrue(server.rejects().total() > ROUNDS / 10, "mutations were rejected: " + server.rejects());
        });
    }
}

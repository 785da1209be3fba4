package io.github.jnic.net.app.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpClientConnectionTest {
    static final long SECOND = 1_000_000_000L;

    final HttpClientConnection c = new HttpClientConnection(HttpLimits.defaults());
    final List<Object> outcomes = new ArrayList<>();
    final HttpClientConnection.ResponseHandler record = new HttpClientConnection.ResponseHandler() {
        @Override
        public void response(HttpResponse response) {
            outcomes.add(response);
        }

        @Override
        public void failed(String why) {
            outcomes.add(why);
        }
    };

    String sent() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b;
        while ((b = c.nextOutput()) != null) out.write(b, 0, b.length);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    void reply(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        c.receive(b, 0, b.length, 0);
    }

    HttpResponse response(int i) {
        return (HttpResponse) outcomes.get(i);
    }

    @Test
    void sendsOneRequestAtATimeOverAKeptAliveConnection() {
        c.send(HttpRequest.get("/a", "example"), record, 0);
        c.send(HttpRequest.get("/b", "example"), record, 0);
        assertEquals("GET /a HTTP/1.1\r\nHost: example\r\n\r\n", sent());
        reply("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi");
        assertEquals("hi", response(0).bodyText());
        assertEquals("GET /b HTTP/1.1\r\nHost: example\r\n\r\n", sent(), "the second request goes out after the first answer");
        reply("HTTP/1.1 204 No Content\r\n\r\n");
        assertEquals(204, response(1).status());
        assertTrue(c.idle());
    }

    @Test
    void decodesChunkedBodiesByteByByte() {
        c.send(HttpRequest.get("/", "h"), record, 0);
        sent();
        String r = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n1;x=y\r\n!\r\n0\r\nTrailer: t\r\n\r\n";
        for (int i = 0; i < r.length(); i++) reply(r.substring(i, i + 1));
        assertEquals("hello!", response(0).bodyText());
    }

    @Test
    void readsABodyUntilCloseAndSkipsInterimResponses() {
        c.send(HttpRequest.get("/", "h"), record, 0);
        sent();
        reply("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.0 200 OK\r\n\r\nall of ");
        reply("it");
        assertTrue(outcomes.isEmpty());
        c.peerClosed(0);
        assertEquals("all of it", response(0).bodyText());
        assertTrue(c.shouldClose());
    }

    @Test
    void headResponsesHaveNoBodyWhateverTheyAnnounce() {
        c.send(new HttpRequest("HEAD", "/", "HTTP/1.1", new HttpHeaders().add("Host", "h"), new byte[0]), record, 0);
        c.send(HttpRequest.get("/next", "h"), record, 0);
        sent();
        reply("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
        assertEquals(0, response(0).body().length);
        assertTrue(sent().startsWith("GET /next "));
    }

    @Test
    void connectionCloseFailsTheQueuedRequests() {
        c.send(HttpRequest.get("/a", "h"), record, 0);
        c.send(HttpRequest.get("/b", "h"), record, 0);
        sent();
        reply("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
        assertEquals(200, response(0).status());
        assertEquals("connection closed by the server", outcomes.get(1));
        assertTrue(c.shouldClose());
    }

    @Test
    void postsCarryTheirLength() {
        c.send(new HttpRequest("POST", "/echo", "HTTP/1.1", new HttpHeaders().add("Host", "h"), "abc".getBytes(StandardCharsets.UTF_8)), record, 0);
        assertEquals("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc", sent());
    }

    @Test
    void badResponsesAndTimeoutsFailWithAReason() {
        c.send(HttpRequest.get("/", "h"), record, 0);
        reply("HTTP/1.1 2x0 OK\r\n\r\n");
        assertTrue(((String) outcomes.get(0)).startsWith("bad response"));
        assertEquals(1, c.rejects().get(HttpReject.BAD_START_LINE));

        HttpClientConnection slow = new HttpClientConnection(HttpLimits.defaults());
        slow.send(HttpRequest.get("/", "h"), record, 0);
        assertEquals(30 * SECOND, slow.poll(0));
        slow.poll(30 * SECOND);
        assertEquals("no response within the timeout", outcomes.get(1));
        assertEquals(1, slow.rejects().get(HttpReject.TIMEOUT));
    }

    @Test
    void talksToTheServerEngine() {
        HttpServer server = new HttpServer(new HttpRouter().route("POST", "/echo", r -> HttpResponse.of(200, "text/plain", r.body())), HttpLimits.defaults());
        HttpServerConnection s = server.accept(0);
        byte[] big = new byte[100_000];
        for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 31);
        for (int i = 0; i < 3; i++) {
            c.send(new HttpRequest("POST", "/echo", "HTTP/1.1", new HttpHeaders().add("Host", "h"), big), record, 0);
        }
        for (int round = 0; round < 10; round++) {
            byte[] b;
            while ((b = c.nextOutput()) != null) s.receive(b, 0, b.length, 0);
            while ((b = s.nextOutput()) != null) {
                for (int off = 0; off < b.length; off += 1460) c.receive(b, off, Math.min(1460, b.length - off), 0); // in segments
            }
        }
        assertEquals(3, outcomes.size());
        for (Object o : outcomes) assertTrue(java.util.Arrays.equals(big, ((HttpResponse) o).body()));
        assertEquals(3, s.served());
        assertNull(s.nextOutput());
    }
}

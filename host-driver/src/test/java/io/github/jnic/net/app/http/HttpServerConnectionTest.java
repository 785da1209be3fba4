package io.github.jnic.net.app.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpServerConnectionTest {
    static final long SECOND = 1_000_000_000L;

    final List<HttpRequest> seen = new ArrayList<>();
    final HttpRouter router = new HttpRouter()
            .route("GET", "/hello", r -> {
                seen.add(r);
                return HttpResponse.text(200, "hello " + r.query() + "\n");
            })
            .route("POST", "/echo", r -> {
                seen.add(r);
                return HttpResponse.of(200, "application/octet-stream", r.body());
            })
            .route("GET", "/boom", r -> {
                throw new IllegalStateException("handler bug");
            });
    final HttpServer server = new HttpServer(router, new HttpLimits(100, 400, 10, 1000, 30 * SECOND, 15 * SECOND),
            Clock.fixed(Instant.parse("2024-06-01T08:05:09Z"), ZoneOffset.UTC));
    final HttpServerConnection c = server.accept(0);

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    String send(String s, long now) {
        byte[] b = ascii(s);
        c.receive(b, 0, b.length, now);
        return drain();
    }

    String drain() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b;
        while ((b = c.nextOutput()) != null) out.write(b, 0, b.length);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void answersAndKeepsHttp11Alive() {
        String r = send("GET /hello?x=1 HTTP/1.1\r\nHost: a\r\n\r\n", 0);
        assertEquals("HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nServer: jnic\r\nDate: Sat, 01 Jun 2024 08:05:09 GMT\r\n"
                + "Content-Length: 10\r\n\r\nhello x=1\n", r);
        assertFalse(c.shouldClose());
        assertEquals("a", seen.get(0).headers().get("host"));
    }

    @Test
    void http10ClosesUnlessAskedToKeepAlive() {
        String r = send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", 0);
        assertTrue(r.contains("\r\nConnection: keep-alive\r\n"));
        assertFalse(c.shouldClose());
        r = send("GET /hello HTTP/1.0\r\n\r\n", 0);
        assertTrue(r.contains("\r\nConnection: close\r\n"));
        assertTrue(c.shouldClose());
    }

    @Test
    void answersPipelinedRequestsInOrder() {
        String r = send("GET /hello?1 HTTP/1.1\r\nHost: a\r\n\r\nPOST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabcGET /hello?3 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\nGET /hello?ignored HTTP/1.1\r\nHost: a\r\n\r\n", 0);
        int first = r.indexOf("hello 1");
        int second = r.indexOf("\r\n\r\nabc");
        int third = r.indexOf("hello 3");
        assertTrue(first > 0 && second > first && third > second, r);
        assertEquals(3, seen.size(), "nothing is read after Connection: close");
        assertTrue(c.shouldClose());
    }

    @Test
    void decodesChunkedBodiesSplitAnywhere() {
        String req = "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nExpires: never\r\n\r\n";
        String r = "";
        for (int i = 0; i < req.length(); i++) r += send(req.substring(i, i + 1), 0);
        assertTrue(r.endsWith("\r\n\r\nWikipedia in\r\n\r\nchunks."), r);
        assertEquals("Wikipedia in\r\n\r\nchunks.", seen.get(0).bodyText());
    }

    @Test
    void headGetsTheLengthButNoBody() {
        String r = send("HEAD /hello HTTP/1.1\r\nHost: a\r\n\r\n", 0);
        assertTrue(r.contains("Content-Length: 11\r\n"));
        assertTrue(r.endsWith("\r\n\r\n"));
    }

    @Test
    void routesMissesTo404And405AndHandlerBugsTo500() {
        assertTrue(send("GET /nope HTTP/1.1\r\nHost: a\r\n\r\n", 0).startsWith("HTTP/1.1 404 "));
        String r = send("DELETE /echo HTTP/1.1\r\nHost: a\r\n\r\n", 0);
        assertTrue(r.startsWith("HTTP/1.1 405 ") && r.contains("Allow: POST\r\n"), r);
        assertTrue(send("GET /boom HTTP/1.1\r\nHost: a\r\n\r\n", 0).startsWith("HTTP/1.1 500 "));
        assertFalse(c.shouldClose());
    }

    @Test
    void sendsContinueWhenAsked() {
        String r = send("POST /echo HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n", 0);
        assertEquals("HTTP/1.1 100 Continue\r\n\r\n", r);
        assertTrue(send("ok", 0).endsWith("\r\n\r\nok"));
    }

    private void rejected(String input, int status, HttpReject reason) {
        HttpServerConnection conn = server.accept(0);
        long before = server.rejects().get(reason);
        byte[] b = ascii(input);
        conn.receive(b, 0, b.length, 0);
        String r = new String(conn.nextOutput(), StandardCharsets.ISO_8859_1);
        assertTrue(r.startsWith("HTTP/1.1 " + status + " "), input + " -> " + r);
        assertTrue(r.contains("Connection: close\r\n"));
        assertTrue(conn.shouldClose() || conn.nextOutput() != null);
        assertEquals(before + 1, server.rejects().get(reason));
    }

    @Test
    void malformedRequestsGetTheirStatusAndACountedReason() {
        rejected("GET /" + "a".repeat(200) + " HTTP/1.1\r\n", 414, HttpReject.LINE_TOO_LONG);
        rejected("GET / HTTP/1.1\r\nHost: a\r\nX: " + "b".repeat(400) + "\r\n", 431, HttpReject.HEADERS_TOO_LARGE);
        rejected("GET / HTTP/1.1\r\nHost: a\r\n" + "X: y\r\n".repeat(10) + "\r\n", 431, HttpReject.HEADERS_TOO_LARGE);
        rejected("GET  / HTTP/1.1\r\n\r\n", 400, HttpReject.BAD_START_LINE);
        rejected("GET / HTTP/2.0\r\n\r\n", 505, HttpReject.BAD_VERSION);
        rejected("GET / HTTX/1.1\r\n\r\n", 400, HttpReject.BAD_START_LINE);
        rejected("GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400, HttpReject.BAD_HEADER);
        rejected("GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n", 400, HttpReject.BAD_HEADER);
        rejected("GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n", 400, HttpReject.BAD_HEADER);
        rejected("GET / HTTP/1.1\r\n\r\n", 400, HttpReject.MISSING_HOST);
        rejected("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400, HttpReject.BAD_LENGTH);
        rejected("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 4\r\n\r\n", 400, HttpReject.BAD_LENGTH);
        rejected("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", 400, HttpReject.BAD_LENGTH);
        rejected("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 1001\r\n\r\n", 413, HttpReject.BODY_TOO_LARGE);
        rejected("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501, HttpReject.UNSUPPORTED_CODING);
        rejected("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400, HttpReject.BAD_CHUNK);
        rejected("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\n", 400, HttpReject.BAD_CHUNK);
        rejected("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3e9\r\n", 413, HttpReject.BODY_TOO_LARGE);
        rejected("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n", 400, HttpReject.BAD_CHUNK);
    }

    @Test
    void aSlowClientGets408AtTheRequestTimeout() {
        long t = 0;
        for (char ch : "GET / HTTP/1.1\r\nHost: a\r\nX-Slow: ".toCharArray()) {
            send(String.valueOf(ch), t);
            t += SECOND; // a byte a second keeps the idle timer busy, not the request timer
            assertEquals(30 * SECOND, c.poll(Math.min(t, 29 * SECOND)));
            if (t >= 29 * SECOND) break;
        }
        c.poll(30 * SECOND);
        assertTrue(drain().startsWith("HTTP/1.1 408 "));
        assertTrue(c.shouldClose());
        assertEquals(1, server.rejects().get(HttpReject.TIMEOUT));
    }

    @Test
    void anIdleKeepAliveConnectionIsClosed() {
        send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n", 5 * SECOND);
        assertEquals(20 * SECOND, c.poll(5 * SECOND));
        c.poll(20 * SECOND);
        assertTrue(c.shouldClose());
        assertEquals("", drain(), "closed quietly");
    }

    @Test
    void requestsSentBeforeTheClientsFinAreStillAnswered() {
        byte[] two = ascii("GET /hello?1 HTTP/1.1\r\nHost: a\r\n\r\nGET /hello?2 HTTP/1.1\r\nHost: a\r\n\r\n");
        c.receive(two, 0, two.length, 0);
        c.peerClosed(0);
        String r = drain();
        assertTrue(r.contains("hello 1") && r.contains("hello 2"), r);
        assertTrue(c.shouldClose());
        assertEquals(0, server.rejects().total());
    }

    @Test
    void aClientHangingUpMidRequestIsCounted() {
        send("GET /hello HTTP/1.1\r\nHo", 0);
        c.peerClosed(0);
        assertTrue(c.shouldClose());
        assertEquals(1, server.rejects().get(HttpReject.INCOMPLETE));
    }
}

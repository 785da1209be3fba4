package io.github.jnic.net.app.http;

import io.github.jnic.net.app.MalformedException;
import io.github.jnic.net.app.Rejects;
import io.github.jnic.net.app.StreamSession;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Locale;

/**
 * One server-side HTTP/1.1 connection, sans-IO: bytes from the client go in through
 * {@link #receive}, response bytes come out of {@link #nextOutput}, and {@link #poll} runs the
 * timers. Pipelined requests are answered in order. Keep-alive follows HTTP/1.1 and 1.0 rules.
 * Malformed or oversized input is answered with the status its {@link HttpReject} names and the
 * connection closes; a request that takes longer than the request timeout to arrive gets 408; an
 * idle keep-alive connection is closed after the idle timeout. Once {@link #shouldClose} is true
 * the owner closes the connection (after sending what {@link #nextOutput} still yields).
 */
public final class HttpServerConnection implements StreamSession {
    /** Stop reading pipelined requests while this much output waits for a slow reader. */
    private static final int MAX_PENDING_OUTPUT = 1 << 20;
    /** IMF-fixdate (RFC 9110 §5.6.7): always two-digit days, always GMT. */
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    private final HttpHandler handler;
    private final HttpLimits limits;
    private final Rejects rejects;
    private final Clock wallClock;
    private final ByteQueue in = new ByteQueue();
    private final ArrayDeque<byte[]> out = new ArrayDeque<>();
    private int pendingOutput;
    private HttpCodec.Head head;
    private HttpCodec.BodyDecoder body;
    /** When the first byte of the request being read arrived, or -1 between requests. */
    private long requestStarted = -1;
    private long lastActivity;
    private boolean closing;
    private boolean peerDone;
    private long served;

    public HttpServerConnection(HttpHandler handler, HttpLimits limits, Rejects rejects, Clock wallClock, long now) {
        this.handler = handler;
        this.limits = limits;
        this.rejects = rejects;
        this.wallClock = wallClock;
        this.lastActivity = now;
    }

    /**
     * Room for more input: none while a slow reader leaves responses piling up; plenty while closing,
     * so unread input is drained and discarded and the close is a FIN, not a reset that could destroy
     * the last response in flight.
     */
    @Override
    public int room() {
        return closing || pendingOutput < MAX_PENDING_OUTPUT ? 65536 : 0;
    }

    /** Bytes from the client. */
    @Override
    public void receive(byte[] b, int off, int len, long now) {
        if (closing || len == 0) return;
        lastActivity = now;
        if (requestStarted < 0) requestStarted = now;
        in.append(b, off, len);
        process(now);
    }

    /** The client closed its side: no more requests will come. */
    @Override
    public void peerClosed(long now) {
        peerDone = true;
        process(now);
        closeIfPeerDone();
    }

    /** After the client's FIN: close once every whole request it sent is answered. */
    private void closeIfPeerDone() {
        if (!peerDone || closing || pendingOutput >= MAX_PENDING_OUTPUT) return;
        if (head != null || in.size() > 0) rejects.count(HttpReject.INCOMPLETE);
        closing = true;
    }

    /** The next bytes to send, or null. */
    @Override
    public byte[] nextOutput() {
        byte[] b = out.poll();
        if (b != null) pendingOutput -= b.length;
        return b;
    }

    /** True once the connection should be closed (all output taken). */
    @Override
    public boolean shouldClose() {
        return closing && out.isEmpty();
    }

    /** Requests answered so far. */
    public long served() {
        return served;
    }

    /** Resumes reading after output drained, runs the timeouts; returns the next deadline. */
    @Override
    public long poll(long now) {
        if (!closing) process(now);
        closeIfPeerDone();
        if (closing) return Long.MAX_VALUE;
        if (requestStarted >= 0) {
            long deadline = requestStarted + limits.requestTimeout();
            if (now < deadline) return deadline;
            rejects.count(HttpReject.TIMEOUT);
            fail(HttpReject.TIMEOUT, "request not received in time", now);
            return Long.MAX_VALUE;
        }
        long idle = lastActivity + limits.idleTimeout();
        if (now < idle) return idle;
        closing = true; // an idle keep-alive connection: close quietly
        return Long.MAX_VALUE;
    }

    private void process(long now) {
        while (!closing && pendingOutput < MAX_PENDING_OUTPUT) {
            try {
                if (head == null) {
                    if (in.size() == 0) {
                        requestStarted = -1;
                        return;
                    }
                    if (requestStarted < 0) requestStarted = now;
                    head = HttpCodec.readHead(in, limits, true);
                    if (head == null) return;
                    if (head.c().equals("HTTP/1.1") && head.headers().all("Host").size() != 1) {
                        throw new MalformedException(HttpReject.MISSING_HOST, "HTTP/1.1 request needs exactly one Host");
                    }
                    body = HttpCodec.requestBody(head.headers(), limits);
                    if (head.headers().hasToken("Expect", "100-continue") && head.c().equals("HTTP/1.1") && in.size() == 0) {
                        emit(CONTINUE);
                    }
                }
                if (!body.decode(in)) return;
                HttpRequest request = new HttpRequest(head.a(), head.b(), head.c(), head.headers(), body.body());
                head = null;
                body = null;
                requestStarted = in.size() > 0 ? now : -1;
                respond(request, now);
            } catch (MalformedException e) {
                rejects.count(e.reason());
                fail((HttpReject) e.reason(), e.getMessage(), now);
                return;
            }
        }
    }

    private void respond(HttpRequest request, long now) {
        HttpResponse response;
        try {
            response = handler.handle(request);
        } catch (RuntimeException e) {
            response = HttpResponse.text(500, "internal error\n");
        }
        boolean keepAlive = request.keepAlive();
        write(response, request.method().equals("HEAD"), keepAlive, keepAlive && request.version().equals("HTTP/1.0"));
        served++;
        lastActivity = now;
        if (!keepAlive) closing = true;
    }

    private void fail(HttpReject reason, String detail, long now) {
        write(HttpResponse.text(reason.status, detail + "\n"), false, false, false);
        lastActivity = now;
        closing = true;
    }

    private void write(HttpResponse r, boolean headOnly, boolean keepAlive, boolean sayKeepAlive) {
        HttpHeaders h = new HttpHeaders();
        for (HttpHeaders.Field f : r.headers().fields()) {
            String n = f.name();
            if (!n.equalsIgnoreCase("Content-Length") && !n.equalsIgnoreCase("Transfer-Encoding") && !n.equalsIgnoreCase("Connection")) h.add(n, f.value());
        }
        if (h.get("Server") == null) h.add("Server", "jnic");
        if (wallClock != null && h.get("Date") == null) h.add("Date", HTTP_DATE.format(wallClock.instant()));
        boolean bodyless = r.status() / 100 == 1 || r.status() == 204 || r.status() == 304;
        if (!bodyless) h.add("Content-Length", Integer.toString(r.body().length));
        if (!keepAlive) h.add("Connection", "close");
        else if (sayKeepAlive) h.add("Connection", "keep-alive");
        emit(HttpCodec.head("HTTP/1.1 " + r.status() + " " + r.reason(), h));
        if (!headOnly && !bodyless && r.body().length > 0) emit(r.body());
    }

    private void emit(byte[] b) {
        out.add(b);
        pendingOutput += b.length;
    }
}

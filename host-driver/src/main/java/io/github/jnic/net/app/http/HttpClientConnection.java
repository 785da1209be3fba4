package io.github.jnic.net.app.http;

import io.github.jnic.net.app.MalformedException;
import io.github.jnic.net.app.Rejects;
import io.github.jnic.net.app.StreamSession;
import java.util.ArrayDeque;

/**
 * One client-side HTTP/1.1 connection, sans-IO. Requests are queued and sent one at a time over
 * the same connection while the server keeps it alive; response bodies framed by Content-Length,
 * chunked coding or the end of the connection are decoded; interim 1xx responses are skipped.
 * A response that does not arrive within the request timeout fails, as does every request still
 * queued when the connection ends.
 */
public final class HttpClientConnection implements StreamSession {
    /** Receives the outcome of one request. */
    public interface ResponseHandler {
        void response(HttpResponse response);

        void failed(String why);
    }

    private record Pending(HttpRequest request, ResponseHandler handler) {}

    private final HttpLimits limits;
    private final Rejects rejects = new Rejects();
    private final ByteQueue in = new ByteQueue();
    private final ArrayDeque<byte[]> out = new ArrayDeque<>();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private Pending current;
    private HttpCodec.Head head;
    private HttpCodec.BodyDecoder body;
    private long sentAt;
    private boolean closing;

    public HttpClientConnection(HttpLimits limits) {
        this.limits = limits;
    }

    public Rejects rejects() {
        return rejects;
    }

    /** Queues a request; it goes out when the ones before it are answered. */
    public void send(HttpRequest request, ResponseHandler handler, long now) {
        if (closing) {
            handler.failed("connection closing");
            return;
        }
        queue.add(new Pending(request, handler));
        next(now);
    }

    @Override
    public byte[] nextOutput() {
        return out.poll();
    }

    /** True when nothing is outstanding and the connection may carry another request. */
    public boolean idle() {
        return current == null && queue.isEmpty() && !closing;
    }

    /** True once the connection should be closed. */
    @Override
    public boolean shouldClose() {
        return closing && out.isEmpty();
    }

    @Override
    public void receive(byte[] b, int off, int len, long now) {
        if (current == null) {
            if (len > 0) rejects.count(HttpReject.BAD_START_LINE); // bytes nobody asked for
            closing = true;
            return;
        }
        in.append(b, off, len);
        try {
            while (current != null) {
                if (head == null) {
                    head = HttpCodec.readHead(in, limits, false);
                    if (head == null) return;
                    int status = Integer.parseInt(head.b());
                    if (status / 100 == 1) {
                        if (status == 101) throw new MalformedException(HttpReject.BAD_START_LINE, "unexpected protocol switch");
                        head = null; // interim response: the real one follows
                        continue;
                    }
                    body = HttpCodec.responseBody(head.headers(), status, current.request().method().equals("HEAD"), limits);
                }
                if (!body.decode(in)) return;
                complete(now);
            }
        } catch (MalformedException e) {
            rejects.count(e.reason());
            failAll("bad response: " + e.getMessage());
        }
    }

    @Override
    public int room() {
        return 65536;
    }

    /** The connection broke: every outstanding request fails with the reason. */
    @Override
    public void failed(String why, long now) {
        failAll(why);
    }

    /** The server closed the connection. */
    @Override
    public void peerClosed(long now) {
        if (current != null && head != null && body != null && body.endsAtClose()) {
            complete(now);
        }
        if (current != null || !queue.isEmpty()) {
            if (head != null) rejects.count(HttpReject.INCOMPLETE);
            failAll("connection closed before the response was complete");
        }
        closing = true;
    }

    /** Runs the response timeout; returns the next deadline. */
    @Override
    public long poll(long now) {
        if (current == null) return Long.MAX_VALUE;
        long deadline = sentAt + limits.requestTimeout();
        if (now < deadline) return deadline;
        rejects.count(HttpReject.TIMEOUT);
        failAll("no response within the timeout");
        return Long.MAX_VALUE;
    }

    private void complete(long now) {
        HttpResponse response = new HttpResponse(Integer.parseInt(head.b()), head.c(), head.headers(), body.body());
        boolean keep = !body.endsAtClose() && HttpRequest.persistent(head.a(), head.headers()) && current.request().keepAlive();
        Pending done = current;
        current = null;
        head = null;
        body = null;
        if (!keep) closing = true;
        done.handler().response(response);
        if (closing) {
            failQueued("connection closed by the server");
        } else {
            next(now);
        }
    }

    private void next(long now) {
        if (current != null || queue.isEmpty() || closing) return;
        current = queue.poll();
        HttpRequest r = current.request();
        HttpHeaders h = new HttpHeaders();
        for (HttpHeaders.Field f : r.headers().fields()) {
            if (!f.name().equalsIgnoreCase("Content-Length") && !f.name().equalsIgnoreCase("Transfer-Encoding")) h.add(f.name(), f.value());
        }
        if (r.body().length > 0 || r.method().equals("POST") || r.method().equals("PUT")) h.add("Content-Length", Integer.toString(r.body().length));
        out.add(HttpCodec.head(r.method() + " " + r.target() + " " + r.version(), h));
        if (r.body().length > 0) out.add(r.body());
        sentAt = now;
    }

    private void failAll(String why) {
        closing = true;
        Pending c = current;
        current = null;
        head = null;
        body = null;
        if (c != null) c.handler().failed(why);
        failQueued(why);
    }

    private void failQueued(String why) {
        Pending p;
        while ((p = queue.poll()) != null) p.handler().failed(why);
    }
}

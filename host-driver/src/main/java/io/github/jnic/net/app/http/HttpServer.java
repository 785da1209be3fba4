package io.github.jnic.net.app.http;

import io.github.jnic.net.app.Rejects;
import java.time.Clock;

/**
 * What all connections of one server share: the handler, the limits, the reject counters, and the
 * wall clock for the Date header (RFC 9110 §6.6.1), which the stack's clock cannot give.
 */
public final class HttpServer {
    private final HttpHandler handler;
    private final HttpLimits limits;
    private final Clock wallClock;
    private final Rejects rejects = new Rejects();

    /** @param wallClock for the Date header; null sends none (a server without a clock, or a test) */
    public HttpServer(HttpHandler handler, HttpLimits limits, Clock wallClock) {
        this.handler = handler;
        this.limits = limits;
        this.wallClock = wallClock;
    }

    /** A server that sends Date from the system clock. */
    public HttpServer(HttpHandler handler, HttpLimits limits) {
        this(handler, limits, Clock.systemUTC());
    }

    /** A new connection's engine. */
    public HttpServerConnection accept(long now) {
        return new HttpServerConnection(handler, limits, rejects, wallClock, now);
    }

    public Rejects rejects() {
        return rejects;
    }

    public HttpLimits limits() {
        return limits;
    }
}

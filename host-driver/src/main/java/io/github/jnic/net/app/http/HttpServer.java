package io.github.jnic.net.app.http;

import io.github.jnic.net.app.Rejects;

/** What all connections of one server share: the handler, the limits and the reject counters. */
public final class HttpServer {
    private final HttpHandler handler;
    private final HttpLimits limits;
    private final Rejects rejects = new Rejects();

    public HttpServer(HttpHandler handler, HttpLimits limits) {
        this.handler = handler;
        this.limits = limits;
    }

    /** A new connection's engine. */
    public HttpServerConnection accept(long now) {
        return new HttpServerConnection(handler, limits, rejects, now);
    }

    public Rejects rejects() {
        return rejects;
    }

    public HttpLimits limits() {
        return limits;
    }
}

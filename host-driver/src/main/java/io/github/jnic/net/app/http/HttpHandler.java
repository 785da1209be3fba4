package io.github.jnic.net.app.http;

/** Turns a request into a response, on the stack thread: it must not block. */
@FunctionalInterface
public interface HttpHandler {
    HttpResponse handle(HttpRequest request);
}

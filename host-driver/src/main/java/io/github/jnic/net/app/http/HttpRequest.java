package io.github.jnic.net.app.http;

import java.nio.charset.StandardCharsets;

/**
 * A request: method, target as sent (origin form {@code /path?query}), version ("HTTP/1.0" or
 * "HTTP/1.1"), header fields and the decoded body.
 */
public record HttpRequest(String method, String target, String version, HttpHeaders headers, byte[] body) {

    public static HttpRequest get(String target, String host) {
        return new HttpRequest("GET", target, "HTTP/1.1", new HttpHeaders().add("Host", host), new byte[0]);
    }

    /** The target's path, before any {@code ?query}. */
    public String path() {
        int q = target.indexOf('?');
        return q >= 0 ? target.substring(0, q) : target;
    }

    /** The query after {@code ?}, or null. */
    public String query() {
        int q = target.indexOf('?');
        return q >= 0 ? target.substring(q + 1) : null;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** Whether the connection stays open after this exchange, by the rules of HTTP/1.1 and 1.0 (RFC 9112 §9.3). */
    public boolean keepAlive() {
        return HttpRequest.persistent(version, headers);
    }

    static boolean persistent(String version, HttpHeaders headers) {
        if (headers.hasToken("Connection", "close")) return false;
        return version.equals("HTTP/1.1") || headers.hasToken("Connection", "keep-alive");
    }
}

package io.github.jnic.net.app.http;

import java.nio.charset.StandardCharsets;

/** A response: status, reason phrase, header fields and body. */
public record HttpResponse(int status, String reason, HttpHeaders headers, byte[] body) {

    public static HttpResponse of(int status, String contentType, byte[] body) {
        HttpHeaders h = new HttpHeaders();
        if (contentType != null) h.add("Content-Type", contentType);
        return new HttpResponse(status, reasonFor(status), h, body);
    }

    public static HttpResponse text(int status, String text) {
        return of(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public static String reasonFor(int status) {
        return switch (status) {
            case 100 -> "Continue";
            case 200 -> "OK";
            case 201 -> "Created";
            case 204 -> "No Content";
            case 301 -> "Moved Permanently";
            case 304 -> "Not Modified";
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 505 -> "HTTP Version Not Supported";
            default -> "Status " + status;
        };
    }
}

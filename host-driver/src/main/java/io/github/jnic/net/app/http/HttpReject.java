package io.github.jnic.net.app.http;

/** Why HTTP input was refused; the server answers each with the status in {@link #status}. */
public enum HttpReject {
    /** A request line longer than the limit. */
    LINE_TOO_LONG(414),
    /** The header section is larger than the limit, or has too many fields. */
    HEADERS_TOO_LARGE(431),
    /** A request or status line that does not parse. */
    BAD_START_LINE(400),
    /** An HTTP version other than 1.0 and 1.1. */
    BAD_VERSION(505),
    /** A header field that does not parse (space before the colon, folding, control characters). */
    BAD_HEADER(400),
    /** Content-Length not a number, several different ones, or with Transfer-Encoding. */
    BAD_LENGTH(400),
    /** A transfer coding other than chunked. */
    UNSUPPORTED_CODING(501),
    /** A chunk size line or chunk terminator that does not parse. */
    BAD_CHUNK(400),
    /** A body larger than the limit. */
    BODY_TOO_LARGE(413),
    /** An HTTP/1.1 request without Host (RFC 9112 §3.2). */
    MISSING_HOST(400),
    /** The whole request did not arrive within the request timeout (a slow client). */
    TIMEOUT(408),
    /** The peer closed the connection in the middle of a message. */
    INCOMPLETE(400);

    public final int status;

    HttpReject(int status) {
        this.status = status;
    }
}

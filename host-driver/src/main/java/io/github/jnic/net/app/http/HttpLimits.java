package io.github.jnic.net.app.http;

/**
 * Bounds that keep a peer from holding a connection or memory: the longest start line, the largest
 * header section and number of fields, the largest body, how long a whole request may take to
 * arrive once it has started (so a client sending a byte now and then cannot hold the server), and
 * how long an idle keep-alive connection stays open. Times in nanoseconds.
 */
public record HttpLimits(int maxLine, int maxHeaderBytes, int maxHeaders, long maxBody, long requestTimeout, long idleTimeout) {
    private static final long SECOND = 1_000_000_000L;

    public static HttpLimits defaults() {
        return new HttpLimits(8192, 16384, 100, 16L << 20, 30 * SECOND, 15 * SECOND);
    }
}

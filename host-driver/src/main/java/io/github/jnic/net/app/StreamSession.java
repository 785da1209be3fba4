package io.github.jnic.net.app;

/**
 * A byte-stream protocol engine, sans-IO: what the HTTP server and client, DNS over TCP and echo
 * connections have in common, so one {@link TcpPump} carries any of them over a TCP connection.
 */
public interface StreamSession {
    /** How many more bytes it will take now (0: stop reading, so TCP flow control pushes back). */
    int room();

    /** Bytes from the peer. */
    void receive(byte[] b, int off, int len, long now);

    /** The peer finished sending (FIN). */
    void peerClosed(long now);

    /** The next bytes to send, or null. */
    byte[] nextOutput();

    /** True once the connection should be closed (after its output is sent). */
    boolean shouldClose();

    /** Runs timers; returns the next deadline or {@link Long#MAX_VALUE}. */
    long poll(long now);

    /** The connection failed (reset, refused, timed out) before the session ended; default: nothing to do. */
    default void failed(String why, long now) {}
}

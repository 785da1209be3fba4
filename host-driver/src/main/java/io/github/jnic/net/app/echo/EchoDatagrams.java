package io.github.jnic.net.app.echo;

/**
 * The echo service over UDP (RFC 862): each datagram goes back to its sender unchanged. It refuses
 * to answer datagrams from port 7 or other well-known echo-like ports (chargen 19, daytime 13,
 * time 37, qotd 17), so two echo services cannot be made to bounce a packet between them forever.
 */
public final class EchoDatagrams {
    public static final int PORT = 7;
    private long echoed;
    private long refused;

    /** Whether a datagram from {@code sourcePort} should be echoed back. */
    public boolean shouldEcho(int sourcePort) {
        boolean loop = sourcePort == 0 || sourcePort == 7 || sourcePort == 13 || sourcePort == 17 || sourcePort == 19 || sourcePort == 37;
        if (loop) refused++;
        else echoed++;
        return !loop;
    }

    public long echoed() {
        return echoed;
    }

    /** Datagrams not echoed because they came from a port that could start a loop. */
    public long refused() {
        return refused;
    }
}

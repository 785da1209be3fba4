package io.github.jnic.net.app.echo;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The echo service over TCP (RFC 862), one connection, sans-IO: what arrives is sent back.
 * It holds at most {@code maxBuffered} bytes not yet taken by the sender; {@link #receive} accepts
 * only what fits and says how much, so the rest stays in the socket's receive buffer and TCP flow
 * control slows down a client that does not read its echo.
 */
public final class EchoConnection {
    private final int maxBuffered;
    private final ArrayDeque<byte[]> out = new ArrayDeque<>();
    private int buffered;
    private boolean peerClosed;
    private long echoed;

    public EchoConnection(int maxBuffered) {
        this.maxBuffered = maxBuffered;
    }

    /** Takes up to {@code len} bytes; returns how many it took. */
    public int receive(byte[] b, int off, int len) {
        int n = Math.min(len, maxBuffered - buffered);
        if (n <= 0) return 0;
        out.add(Arrays.copyOfRange(b, off, off + n));
        buffered += n;
        echoed += n;
        return n;
    }

    public byte[] nextOutput() {
        byte[] b = out.poll();
        if (b != null) buffered -= b.length;
        return b;
    }

    /** The client finished sending: close once its echo is out. */
    public void peerClosed() {
        peerClosed = true;
    }

    public boolean shouldClose() {
        return peerClosed && out.isEmpty();
    }

    public long echoed() {
        return echoed;
    }
}

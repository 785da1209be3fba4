package io.github.jnic.net.app.echo;

import io.github.jnic.net.app.StreamSession;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The echo service over TCP (RFC 862), one connection, sans-IO: what arrives is sent back. It holds
 * at most {@code maxBuffered} bytes not yet taken by the sender and asks for no more
 * ({@link #room}), so a client that does not read its echo is slowed down by TCP flow control.
 */
public final class EchoConnection implements StreamSession {
    private final int maxBuffered;
    private final ArrayDeque<byte[]> out = new ArrayDeque<>();
    private int buffered;
    private boolean peerClosed;
    private long echoed;

    public EchoConnection(int maxBuffered) {
        this.maxBuffered = maxBuffered;
    }

    @Override
    public int room() {
        return maxBuffered - buffered;
    }

    /** Takes the bytes; a caller gives at most {@link #room()} of them, anything beyond is refused. */
    @Override
    public void receive(byte[] b, int off, int len, long now) {
        if (len > room()) throw new IllegalStateException("echo buffer full: " + len + " > " + room());
        if (len == 0) return;
        out.add(Arrays.copyOfRange(b, off, off + len));
        buffered += len;
        echoed += len;
    }

    @Override
    public byte[] nextOutput() {
        byte[] b = out.poll();
        if (b != null) buffered -= b.length;
        return b;
    }

    /** The client finished sending: close once its echo is out. */
    @Override
    public void peerClosed(long now) {
        peerClosed = true;
    }

    @Override
    public boolean shouldClose() {
        return peerClosed && out.isEmpty();
    }

    @Override
    public long poll(long now) {
        return Long.MAX_VALUE;
    }

    public long echoed() {
        return echoed;
    }
}

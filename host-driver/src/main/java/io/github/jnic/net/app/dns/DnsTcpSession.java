package io.github.jnic.net.app.dns;

import io.github.jnic.net.app.StreamSession;
import java.util.ArrayDeque;

/**
 * The server side of DNS over TCP (RFC 7766): framed queries in, framed answers out, in order. The
 * connection closes when the client closes, when the framing breaks, or after an idle timeout.
 */
public final class DnsTcpSession implements StreamSession {
    private final DnsServer server;
    private final DnsStream stream;
    private final long idleTimeout;
    private final ArrayDeque<byte[]> out = new ArrayDeque<>();
    private long lastActivity;
    private boolean done;

    public DnsTcpSession(DnsServer server, long idleTimeoutNanos, long now) {
        this.server = server;
        this.stream = new DnsStream(server.rejects());
        this.idleTimeout = idleTimeoutNanos;
        this.lastActivity = now;
    }

    @Override
    public int room() {
        return done ? 65536 : 2 + 65535;
    }

    @Override
    public void receive(byte[] b, int off, int len, long now) {
        if (done) return;
        lastActivity = now;
        stream.feed(b, off, len);
        byte[] query;
        while ((query = stream.next()) != null) {
            byte[] answer = server.answer(query, 0, query.length, true);
            if (answer != null) out.add(DnsStream.frame(answer));
        }
        if (stream.broken()) done = true;
    }

    @Override
    public void peerClosed(long now) {
        done = true;
    }

    @Override
    public byte[] nextOutput() {
        return out.poll();
    }

    @Override
    public boolean shouldClose() {
        return done && out.isEmpty();
    }

    @Override
    public long poll(long now) {
        if (done) return Long.MAX_VALUE;
        if (now >= lastActivity + idleTimeout) {
            done = true;
            return Long.MAX_VALUE;
        }
        return lastActivity + idleTimeout;
    }
}

package io.github.jnic.net.app.dns;

import io.github.jnic.net.app.StreamSession;
import io.github.jnic.net.app.TcpPump;
import io.github.jnic.net.app.UdpEndpoint;
import io.github.jnic.net.stack.NetStack;
import io.github.jnic.net.tcp.Tcp;
import io.github.jnic.net.tcp.TcpException;
import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A {@link DnsResolver} (stub or iterative) on a stack: each UDP query goes out from its own
 * randomly chosen port, opened for that query and closed when it is over; truncated answers are
 * fetched over TCP; retransmissions run as a stack timer.
 */
public final class ResolverService {
    private final NetStack stack;
    private final Tcp tcp;
    private final DnsResolver resolver;
    private final Map<Integer, UdpEndpoint> endpoints = new HashMap<>();

    /** Binds {@code resolver} to {@code stack}; {@code tcp} may be null (no TCP fallback: truncated answers fail). Stack thread. */
    public ResolverService(NetStack stack, Tcp tcp, DnsResolver resolver) {
        this.stack = stack;
        this.tcp = tcp;
        this.resolver = resolver;
        stack.addTimer(now -> {
            long next = resolver.poll(now);
            flush();
            return Math.min(next, resolver.poll(now));
        });
    }

    public DnsResolver resolver() {
        return resolver;
    }

    /** Resolves on the stack thread; {@code done} runs there. A malformed name throws {@link IllegalArgumentException}. */
    public void resolve(String name, int type, Consumer<DnsResult> done) {
        resolver.resolve(name, type, stack.now(), done);
        flush();
    }

    /** Resolves from any thread. */
    public CompletableFuture<DnsResult> lookup(String name, int type) {
        CompletableFuture<DnsResult> f = new CompletableFuture<>();
        stack.execute(() -> {
            try {
                resolve(name, type, f::complete);
            } catch (IllegalArgumentException badName) {
                f.completeExceptionally(badName); // never let a caller's typo reach the stack thread
            }
        });
        return f;
    }

    /** Sends what the resolver asked for, and closes ports no query waits on any more. */
    private void flush() {
        DnsTransmission t;
        while ((t = resolver.nextTransmission()) != null) {
            if (t.tcp()) {
                openTcp(t);
                continue;
            }
            UdpEndpoint endpoint = endpoints.get(t.localPort());
            if (endpoint == null) {
                try {
                    endpoint = UdpEndpoint.open(stack, 0, t.localPort(), (e, data, len, src, srcPort, now) -> {
                        resolver.receiveUdp(e.port(), src, srcPort, data, 0, len, now);
                        flush();
                    });
                } catch (IOException busy) {
                    continue; // the port is taken by someone else: the query times out and is retried from another
                }
                endpoints.put(t.localPort(), endpoint);
            }
            endpoint.send(t.message(), 0, t.message().length, t.server(), t.serverPort());
        }
        for (Iterator<Map.Entry<Integer, UdpEndpoint>> it = endpoints.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Integer, UdpEndpoint> e = it.next();
            if (!resolver.listensOn(e.getKey())) {
                e.getValue().close();
                it.remove();
            }
        }
    }

    private void openTcp(DnsTransmission t) {
        StreamSession session = new StreamSession() {
            private final DnsStream stream = new DnsStream(resolver.rejects());
            private byte[] query = t.message();
            private boolean done;

            @Override
            public int room() {
                return 65537;
            }

            @Override
            public void receive(byte[] b, int off, int len, long now) {
                if (done) return;
                stream.feed(b, off, len);
                byte[] answer = stream.next();
                if (answer != null || stream.broken()) {
                    done = true;
                    if (answer != null) resolver.receiveTcp(t.exchange(), answer, 0, answer.length, now);
                    else resolver.tcpFailed(t.exchange(), now);
                    flush();
                }
            }

            @Override
            public void peerClosed(long now) {
                failed("closed before answering", now);
            }

            @Override
            public byte[] nextOutput() {
                byte[] q = query;
                query = null;
                return q;
            }

            @Override
            public boolean shouldClose() {
                return done;
            }

            @Override
            public long poll(long now) {
                return Long.MAX_VALUE; // the resolver's own timer covers a silent server
            }

            @Override
            public void failed(String why, long now) {
                if (done) return;
                done = true;
                resolver.tcpFailed(t.exchange(), now);
                flush();
            }
        };
        if (tcp == null) {
            session.failed("no TCP", stack.now());
            return;
        }
        try {
            TcpPump.connect(stack, tcp, t.server(), t.serverPort(), session);
        } catch (TcpException e) {
            session.failed(e.getMessage(), stack.now());
        }
    }
}

package io.github.jnic.net.app.dns;

import io.github.jnic.net.app.TcpPump;
import io.github.jnic.net.app.UdpEndpoint;
import io.github.jnic.net.stack.NetStack;
import io.github.jnic.net.tcp.Tcp;
import io.github.jnic.net.tcp.TcpListener;
import java.io.IOException;

/** A {@link DnsServer} on a stack: UDP and (when given a {@link Tcp}) TCP on one port, usually 53. */
public final class DnsService implements AutoCloseable {
    private static final long TCP_IDLE = 10_000_000_000L;

    private final UdpEndpoint udp;
    private final TcpListener tcp;

    private DnsService(UdpEndpoint udp, TcpListener tcp) {
        this.udp = udp;
        this.tcp = tcp;
    }

    /** Starts serving. Stack thread. */
    public static DnsService start(NetStack stack, Tcp tcp, int port, DnsServer server) throws IOException {
        UdpEndpoint udp = UdpEndpoint.open(stack, 0, port, (endpoint, data, len, src, srcPort, now) -> {
            byte[] answer = server.answer(data, 0, len, false);
            if (answer != null) endpoint.send(answer, 0, answer.length, src, srcPort);
        });
        TcpListener listener = tcp == null ? null : TcpPump.listen(stack, tcp, port, 16, now -> new DnsTcpSession(server, TCP_IDLE, now));
        return new DnsService(udp, listener);
    }

    @Override
    public void close() {
        udp.close();
        if (tcp != null) tcp.close();
    }
}

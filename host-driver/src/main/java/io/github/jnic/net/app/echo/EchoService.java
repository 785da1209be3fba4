package io.github.jnic.net.app.echo;

import io.github.jnic.net.app.TcpPump;
import io.github.jnic.net.app.UdpEndpoint;
import io.github.jnic.net.stack.NetStack;
import io.github.jnic.net.tcp.Tcp;
import io.github.jnic.net.tcp.TcpListener;
import java.io.IOException;

/** Echo (RFC 862) on a stack: UDP and TCP on one port, usually 7. */
public final class EchoService implements AutoCloseable {
    private static final int TCP_BUFFER = 64 * 1024;

    private final UdpEndpoint udp;
    private final TcpListener tcp;
    private final EchoDatagrams datagrams;

    private EchoService(UdpEndpoint udp, TcpListener tcp, EchoDatagrams datagrams) {
        this.udp = udp;
        this.tcp = tcp;
        this.datagrams = datagrams;
    }

    /** Starts serving. Stack thread. */
    public static EchoService start(NetStack stack, Tcp tcp, int port) throws IOException {
        EchoDatagrams datagrams = new EchoDatagrams();
        UdpEndpoint udp = UdpEndpoint.open(stack, 0, port, (e, data, len, src, srcPort, now) -> {
            if (datagrams.shouldEcho(srcPort)) e.send(data, 0, len, src, srcPort);
        });
        TcpListener listener = tcp == null ? null : TcpPump.listen(stack, tcp, port, 16, now -> new EchoConnection(TCP_BUFFER));
        return new EchoService(udp, listener, datagrams);
    }

    public EchoDatagrams datagrams() {
        return datagrams;
    }

    @Override
    public void close() {
        udp.close();
        if (tcp != null) tcp.close();
    }
}

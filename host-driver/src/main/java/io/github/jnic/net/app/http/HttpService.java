package io.github.jnic.net.app.http;

import io.github.jnic.net.app.TcpPump;
import io.github.jnic.net.stack.NetStack;
import io.github.jnic.net.tcp.Tcp;
import io.github.jnic.net.tcp.TcpConnection;
import io.github.jnic.net.tcp.TcpException;
import io.github.jnic.net.tcp.TcpListener;

/** HTTP/1.1 on a stack: an {@link HttpServer} listening on a TCP port, and client connections. */
public final class HttpService {
    private HttpService() {}

    /** Serves every connection to {@code port} with a connection of {@code server}. Stack thread. */
    public static TcpListener listen(NetStack stack, Tcp tcp, int port, HttpServer server) throws TcpException {
        return TcpPump.listen(stack, tcp, port, 64, server::accept);
    }

    /**
     * Opens a client connection to {@code address:port}; send requests with
     * {@link HttpClientConnection#send} and then {@link TcpPump#flush()} the returned pump. Stack thread.
     */
    public static TcpPump connect(NetStack stack, Tcp tcp, int address, int port, HttpClientConnection connection) throws TcpException {
        return TcpPump.connect(stack, tcp, address, port, connection);
    }

    /** One request on a new connection. Stack thread; {@code handler} runs there. */
    public static TcpConnection fetch(NetStack stack, Tcp tcp, int address, int port, HttpRequest request, HttpClientConnection.ResponseHandler handler) throws TcpException {
        HttpClientConnection c = new HttpClientConnection(HttpLimits.defaults());
        c.send(request, handler, stack.now());
        return connect(stack, tcp, address, port, c).connection();
    }
}

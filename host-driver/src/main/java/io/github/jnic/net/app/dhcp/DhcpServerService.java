package io.github.jnic.net.app.dhcp;

import io.github.jnic.net.app.UdpEndpoint;
import io.github.jnic.net.stack.NetStack;
import java.io.IOException;

/**
 * A {@link DhcpServer} on a stack: requests on UDP port 67, replies to port 68 of the address the
 * engine picks (the limited broadcast for a client without an address), leases expired by a stack
 * timer.
 */
public final class DhcpServerService implements AutoCloseable {
    private final UdpEndpoint endpoint;

    private DhcpServerService(UdpEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /** Starts serving. Stack thread. */
    public static DhcpServerService start(NetStack stack, DhcpServer server) throws IOException {
        UdpEndpoint endpoint = UdpEndpoint.open(stack, 0, DhcpMessage.SERVER_PORT, (e, data, len, src, srcPort, now) -> {
            DhcpServer.Reply reply = server.receive(data, 0, len, now);
            if (reply != null) e.send(reply.message(), 0, reply.message().length, reply.destination(), DhcpMessage.CLIENT_PORT);
        });
        stack.addTimer(server::poll);
        return new DhcpServerService(endpoint);
    }

    @Override
    public void close() {
        endpoint.close();
    }
}

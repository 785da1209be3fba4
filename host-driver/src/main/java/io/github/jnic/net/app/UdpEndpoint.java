package io.github.jnic.net.app;

import io.github.jnic.net.socket.Readiness;
import io.github.jnic.net.socket.SocketError;
import io.github.jnic.net.stack.NetStack;
import io.github.jnic.net.udp.UdpSocket;
import java.io.IOException;

/**
 * A UDP port on the stack thread for a sans-IO engine: datagrams are handed to a {@link Receiver}
 * as they arrive (on the stack thread, at the poll after their arrival) and replies go out at once.
 */
public final class UdpEndpoint implements AutoCloseable {
    /** Gets each datagram: {@code data[0, len)} from {@code src:srcPort}. The array is reused afterwards. */
    @FunctionalInterface
    public interface Receiver {
        void datagram(UdpEndpoint endpoint, byte[] data, int len, int src, int srcPort, long now);
    }

    private final NetStack stack;
    private final UdpSocket socket;
    private final Receiver receiver;
    private final byte[] buffer = new byte[65536];
    private final int[] from = new int[2];
    private final Runnable drain = this::drain;
    private long sendFailures;

    private UdpEndpoint(NetStack stack, UdpSocket socket, Receiver receiver) {
        this.stack = stack;
        this.socket = socket;
        this.receiver = receiver;
    }

    /** Binds {@code address:port} (0: any address / an ephemeral port). Stack thread. */
    public static UdpEndpoint open(NetStack stack, int address, int port, Receiver receiver) throws IOException {
        UdpSocket s = stack.udp().newSocket();
        SocketError e = stack.udp().bind(s, address, port);
        if (e != null) throw e.toException("UDP port " + port);
        UdpEndpoint endpoint = new UdpEndpoint(stack, s, receiver);
        s.readiness().addListener((r, events) -> {
            if ((events & Readiness.READABLE) != 0) stack.execute(endpoint.drain);
        });
        return endpoint;
    }

    public int port() {
        return socket.localPort();
    }

    /** Sends a datagram now; false (and counted) when the stack refused it (no route, closed). */
    public boolean send(byte[] data, int off, int len, int dst, int dstPort) {
        SocketError e = stack.udp().send(socket, data, off, len, dst, dstPort);
        if (e != null) sendFailures++;
        return e == null;
    }

    /** Datagrams the stack refused to send. */
    public long sendFailures() {
        return sendFailures;
    }

    private void drain() {
        while (socket.isOpen()) {
            int len = socket.poll(buffer, 0, buffer.length, from);
            if (len < 0) return;
            receiver.datagram(this, buffer, Math.min(len, buffer.length), from[0], from[1], stack.now());
        }
    }

    @Override
    public void close() {
        stack.udp().close(socket);
    }
}

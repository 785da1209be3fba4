package io.github.jnic.net.socket;

import io.github.jnic.net.eth.NetInterface;
import io.github.jnic.net.stack.NetStack;
import io.github.jnic.net.udp.UdpLayer;
import io.github.jnic.net.udp.UdpSocket;
import io.github.jnic.net.wire.Ipv4Address;
import java.io.Closeable;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;

/**
 * A UDP socket on a jnic stack, shaped like {@link java.net.DatagramSocket}: bind, connect,
 * {@link #send(DatagramPacket)} and {@link #receive(DatagramPacket)} with {@link #setSoTimeout},
 * broadcast, and multicast ({@link #joinGroup}). Blocking calls wait with timeouts; {@link #trySend}
 * and {@link #tryReceive} never block, and {@link #readiness()} tells when to call them (listeners,
 * or a {@link Poller}). Errors are the usual {@code java.net} exceptions: {@code BindException},
 * {@code PortUnreachableException} (a connected socket's peer answered ICMP port unreachable),
 * {@code NoRouteToHostException}, {@code SocketTimeoutException}.
 *
 * <p>Safe to use from any thread. Called on the stack thread itself (a virtual-time test), blocking
 * calls that would have to wait throw instead, since waiting there would stop the stack.
 */
public final class DatagramSocket implements Closeable {
    private static final long CONTROL_TIMEOUT_MILLIS = 10_000;

    private final NetStack stack;
    private final UdpLayer udp;
    private final UdpSocket socket;
    private final int[] from = new int[2];
    private volatile int soTimeout;
    private volatile boolean closed;

    /** A socket bound to an ephemeral port on all addresses. */
    public DatagramSocket(NetStack stack) throws IOException {
        this(stack, 0);
    }

    /** A socket bound to {@code port} (0: ephemeral) on all addresses. */
    public DatagramSocket(NetStack stack, int port) throws IOException {
        this(stack, new InetSocketAddress(port));
    }

    /** A socket bound to {@code local} (wildcard address: all). */
    public DatagramSocket(NetStack stack, InetSocketAddress local) throws IOException {
        this.stack = stack;
        this.udp = stack.udp();
        this.socket = udp.newSocket();
        int addr = local.getAddress() == null || local.getAddress().isAnyLocalAddress() ? 0 : Ipv4Address.of(local.getAddress());
        int port = local.getPort();
        check(stack.call(() -> udp.bind(socket, addr, port), CONTROL_TIMEOUT_MILLIS));
    }

    private void check(SocketError e) throws IOException {
        if (e != null) throw e.toException(null);
    }

    private void checkOpen() throws SocketException {
        if (closed) throw new SocketException("Socket is closed");
    }

    /** Throws the pending asynchronous error (ICMP unreachable, no route), clearing it. */
    private void throwPendingError() throws IOException {
        if ((socket.readiness().state() & Readiness.ERROR) == 0) return;
        String detail = socket.readiness().errorDetail();
        SocketError e = socket.readiness().takeError();
        if (e != null) throw e.toException(detail);
    }

    // ---- addresses --------------------------------------------------------------------------

    /** Only accepts datagrams from, and sends by default to, {@code remote}. */
    public void connect(InetSocketAddress remote) throws IOException {
        checkOpen();
        int addr = Ipv4Address.of(remote.getAddress());
        int port = remote.getPort();
        check(stack.call(() -> udp.connect(socket, addr, port), CONTROL_TIMEOUT_MILLIS));
    }

    public void disconnect() throws IOException {
        check(stack.call(() -> udp.connect(socket, 0, 0), CONTROL_TIMEOUT_MILLIS));
    }

    public boolean isConnected() { return socket.isConnected(); }

    public int getLocalPort() { return socket.localPort(); }

    public InetSocketAddress getLocalSocketAddress() {
        return new InetSocketAddress(Ipv4Address.toInet(socket.localAddress()), socket.localPort());
    }

    public InetSocketAddress getRemoteSocketAddress() {
        return isConnected() ? new InetSocketAddress(Ipv4Address.toInet(socket.remoteAddress()), socket.remotePort()) : null;
    }

    // ---- options ----------------------------------------------------------------------------

    /** How long {@link #receive} (and a {@link #send} with a full queue) waits, in ms; 0 means forever. */
    public void setSoTimeout(int millis) {
        if (millis < 0) throw new IllegalArgumentException("timeout " + millis);
        this.soTimeout = millis;
    }

    public int getSoTimeout() { return soTimeout; }

    public void setTimeToLive(int ttl) throws IOException {
        stack.call(() -> { socket.setTtl(ttl); return null; }, CONTROL_TIMEOUT_MILLIS);
    }

    public void setMulticastTimeToLive(int ttl) throws IOException {
        stack.call(() -> { socket.setMulticastTtl(ttl); return null; }, CONTROL_TIMEOUT_MILLIS);
    }

    /** Joins {@code group} on the stack's first interface (or {@code iface}), sending an IGMP report. */
    public void joinGroup(InetAddress group, NetInterface iface) throws IOException {
        int g = Ipv4Address.of(group);
        if (!Ipv4Address.isMulticast(g)) throw new SocketException("not a multicast address: " + group);
        stack.call(() -> {
            NetInterface i = iface != null ? iface : stack.interfaces().get(0);
            stack.igmp().join(i, g, stack.now());
            socket.setMulticastInterface(i);
            return null;
        }, CONTROL_TIMEOUT_MILLIS);
    }

    public void joinGroup(InetAddress group) throws IOException { joinGroup(group, null); }

    public void leaveGroup(InetAddress group) throws IOException {
        int g = Ipv4Address.of(group);
        stack.call(() -> {
            for (NetInterface i : stack.interfaces()) if (i.inGroup(g)) stack.igmp().leave(i, g);
            return null;
        }, CONTROL_TIMEOUT_MILLIS);
    }

    // ---- data -------------------------------------------------------------------------------

    /** Sends {@code p} to its address, or to the connected peer if it has none. Blocks only while the send queue is full. */
    public void send(DatagramPacket p) throws IOException {
        int addr = 0, port = 0;
        if (p.getAddress() != null) {
            addr = Ipv4Address.of(p.getAddress());
            port = p.getPort();
        }
        send(p.getData(), p.getOffset(), p.getLength(), addr, port);
    }

    /** Sends {@code data[off, off+len)} to {@code addr:port} (0, 0: the connected peer). */
    public void send(byte[] data, int off, int len, int addr, int port) throws IOException {
        checkOpen();
        throwPendingError();
        if (len > UdpLayer.MAX_PAYLOAD) throw SocketError.MESSAGE_TOO_LONG.toException(len + " bytes");
        if (addr == 0 && port == 0 && !socket.isConnected()) throw SocketError.NOT_CONNECTED.toException(null);
        if (stack.inStackThread()) {
            check(udp.send(socket, data, off, len, addr, port));
            return;
        }
        long left = Readiness.nanosFor(soTimeout);
        Readiness r = socket.readiness();
        while (!udp.enqueue(socket, data, off, len, addr, port)) {
            r.lock().lock();
            try {
                if ((r.state() & (Readiness.WRITABLE | Readiness.CLOSED)) == 0) left = r.awaitChange(left);
            } finally {
                r.lock().unlock();
            }
            checkOpen();
            if (left <= 0) throw new SocketTimeoutException("send queue still full after " + soTimeout + " ms");
        }
    }

    /** Queues a datagram without blocking; false when the send queue is full (wait for {@link Readiness#WRITABLE}). */
    public boolean trySend(byte[] data, int off, int len, int addr, int port) throws IOException {
        checkOpen();
        throwPendingError();
        if (stack.inStackThread()) {
            check(udp.send(socket, data, off, len, addr, port));
            return true;
        }
        return udp.enqueue(socket, data, off, len, addr, port);
    }

    /**
     * Receives one datagram into {@code p} (truncated to its buffer, as java.net does), filling in the
     * sender. Blocks up to {@link #getSoTimeout()}.
     */
    public void receive(DatagramPacket p) throws IOException {
        checkOpen();
        long left = Readiness.nanosFor(soTimeout);
        Readiness r = socket.readiness();
        while (true) {
            throwPendingError();
            if (tryReceive(p)) return;
            if (stack.inStackThread()) throw new SocketTimeoutException("no datagram queued (and blocking the stack thread would deadlock)");
            r.lock().lock();
            try {
                if ((r.state() & (Readiness.READABLE | Readiness.ERROR | Readiness.CLOSED)) == 0) left = r.awaitChange(left);
            } finally {
                r.lock().unlock();
            }
            checkOpen();
            if (left <= 0 && (r.state() & (Readiness.READABLE | Readiness.ERROR)) == 0) {
                throw new SocketTimeoutException("Receive timed out after " + soTimeout + " ms");
            }
        }
    }

    /** Receives a datagram if one is queued; never blocks. */
    public boolean tryReceive(DatagramPacket p) throws IOException {
        checkOpen();
        int len;
        int addr, port;
        synchronized (from) {
            len = socket.poll(p.getData(), p.getOffset(), p.getData().length - p.getOffset(), from);
            addr = from[0];
            port = from[1];
        }
        if (len < 0) return false;
        p.setLength(Math.min(len, p.getData().length - p.getOffset()));
        p.setAddress(Ipv4Address.toInet(addr));
        p.setPort(port);
        return true;
    }

    /** The socket's readiness: {@link Readiness#READABLE} when a datagram waits, {@link Readiness#WRITABLE} when there is room. */
    public Readiness readiness() { return socket.readiness(); }

    /** The stack-side socket (for code on the stack thread). */
    public UdpSocket udpSocket() { return socket; }

    public boolean isClosed() { return closed; }

    /** Closes the socket; a thread blocked in it gets a {@code SocketException}. */
    @Override public void close() {
        if (closed) return;
        closed = true;
        if (stack.inStackThread()) udp.close(socket);
        else stack.execute(() -> udp.close(socket));
        socket.readiness().set(Readiness.CLOSED);
    }
}

package io.github.jnic.net.udp;

import io.github.jnic.net.eth.NetInterface;
import io.github.jnic.net.socket.Readiness;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The stack side of a UDP socket: its addresses and options (stack thread only), and the two
 * datagram queues it shares with the application (guarded by {@link #readiness()}'s lock).
 * Applications use {@link io.github.jnic.net.socket.DatagramSocket}; code on the stack thread
 * (virtual-time tests, protocols built sans-IO) may drive a {@code UdpSocket} through
 * {@link UdpLayer} directly.
 */
public final class UdpSocket {
    final Readiness readiness = new Readiness();
    final DatagramRing rx;
    final DatagramRing tx;
    final AtomicBoolean flushScheduled = new AtomicBoolean();
    final Runnable flush;

    // Stack thread only.
    int localAddress;
    int localPort;
    int remoteAddress;
    int remotePort;
    int ttl = -1;
    int multicastTtl = 1;
    int tos;
    NetInterface multicastInterface;
    boolean open = true;

    UdpSocket(UdpLayer layer, int receiveBuffer, int sendBuffer) {
        this.rx = new DatagramRing(receiveBuffer);
        this.tx = new DatagramRing(sendBuffer);
        this.flush = () -> layer.flush(this);
        readiness.set(Readiness.WRITABLE);
    }

    public Readiness readiness() { return readiness; }
    public int localAddress() { return localAddress; }
    public int localPort() { return localPort; }
    public int remoteAddress() { return remoteAddress; }
    public int remotePort() { return remotePort; }
    public boolean isConnected() { return remotePort != 0; }
    public boolean isOpen() { return open; }

    /** TTL for unicast (-1: the stack default). */
    public void setTtl(int ttl) { this.ttl = ttl; }
    public void setMulticastTtl(int ttl) { this.multicastTtl = ttl; }
    public void setTos(int tos) { this.tos = tos; }
    public void setMulticastInterface(NetInterface iface) { this.multicastInterface = iface; }

    /** Whether a datagram from {@code src:srcPort} to {@code dst} is for this socket. */
    boolean accepts(int dst, int src, int srcPort, boolean broadcastOrMulticast) {
        if (localAddress != 0 && localAddress != dst && !broadcastOrMulticast) return false;
        return remotePort == 0 || (remoteAddress == src && remotePort == srcPort);
    }

    // ---- receive queue (any thread) ------------------------------------------------------------

    /**
     * Takes the next datagram into {@code dst[off, off+max)} without blocking; returns its full
     * length (the copy is truncated to {@code max}), or -1 if none. {@code from}, if not null,
     * receives {address, port}.
     */
    public int poll(byte[] dst, int off, int max, int[] from) {
        readiness.lock().lock();
        try {
            if (rx.isEmpty()) return -1;
            rx.poll(dst, off, max);
            if (rx.isEmpty()) readiness.clear(Readiness.READABLE);
            if (from != null) {
                from[0] = rx.lastAddress();
                from[1] = rx.lastPort();
            }
            return rx.lastLength();
        } finally {
            readiness.lock().unlock();
        }
    }

    /** Datagrams waiting to be read. */
    public int available() {
        readiness.lock().lock();
        try {
            return rx.count();
        } finally {
            readiness.lock().unlock();
        }
    }
}

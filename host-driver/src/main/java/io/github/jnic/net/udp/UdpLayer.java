package io.github.jnic.net.udp;

import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.net.eth.NetInterface;
import io.github.jnic.net.ip.Ipv4Layer;
import io.github.jnic.net.ip.Ipv4Output;
import io.github.jnic.net.ip.Ipv4Transport;
import io.github.jnic.net.socket.Readiness;
import io.github.jnic.net.socket.SocketError;
import io.github.jnic.net.socket.StackExecutor;
import io.github.jnic.net.stats.Counter;
import io.github.jnic.net.stats.Counters;
import io.github.jnic.net.wire.Bytes;
import io.github.jnic.net.wire.IcmpMessage;
import io.github.jnic.net.wire.Ipv4Address;
import io.github.jnic.net.wire.Ipv4Header;
import io.github.jnic.net.wire.UdpHeader;

/**
 * UDP (RFC 768): one socket per local port, bound to an address or to all; connected sockets
 * accept only their peer and receive ICMP errors about what they sent; broadcast and multicast
 * are received by sockets bound to the port. Received datagrams are copied once, into the
 * socket's receive queue; sent datagrams are copied once, from the send queue into a pooled
 * buffer, with the checksum left to the device when it can. Stack thread only, except where said.
 */
public final class UdpLayer implements Ipv4Transport {
    public static final int MAX_PAYLOAD = 65535 - Ipv4Header.MIN_LENGTH - UdpHeader.LENGTH;
    public static final int EPHEMERAL_FIRST = 49152;
    private static final int DEFAULT_BUFFER = 256 * 1024;

    private final Ipv4Layer ip;
    private final StackExecutor executor;
    private final UdpSocket[] ports = new UdpSocket[65536];
    private final UdpHeader udp = new UdpHeader();
    private int nextEphemeral = EPHEMERAL_FIRST;

    private final Counter rxDatagrams, txDatagrams, icmpErrors;
    private final Counter dropTruncated, dropLength, dropChecksum, dropNoSocket, dropQueueFull, dropIcmpUnmatched, dropTxFailed;

    public UdpLayer(Ipv4Layer ip, StackExecutor executor, Counters counters) {
        this.ip = ip;
        this.executor = executor;
        String l = "udp";
        rxDatagrams = counters.stat(l, "rx-datagrams", "datagrams delivered to sockets");
        txDatagrams = counters.stat(l, "tx-datagrams", "datagrams sent");
        icmpErrors = counters.stat(l, "icmp-errors", "ICMP errors delivered to connected sockets");
        dropTruncated = counters.drop(l, "truncated", "shorter than the 8-byte header");
        dropLength = counters.drop(l, "bad-length", "length field below 8 or beyond the IP payload");
        dropChecksum = counters.drop(l, "bad-checksum", "checksum wrong");
        dropNoSocket = counters.drop(l, "no-socket", "no socket on the destination port (port unreachable sent if unicast)");
        dropQueueFull = counters.drop(l, "rx-queue-full", "the socket's receive queue was full");
        dropIcmpUnmatched = counters.drop(l, "icmp-error-unmatched", "ICMP error for no connected socket (ignored, as Linux does)");
        dropTxFailed = counters.drop(l, "tx-failed", "datagram not sent: no route or link refused");
    }

    /** A new, unbound socket with default queue sizes. Any thread. */
    public UdpSocket newSocket() { return new UdpSocket(this, DEFAULT_BUFFER, DEFAULT_BUFFER); }

    /** A new, unbound socket with the given receive and send queue sizes in bytes. Any thread. */
    public UdpSocket newSocket(int receiveBuffer, int sendBuffer) { return new UdpSocket(this, receiveBuffer, sendBuffer); }

    @Override public int protocol() { return Ipv4Header.PROTO_UDP; }

    // ---- control (stack thread) -----------------------------------------------------------------

    /** Binds to {@code address:port} (address 0: all; port 0: an ephemeral one). Returns null or the error. */
    public SocketError bind(UdpSocket s, int address, int port) {
        if (!s.open) return SocketError.CLOSED;
        if (s.localPort != 0) return SocketError.ADDRESS_IN_USE;
        if (address != 0 && !ip.isLocalAddress(address) && !Ipv4Address.isMulticast(address)) return SocketError.ADDRESS_NOT_AVAILABLE;
        if (port == 0) {
            port = ephemeralPort();
            if (port == 0) return SocketError.ADDRESS_IN_USE;
        } else if (ports[port] != null) {
            return SocketError.ADDRESS_IN_USE;
        }
        ports[port] = s;
        s.localAddress = address;
        s.localPort = port;
        return null;
    }

    private int ephemeralPort() {
        for (int i = 0; i < 65536 - EPHEMERAL_FIRST; i++) {
            int p = nextEphemeral;
            nextEphemeral = p == 65535 ? EPHEMERAL_FIRST : p + 1;
            if (ports[p] == null) return p;
        }
        return 0;
    }

    /** Fixes the peer (0, 0 to disconnect); binds an ephemeral port first if needed. */
    public SocketError connect(UdpSocket s, int address, int port) {
        if (s.localPort == 0) {
            SocketError e = bind(s, 0, 0);
            if (e != null) return e;
        }
        if (address != 0 && ip.sourceAddressFor(address) == 0) return SocketError.NETWORK_UNREACHABLE;
        s.remoteAddress = address;
        s.remotePort = port;
        s.readiness.takeError();
        return null;
    }

    public void close(UdpSocket s) {
        if (!s.open) return;
        s.open = false;
        if (s.localPort != 0 && ports[s.localPort] == s) ports[s.localPort] = null;
        s.readiness.set(Readiness.CLOSED);
    }

    // ---- send ---------------------------------------------------------------------------------

    /**
     * Sends one datagram now (stack thread). {@code dst}/{@code port} 0 means the connected peer.
     * Returns null when handed to IP, or why not.
     */
    public SocketError send(UdpSocket s, byte[] data, int off, int len, int dst, int port) {
        if (!s.open) return SocketError.CLOSED;
        if (len > MAX_PAYLOAD) return SocketError.MESSAGE_TOO_LONG;
        PacketBuffer b = ip.allocate(UdpHeader.LENGTH + len);
        int at = b.append(UdpHeader.LENGTH + len);
        System.arraycopy(data, off, b.data(), at + UdpHeader.LENGTH, len);
        return sendBuilt(s, b, at, len, dst, port);
    }

    /**
     * Queues a datagram from any thread and has the stack thread send it; returns false when the
     * send queue is full. The datagram is copied: the caller may reuse its array at once.
     */
    public boolean enqueue(UdpSocket s, byte[] data, int off, int len, int dst, int port) {
        if (len > MAX_PAYLOAD) throw new IllegalArgumentException("datagram of " + len + " bytes exceeds " + MAX_PAYLOAD);
        Readiness r = s.readiness;
        r.lock().lock();
        try {
            if (!s.tx.offer(data, off, len, dst, port)) {
                r.clear(Readiness.WRITABLE);   // nothing is lost: the caller keeps the datagram and waits or retries
                return false;
            }
        } finally {
            r.lock().unlock();
        }
        if (s.flushScheduled.compareAndSet(false, true)) executor.execute(s.flush);
        return true;
    }

    /** Sends what the application queued (runs on the stack thread). */
    void flush(UdpSocket s) {
        s.flushScheduled.set(false);
        Readiness r = s.readiness;
        while (true) {
            PacketBuffer b;
            int dst, port, len, at;
            r.lock().lock();
            try {
                if (s.tx.isEmpty()) {
                    r.set(Readiness.WRITABLE);
                    return;
                }
                len = s.tx.peekLength();
                int length = UdpHeader.LENGTH + len;
                b = ip.allocate(length);
                at = b.append(length);
                s.tx.poll(b.data(), at + UdpHeader.LENGTH, len);
                dst = s.tx.lastAddress();
                port = s.tx.lastPort();
            } finally {
                r.lock().unlock();
            }
            SocketError e = sendBuilt(s, b, at, len, dst, port);
            if (e != null) r.fail(e, Ipv4Address.toString(dst));
        }
    }

    /** {@link #send} for a datagram already copied into {@code b} after an 8-byte gap at {@code at}. */
    private SocketError sendBuilt(UdpSocket s, PacketBuffer b, int at, int len, int dst, int port) {
        if (!s.open) { b.release(); return null; }
        if (dst == 0 && port == 0) {
            if (!s.isConnected()) { b.release(); return SocketError.NOT_CONNECTED; }
            dst = s.remoteAddress;
            port = s.remotePort;
        }
        if (s.localPort == 0) {
            SocketError e = bind(s, 0, 0);
            if (e != null) { b.release(); return e; }
        }
        boolean multicast = Ipv4Address.isMulticast(dst);
        NetInterface via = multicast ? s.multicastInterface : null;
        int src = s.localAddress != 0 && !Ipv4Address.isMulticast(s.localAddress) ? s.localAddress
                : via != null ? via.primaryAddress() : ip.sourceAddressFor(dst);
        if (src == 0 && !multicast && dst != Ipv4Address.BROADCAST) {
            b.release();
            dropTxFailed.increment();
            return SocketError.NETWORK_UNREACHABLE;
        }
        int length = UdpHeader.LENGTH + len;
        UdpHeader.write(b.data(), at, s.localPort, port, length, src, dst);
        b.requestChecksum(at, UdpHeader.CHECKSUM_OFFSET);
        Ipv4Output.SendResult r = ip.send(b, src, dst, Ipv4Header.PROTO_UDP, multicast ? s.multicastTtl : s.ttl, s.tos, false, via);
        if (r == Ipv4Output.SendResult.NO_ROUTE) { dropTxFailed.increment(); return SocketError.NETWORK_UNREACHABLE; }
        if (r == Ipv4Output.SendResult.DROPPED) dropTxFailed.increment();
        else txDatagrams.increment();
        return null;
    }

    // ---- receive ------------------------------------------------------------------------------

    @Override public void receive(PacketBuffer seg, int src, int dst, long now) {
        try {
            handle(seg, src, dst);
        } finally {
            seg.release();
        }
    }

    private void handle(PacketBuffer seg, int src, int dst) {
        int len = seg.length();
        if (len < UdpHeader.LENGTH) { dropTruncated.increment(); return; }
        udp.wrap(seg.data(), seg.start());
        int ulen = udp.length();
        if (ulen < UdpHeader.LENGTH || ulen > len) { dropLength.increment(); return; }
        if (udp.checksum() != 0) {
            PacketBuffer.RxChecksum verdict = seg.rxChecksum();
            if (verdict == PacketBuffer.RxChecksum.BAD
                    || (verdict == PacketBuffer.RxChecksum.NONE && !udp.checksumValid(src, dst, ulen))) {
                dropChecksum.increment();
                return;
            }
        }
        boolean group = ip.isBroadcastOrMulticast(dst);
        UdpSocket s = ports[udp.destinationPort()];
        if (s == null || !s.accepts(dst, src, udp.sourcePort(), group)) {
            dropNoSocket.increment();
            if (!group) ip.replyWithError(seg, IcmpMessage.DEST_UNREACHABLE, IcmpMessage.CODE_PORT_UNREACHABLE);
            return;
        }
        Readiness r = s.readiness;
        boolean queued;
        r.lock().lock();
        try {
            queued = s.rx.offer(seg.data(), seg.start() + UdpHeader.LENGTH, ulen - UdpHeader.LENGTH, src, udp.sourcePort());
        } finally {
            r.lock().unlock();
        }
        if (!queued) { dropQueueFull.increment(); return; }
        rxDatagrams.increment();
        if ((r.state() & Readiness.READABLE) == 0) r.set(Readiness.READABLE);
        else r.signal();
    }

    @Override public void icmpError(int type, int code, int originalSrc, int originalDst, byte[] q, int off, int len, long now) {
        int localPort = Bytes.get16(q, off);
        int remotePort = Bytes.get16(q, off + 2);
        UdpSocket s = ports[localPort];
        if (s == null || !s.isConnected() || s.remoteAddress != originalDst || s.remotePort != remotePort) {
            dropIcmpUnmatched.increment();
            return;
        }
        icmpErrors.increment();
        s.readiness.fail(errorFor(type, code), "ICMP type " + type + " code " + code + " from " + Ipv4Address.toString(originalDst) + ":" + remotePort);
    }

    static SocketError errorFor(int type, int code) {
        if (type != IcmpMessage.DEST_UNREACHABLE) return SocketError.HOST_UNREACHABLE;
        return switch (code) {
            case IcmpMessage.CODE_PORT_UNREACHABLE, IcmpMessage.CODE_PROTOCOL_UNREACHABLE -> SocketError.PORT_UNREACHABLE;
            case IcmpMessage.CODE_NET_UNREACHABLE, 6 -> SocketError.NETWORK_UNREACHABLE;
            case IcmpMessage.CODE_FRAGMENTATION_NEEDED -> SocketError.MESSAGE_TOO_LONG;
            default -> SocketError.HOST_UNREACHABLE;
        };
    }

    @Override public long poll(long now) { return Long.MAX_VALUE; }

    /** The socket bound to {@code port}, or null (stack thread). */
    public UdpSocket socketOn(int port) { return ports[port & 0xffff]; }
}

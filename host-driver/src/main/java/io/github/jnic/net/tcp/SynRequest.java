package io.github.jnic.net.tcp;

/**
 * A half-open passive connection, in a listener's SYN queue: what the peer's SYN offered and what
 * our SYN-ACK said, and its retransmission timer. A small fixed record with no buffers (Linux's
 * request sock): a {@link TcpConnection}, with its buffers, is made only when the final ACK
 * arrives. A valid SYN cookie is turned into one of these too, just for that moment.
 */
final class SynRequest {
    final TcpListener listener;
    final int localAddr;
    final int localPort;
    final int remoteAddr;
    final int remotePort;
    final int iss;
    final int irs;
    /** What the peer's SYN carried: MSS (-1 none), window shift (-1 none), SACK-permitted, timestamps. */
    final int peerMss;
    final int peerWindowScale;
    final boolean sack;
    final boolean timestamps;
    final int tsRecent;
    /** The unscaled window of the peer's SYN. */
    final int window;
    /** Made from a SYN cookie: nothing was timed. */
    final boolean cookie;
    /** When the first SYN-ACK went out (the handshake's RTT sample, unless it was retransmitted). */
    long sentAt;
    int retries;
    long rto;
    long rtoAt;
    /** Position in {@link Tcp}'s list of requests. */
    int index = -1;

    SynRequest(TcpListener listener, int localAddr, int localPort, int remoteAddr, int remotePort, int iss, int irs,
               int peerMss, int peerWindowScale, boolean sack, boolean timestamps, int tsRecent, int window, boolean cookie) {
        this.listener = listener;
        this.localAddr = localAddr;
        this.localPort = localPort;
        this.remoteAddr = remoteAddr;
        this.remotePort = remotePort;
        this.iss = iss;
        this.irs = irs;
        this.peerMss = peerMss;
        this.peerWindowScale = peerWindowScale;
        this.sack = sack;
        this.timestamps = timestamps;
        this.tsRecent = tsRecent;
        this.window = window;
        this.cookie = cookie;
    }

    /** The peer's SYN options, as {@link TcpConnection} negotiates from them. */
    void synOptions(TcpOptions o) {
        o.clear();
        o.mss = peerMss;
        o.windowScale = peerWindowScale;
        o.sackPermitted = sack;
        o.timestamps = timestamps;
        o.tsVal = tsRecent;
    }

    @Override
    public String toString() {
        return "syn-received " + Tcp.addr(localAddr) + ":" + localPort + " <- " + Tcp.addr(remoteAddr) + ":" + remotePort
                + " iss=" + Integer.toUnsignedString(iss) + " retries=" + retries;
    }
}

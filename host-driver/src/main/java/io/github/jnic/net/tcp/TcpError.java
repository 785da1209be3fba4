package io.github.jnic.net.tcp;

/** Why a connection failed or an operation was refused. Each names its cause, as sockets report it. */
public enum TcpError {
    /** The peer answered the SYN with a reset, or an ICMP port unreachable: nothing listens there. */
    REFUSED("connection refused"),
    /** The peer reset an established connection. */
    RESET("connection reset by peer"),
    /** Retransmissions or keep-alive probes went unanswered. */
    TIMED_OUT("connection timed out"),
    /** No route to the peer, or ICMP said the host or network is unreachable. */
    UNREACHABLE("no route to host"),
    /** The local address and port are taken. */
    ADDRESS_IN_USE("address already in use"),
    /** The connection was closed or aborted locally. */
    CLOSED("socket closed");

    private final String message;

    TcpError(String message) {
        this.message = message;
    }

    public String message() { return message; }
}

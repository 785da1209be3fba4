package io.github.jnic.net.icmp;

/**
 * Hears every ICMP error this host receives about a datagram it sent, together with the address
 * of the host that reported it: what traceroute needs, since transports learn only the error.
 * Called on the stack thread, before the error is handed to the transport.
 */
@FunctionalInterface
public interface IcmpErrorListener {
    /**
     * {@code reporter} sent an error of {@code type}/{@code code} about our datagram of
     * {@code protocol} to {@code originalDst}; {@code quoted[off, off+len)} is the start of that
     * datagram's transport header as quoted (at least 8 bytes), valid only during the call.
     */
    void icmpError(int reporter, int type, int code, int originalDst, int protocol, byte[] quoted, int off, int len, long now);
}

package io.github.jnic.net.icmp;

/** Receives answers to echo requests sent with one identifier. Called on the stack thread. */
public interface EchoListener {
    /** An echo reply: its data is {@code data[off, off+len)}, valid only during the call. */
    void reply(int from, int sequence, byte[] data, int off, int len, long now);

    /** An ICMP error (e.g. destination unreachable) about our echo request to {@code destination}. */
    default void error(int type, int code, int destination, int sequence, long now) {}
}

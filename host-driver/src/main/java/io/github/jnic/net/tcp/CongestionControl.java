package io.github.jnic.net.tcp;

/**
 * A congestion controller: owns cwnd and ssthresh and reacts to the sender's events. Loss
 * detection and what to retransmit stay with the sender (RFC 6675 recovery); a controller only
 * decides how much may be in flight. Sizes in bytes.
 */
public interface CongestionControl {

    /** Called once the connection's sending MSS is known (after the handshake). */
    void init(int mss, int initialWindowSegments);

    /** Path MTU discovery made the sending MSS smaller (RFC 1191); cwnd is left as it is, in bytes. */
    default void mssChanged(int mss) {}

    /** Congestion window. */
    int cwnd();

    int ssthresh();

    /** New data acknowledged outside loss recovery. */
    void onAck(int ackedBytes, int flightSize, long now);

    /** Loss detected by duplicate ACKs or SACK: entering fast recovery with {@code flightSize} in flight. */
    void onEnterRecovery(int flightSize, long now);

    /** Every outstanding byte at the start of recovery is acknowledged. */
    void onExitRecovery(int flightSize, long now);

    /**
     * The retransmission timer expired; {@code repeated} when the same data already timed out once
     * (RFC 5681 section 3.1: ssthresh then stays where the first timeout put it).
     */
    void onRetransmissionTimeout(int flightSize, boolean repeated, long now);

    /** The connection was idle for longer than an RTO (RFC 5681 section 4.1: restart window). */
    void onIdleRestart(long now);

    /** Short name, for stats and docs. */
    String name();
}

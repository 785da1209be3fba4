package io.github.jnic.net.tcp;

import java.util.Map;

/**
 * What TCP did, and everything it dropped or rejected with the reason. Counted on the stack
 * thread; read from anywhere (values may be slightly stale).
 */
public final class TcpCounters {

    /** Why a segment was dropped or rejected. */
    public enum Drop {
        /** Checksum wrong (device verdict or software check). */
        BAD_CHECKSUM,
        /** Shorter than a header, data offset impossible, or options malformed. */
        MALFORMED,
        /** From a broadcast, multicast or zero source, or to a broadcast or multicast destination: never answered. */
        BAD_ADDRESS,
        /** SYN and FIN together (no real stack sends it; a scanner's probe): dropped, as Linux and FreeBSD do. */
        SYN_FIN,
        /** No connection and no listener: answered with RST (a refused connect). */
        NO_SOCKET,
        /** A SYN, or a handshake's final ACK, while the listener's accept queue is full: dropped silently, the peer retries. */
        BACKLOG_FULL,
        /** A SYN while the SYN queue is full and SYN cookies are off. */
        SYN_QUEUE_FULL,
        /** An ACK at a listener whose cookie is forged or expired: answered with RST. */
        COOKIE_INVALID,
        /** Neither SYN nor RST at a listener: ACKs are answered with RST, the rest dropped. */
        LISTEN_UNEXPECTED,
        /** Sequence number outside the receive window (answered with an ACK). */
        OUT_OF_WINDOW,
        /** RFC 7323 PAWS: timestamp older than TS.Recent. */
        PAWS,
        /** Acknowledges data never sent (answered with an ACK). */
        ACK_UNSENT,
        /** RFC 5961 section 5: acknowledges data older than the window allows (challenge ACK). */
        ACK_TOO_OLD,
        /** Synchronized-state segment without ACK. */
        NO_ACK,
        /** RFC 1337: RST in TIME-WAIT, ignored so old duplicates cannot end it early. */
        TIME_WAIT_RST,
        /** RST outside the window: ignored. */
        RST_OUT_OF_WINDOW,
        /** RFC 5961 section 3: RST in the window but not at RCV.NXT (challenge ACK). */
        RST_CHALLENGED,
        /** RFC 5961 section 4: SYN in a synchronized state (challenge ACK). */
        SYN_CHALLENGED,
        /** In SYN-SENT: an ACK that does not acknowledge our SYN, or a RST without one. */
        SYN_SENT_BAD_ACK,
        /** Payload beyond the receive window, trimmed off. */
        BEYOND_WINDOW,
        /** Out-of-order segment refused: the reassembly range table is full. */
        REASSEMBLY_FULL,
        /** Data after the application closed: answered with RST (RFC 1122 4.2.2.13). */
        DATA_AFTER_CLOSE,
        /** Data after the peer's FIN, or on a connection that cannot take it. */
        DATA_AFTER_FIN,
        /** SACK block outside the data in flight. */
        SACK_INVALID,
        /** An ICMP error whose quoted segment matches no connection or no data in flight (RFC 5927). */
        ICMP_UNMATCHED,
        /** RFC 5961 section 7: a challenge ACK suppressed by the rate limit. */
        CHALLENGE_ACK_LIMITED,
        /** The IP layer did not take an outgoing segment (no route, queue full). */
        SEND_FAILED
    }

    /** Things that happened. */
    public enum Event {
        SEGMENTS_RECEIVED, SEGMENTS_SENT, BYTES_RECEIVED, BYTES_SENT,
        ACTIVE_OPENS, PASSIVE_OPENS, ESTABLISHED, CONNECT_FAILED,
        RESETS_SENT, RESETS_RECEIVED, CHALLENGE_ACKS,
        RETRANSMITTED_SEGMENTS, RETRANSMISSION_TIMEOUTS, FAST_RECOVERIES, SACK_RECOVERY_RETRANSMITS,
        DUPLICATE_ACKS, DELAYED_ACKS, WINDOW_UPDATES, ZERO_WINDOW_PROBES, KEEPALIVE_PROBES,
        OUT_OF_ORDER_SEGMENTS, DUPLICATE_SEGMENTS, TIME_WAIT_EXPIRED, TIME_WAIT_REUSED, TIMEOUTS,
        PATH_MTU_REDUCTIONS, SYN_COOKIES_SENT, SYN_COOKIES_ACCEPTED,
        /** A half-open handshake freed after its SYN-ACK retransmissions. */
        HALF_OPEN_EXPIRED
    }

    private final long[] drops = new long[Drop.values().length];
    private final long[] events = new long[Event.values().length];

    void drop(Drop why) { drops[why.ordinal()]++; }
    void count(Event what) { events[what.ordinal()]++; }
    void add(Event what, long n) { events[what.ordinal()] += n; }

    public long get(Drop why) { return drops[why.ordinal()]; }
    public long get(Event what) { return events[what.ordinal()]; }

    /** Sum of all drops. */
    public long dropped() {
        long s = 0;
        for (long d : drops) s += d;
        return s;
    }

    /** Non-zero counters by name, for logs and stats pages. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new java.util.LinkedHashMap<>();
        for (Event e : Event.values()) if (get(e) != 0) m.put(e.name().toLowerCase(), get(e));
        for (Drop d : Drop.values()) if (get(d) != 0) m.put("drop_" + d.name().toLowerCase(), get(d));
        return m;
    }

    @Override
    public String toString() {
        return snapshot().toString();
    }
}

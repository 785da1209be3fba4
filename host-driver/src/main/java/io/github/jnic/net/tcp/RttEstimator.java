package io.github.jnic.net.tcp;

/**
 * The retransmission timeout of RFC 6298: a smoothed RTT and its variance, the timeout derived from
 * them (clamped to [min, max]), and exponential backoff. Times in nanoseconds. Karn's rule is the
 * caller's part: it never feeds a sample taken from a retransmitted segment.
 */
public final class RttEstimator {
    private static final long NO_SAMPLE = -1;

    private final long minRto;
    private final long maxRto;
    private final long initialRto;
    private long srtt = NO_SAMPLE;
    private long rttvar;
    private long rto;
    private int backoff;

    public RttEstimator(long initialRto, long minRto, long maxRto) {
        this.initialRto = initialRto;
        this.minRto = minRto;
        this.maxRto = maxRto;
        this.rto = initialRto;
    }

    /** Takes one RTT measurement (RFC 6298 section 2) and clears any backoff (section 5.7). */
    public void sample(long rtt) {
        if (rtt < 0) return;
        if (srtt == NO_SAMPLE) {
            srtt = rtt;
            rttvar = rtt / 2;
        } else {
            rttvar = (3 * rttvar + Math.abs(srtt - rtt)) / 4;
            srtt = (7 * srtt + rtt) / 8;
        }
        // The clock granularity term G is one nanosecond here, so 4*RTTVAR alone.
        rto = Math.max(minRto, Math.min(maxRto, srtt + Math.max(1, 4 * rttvar)));
        backoff = 0;
    }

    /** The timeout with backoff applied: RTO * 2^backoff, at most the maximum (section 5.5). */
    public long rto() {
        long r = rto;
        for (int i = 0; i < backoff && r < maxRto; i++) r *= 2;
        return Math.min(r, maxRto);
    }

    /** Doubles the timeout after an expiry. */
    public void backOff() {
        if (backoff < 30) backoff++;
    }

    public int backoffCount() { return backoff; }

    /** Forgets the backoff without a new sample (a new connection attempt, say). */
    public void resetBackoff() { backoff = 0; }

    /**
     * The handshake finished: backoff is forgotten, and if the SYN had to be retransmitted with no
     * RTT sample, data starts with an RTO of 3 s (RFC 6298 section 5.7).
     */
    public void handshakeDone(boolean synRetransmitted) {
        backoff = 0;
        if (synRetransmitted && srtt == NO_SAMPLE) rto = Math.min(maxRto, Math.max(rto, 3_000_000_000L));
    }

    public boolean hasSample() { return srtt != NO_SAMPLE; }
    /** Smoothed RTT in ns, or -1 before the first sample. */
    public long srtt() { return srtt; }
    public long rttvar() { return rttvar; }
}

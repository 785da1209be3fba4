package io.github.jnic.net.tcp;

/**
 * SYN cookies (RFC 4987 section 3.6): when a listener's SYN queue is full, the SYN-ACK's sequence
 * number itself carries what the handshake needs, and nothing is stored. A cookie is
 * <pre>
 *   bits 31..27  the 64-second period it was made in, modulo 32
 *   bits 26..24  which of {@link #MSS} the peer may receive
 *   bits 23..0   SipHash (the stack's secret) of the four-tuple, the peer's ISN and the period
 * </pre>
 * The final ACK acknowledges cookie + 1; a cookie is valid in its period and the next (64 to 128
 * seconds). Window scale and SACK-permitted have no room there; when the SYN had timestamps they
 * ride in the low five bits of our timestamp, which the peer echoes (as Linux does): bits 3..0 the
 * peer's shift (15: none), bit 4 SACK. Without timestamps a cookie connection has neither.
 */
final class SynCookies {
    static final long PERIOD = 64_000_000_000L;
    /** The MSS values a cookie can name; the largest not above the peer's is used. */
    static final int[] MSS = {216, 536, 1200, 1360, 1400, 1440, 1452, 1460};
    private static final int HASH_MASK = 0xffffff;
    private static final int OPTION_BITS = 0x1f;
    private static final int NO_SCALE = 15;
    /** Separates cookie hashes from the secret's other uses. */
    private static final long TAG = 0x636f6f6b69650000L;

    private SynCookies() {}

    /** The cookie to use as our ISN for a SYN from {@code remote} with sequence number {@code irs}. */
    static int make(IsnGenerator isn, int localAddr, int localPort, int remoteAddr, int remotePort, int irs, int peerMss, long now) {
        long period = now / PERIOD;
        int mssIndex = 0;
        int mss = peerMss > 0 ? peerMss : 536;
        while (mssIndex + 1 < MSS.length && MSS[mssIndex + 1] <= mss) mssIndex++;
        return ((int) (period & 31) << 27) | (mssIndex << 24) | hash(isn, localAddr, localPort, remoteAddr, remotePort, irs, period);
    }

    /**
     * The MSS named by {@code cookie} (the final ACK's acknowledgment number less one) if it is one
     * we made for this four-tuple and ISN in this period or the last; -1 if forged or expired.
     */
    static int check(IsnGenerator isn, int localAddr, int localPort, int remoteAddr, int remotePort, int irs, int cookie, long now) {
        long current = now / PERIOD;
        long age = (current - (cookie >>> 27)) & 31;
        if (age > 1) return -1;
        long period = current - age;
        if ((cookie & HASH_MASK) != hash(isn, localAddr, localPort, remoteAddr, remotePort, irs, period)) return -1;
        return MSS[(cookie >>> 24) & 7];
    }

    /** Our timestamp for a cookie SYN-ACK: the clock with the options in its low bits, never ahead of it. */
    static int timestamp(int clock, int peerWindowScale, boolean sack) {
        int bits = (peerWindowScale >= 0 ? peerWindowScale : NO_SCALE) | (sack ? 0x10 : 0);
        int ts = (clock & ~OPTION_BITS) | bits;
        return Seq.gt(ts, clock) ? ts - (OPTION_BITS + 1) : ts;
    }

    /** The peer's window shift from an echoed cookie timestamp, -1 for none. */
    static int windowScale(int tsEcr) {
        int s = tsEcr & 0xf;
        return s == NO_SCALE ? -1 : Math.min(s, TcpOptions.MAX_WINDOW_SCALE);
    }

    static boolean sack(int tsEcr) {
        return (tsEcr & 0x10) != 0;
    }

    private static int hash(IsnGenerator isn, int localAddr, int localPort, int remoteAddr, int remotePort, int irs, long period) {
        long a = ((long) localAddr << 32) | (remoteAddr & 0xffffffffL);
        long b = ((long) (localPort & 0xffff) << 48) | ((long) (remotePort & 0xffff) << 32) | (irs & 0xffffffffL);
        return (int) isn.hash(a, b, TAG ^ period) & HASH_MASK;
    }
}

package io.github.jnic.net.tcp;

/**
 * NewReno congestion control (RFC 5681, RFC 6582): slow start with appropriate byte counting
 * (RFC 3465, L = 2), congestion avoidance of one MSS per window, ssthresh at half the flight size
 * on loss, and one MSS after a retransmission timeout.
 */
public final class NewReno implements CongestionControl {
    private int mss = 536;
    private int cwnd;
    private int ssthresh = Integer.MAX_VALUE;
    private int initialWindow;
    /** Bytes acknowledged since cwnd last grew in congestion avoidance. */
    private long avoidanceAcked;

    @Override
    public void mssChanged(int mss) {
        this.mss = mss;
    }

    @Override
    public void init(int mss, int initialWindowSegments) {
        this.mss = mss;
        // RFC 6928: IW = min(10*MSS, max(2*MSS, 14600)) for ten segments; generalised for others.
        this.initialWindow = initialWindowSegments >= 10
                ? Math.min(initialWindowSegments * mss, Math.max(2 * mss, 14600))
                : initialWindowSegments * mss;
        this.cwnd = initialWindow;
        this.avoidanceAcked = 0;
    }

    @Override public int cwnd() { return cwnd; }
    @Override public int ssthresh() { return ssthresh; }

    @Override
    public void onAck(int ackedBytes, int flightSize, long now) {
        if (cwnd < ssthresh) {
            cwnd = saturatedAdd(cwnd, Math.min(ackedBytes, 2 * mss));
        } else {
            avoidanceAcked += ackedBytes;
            if (avoidanceAcked >= cwnd) {
                avoidanceAcked -= cwnd;
                cwnd = saturatedAdd(cwnd, mss);
            }
        }
    }

    @Override
    public void onEnterRecovery(int flightSize, long now) {
        ssthresh = Math.max(flightSize / 2, 2 * mss);
        cwnd = ssthresh;
        avoidanceAcked = 0;
    }

    @Override
    public void onExitRecovery(int flightSize, long now) {
        // RFC 6582 section 3.2 step 3, option 1: deflate to ssthresh, but avoid a burst.
        cwnd = Math.min(ssthresh, Math.max(flightSize, mss) + mss);
    }

    @Override
    public void onRetransmissionTimeout(int flightSize, boolean repeated, long now) {
        if (!repeated) ssthresh = Math.max(flightSize / 2, 2 * mss);
        cwnd = mss;
        avoidanceAcked = 0;
    }

    @Override
    public void onIdleRestart(long now) {
        cwnd = Math.min(cwnd, initialWindow);
    }

    @Override public String name() { return "newreno"; }

    private static int saturatedAdd(int a, int b) {
        long s = (long) a + b;
        return s > Integer.MAX_VALUE / 2 ? Integer.MAX_VALUE / 2 : (int) s;
    }
}

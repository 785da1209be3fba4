package io.github.jnic.net.tools;

import java.util.Locale;

/**
 * What ping(8) of iputils counts: requests sent, replies received, errors (an ICMP error or no
 * route instead of a reply), and the round-trip times' minimum, average, maximum and mean
 * deviation ({@code mdev}: the standard deviation, sqrt(mean(t²) - mean(t)²), as iputils computes it).
 */
public final class PingStatistics {
    private final String target;
    private int transmitted, received, errors;
    private long min = Long.MAX_VALUE, max;
    private double sum, sumOfSquares;
    private long elapsedNanos;

    public PingStatistics(String target) { this.target = target; }

    /** One request sent. */
    public void sent() { transmitted++; }

    /** A reply after {@code rttNanos}. */
    public void replied(long rttNanos) {
        received++;
        min = Math.min(min, rttNanos);
        max = Math.max(max, rttNanos);
        sum += rttNanos;
        sumOfSquares += (double) rttNanos * rttNanos;
    }

    /** An error came back instead of a reply. */
    public void failed() { errors++; }

    /** How long the whole run took (printed as "time" in the summary). */
    public void elapsed(long nanos) { this.elapsedNanos = nanos; }

    public int transmitted() { return transmitted; }
    public int received() { return received; }
    public int errors() { return errors; }

    /** Percentage of requests without a reply. */
    public double lossPercent() { return transmitted == 0 ? 0 : (transmitted - received) * 100.0 / transmitted; }

    public long minNanos() { return received == 0 ? 0 : min; }
    public long maxNanos() { return max; }
    public double avgNanos() { return received == 0 ? 0 : sum / received; }

    public double mdevNanos() {
        if (received == 0) return 0;
        double avg = sum / received;
        return Math.sqrt(Math.max(0, sumOfSquares / received - avg * avg));
    }

    /**
     * The summary as iputils prints it:
     * <pre>
     * --- 10.0.0.1 ping statistics ---
     * 3 packets transmitted, 3 received, 0% packet loss, time 2003ms
     * rtt min/avg/max/mdev = 0.045/0.060/0.081/0.015 ms
     * </pre>
     * (the rtt line only when a reply came, "+N errors" only when errors came).
     */
    public String summary() {
        StringBuilder s = new StringBuilder("--- ").append(target).append(" ping statistics ---\n");
        s.append(transmitted).append(" packets transmitted, ").append(received).append(" received, ");
        if (errors > 0) s.append('+').append(errors).append(" errors, ");
        s.append(percent(lossPercent())).append("% packet loss, time ").append(elapsedNanos / 1_000_000).append("ms\n");
        if (received > 0) {
            s.append(String.format(Locale.ROOT, "rtt min/avg/max/mdev = %.3f/%.3f/%.3f/%.3f ms%n",
                    minNanos() / 1e6, avgNanos() / 1e6, maxNanos() / 1e6, mdevNanos() / 1e6));
        }
        return s.toString();
    }

    /** C's {@code %g}, as iputils prints the loss: "0", "25", "33.3333". */
    static String percent(double v) {
        String s = new java.math.BigDecimal(v).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
        return s;
    }
}

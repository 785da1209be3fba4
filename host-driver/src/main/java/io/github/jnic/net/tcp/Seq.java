package io.github.jnic.net.tcp;

/**
 * Sequence-number arithmetic modulo 2^32 (RFC 9293 section 3.4): sequence numbers are plain
 * {@code int}s and compare by the sign of their difference, so they wrap freely.
 */
public final class Seq {
    private Seq() {}

    public static boolean lt(int a, int b) { return a - b < 0; }
    public static boolean le(int a, int b) { return a - b <= 0; }
    public static boolean gt(int a, int b) { return a - b > 0; }
    public static boolean ge(int a, int b) { return a - b >= 0; }
    /** Whether {@code lo <= x < hi}. */
    public static boolean inRange(int x, int lo, int hi) { return le(lo, x) && lt(x, hi); }
    public static int max(int a, int b) { return gt(a, b) ? a : b; }
    public static int min(int a, int b) { return lt(a, b) ? a : b; }
}

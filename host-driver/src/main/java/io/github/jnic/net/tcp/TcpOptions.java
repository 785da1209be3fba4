package io.github.jnic.net.tcp;

/**
 * The TCP options jnic speaks: MSS (RFC 9293), window scale and timestamps (RFC 7323), SACK-permitted
 * and SACK blocks (RFC 2018). One instance is reused for every segment parsed, so parsing allocates
 * nothing; the static writers lay options out in the order Linux uses.
 */
public final class TcpOptions {

    public static final int KIND_END = 0;
    public static final int KIND_NOP = 1;
    public static final int KIND_MSS = 2;
    public static final int KIND_WINDOW_SCALE = 3;
    public static final int KIND_SACK_PERMITTED = 4;
    public static final int KIND_SACK = 5;
    public static final int KIND_TIMESTAMPS = 8;

    /** Largest shift RFC 7323 allows. */
    public static final int MAX_WINDOW_SCALE = 14;
    /** SACK blocks that fit next to timestamps in 40 option bytes. */
    public static final int MAX_SACK_BLOCKS = 4;

    /** Bytes of the SYN options written by {@link #writeSyn} with everything on. */
    public static final int SYN_LENGTH = 20;
    /** Bytes of the timestamp option with its two NOPs. */
    public static final int TIMESTAMPS_LENGTH = 12;

    /** -1 when absent. */
    public int mss;
    /** -1 when absent; otherwise the shift, clamped to 14. */
    public int windowScale;
    public boolean sackPermitted;
    public boolean timestamps;
    public int tsVal;
    public int tsEcr;
    public int sackBlocks;
    public final int[] sackLeft = new int[MAX_SACK_BLOCKS];
    public final int[] sackRight = new int[MAX_SACK_BLOCKS];

    public void clear() {
        mss = -1;
        windowScale = -1;
        sackPermitted = false;
        timestamps = false;
        tsVal = tsEcr = 0;
        sackBlocks = 0;
    }

    /**
     * Parses {@code data[start, start+length)}. Unknown options are skipped; returns false (leaving
     * what was read so far) when an option's length runs past the end or is impossible.
     */
    public boolean parse(byte[] data, int start, int length) {
        clear();
        int i = start;
        int end = start + length;
        while (i < end) {
            int kind = data[i] & 0xff;
            if (kind == KIND_END) return true;
            if (kind == KIND_NOP) { i++; continue; }
            if (i + 1 >= end) return false;
            int len = data[i + 1] & 0xff;
            if (len < 2 || i + len > end) return false;
            switch (kind) {
                case KIND_MSS -> {
                    if (len != 4) return false;
                    mss = u16(data, i + 2);
                }
                case KIND_WINDOW_SCALE -> {
                    if (len != 3) return false;
                    windowScale = Math.min(data[i + 2] & 0xff, MAX_WINDOW_SCALE);
                }
                case KIND_SACK_PERMITTED -> {
                    if (len != 2) return false;
                    sackPermitted = true;
                }
                case KIND_TIMESTAMPS -> {
                    if (len != 10) return false;
                    timestamps = true;
                    tsVal = s32(data, i + 2);
                    tsEcr = s32(data, i + 6);
                }
                case KIND_SACK -> {
                    if ((len - 2) % 8 != 0) return false;
                    int n = Math.min((len - 2) / 8, MAX_SACK_BLOCKS);
                    for (int b = 0; b < n; b++) {
                        sackLeft[b] = s32(data, i + 2 + 8 * b);
                        sackRight[b] = s32(data, i + 6 + 8 * b);
                    }
                    sackBlocks = n;
                }
                default -> { }
            }
            i += len;
        }
        return true;
    }

    /**
     * Writes SYN options at {@code data[at]}: MSS, then each of SACK-permitted, timestamps and window
     * scale ({@code windowScale < 0} to leave out). Returns the bytes written, a multiple of 4.
     */
    public static int writeSyn(byte[] data, int at, int mss, boolean sackPermitted, boolean timestamps,
                               int tsVal, int tsEcr, int windowScale) {
        int i = at;
        data[i++] = KIND_MSS; data[i++] = 4; put16(data, i, mss); i += 2;
        if (sackPermitted && timestamps) {
            data[i++] = KIND_SACK_PERMITTED; data[i++] = 2;
            i = writeTimestampBody(data, i, tsVal, tsEcr);
        } else if (timestamps) {
            data[i++] = KIND_NOP; data[i++] = KIND_NOP;
            i = writeTimestampBody(data, i, tsVal, tsEcr);
        } else if (sackPermitted) {
            data[i++] = KIND_NOP; data[i++] = KIND_NOP;
            data[i++] = KIND_SACK_PERMITTED; data[i++] = 2;
        }
        if (windowScale >= 0) {
            data[i++] = KIND_NOP;
            data[i++] = KIND_WINDOW_SCALE; data[i++] = 3; data[i++] = (byte) windowScale;
        }
        return i - at;
    }

    /** Bytes {@link #writeSyn} will write for these choices. */
    public static int synLength(boolean sackPermitted, boolean timestamps, boolean windowScale) {
        return 4 + (timestamps ? 12 : sackPermitted ? 4 : 0) + (windowScale ? 4 : 0);
    }

    /** Writes NOP, NOP, timestamps: 12 bytes. */
    public static int writeTimestamps(byte[] data, int at, int tsVal, int tsEcr) {
        data[at] = KIND_NOP;
        data[at + 1] = KIND_NOP;
        writeTimestampBody(data, at + 2, tsVal, tsEcr);
        return TIMESTAMPS_LENGTH;
    }

    /** Writes NOP, NOP, SACK with {@code n} blocks from the arrays: {@link #sackLength} bytes. */
    public static int writeSack(byte[] data, int at, int[] left, int[] right, int n) {
        data[at] = KIND_NOP;
        data[at + 1] = KIND_NOP;
        data[at + 2] = KIND_SACK;
        data[at + 3] = (byte) (2 + 8 * n);
        for (int b = 0; b < n; b++) {
            put32(data, at + 4 + 8 * b, left[b]);
            put32(data, at + 8 + 8 * b, right[b]);
        }
        return sackLength(n);
    }

    public static int sackLength(int blocks) {
        return blocks == 0 ? 0 : 4 + 8 * blocks;
    }

    private static int writeTimestampBody(byte[] data, int i, int tsVal, int tsEcr) {
        data[i] = KIND_TIMESTAMPS;
        data[i + 1] = 10;
        put32(data, i + 2, tsVal);
        put32(data, i + 6, tsEcr);
        return i + 10;
    }

    private static int u16(byte[] d, int i) { return ((d[i] & 0xff) << 8) | (d[i + 1] & 0xff); }
    private static int s32(byte[] d, int i) { return (u16(d, i) << 16) | u16(d, i + 2); }
    private static void put16(byte[] d, int i, int v) { d[i] = (byte) (v >>> 8); d[i + 1] = (byte) v; }
    private static void put32(byte[] d, int i, int v) { put16(d, i, v >>> 16); put16(d, i + 2, v); }
}

package io.github.jnic.net.wire;

/** Big-endian (network order) field access at absolute offsets into a byte array. */
public final class Bytes {
    private Bytes() {}

    public static int get8(byte[] b, int at) { return b[at] & 0xff; }

    public static int get16(byte[] b, int at) { return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff); }

    public static int get32(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }

    public static void put8(byte[] b, int at, int v) { b[at] = (byte) v; }

    public static void put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    public static void put32(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    /** Whether {@code a[aOff, aOff+len)} equals {@code b[bOff, bOff+len)}. */
    public static boolean equal(byte[] a, int aOff, byte[] b, int bOff, int len) {
        for (int i = 0; i < len; i++) if (a[aOff + i] != b[bOff + i]) return false;
        return true;
    }
}

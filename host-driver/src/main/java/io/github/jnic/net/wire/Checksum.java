package io.github.jnic.net.wire;

/**
 * The Internet checksum (RFC 1071): a 16-bit ones'-complement sum. Partial sums are kept as
 * unfolded {@code long}s so pieces (pseudo-header, header, payload) add up in any order.
 */
public final class Checksum {
    private Checksum() {}

    /**
     * Adds {@code data[off, off+len)} as big-endian 16-bit words (odd tail padded with zero). Reads
     * 32-bit words: hi * 2^16 + lo equals hi + lo modulo 2^16 - 1, so the folded sum is the same.
     */
    public static long add(long sum, byte[] data, int off, int len) {
        int i = off;
        int stop = off + (len & ~3);
        for (; i < stop; i += 4) sum += (int) BIG_ENDIAN_INT.get(data, i) & 0xffffffffL;
        if ((len & 2) != 0) {
            sum += ((data[i] & 0xff) << 8) | (data[i + 1] & 0xff);
            i += 2;
        }
        if ((len & 1) != 0) sum += (data[i] & 0xff) << 8;
        return sum;
    }

    private static final java.lang.invoke.VarHandle BIG_ENDIAN_INT =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, java.nio.ByteOrder.BIG_ENDIAN);

    /** Adds a 16-bit word. */
    public static long add16(long sum, int word) {
        return sum + (word & 0xffff);
    }

    /** Adds a 32-bit value as two 16-bit words (an IPv4 address, say). */
    public static long add32(long sum, int value) {
        return sum + ((value >>> 16) & 0xffff) + (value & 0xffff);
    }

    /** Folds carries into 16 bits (not inverted). */
    public static int fold(long sum) {
        while ((sum >>> 16) != 0) sum = (sum & 0xffff) + (sum >>> 16);
        return (int) sum;
    }

    /** The value to store in a checksum field: folded and inverted. */
    public static int finish(long sum) {
        return ~fold(sum) & 0xffff;
    }

    /** Sum of the IPv4 pseudo-header for TCP/UDP (RFC 793 / RFC 768). */
    public static long pseudoHeader(int src, int dst, int protocol, int length) {
        return add32(add32(0, src), dst) + protocol + length;
    }

    /** Checksum of {@code data[off, off+len)} alone, ready to store. */
    public static int of(byte[] data, int off, int len) {
        return finish(add(0, data, off, len));
    }
}

package io.github.jnic.net.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071): a 16-bit ones'-complement sum. Partial sums are kept as
 * unfolded {@code long}s so pieces (pseudo-header, header, payload) add up in any order.
 */
public final class Checksum {
    private Checksum() {}

    /**
     * Adds {@code data[off, off+len)} as big-endian 16-bit words (odd tail padded with zero). The
     * sum runs over 64-bit little-endian words, each split into two 32-bit halves, and is swapped
     * back at the end: the ones'-complement sum does not care about byte order as long as every
     * word is read the same way (RFC 1071, 2.B), and little-endian is how x86 and ARM read.
     */
    public static long add(long sum, byte[] data, int off, int len) {
        long s = 0;
        int i = off;
        for (int stop = off + (len & ~7); i < stop; i += 8) {
            long w = (long) LITTLE_ENDIAN_LONG.get(data, i);
            s += (w >>> 32) + (w & 0xffffffffL);
        }
        for (int stop = off + len - 1; i < stop; i += 2) s += (data[i] & 0xff) | (data[i + 1] & 0xff) << 8;
        if (i < off + len) s += data[i] & 0xff;
        return sum + swapped(s);
    }

    /**
     * Adds {@code data[index, index+len)} of a buffer, as {@link #add(long, byte[], int, int)}, with
     * 64-bit reads in the buffer's own byte order (little-endian is the cheap one on x86 and ARM).
     */
    public static long add(long sum, ByteBuffer data, int index, int len) {
        boolean little = data.order() == ByteOrder.LITTLE_ENDIAN;
        long s = 0;
        int i = index;
        for (int stop = index + (len & ~7); i < stop; i += 8) {
            long w = data.getLong(i);
            s += (w >>> 32) + (w & 0xffffffffL);
        }
        for (int stop = index + len - 1; i < stop; i += 2) s += data.getShort(i) & 0xffff;
        if (i < index + len) s += little ? data.get(i) & 0xff : (data.get(i) & 0xff) << 8;
        return sum + (little ? swapped(s) : s);
    }

    /**
     * A partial sum as it counts when its bytes start at an odd offset from the checksummed
     * region's start: every byte changes place within its 16-bit word.
     */
    public static long atOddOffset(long sum) {
        return swapped(sum);
    }

    /** A little-endian sum folded to 16 bits and byte-swapped: the big-endian sum of the same bytes. */
    private static long swapped(long s) {
        int f = fold(s);
        return ((f & 0xff) << 8) | (f >>> 8);
    }

    private static final VarHandle LITTLE_ENDIAN_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

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

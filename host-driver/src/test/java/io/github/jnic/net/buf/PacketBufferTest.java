package io.github.jnic.net.buf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.net.wire.Checksum;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PacketBufferTest {

    /** Fills {@code b} with random bytes, which it returns, in big- or little-endian order by turns. */
    private static byte[] refill(SplittableRandom r, ByteBuffer b, int turn) {
        byte[] bytes = new byte[b.capacity()];
        r.nextBytes(bytes);
        b.put(0, bytes);
        b.order(turn % 2 == 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        return bytes;
    }

    @Test
    void aBufferSumsAsTheArrayWithTheSameBytesInEitherByteOrder() {
        SplittableRandom r = new SplittableRandom(7);
        ByteBuffer direct = ByteBuffer.allocateDirect(300);
        for (int t = 0; t < 5000; t++) {
            byte[] d = refill(r, direct, t);
            int off = r.nextInt(0, 16), len = r.nextInt(0, 280);
            long start = r.nextLong(0, 1L << 40);
            assertEquals(Checksum.fold(Checksum.add(start, d, off, len)), Checksum.fold(Checksum.add(start, direct, off, len)), "length " + len);
        }
    }

    /**
     * The software checksum reads a gathered piece where it lies, at even and odd offsets, with and
     * without bytes after it, and stores what the same bytes give once copied in; the piece stays
     * where it is.
     */
    @Test
    void theSoftwareChecksumOfAGatheredPieceIsTheChecksumOfTheLinearBytes() {
        SplittableRandom r = new SplittableRandom(11);
        ByteBuffer source = ByteBuffer.allocateDirect(2048);
        for (int t = 0; t < 2000; t++) {
            byte[] bytes = refill(r, source, t);
            int head = r.nextInt(8, 80), piece = r.nextInt(1, 1500), tail = r.nextInt(0, 5), index = r.nextInt(0, 400);
            int checksumAt = r.nextInt(0, head - 2) & ~1;

            PacketBuffer gathered = PacketBuffer.allocate(2048, 64);
            int at = gathered.append(head + piece + tail);
            r.nextBytes(bytes);
            System.arraycopy(bytes, 0, gathered.data(), at, head + piece + tail);
            byte[] span = gatherInPieces(r, gathered, source, index, at + head, piece);
            gathered.requestChecksum(at, checksumAt);

            PacketBuffer linear = PacketBuffer.allocate(2048, 64);
            linear.append(head + piece + tail);
            System.arraycopy(gathered.data(), at, linear.data(), linear.start(), head + piece + tail);
            System.arraycopy(span, 0, linear.data(), linear.start() + head, piece);
            linear.requestChecksum(linear.start(), checksumAt);

            gathered.completeChecksum();
            linear.completeChecksum();
            assertTrue(gathered.gathers(), "the piece is still to be gathered");
            gathered.linearize();
            assertArrayEquals(linear.toByteArray(), gathered.toByteArray(), "head " + head + ", piece " + piece + ", tail " + tail);
        }
    }

    /** Any range of a window copied out, across, before or after the piece, is those bytes of the linearized window. */
    @Test
    void copyToGivesTheWindowsBytesWithThePieceReadWhereItLies() {
        SplittableRandom r = new SplittableRandom(13);
        ByteBuffer source = ByteBuffer.allocateDirect(2048);
        ByteBuffer out = ByteBuffer.allocateDirect(4096);
        for (int t = 0; t < 2000; t++) {
            byte[] bytes = refill(r, source, t);
            int head = r.nextInt(0, 80), piece = r.nextInt(0, 1500), tail = r.nextInt(0, 40), index = r.nextInt(0, 400);
            PacketBuffer b = PacketBuffer.allocate(2048, 64);
            int at = b.append(head + piece + tail);
            r.nextBytes(bytes);
            System.arraycopy(bytes, 0, b.data(), at, head + piece + tail);
            byte[] span = gatherInPieces(r, b, source, index, at + head, piece);
            int from = r.nextInt(0, b.length() + 1), length = r.nextInt(0, b.length() - from + 1), dstAt = r.nextInt(0, 1000);
            b.copyTo(from, length, out, dstAt);
            byte[] got = new byte[length];
            out.get(dstAt, got);
            byte[] whole = b.toByteArray();
            assertArrayEquals(java.util.Arrays.copyOfRange(whole, from, from + length), got, "head " + head + ", piece " + piece + ", [" + from + "+" + length + ")");
            assertArrayEquals(span, java.util.Arrays.copyOfRange(whole, head, head + piece), "the pieces in order");
        }
    }

    /**
     * Leaves {@code length} bytes at {@code at} to gather in 1 to MAX_PIECES pieces, each from its
     * own place in {@code source} (from {@code index} on, with gaps); returns the bytes they stand for.
     */
    static byte[] gatherInPieces(SplittableRandom r, PacketBuffer b, ByteBuffer source, int index, int at, int length) {
        int n = r.nextInt(1, PacketBuffer.MAX_PIECES + 1);
        byte[] span = new byte[length];
        int done = 0, from = index;
        for (int i = 0; i < n && done < length; i++) {
            int m = i == n - 1 ? length - done : r.nextInt(0, length - done + 1);
            if (from + m > source.capacity()) from = 0;
            b.gatherLater(source, 0, from, at + done, m);
            source.get(from, span, done, m);
            done += m;
            from += m + r.nextInt(0, 9);
        }
        if (done < length) {   // the last piece takes the rest
            b.gatherLater(source, 0, 0, at + done, length - done);
            source.get(0, span, done, length - done);
        }
        return span;
    }
}

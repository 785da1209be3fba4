package io.github.jnic.net.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.net.wire.Checksum;
import io.github.jnic.net.wire.TcpHeader;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The TCP header view, the options codec and the checksum, against hand-computed bytes and a reference sum. */
class TcpWireTest {

    /** A SYN laid out as Linux sends it (MSS, SACK-permitted, timestamps, NOP, window scale 7), 10.0.0.1:40000 to :80. */
    static final String LINUX_SYN = "9c400050" + "3ade68b1" + "00000000" + "a002" + "faf0" + "0000" + "0000"
            + "020405b4" + "0402" + "080a" + "001e8480" + "00000000" + "01" + "030307";

    @Test
    void headerFieldsReadAndWriteInPlace() {
        byte[] b = HexFormat.of().parseHex(LINUX_SYN);
        TcpHeader h = new TcpHeader().wrap(b, 0);
        assertEquals(40000, h.sourcePort());
        assertEquals(80, h.destinationPort());
        assertEquals(0x3ade68b1, h.sequenceNumber());
        assertEquals(40, h.headerLength());
        assertEquals(TcpHeader.SYN, h.flags());
        assertEquals(64240, h.window());
        h.fillChecksum(0x0a000001, 0x0a000002, b.length);
        assertTrue(h.checksumValid(0x0a000001, 0x0a000002, b.length));
        assertFalse(h.checksumValid(0x0a000001, 0x0a000003, b.length), "the pseudo-header counts");
        h.acknowledgmentNumber(0xfedcba98).flags(TcpHeader.SYN | TcpHeader.ACK);
        assertEquals("fedcba98", HexFormat.of().formatHex(b, 8, 12));
        assertEquals("SYN|ACK", TcpHeader.flagNames(h.flags()));
    }

    @Test
    void optionsParseLinuxSynAndWriteTheSameLayout() {
        byte[] b = HexFormat.of().parseHex(LINUX_SYN);
        TcpOptions o = new TcpOptions();
        assertTrue(o.parse(b, 20, 20));
        assertEquals(1460, o.mss);
        assertEquals(7, o.windowScale);
        assertTrue(o.sackPermitted);
        assertTrue(o.timestamps);
        assertEquals(2000000, o.tsVal);
        assertEquals(0, o.tsEcr);
        byte[] ours = new byte[20];
        assertEquals(20, TcpOptions.writeSyn(ours, 0, 1460, true, true, 2000000, 0, 7));
        assertArrayEquals(java.util.Arrays.copyOfRange(b, 20, 40), ours, "byte for byte what Linux sends");
        assertEquals(20, TcpOptions.synLength(true, true, true));
    }

    @Test
    void sackBlocksRoundTripAndBadLengthsAreRejected() {
        byte[] b = new byte[40];
        int n = TcpOptions.writeTimestamps(b, 0, 7, 9);
        n += TcpOptions.writeSack(b, n, new int[] {100, -5}, new int[] {200, 10}, 2);
        TcpOptions o = new TcpOptions();
        assertTrue(o.parse(b, 0, n));
        assertEquals(2, o.sackBlocks);
        assertEquals(-5, o.sackLeft[1]);
        assertEquals(10, o.sackRight[1]);
        assertEquals(9, o.tsEcr);
        assertFalse(o.parse(new byte[] {2, 4, 5}, 0, 3), "MSS running past the end");
        assertFalse(o.parse(new byte[] {8, 6, 0, 0, 0, 0}, 0, 6), "timestamps of the wrong length");
        assertFalse(o.parse(new byte[] {5, 7, 0, 0, 0, 0, 0}, 0, 7), "SACK not a multiple of 8");
        assertFalse(o.parse(new byte[] {30, 1}, 0, 2), "an option shorter than its own header");
        assertTrue(o.parse(new byte[] {30, 3, 0, 0}, 0, 4), "unknown options are skipped");
        assertTrue(o.parse(new byte[] {1, 1, 0, 8, 8}, 0, 5), "nothing is read after END");
        assertEquals(-1, o.mss);
    }

    @Test
    void windowScaleAboveFourteenIsClamped() {
        TcpOptions o = new TcpOptions();
        assertTrue(o.parse(new byte[] {3, 3, 20, 0}, 0, 4));
        assertEquals(14, o.windowScale);
    }

    @Test
    void checksumMatchesAPlainSixteenBitSum() {
        SplittableRandom r = new SplittableRandom(3);
        for (int t = 0; t < 20000; t++) {
            int len = r.nextInt(0, 200);
            int off = r.nextInt(0, 8);
            byte[] d = new byte[off + len];
            r.nextBytes(d);
            long reference = 0;
            for (int i = 0; i < len; i += 2) reference += ((d[off + i] & 0xff) << 8) | (i + 1 < len ? d[off + i + 1] & 0xff : 0);
            long start = r.nextLong(0, 1L << 40);
            assertEquals(Checksum.fold(start + reference), Checksum.fold(Checksum.add(start, d, off, len)), "length " + len);
        }
    }

    @Test
    void sequenceNumbersCompareAcrossTheWrap() {
        assertTrue(Seq.lt(0xfffffff0, 0x10));
        assertTrue(Seq.gt(0x10, 0xfffffff0));
        assertTrue(Seq.inRange(0, 0xfffffff0, 0x10));
        assertFalse(Seq.inRange(0x10, 0xfffffff0, 0x10));
        assertEquals(0x10, Seq.max(0xfffffff0, 0x10));
    }
}

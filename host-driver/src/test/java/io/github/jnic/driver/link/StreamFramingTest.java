package io.github.jnic.driver.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamFramingTest {

    private static byte[] b(int... v) {
        byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++) out[i] = (byte) v[i];
        return out;
    }

    @Test
    void crcIsCcittFalseByItsCheckValue() {
        // The catalogue's check value for CRC-16/CCITT-FALSE over "123456789".
        assertEquals(0x29B1, StreamFraming.crc16("123456789".getBytes(StandardCharsets.US_ASCII), 0, 9));
    }

    @Test
    void cobsMatchesThePublishedExamples() {
        assertArrayEquals(b(0x01, 0x01, 0x00), StreamFraming.cobs(b(0x00)));
        assertArrayEquals(b(0x01, 0x01, 0x01, 0x00), StreamFraming.cobs(b(0x00, 0x00)));
        assertArrayEquals(b(0x03, 0x11, 0x22, 0x02, 0x33, 0x00), StreamFraming.cobs(b(0x11, 0x22, 0x00, 0x33)));
        assertArrayEquals(b(0x05, 0x11, 0x22, 0x33, 0x44, 0x00), StreamFraming.cobs(b(0x11, 0x22, 0x33, 0x44)));
        assertArrayEquals(b(0x02, 0x11, 0x01, 0x01, 0x01, 0x00), StreamFraming.cobs(b(0x11, 0x00, 0x00, 0x00)));
        // 254 non-zero bytes then a zero: a full 0xFF block, then the zero as a group of its own.
        byte[] run = new byte[255];
        for (int i = 0; i < 254; i++) run[i] = (byte) (i + 1);
        byte[] enc = StreamFraming.cobs(run);
        assertEquals(254 + 4, enc.length);
        assertEquals((byte) 0xFF, enc[0]);
        assertArrayEquals(b(0x01, 0x01, 0x00), java.util.Arrays.copyOfRange(enc, 255, 258));
        for (byte[] in : List.of(run, b(0), b(1, 0, 2), new byte[600])) {
            byte[] e = StreamFraming.cobs(in);
            assertArrayEquals(in, StreamFraming.uncobs(java.util.Arrays.copyOf(e, e.length - 1)));
        }
    }

    @Test
    void messagesSurviveTheStreamAndACorruptFrameIsDroppedAlone() {
        List<LinkMessage> sent = List.of(LinkMessage.regWrite(0x10, 0), LinkMessage.dmaWrite(0x1000, new byte[300]),
                LinkMessage.irq(true), LinkMessage.dmaData(7, b(0, 0, 1, 0)));
        List<byte[]> wire = new ArrayList<>();
        for (LinkMessage m : sent) wire.add(StreamFraming.encode(m.numbered(5, 9)));
        wire.get(1)[40] ^= 0x04;   // one flipped bit inside the second frame
        StreamFraming rx = new StreamFraming();
        List<LinkMessage> got = new ArrayList<>();
        for (int x : b(0x37, 0x99)) assertNull(rx.accept(x));   // joins mid-frame: garbage before a delimiter
        rx.accept(0);
        for (byte[] f : wire) for (byte x : f) { LinkMessage m = rx.accept(x); if (m != null) got.add(m); }
        assertEquals(List.of(sent.get(0).numbered(5, 9), sent.get(2).numbered(5, 9), sent.get(3).numbered(5, 9)), got);
        assertEquals(2, rx.rejected());
    }
}

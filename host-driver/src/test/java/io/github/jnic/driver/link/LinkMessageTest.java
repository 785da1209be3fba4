package io.github.jnic.driver.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LinkMessageTest {

    @Test
    void layoutIsTheDocumentedBigEndianHeader() {
        byte[] e = LinkMessage.dmaWrite(0x0000_0001_2345_6780L, new byte[] {(byte) 0xaa, (byte) 0xbb}).numbered(0x0102, 0xfffe).encode();
        byte[] want = {0x12, 0, 0x01, 0x02, (byte) 0xff, (byte) 0xfe,
                0, 0, 0, 1, 0x23, 0x45, 0x67, (byte) 0x80,
                0, 0, 0, 0, 0, 2, (byte) 0xaa, (byte) 0xbb};
        assertArrayEquals(want, e);
        byte[] r = LinkMessage.dmaRead(9, 0x40, 256).encode();
        assertEquals(0x10, r[0]);
        assertEquals(9, r[1]);
        assertEquals(256, java.nio.ByteBuffer.wrap(r, 14, 4).getInt());
    }

    @Test
    void decodeRoundTripsAcceptsPaddingAndRefusesWhatIsNotAMessage() {
        LinkMessage m = LinkMessage.dmaData(3, new byte[] {1, 2, 3}).numbered(7, 8);
        byte[] padded = Arrays.copyOf(m.encode(), 46);   // an Ethernet payload padded to its minimum
        assertEquals(m, LinkMessage.decode(padded, 0, padded.length));
        byte[] shortOne = Arrays.copyOf(m.encode(), m.encodedBytes() - 1);
        assertNull(LinkMessage.decode(shortOne, 0, shortOne.length));
        byte[] unknown = m.encode();
        unknown[0] = 0x55;
        assertNull(LinkMessage.decode(unknown, 0, unknown.length));
        byte[] zeroRead = LinkMessage.dmaRead(1, 0, 4).encode();
        zeroRead[17] = 0;
        assertNull(LinkMessage.decode(zeroRead, 0, zeroRead.length));
    }
}

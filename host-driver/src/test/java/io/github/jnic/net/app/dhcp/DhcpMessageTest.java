package io.github.jnic.net.app.dhcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.net.app.MalformedException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class DhcpMessageTest {
    static final byte[] MAC = {0x02, 0x00, 0x5e, 0x10, 0x20, 0x30};

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("\\s", ""));
    }

    @Test
    void writesTheBootpLayoutByteForByte() {
        byte[] m = new DhcpWriter(DhcpMessage.BOOTREQUEST, 0x3903f326, MAC)
                .secs(3)
                .broadcastFlag(true)
                .optionByte(DhcpMessage.MESSAGE_TYPE, DhcpMessage.DISCOVER)
                .optionInt(DhcpMessage.REQUESTED_ADDRESS, 0xc0a80164)
                .toByteArray();
        assertEquals(300, m.length, "padded to the BOOTP minimum");
        assertArrayEquals(hex("01 01 06 00 3903f326 0003 8000 00000000 00000000 00000000 00000000 02005e102030"), Arrays.copyOf(m, 34));
        assertArrayEquals(new byte[10 + 64 + 128], Arrays.copyOfRange(m, 34, 236), "chaddr padding, sname and file are zero");
        assertArrayEquals(hex("63825363 3501 01 3204 c0a80164 ff"), Arrays.copyOfRange(m, 236, 236 + 4 + 3 + 6 + 1));
    }

    /** An OFFER written out by hand from RFC 2131 §2 and RFC 2132. */
    static byte[] offer() {
        byte[] m = new byte[300];
        byte[] head = hex("02 01 06 00 3903f326 0000 0000 00000000 c0a80164 c0a80101 00000000 02005e102030");
        System.arraycopy(head, 0, m, 0, head.length);
        byte[] opts = hex("63825363 350102 3604c0a80101 3304 00000e10 0104ffffff00 0308c0a80101c0a801fe 060408080808 0f076578616d706c65 ff");
        System.arraycopy(opts, 0, m, 236, opts.length);
        return m;
    }

    @Test
    void readsAHandWrittenOffer() {
        DhcpMessage m = DhcpMessage.parse(offer());
        assertEquals(DhcpMessage.BOOTREPLY, m.op());
        assertEquals(0x3903f326, m.xid());
        assertEquals(DhcpMessage.OFFER, m.messageType());
        assertEquals(0xc0a80164, m.yiaddr());
        assertEquals(0xc0a80101, m.siaddr());
        assertTrue(m.chaddrIs(MAC));
        assertEquals(0xc0a80101, m.optionInt(DhcpMessage.SERVER_ID, 0));
        assertEquals(3600, m.optionInt(DhcpMessage.LEASE_TIME, 0));
        assertEquals(0xffffff00, m.optionInt(DhcpMessage.SUBNET_MASK, 0));
        assertEquals(List.of(0xc0a80101, 0xc0a801fe), m.optionAddresses(DhcpMessage.ROUTER));
        assertEquals(List.of(0x08080808), m.optionAddresses(DhcpMessage.DNS_SERVERS));
        assertEquals("example", m.optionString(DhcpMessage.DOMAIN_NAME));
        assertNull(m.option(DhcpMessage.HOST_NAME));
    }

    @Test
    void longOptionsAreSplitAndConcatenated() {
        String longName = "h".repeat(300);
        byte[] m = new DhcpWriter(DhcpMessage.BOOTREQUEST, 1, MAC).optionByte(DhcpMessage.MESSAGE_TYPE, 1).optionString(DhcpMessage.HOST_NAME, longName).toByteArray();
        assertEquals(255, m[240 + 3 + 1] & 0xff, "first piece is 255 bytes (RFC 3396)");
        assertEquals(longName, DhcpMessage.parse(m).optionString(DhcpMessage.HOST_NAME));
    }

    @Test
    void readsOptionsOverloadedIntoFileAndSname() {
        byte[] m = offer();
        // Move the domain name option into the file field, announced by option 52 = 1.
        byte[] opts = hex("63825363 350102 3604c0a80101 3304 00000e10 340101 ff");
        Arrays.fill(m, 236, 300, (byte) 0);
        System.arraycopy(opts, 0, m, 236, opts.length);
        byte[] inFile = hex("0f03 6a6e63 ff");
        System.arraycopy(inFile, 0, m, 108, inFile.length);
        assertEquals("jnc", DhcpMessage.parse(m).optionString(DhcpMessage.DOMAIN_NAME));
    }

    private static Enum<?> reason(byte[] m) {
        return assertThrows(MalformedException.class, () -> DhcpMessage.parse(m)).reason();
    }

    @Test
    void rejectsBrokenMessagesWithAReason() {
        assertEquals(DhcpReject.TRUNCATED, reason(Arrays.copyOf(offer(), 239)));
        byte[] cookie = offer();
        cookie[236] = 0;
        assertEquals(DhcpReject.BAD_COOKIE, reason(cookie));
        byte[] hlen = offer();
        hlen[2] = 17;
        assertEquals(DhcpReject.BAD_FIELD, reason(hlen));
        byte[] runsOff = Arrays.copyOf(offer(), 240 + 3 + 6 + 4);
        assertEquals(DhcpReject.TRUNCATED, reason(runsOff));
        byte[] bootp = offer();
        bootp[240] = 0; // the message type option becomes padding and garbage
        bootp[241] = 0;
        bootp[242] = 0;
        assertEquals(DhcpReject.NOT_DHCP, reason(bootp));
        byte[] badLease = offer();
        badLease[240 + 3 + 6 + 1] = 3; // lease time of 3 bytes: the rest shifts but stays in bounds
        assertEquals(DhcpReject.BAD_FIELD, reason(badLease));
        byte[] badType = offer();
        badType[242] = 9;
        assertEquals(DhcpReject.BAD_FIELD, reason(badType));
    }
}

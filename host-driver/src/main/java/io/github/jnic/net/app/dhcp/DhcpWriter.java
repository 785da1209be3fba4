package io.github.jnic.net.app.dhcp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Writes a DHCP message into a byte array: the fixed BOOTP header, the magic cookie, options, END,
 * and padding up to the 300 bytes that old BOOTP relays expect (RFC 1542 §2.1). Options longer than
 * 255 bytes are split into pieces (RFC 3396).
 */
public final class DhcpWriter {
    /** Room for any message this package writes (the RFC 2131 minimum a client must accept is 576 bytes of IP). */
    public static final int MAX_SIZE = 548;
    private static final int MIN_SIZE = 300;

    private final byte[] b = new byte[MAX_SIZE];
    private int pos = DhcpMessage.OPTIONS;

    public DhcpWriter(int op, int xid, byte[] chaddr) {
        b[0] = (byte) op;
        b[1] = 1; // Ethernet
        b[2] = (byte) chaddr.length;
        put32(DhcpMessage.XID, xid);
        System.arraycopy(chaddr, 0, b, DhcpMessage.CHADDR, chaddr.length);
        put32(DhcpMessage.COOKIE, DhcpMessage.MAGIC_COOKIE);
    }

    public DhcpWriter secs(int secs) {
        b[DhcpMessage.SECS] = (byte) (Math.min(secs, 0xffff) >>> 8);
        b[DhcpMessage.SECS + 1] = (byte) Math.min(secs, 0xffff);
        return this;
    }

    public DhcpWriter broadcastFlag(boolean on) {
        b[DhcpMessage.FLAGS] = (byte) (on ? 0x80 : 0);
        return this;
    }

    public DhcpWriter ciaddr(int a) { put32(DhcpMessage.CIADDR, a); return this; }
    public DhcpWriter yiaddr(int a) { put32(DhcpMessage.YIADDR, a); return this; }
    public DhcpWriter siaddr(int a) { put32(DhcpMessage.SIADDR, a); return this; }
    public DhcpWriter giaddr(int a) { put32(DhcpMessage.GIADDR, a); return this; }

    public DhcpWriter option(int code, byte[] value) {
        int off = 0;
        do {
            int piece = Math.min(255, value.length - off);
            if (pos + 2 + piece + 1 > MAX_SIZE) throw new IllegalStateException("DHCP options exceed " + MAX_SIZE + " bytes");
            b[pos++] = (byte) code;
            b[pos++] = (byte) piece;
            System.arraycopy(value, off, b, pos, piece);
            pos += piece;
            off += piece;
        } while (off < value.length);
        return this;
    }

    public DhcpWriter optionByte(int code, int value) {
        return option(code, new byte[] {(byte) value});
    }

    public DhcpWriter optionInt(int code, int value) {
        return option(code, new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value});
    }

    public DhcpWriter optionAddresses(int code, List<Integer> addresses) {
        byte[] v = new byte[4 * addresses.size()];
        for (int i = 0; i < addresses.size(); i++) {
            int a = addresses.get(i);
            v[4 * i] = (byte) (a >>> 24);
            v[4 * i + 1] = (byte) (a >>> 16);
            v[4 * i + 2] = (byte) (a >>> 8);
            v[4 * i + 3] = (byte) a;
        }
        return option(code, v);
    }

    public DhcpWriter optionString(int code, String value) {
        return option(code, value.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The finished message: END, then zero padding to 300 bytes. */
    public byte[] toByteArray() {
        b[pos] = (byte) DhcpMessage.END;
        return Arrays.copyOf(b, Math.max(MIN_SIZE, pos + 1));
    }

    private void put32(int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}

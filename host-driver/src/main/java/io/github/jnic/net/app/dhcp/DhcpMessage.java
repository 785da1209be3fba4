package io.github.jnic.net.app.dhcp;

import io.github.jnic.net.app.MalformedException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A read-only view of a DHCP message (RFC 2131 §2: the BOOTP layout of RFC 951 with options after the
 * magic cookie, RFC 2132) over a byte array. {@link #parse} checks the layout and indexes the
 * options, including those carried in the {@code file} and {@code sname} fields when the overload
 * option says so (RFC 2132 §9.3), and options split into several pieces (RFC 3396), which read back
 * concatenated.
 */
public final class DhcpMessage {
    public static final int BOOTREQUEST = 1, BOOTREPLY = 2;
    public static final int DISCOVER = 1, OFFER = 2, REQUEST = 3, DECLINE = 4, ACK = 5, NAK = 6, RELEASE = 7, INFORM = 8;

    public static final int PAD = 0, SUBNET_MASK = 1, ROUTER = 3, DNS_SERVERS = 6, HOST_NAME = 12, DOMAIN_NAME = 15,
            BROADCAST_ADDRESS = 28, REQUESTED_ADDRESS = 50, LEASE_TIME = 51, OVERLOAD = 52, MESSAGE_TYPE = 53,
            SERVER_ID = 54, PARAMETER_LIST = 55, MESSAGE = 56, MAX_MESSAGE_SIZE = 57, RENEWAL_TIME = 58,
            REBINDING_TIME = 59, CLIENT_ID = 61, END = 255;

    public static final int CLIENT_PORT = 68, SERVER_PORT = 67;
    public static final int BROADCAST_FLAG = 0x8000;
    public static final int MAGIC_COOKIE = 0x63825363;
    /** Offsets in the fixed header. */
    static final int XID = 4, SECS = 8, FLAGS = 10, CIADDR = 12, YIADDR = 16, SIADDR = 20, GIADDR = 24, CHADDR = 28,
            SNAME = 44, FILE = 108, COOKIE = 236, OPTIONS = 240;

    private final byte[] b;
    private final int start;
    private final int end;
    /** For each option code, the (offset, length) pairs of its pieces, in order. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private final List<int[]>[] options = new List[256];

    private DhcpMessage(byte[] b, int start, int end) {
        this.b = b;
        this.start = start;
        this.end = end;
        if (end - start < OPTIONS) throw new MalformedException(DhcpReject.TRUNCATED, (end - start) + " bytes, under the 240 of header and cookie");
        if (u32(COOKIE) != MAGIC_COOKIE) throw new MalformedException(DhcpReject.BAD_COOKIE, "magic cookie 0x" + Integer.toHexString(u32(COOKIE)));
        if (op() != BOOTREQUEST && op() != BOOTREPLY) throw new MalformedException(DhcpReject.BAD_FIELD, "op " + op());
        if (hardwareLength() > 16) throw new MalformedException(DhcpReject.BAD_FIELD, "hardware address length " + hardwareLength());
        scan(start + OPTIONS, end);
        checkLength(OVERLOAD, 1, 1);
        int overload = options[OVERLOAD] == null ? 0 : optionByte(OVERLOAD);
        if (overload < 0 || overload > 3) throw new MalformedException(DhcpReject.BAD_FIELD, "overload " + overload);
        if ((overload & 1) != 0) scan(start + FILE, start + COOKIE);
        if ((overload & 2) != 0) scan(start + SNAME, start + FILE);
        checkLength(MESSAGE_TYPE, 1, 1);
        int type = messageType();
        if (type < 0) throw new MalformedException(DhcpReject.NOT_DHCP, "no message type option");
        if (type < DISCOVER || type > INFORM) throw new MalformedException(DhcpReject.BAD_FIELD, "message type " + type);
        checkLength(SERVER_ID, 4, 4);
        checkLength(REQUESTED_ADDRESS, 4, 4);
        checkLength(LEASE_TIME, 4, 4);
        checkLength(RENEWAL_TIME, 4, 4);
        checkLength(REBINDING_TIME, 4, 4);
        checkLength(SUBNET_MASK, 4, 4);
        checkLength(ROUTER, 4, 4 * 63);
        checkLength(DNS_SERVERS, 4, 4 * 63);
        if (options[ROUTER] != null && option(ROUTER).length % 4 != 0) throw new MalformedException(DhcpReject.BAD_FIELD, "router list length");
        if (options[DNS_SERVERS] != null && option(DNS_SERVERS).length % 4 != 0) throw new MalformedException(DhcpReject.BAD_FIELD, "DNS list length");
    }

    public static DhcpMessage parse(byte[] b, int off, int len) {
        return new DhcpMessage(b, off, off + len);
    }

    public static DhcpMessage parse(byte[] b) {
        return parse(b, 0, b.length);
    }

    private void scan(int pos, int stop) {
        while (pos < stop) {
            int code = b[pos] & 0xff;
            if (code == END) return;
            if (code == PAD) {
                pos++;
                continue;
            }
            if (pos + 1 >= stop) throw new MalformedException(DhcpReject.TRUNCATED, "option " + code + " has no length");
            int len = b[pos + 1] & 0xff;
            if (pos + 2 + len > stop) throw new MalformedException(DhcpReject.TRUNCATED, "option " + code + " runs past the end");
            if (options[code] == null) options[code] = new ArrayList<>(1);
            options[code].add(new int[] {pos + 2, len});
            pos += 2 + len;
        }
        // No END option: tolerated, as many clients pad to the end instead.
    }

    private void checkLength(int code, int min, int max) {
        if (options[code] == null) return;
        int len = 0;
        for (int[] piece : options[code]) len += piece[1];
        if (len < min || len > max) throw new MalformedException(DhcpReject.BAD_FIELD, "option " + code + " of " + len + " bytes");
    }

    public int op() { return b[start] & 0xff; }
    public int hardwareType() { return b[start + 1] & 0xff; }
    public int hardwareLength() { return b[start + 2] & 0xff; }
    public int hops() { return b[start + 3] & 0xff; }
    public int xid() { return u32(XID); }
    public int secs() { return u16(SECS); }
    public int flags() { return u16(FLAGS); }
    public boolean broadcastFlag() { return (flags() & BROADCAST_FLAG) != 0; }
    public int ciaddr() { return u32(CIADDR); }
    public int yiaddr() { return u32(YIADDR); }
    public int siaddr() { return u32(SIADDR); }
    public int giaddr() { return u32(GIADDR); }

    public byte[] chaddr() {
        return Arrays.copyOfRange(b, start + CHADDR, start + CHADDR + hardwareLength());
    }

    /** Whether the client hardware address equals {@code mac}. */
    public boolean chaddrIs(byte[] mac) {
        return hardwareLength() == mac.length && Arrays.equals(b, start + CHADDR, start + CHADDR + mac.length, mac, 0, mac.length);
    }

    /** The DHCP message type, or -1 for plain BOOTP. */
    public int messageType() {
        return options[MESSAGE_TYPE] == null ? -1 : b[options[MESSAGE_TYPE].get(0)[0]] & 0xff;
    }

    public boolean has(int code) {
        return options[code] != null;
    }

    /** The option's value, pieces concatenated, or null when absent. */
    public byte[] option(int code) {
        List<int[]> pieces = options[code];
        if (pieces == null) return null;
        if (pieces.size() == 1) return Arrays.copyOfRange(b, pieces.get(0)[0], pieces.get(0)[0] + pieces.get(0)[1]);
        int len = 0;
        for (int[] p : pieces) len += p[1];
        byte[] out = new byte[len];
        int at = 0;
        for (int[] p : pieces) {
            System.arraycopy(b, p[0], out, at, p[1]);
            at += p[1];
        }
        return out;
    }

    public int optionByte(int code) {
        byte[] v = option(code);
        if (v == null || v.length != 1) throw new MalformedException(DhcpReject.BAD_FIELD, "option " + code + " is not one byte");
        return v[0] & 0xff;
    }

    /** A 4-byte option (address or time) as an int, or {@code absent} when missing. */
    public int optionInt(int code, int absent) {
        byte[] v = option(code);
        if (v == null) return absent;
        if (v.length != 4) throw new MalformedException(DhcpReject.BAD_FIELD, "option " + code + " is not four bytes");
        return ((v[0] & 0xff) << 24) | ((v[1] & 0xff) << 16) | ((v[2] & 0xff) << 8) | (v[3] & 0xff);
    }

    /** A list-of-addresses option (routers, DNS servers); empty when absent. */
    public List<Integer> optionAddresses(int code) {
        byte[] v = option(code);
        List<Integer> out = new ArrayList<>();
        if (v == null) return out;
        for (int i = 0; i + 3 < v.length; i += 4) {
            out.add(((v[i] & 0xff) << 24) | ((v[i + 1] & 0xff) << 16) | ((v[i + 2] & 0xff) << 8) | (v[i + 3] & 0xff));
        }
        return out;
    }

    public String optionString(int code) {
        byte[] v = option(code);
        return v == null ? null : new String(v, StandardCharsets.ISO_8859_1);
    }

    private int u16(int at) {
        return ((b[start + at] & 0xff) << 8) | (b[start + at + 1] & 0xff);
    }

    private int u32(int at) {
        return (u16(at) << 16) | u16(at + 2);
    }
}

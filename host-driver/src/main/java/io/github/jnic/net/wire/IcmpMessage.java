package io.github.jnic.net.wire;

/** A view of an ICMP message (RFC 792): type, code, checksum, then 4 bytes whose meaning depends on the type. */
public final class IcmpMessage {
    public static final int HEADER_LENGTH = 8;
    public static final int ECHO_REPLY = 0;
    public static final int DEST_UNREACHABLE = 3;
    public static final int SOURCE_QUENCH = 4;
    public static final int REDIRECT = 5;
    public static final int ECHO_REQUEST = 8;
    public static final int TIME_EXCEEDED = 11;
    public static final int PARAMETER_PROBLEM = 12;

    public static final int CODE_NET_UNREACHABLE = 0;
    public static final int CODE_HOST_UNREACHABLE = 1;
    public static final int CODE_PROTOCOL_UNREACHABLE = 2;
    public static final int CODE_PORT_UNREACHABLE = 3;
    public static final int CODE_FRAGMENTATION_NEEDED = 4;
    public static final int CODE_TTL_EXCEEDED = 0;
    public static final int CODE_REASSEMBLY_TIME_EXCEEDED = 1;

    private byte[] b;
    private int off;

    public IcmpMessage wrap(byte[] data, int off) {
        this.b = data;
        this.off = off;
        return this;
    }

    public int type() { return b[off] & 0xff; }
    public int code() { return b[off + 1] & 0xff; }
    public int checksum() { return Bytes.get16(b, off + 2); }
    /** Echo identifier. */
    public int identifier() { return Bytes.get16(b, off + 4); }
    /** Echo sequence number. */
    public int sequence() { return Bytes.get16(b, off + 6); }
    /** Next-hop MTU of "fragmentation needed" (RFC 1191). */
    public int nextHopMtu() { return Bytes.get16(b, off + 6); }
    /** Where the quoted datagram (errors) or echo data begins. */
    public int bodyOffset() { return off + HEADER_LENGTH; }

    /** Whether the checksum over {@code length} bytes of message verifies. */
    public boolean checksumValid(int length) { return Checksum.fold(Checksum.add(0, b, off, length)) == 0xffff; }

    public static boolean isError(int type) {
        return type == DEST_UNREACHABLE || type == SOURCE_QUENCH || type == REDIRECT
                || type == TIME_EXCEEDED || type == PARAMETER_PROBLEM;
    }

    /** Writes type, code and the 4-byte rest; the checksum is left zero for {@link #fillChecksum}. */
    public static void writeHeader(byte[] b, int off, int type, int code, int rest) {
        b[off] = (byte) type;
        b[off + 1] = (byte) code;
        Bytes.put16(b, off + 2, 0);
        Bytes.put32(b, off + 4, rest);
    }

    public static void fillChecksum(byte[] b, int off, int length) {
        Bytes.put16(b, off + 2, 0);
        Bytes.put16(b, off + 2, Checksum.of(b, off, length));
    }
}

package io.github.jnic.net.wire;

/**
 * A view of an IPv4 header (RFC 791) at {@code data[off...]}. Accessors read the bytes in place;
 * {@link #write} lays down a header without options.
 */
public final class Ipv4Header {
    public static final int MIN_LENGTH = 20;
    public static final int MAX_LENGTH = 60;
    public static final int PROTO_ICMP = 1;
    public static final int PROTO_IGMP = 2;
    public static final int PROTO_TCP = 6;
    public static final int PROTO_UDP = 17;
    public static final int FLAG_DF = 0x4000;
    public static final int FLAG_MF = 0x2000;
    public static final int OFFSET_MASK = 0x1fff;

    private byte[] b;
    private int off;

    public Ipv4Header wrap(byte[] data, int off) {
        this.b = data;
        this.off = off;
        return this;
    }

    public byte[] data() { return b; }
    public int offset() { return off; }
    public int version() { return (b[off] >> 4) & 0xf; }
    /** Header length in bytes (IHL × 4). */
    public int headerLength() { return (b[off] & 0xf) * 4; }
    public int tos() { return b[off + 1] & 0xff; }
    public int totalLength() { return Bytes.get16(b, off + 2); }
    public int identification() { return Bytes.get16(b, off + 4); }
    public boolean dontFragment() { return (Bytes.get16(b, off + 6) & FLAG_DF) != 0; }
    public boolean moreFragments() { return (Bytes.get16(b, off + 6) & FLAG_MF) != 0; }
    /** Fragment offset in bytes. */
    public int fragmentOffset() { return (Bytes.get16(b, off + 6) & OFFSET_MASK) * 8; }
    public boolean isFragment() { return (Bytes.get16(b, off + 6) & (FLAG_MF | OFFSET_MASK)) != 0; }
    public int ttl() { return b[off + 8] & 0xff; }
    public int protocol() { return b[off + 9] & 0xff; }
    public int checksum() { return Bytes.get16(b, off + 10); }
    public int source() { return Bytes.get32(b, off + 12); }
    public int destination() { return Bytes.get32(b, off + 16); }

    /** Whether the header checksum verifies (the header must be in bounds). */
    public boolean checksumValid() { return Checksum.fold(Checksum.add(0, b, off, headerLength())) == 0xffff; }

    /**
     * Whether the options area is well formed: each option is End (0), No-op (1), or carries a
     * length of at least 2 that stays inside the header. Options are then ignored.
     */
    public boolean optionsWellFormed() {
        int end = off + headerLength();
        int at = off + MIN_LENGTH;
        while (at < end) {
            int type = b[at] & 0xff;
            if (type == 0) return true;
            if (type == 1) { at++; continue; }
            if (at + 1 >= end) return false;
            int optLen = b[at + 1] & 0xff;
            if (optLen < 2 || at + optLen > end) return false;
            at += optLen;
        }
        return true;
    }

    public void setTotalLength(int v) { Bytes.put16(b, off + 2, v); }
    public void setIdentification(int v) { Bytes.put16(b, off + 4, v); }
    public void setFlagsAndOffset(int v) { Bytes.put16(b, off + 6, v); }
    public void setTtl(int v) { b[off + 8] = (byte) v; }

    /** Recomputes the header checksum. */
    public void fillChecksum() {
        Bytes.put16(b, off + 10, 0);
        Bytes.put16(b, off + 10, Checksum.of(b, off, headerLength()));
    }

    /** Writes a 20-byte header with its checksum at {@code off}. {@code flagsAndOffset}: DF/MF | offset/8. */
    public static void write(byte[] b, int off, int tos, int totalLength, int id, int flagsAndOffset,
                             int ttl, int protocol, int src, int dst) {
        b[off] = 0x45;
        b[off + 1] = (byte) tos;
        Bytes.put16(b, off + 2, totalLength);
        Bytes.put16(b, off + 4, id);
        Bytes.put16(b, off + 6, flagsAndOffset);
        b[off + 8] = (byte) ttl;
        b[off + 9] = (byte) protocol;
        Bytes.put16(b, off + 10, 0);
        Bytes.put32(b, off + 12, src);
        Bytes.put32(b, off + 16, dst);
        Bytes.put16(b, off + 10, Checksum.of(b, off, MIN_LENGTH));
    }
}

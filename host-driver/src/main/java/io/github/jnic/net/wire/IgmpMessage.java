package io.github.jnic.net.wire;

/** A view of an IGMPv1/v2 message (RFC 2236): 8 bytes (IGMPv3 queries are longer; their first 8 bytes read the same). */
public final class IgmpMessage {
    public static final int LENGTH = 8;
    public static final int MEMBERSHIP_QUERY = 0x11;
    public static final int V1_REPORT = 0x12;
    public static final int V2_REPORT = 0x16;
    public static final int LEAVE_GROUP = 0x17;
    /** All-hosts group 224.0.0.1 and all-routers group 224.0.0.2. */
    public static final int ALL_HOSTS = 0xe0000001;
    public static final int ALL_ROUTERS = 0xe0000002;

    private byte[] b;
    private int off;

    public IgmpMessage wrap(byte[] data, int off) {
        this.b = data;
        this.off = off;
        return this;
    }

    public int type() { return b[off] & 0xff; }
    /** Max response time in tenths of a second (0 in IGMPv1 queries: means 10 s). */
    public int maxResponseTime() { return b[off + 1] & 0xff; }
    public int group() { return Bytes.get32(b, off + 4); }

    public static void write(byte[] b, int off, int type, int group) {
        b[off] = (byte) type;
        b[off + 1] = 0;
        Bytes.put16(b, off + 2, 0);
        Bytes.put32(b, off + 4, group);
        Bytes.put16(b, off + 2, Checksum.of(b, off, LENGTH));
    }
}

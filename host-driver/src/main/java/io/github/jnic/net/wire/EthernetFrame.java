package io.github.jnic.net.wire;

/**
 * A view of an Ethernet II frame (no FCS) over {@code data[off, off+len)}, with 802.1Q / 802.1ad
 * VLAN tags parsed. Reusable: {@link #wrap} points it at another frame without allocating.
 */
public final class EthernetFrame {
    public static final int HEADER_LENGTH = 14;
    public static final int TAG_LENGTH = 4;
    public static final int TYPE_IPV4 = 0x0800;
    public static final int TYPE_ARP = 0x0806;
    public static final int TYPE_VLAN = 0x8100;
    public static final int TYPE_QINQ = 0x88a8;
    /** Tags deeper than this are not parsed (the frame is rejected). */
    public static final int MAX_TAGS = 2;

    private byte[] b;
    private int off;
    private int len;
    private int headerLength;
    private int vlanId;
    private boolean tooManyTags;

    /**
     * Points the view at a frame; returns {@code false} (and the view is unusable) if the header is
     * truncated or carries more than {@link #MAX_TAGS} VLAN tags ({@link #tooManyTags} tells which).
     */
    public boolean wrap(byte[] data, int off, int len) {
        this.b = data;
        this.off = off;
        this.len = len;
        this.vlanId = -1;
        this.tooManyTags = false;
        if (len < HEADER_LENGTH) return false;
        int at = off + 12;
        for (int tags = 0; ; tags++) {
            int type = Bytes.get16(b, at);
            if (type != TYPE_VLAN && type != TYPE_QINQ) break;
            if (tags == MAX_TAGS) { tooManyTags = true; return false; }
            if (at + TAG_LENGTH + 2 > off + len) return false;
            vlanId = Bytes.get16(b, at + 2) & 0xfff;   // innermost tag wins
            at += TAG_LENGTH;
        }
        headerLength = at + 2 - off;
        return true;
    }

    /** After a failed {@link #wrap}: the frame had a third VLAN tag (else it was cut short). */
    public boolean tooManyTags() { return tooManyTags; }

    public byte[] data() { return b; }
    public int destinationOffset() { return off; }
    public int sourceOffset() { return off + 6; }
    /** The EtherType after any VLAN tags. */
    public int etherType() { return Bytes.get16(b, off + headerLength - 2); }
    /** Header length including tags (14, 18 or 22). */
    public int headerLength() { return headerLength; }
    /** The innermost VLAN id, or -1 when untagged. */
    public int vlanId() { return vlanId; }
    public int payloadOffset() { return off + headerLength; }
    public int payloadLength() { return len - headerLength; }

    public boolean destinationIs(byte[] mac) { return Bytes.equal(b, off, mac, 0, 6); }
    public boolean isBroadcast() { return MacAddress.isBroadcast(b, off); }
    public boolean isMulticast() { return MacAddress.isMulticast(b, off); }

    /** Writes an untagged (vlanId &lt; 0) or tagged header at {@code off}; returns its length. */
    public static int write(byte[] b, int off, byte[] dst, int dstOff, byte[] src, int vlanId, int etherType) {
        System.arraycopy(dst, dstOff, b, off, 6);
        System.arraycopy(src, 0, b, off + 6, 6);
        if (vlanId < 0) {
            Bytes.put16(b, off + 12, etherType);
            return HEADER_LENGTH;
        }
        Bytes.put16(b, off + 12, TYPE_VLAN);
        Bytes.put16(b, off + 14, vlanId & 0xfff);
        Bytes.put16(b, off + 16, etherType);
        return HEADER_LENGTH + TAG_LENGTH;
    }

    /** Header length {@link #write} produces. */
    public static int headerLength(int vlanId) { return vlanId < 0 ? HEADER_LENGTH : HEADER_LENGTH + TAG_LENGTH; }
}

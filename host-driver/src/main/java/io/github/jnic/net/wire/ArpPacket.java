package io.github.jnic.net.wire;

/** A view of an ARP packet for IPv4 over Ethernet (RFC 826): 28 bytes. */
public final class ArpPacket {
    public static final int LENGTH = 28;
    public static final int OP_REQUEST = 1;
    public static final int OP_REPLY = 2;

    private byte[] b;
    private int off;

    public ArpPacket wrap(byte[] data, int off) {
        this.b = data;
        this.off = off;
        return this;
    }

    /** Whether the fixed fields say Ethernet/IPv4 (hardware type 1, protocol 0x0800, lengths 6 and 4). */
    public boolean isEthernetIpv4() {
        return Bytes.get16(b, off) == 1 && Bytes.get16(b, off + 2) == EthernetFrame.TYPE_IPV4
                && Bytes.get8(b, off + 4) == 6 && Bytes.get8(b, off + 5) == 4;
    }

    public int operation() { return Bytes.get16(b, off + 6); }
    public int senderHardwareOffset() { return off + 8; }
    public int senderProtocolAddress() { return Bytes.get32(b, off + 14); }
    public int targetHardwareOffset() { return off + 18; }
    public int targetProtocolAddress() { return Bytes.get32(b, off + 24); }
    public byte[] data() { return b; }

    /** Writes a whole ARP packet at {@code off}. {@code tha} may be null (zeros). */
    public static void write(byte[] b, int off, int op, byte[] sha, int spa, byte[] tha, int thaOff, int tpa) {
        Bytes.put16(b, off, 1);
        Bytes.put16(b, off + 2, EthernetFrame.TYPE_IPV4);
        b[off + 4] = 6;
        b[off + 5] = 4;
        Bytes.put16(b, off + 6, op);
        System.arraycopy(sha, 0, b, off + 8, 6);
        Bytes.put32(b, off + 14, spa);
        if (tha == null) java.util.Arrays.fill(b, off + 18, off + 24, (byte) 0);
        else System.arraycopy(tha, thaOff, b, off + 18, 6);
        Bytes.put32(b, off + 24, tpa);
    }
}

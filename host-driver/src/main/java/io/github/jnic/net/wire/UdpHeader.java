package io.github.jnic.net.wire;

/** A view of a UDP header (RFC 768): 8 bytes. */
public final class UdpHeader {
    public static final int LENGTH = 8;
    /** Where the checksum sits, from the start of the header. */
    public static final int CHECKSUM_OFFSET = 6;

    private byte[] b;
    private int off;

    public UdpHeader wrap(byte[] data, int off) {
        this.b = data;
        this.off = off;
        return this;
    }

    public int sourcePort() { return Bytes.get16(b, off); }
    public int destinationPort() { return Bytes.get16(b, off + 2); }
    public int length() { return Bytes.get16(b, off + 4); }
    public int checksum() { return Bytes.get16(b, off + 6); }

    /** Whether the checksum over header + payload ({@code length} bytes) verifies with the pseudo-header. */
    public boolean checksumValid(int src, int dst, int length) {
        long sum = Checksum.add(Checksum.pseudoHeader(src, dst, Ipv4Header.PROTO_UDP, length), b, off, length);
        return Checksum.fold(sum) == 0xffff;
    }

    /** Writes the header with the checksum field holding the pseudo-header sum, ready for offload. */
    public static void write(byte[] b, int off, int srcPort, int dstPort, int length, int src, int dst) {
        Bytes.put16(b, off, srcPort);
        Bytes.put16(b, off + 2, dstPort);
        Bytes.put16(b, off + 4, length);
        Bytes.put16(b, off + 6, Checksum.fold(Checksum.pseudoHeader(src, dst, Ipv4Header.PROTO_UDP, length)));
    }
}

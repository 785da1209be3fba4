package io.github.jnic.net.wire;

/**
 * A view over a TCP header (RFC 9293 section 3.1) at an offset in a byte array. The view copies
 * nothing: getters and setters read and write the array in place. One instance can be re-pointed
 * with {@link #wrap} for each packet, so parsing allocates nothing.
 */
public final class TcpHeader {

    /** Header length without options. */
    public static final int MIN_LENGTH = 20;
    /** Largest header: data offset 15 words. */
    public static final int MAX_LENGTH = 60;
    /** Offset of the checksum field, for checksum offload requests. */
    public static final int CHECKSUM_OFFSET = 16;

    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;
    public static final int ECE = 0x40;
    public static final int CWR = 0x80;

    private byte[] data;
    private int off;

    /** Points this view at {@code data[offset...]}; returns this. */
    public TcpHeader wrap(byte[] data, int offset) {
        this.data = data;
        this.off = offset;
        return this;
    }

    public byte[] data() { return data; }
    public int offset() { return off; }

    public int sourcePort() { return u16(0); }
    public int destinationPort() { return u16(2); }
    public int sequenceNumber() { return s32(4); }
    public int acknowledgmentNumber() { return s32(8); }
    /** Header length in bytes (data offset field times 4). */
    public int headerLength() { return ((data[off + 12] & 0xff) >>> 4) * 4; }
    public int flags() { return data[off + 13] & 0xff; }
    public boolean has(int flag) { return (flags() & flag) != 0; }
    public int window() { return u16(14); }
    public int checksum() { return u16(16); }
    public int urgentPointer() { return u16(18); }
    /** Absolute offset of the first option byte. */
    public int optionsStart() { return off + MIN_LENGTH; }
    public int optionsLength() { return headerLength() - MIN_LENGTH; }

    public TcpHeader sourcePort(int v) { put16(0, v); return this; }
    public TcpHeader destinationPort(int v) { put16(2, v); return this; }
    public TcpHeader sequenceNumber(int v) { put32(4, v); return this; }
    public TcpHeader acknowledgmentNumber(int v) { put32(8, v); return this; }
    /** Sets the data offset; {@code bytes} must be a multiple of 4 between 20 and 60. */
    public TcpHeader headerLength(int bytes) {
        if (bytes < MIN_LENGTH || bytes > MAX_LENGTH || (bytes & 3) != 0) throw new IllegalArgumentException("TCP header length " + bytes);
        data[off + 12] = (byte) ((bytes / 4) << 4);
        return this;
    }
    public TcpHeader flags(int v) { data[off + 13] = (byte) v; return this; }
    public TcpHeader window(int v) { put16(14, v); return this; }
    public TcpHeader checksum(int v) { put16(16, v); return this; }
    public TcpHeader urgentPointer(int v) { put16(18, v); return this; }

    /**
     * Whether the segment {@code data[off, off+length)} carrying this header, sent from {@code src}
     * to {@code dst}, has a correct checksum.
     */
    public boolean checksumValid(int src, int dst, int length) {
        long sum = Checksum.pseudoHeader(src, dst, 6, length);
        return Checksum.fold(Checksum.add(sum, data, off, length)) == 0xffff;
    }

    /** Computes and stores the checksum over this header and {@code length - headerLength()} payload bytes. */
    public void fillChecksum(int src, int dst, int length) {
        checksum(0);
        checksum(Checksum.finish(Checksum.add(Checksum.pseudoHeader(src, dst, 6, length), data, off, length)));
    }

    /** Flags as text, "SYN|ACK" style, for logs and test messages. */
    public static String flagNames(int flags) {
        StringBuilder s = new StringBuilder();
        String[] names = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"};
        for (int i = 0; i < names.length; i++) {
            if ((flags & (1 << i)) != 0) s.append(s.length() == 0 ? "" : "|").append(names[i]);
        }
        return s.toString();
    }

    private int u16(int at) { return ((data[off + at] & 0xff) << 8) | (data[off + at + 1] & 0xff); }
    private int s32(int at) { return (u16(at) << 16) | u16(at + 2); }
    private void put16(int at, int v) { data[off + at] = (byte) (v >>> 8); data[off + at + 1] = (byte) v; }
    private void put32(int at, int v) { put16(at, v >>> 16); put16(at + 2, v); }
}

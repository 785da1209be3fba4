package io.github.jnic.net.tcp;

import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.net.wire.TcpHeader;
import java.util.Arrays;

/** A TCP segment as bytes with its addresses, parsed for assertions; and a builder for hand-made ones. */
final class Segment {
    final int src;
    final int dst;
    final byte[] bytes;
    final int tsoSize;
    final TcpHeader h;
    final TcpOptions o = new TcpOptions();

    Segment(int src, int dst, byte[] bytes, int tsoSize) {
        this.src = src;
        this.dst = dst;
        this.bytes = bytes;
        this.tsoSize = tsoSize;
        this.h = new TcpHeader().wrap(bytes, 0);
        if (!o.parse(bytes, 20, h.headerLength() - 20)) throw new AssertionError("bad options in " + this);
    }

    int seq() { return h.sequenceNumber(); }
    int ack() { return h.acknowledgmentNumber(); }
    int flags() { return h.flags(); }
    int window() { return h.window(); }
    int srcPort() { return h.sourcePort(); }
    int dstPort() { return h.destinationPort(); }
    int payloadLength() { return bytes.length - h.headerLength(); }
    byte[] payload() { return Arrays.copyOfRange(bytes, h.headerLength(), bytes.length); }
    boolean checksumOk() { return h.checksumValid(src, dst, bytes.length); }
    PacketBuffer buffer() { return PacketBuffer.of(bytes); }

    @Override
    public String toString() {
        return TcpHeader.flagNames(flags()) + " seq=" + Integer.toUnsignedString(seq()) + " ack=" + Integer.toUnsignedString(ack())
                + " win=" + window() + " len=" + payloadLength() + (o.sackBlocks > 0 ? " sack=" + o.sackBlocks : "");
    }

    static Builder build(int srcPort, int dstPort) {
        return new Builder(srcPort, dstPort);
    }

    /** Builds a segment with a correct checksum (or a broken one, on request). */
    static final class Builder {
        private final int srcPort;
        private final int dstPort;
        private int seq;
        private int ack;
        private int flags;
        private int window = 65535;
        private byte[] payload = new byte[0];
        private final byte[] options = new byte[40];
        private int optLen;
        private boolean badChecksum;

        Builder(int srcPort, int dstPort) {
            this.srcPort = srcPort;
            this.dstPort = dstPort;
        }

        Builder seq(int v) { seq = v; return this; }
        Builder ack(int v) { ack = v; flags |= TcpHeader.ACK; return this; }
        Builder flags(int f) { flags |= f; return this; }
        Builder window(int w) { window = w; return this; }
        Builder payload(byte[] p) { payload = p; return this; }
        Builder payload(int n) { payload = new byte[n]; for (int i = 0; i < n; i++) payload[i] = (byte) (i * 7 + 3); return this; }
        Builder badChecksum() { badChecksum = true; return this; }

        Builder synOptions(int mss, int ws, boolean sack, int tsVal, int tsEcr, boolean ts) {
            optLen += TcpOptions.writeSyn(options, optLen, mss, sack, ts, tsVal, tsEcr, ws);
            return this;
        }

        Builder mssOnly(int mss) {
            options[optLen++] = 2; options[optLen++] = 4; options[optLen++] = (byte) (mss >> 8); options[optLen++] = (byte) mss;
            return this;
        }

        Builder timestamps(int tsVal, int tsEcr) {
            optLen += TcpOptions.writeTimestamps(options, optLen, tsVal, tsEcr);
            return this;
        }

        Builder sack(int... edges) {
            int n = edges.length / 2;
            int[] l = new int[n];
            int[] r = new int[n];
            for (int i = 0; i < n; i++) { l[i] = edges[2 * i]; r[i] = edges[2 * i + 1]; }
            optLen += TcpOptions.writeSack(options, optLen, l, r, n);
            return this;
        }

        byte[] bytes(int src, int dst) {
            int pad = (4 - optLen % 4) % 4;
            int hl = 20 + optLen + pad;
            byte[] b = new byte[hl + payload.length];
            TcpHeader h = new TcpHeader().wrap(b, 0);
            h.sourcePort(srcPort).destinationPort(dstPort).sequenceNumber(seq).acknowledgmentNumber(ack)
                    .headerLength(hl).flags(flags).window(window);
            System.arraycopy(options, 0, b, 20, optLen);
            for (int i = 0; i < pad; i++) b[20 + optLen + i] = TcpOptions.KIND_NOP;
            System.arraycopy(payload, 0, b, hl, payload.length);
            h.fillChecksum(src, dst, b.length);
            if (badChecksum) h.checksum(h.checksum() ^ 0x0101);
            return b;
        }
    }
}

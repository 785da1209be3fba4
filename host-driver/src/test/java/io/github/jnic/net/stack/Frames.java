package io.github.jnic.net.stack;

import io.github.jnic.net.wire.Bytes;
import io.github.jnic.net.wire.Checksum;
import io.github.jnic.net.wire.EthernetFrame;
import io.github.jnic.net.wire.Ipv4Header;
import io.github.jnic.net.wire.UdpHeader;

/** Hand-built frames for tests: valid unless a test breaks them on purpose. */
final class Frames {
    private Frames() {}

    static byte[] ethernet(byte[] dst, byte[] src, int type, byte[] payload) {
        byte[] f = new byte[14 + payload.length];
        EthernetFrame.write(f, 0, dst, 0, src, -1, type);
        System.arraycopy(payload, 0, f, 14, payload.length);
        return f;
    }

    static byte[] ipv4(int src, int dst, int protocol, int id, int flagsAndOffset, byte[] payload) {
        byte[] p = new byte[20 + payload.length];
        Ipv4Header.write(p, 0, 0, p.length, id, flagsAndOffset, 64, protocol, src, dst);
        System.arraycopy(payload, 0, p, 20, payload.length);
        return p;
    }

    static byte[] udp(int src, int dst, int srcPort, int dstPort, byte[] data) {
        byte[] u = new byte[8 + data.length];
        UdpHeader.write(u, 0, srcPort, dstPort, u.length, src, dst);
        System.arraycopy(data, 0, u, 8, data.length);
        Bytes.put16(u, 6, 0);
        int sum = Checksum.finish(Checksum.add(Checksum.pseudoHeader(src, dst, 17, u.length), u, 0, u.length));
        Bytes.put16(u, 6, sum == 0 ? 0xffff : sum);
        return u;
    }

    /** A 20-byte TCP header (no options, window 65535) with its checksum. */
    static byte[] tcp(int src, int dst, int srcPort, int dstPort, int seq, int ack, int flags) {
        byte[] t = new byte[20];
        Bytes.put16(t, 0, srcPort);
        Bytes.put16(t, 2, dstPort);
        Bytes.put32(t, 4, seq);
        Bytes.put32(t, 8, ack);
        t[12] = 0x50;
        t[13] = (byte) flags;
        Bytes.put16(t, 14, 0xffff);
        Bytes.put16(t, 16, Checksum.finish(Checksum.add(Checksum.pseudoHeader(src, dst, 6, t.length), t, 0, t.length)));
        return t;
    }

    static byte[] icmpEcho(int id, int seq, byte[] data) {
        byte[] m = new byte[8 + data.length];
        m[0] = 8;
        Bytes.put16(m, 4, id);
        Bytes.put16(m, 6, seq);
        System.arraycopy(data, 0, m, 8, data.length);
        Bytes.put16(m, 2, Checksum.of(m, 0, m.length));
        return m;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}

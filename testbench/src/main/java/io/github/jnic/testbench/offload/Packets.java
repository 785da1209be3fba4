package io.github.jnic.testbench.offload;

import static io.github.jnic.testbench.offload.OffloadReference.put16;

import io.github.jnic.net.wire.Checksum;
import java.util.Random;

/**
 * Random well-formed frames for the offload tests: Ethernet with or without an 802.1Q tag, IPv4
 * with options (NOPs and a router alert) or IPv6, TCP with options (timestamps, SACK blocks) or
 * UDP, any payload; every length and checksum right, so a frame is what a correct sender puts on
 * the wire, and {@link #partial} / {@link #tsoSeeded} turn it into what a driver hands the card.
 */
public final class Packets {
    private Packets() {}

    /** A frame and where its headers are. */
    public record Packet(byte[] frame, boolean ipv4, boolean tcp, int ipStart, int ipHeaderBytes, int l4Start, int l4HeaderBytes) {
        /** Bytes before the payload: Ethernet, IP and TCP/UDP headers (HDRLEN). */
        public int headerBytes() {
            return l4Start + l4HeaderBytes;
        }

        public int checksumAt() {
            return l4Start + (tcp ? 16 : 6);
        }

        /** The pseudo-header's sum (RFC 793 / 768 / 8200 8.1) for an upper-layer length. */
        long pseudo(int l4Length) {
            return ipv4 ? Checksum.add(0, frame, ipStart + 12, 8) + (tcp ? 6 : 17) + l4Length
                    : Checksum.add(0, frame, ipStart + 8, 32) + (tcp ? 6 : 17) + (l4Length >>> 16) + (l4Length & 0xFFFF);
        }

        int l4Length() {
            return frame.length - l4Start;
        }

        /**
         * As Linux hands a CHECKSUM_PARTIAL frame over: the transport checksum field holds the
         * pseudo-header sum (with the length), folded, not complemented; the IPv4 header checksum 0.
         */
        public byte[] partial() {
            byte[] f = frame.clone();
            put16(f, checksumAt(), Checksum.fold(pseudo(l4Length())));
            if (ipv4) put16(f, ipStart + 10, 0);
            return f;
        }

        /** As a TSO driver hands it over (e1000e_tso): the pseudo-header sum without the length; IPv4 checksum and total length 0. */
        public byte[] tsoSeeded() {
            byte[] f = frame.clone();
            put16(f, checksumAt(), Checksum.fold(pseudo(0)));
            if (ipv4) {
                put16(f, ipStart + 10, 0);
                put16(f, ipStart + 2, 0);
            } else {
                put16(f, ipStart + 4, 0);
            }
            return f;
        }
    }

    /**
     * Options for a random packet: which headers, how many option bytes (IPv4: options, a multiple
     * of 4 up to 40; IPv6: a Hop-by-Hop Options extension header of that many bytes, a multiple of 8),
     * how much payload.
     */
    public record Shape(boolean ipv4, boolean tcp, boolean vlan, int ipOptionBytes, int tcpOptionBytes, int payload) {
        public static Shape random(Random r, int payload) {
            boolean ipv4 = r.nextInt(3) != 0;
            return new Shape(ipv4, r.nextInt(4) != 0, r.nextInt(3) == 0, ipv4 && r.nextBoolean() ? 4 * r.nextInt(11) : 0,
                    4 * r.nextInt(11), payload);
        }

        /** A random TCP packet (what TSO takes); IPv6 sometimes with a Hop-by-Hop Options header. */
        public static Shape randomTcp(Random r, int payload) {
            Shape s = random(r, payload);
            int ipOptions = s.ipv4() ? s.ipOptionBytes() : r.nextBoolean() ? 8 * (1 + r.nextInt(3)) : 0;
            return new Shape(s.ipv4(), true, s.vlan(), ipOptions, s.tcpOptionBytes(), payload);
        }

        /** IP header bytes: IPv4's with its options, or IPv6's fixed 40 and its extension header. */
        public int ipHeaderBytes() {
            return (ipv4 ? 20 : 40) + ipOptionBytes;
        }
    }

    public static Packet random(Random r, Shape s) {
        int ip = s.vlan() ? 18 : 14;
        int ipHeader = s.ipHeaderBytes();
        int l4 = ip + ipHeader;
        int l4Header = s.tcp() ? 20 + s.tcpOptionBytes() : 8;
        int length = l4 + l4Header + s.payload();
        byte[] f = new byte[length];
        r.nextBytes(f);
        f[0] &= (byte) 0xFE;                       // a unicast destination
        f[6] &= (byte) 0xFE;
        if (s.vlan()) {
            put16(f, 12, 0x8100);
            put16(f, 14, r.nextInt(1 << 16));
        }
        put16(f, ip - 2, s.ipv4() ? 0x0800 : 0x86DD);
        int proto = s.tcp() ? 6 : 17;
        if (s.ipv4()) {
            f[ip] = (byte) (0x40 | ipHeader / 4);
            f[ip + 1] = (byte) (r.nextInt(64) << 2);                      // DSCP, ECN 0
            put16(f, ip + 2, Math.min(0xFFFF, length - ip));
            put16(f, ip + 6, r.nextBoolean() ? 0x4000 : 0);              // DF or not; never a fragment
            f[ip + 8] = (byte) (1 + r.nextInt(255));
            f[ip + 9] = (byte) proto;
            options(r, f, ip + 20, s.ipOptionBytes(), false);
            put16(f, ip + 10, 0);
            put16(f, ip + 10, Checksum.of(f, ip, ipHeader));
        } else {
            f[ip] = (byte) (0x60 | (f[ip] & 0x0F));
            put16(f, ip + 4, Math.min(0xFFFF, length - ip - 40));
            f[ip + 7] = (byte) (1 + r.nextInt(255));
            if (s.ipOptionBytes() == 0) {
                f[ip + 6] = (byte) proto;
            } else {                                                      // Hop-by-Hop Options: one PadN (RFC 8200 4.2, 4.3)
                f[ip + 6] = 0;
                f[ip + 40] = (byte) proto;
                f[ip + 41] = (byte) (s.ipOptionBytes() / 8 - 1);
                f[ip + 42] = 1;
                f[ip + 43] = (byte) (s.ipOptionBytes() - 4);
                java.util.Arrays.fill(f, ip + 44, ip + 40 + s.ipOptionBytes(), (byte) 0);
            }
        }
        if (s.tcp()) {
            f[l4 + 12] = (byte) (l4Header / 4 << 4);
            int flags = 0x10 | r.nextInt(256) & (OffloadReference.FIN | OffloadReference.PSH | OffloadReference.CWR | 0x40);
            f[l4 + 13] = (byte) flags;
            put16(f, l4 + 18, 0);                                        // no urgent data
            options(r, f, l4 + 20, s.tcpOptionBytes(), true);
        } else {
            put16(f, l4 + 4, l4Header + s.payload());
        }
        Packet p = new Packet(f, s.ipv4(), s.tcp(), ip, ipHeader, l4, l4Header);
        int at = p.checksumAt();
        put16(f, at, 0);
        int sum = Checksum.finish(Checksum.add(p.pseudo(p.l4Length()), f, l4, p.l4Length()));
        put16(f, at, sum == 0 ? 0xFFFF : sum);
        return p;
    }

    /** Option bytes: TCP's timestamps and SACK blocks, IPv4's router alert, NOPs to fill. */
    static void options(Random r, byte[] f, int at, int bytes, boolean tcp) {
        int end = at + bytes;
        if (tcp && end - at >= 12 && r.nextBoolean()) {                // NOP NOP timestamps (RFC 7323)
            f[at] = 1;
            f[at + 1] = 1;
            f[at + 2] = 8;
            f[at + 3] = 10;
            at += 12;
        }
        if (tcp && end - at >= 12 && r.nextBoolean()) {                // NOP NOP SACK with 1..4 blocks (RFC 2018)
            int blocks = Math.min(4, 1 + r.nextInt((end - at - 4) / 8));
            f[at] = 1;
            f[at + 1] = 1;
            f[at + 2] = 5;
            f[at + 3] = (byte) (2 + 8 * blocks);
            at += 4 + 8 * blocks;
        }
        if (!tcp && end - at >= 4 && r.nextBoolean()) {                // router alert (RFC 2113)
            f[at] = (byte) 0x94;
            f[at + 1] = 4;
            f[at + 2] = 0;
            f[at + 3] = 0;
            at += 4;
        }
        while (at < end) f[at++] = 1;
    }

    /** A frame of random bytes (no meaning), for checksum requests at arbitrary offsets. */
    public static byte[] noise(Random r, int length) {
        byte[] f = new byte[length];
        r.nextBytes(f);
        return f;
    }
}

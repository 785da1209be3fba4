package io.github.jnic.testbench.offload;

import io.github.jnic.net.wire.Checksum;
import io.github.jnic.spec.Descriptors.Rx;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the card's offload engines must do, written from the standards rather than from the RTL:
 * the Internet checksum (RFC 1071), the IPv4 header (RFC 791), TCP (RFC 793) and UDP (RFC 768)
 * with their pseudo-headers, IPv6's (RFC 8200 8.1), and Linux's GSO rules for cutting a TCP send
 * into segments (IP ID + 1, FIN and PSH on the last segment, CWR on the first). Where the
 * engines choose a behaviour (a request that does not fit the frame), this follows the choice
 * documented on {@code TxOffload} and docs/offload.md.
 *
 * <p>A segment's fields are found where the RFCs put them (the IPv4 checksum at IP + 10, TCP's at
 * TCP + 16, the pseudo-header's addresses read from the IP header), not where the command says, so
 * a driver that fills the context descriptor wrongly is caught, not mirrored.
 */
public final class OffloadReference {
    private OffloadReference() {}

    /** TCP flags the segmentation rules touch. */
    static final int FIN = 0x01, PSH = 0x08, CWR = 0x80;
    /** The largest segment frame (header + MSS) the engines accept: the frame buffer's 16 KiB. */
    public static final int MAX_SEGMENT_FRAME = 1 << 14;

    /**
     * The context and data descriptor fields in force for one frame (TxCommand's fields): offsets
     * from the frame's first byte, ends inclusive (0: to the frame's end).
     */
    public record Command(int ipcss, int ipcso, int ipcse, int tucss, int tucso, int tucse, int paylen, int hdrlen,
            int mss, boolean tse, boolean tcp, boolean ipv4, boolean ixsm, boolean txsm) {
        /** No offload: the frame leaves as it is. */
        public static Command none() {
            return new Command(0, 0, 0, 0, 0, 0, 0, 0, 0, false, false, false, false, false);
        }

        /** Checksum offload only (CHECKSUM_PARTIAL): sums from start to end written at offset. */
        public static Command checksum(boolean ixsm, int ipcss, int ipcso, int ipcse, boolean txsm, int tucss, int tucso,
                int tucse) {
            return new Command(ipcss, ipcso, ipcse, tucss, tucso, tucse, 0, 0, 0, false, true, true, ixsm, txsm);
        }

        /** TCP segmentation of a frame whose IP header starts at ipcss and whose TCP header at tucss. */
        public static Command tso(boolean ipv4, int ipcss, int ipHeaderBytes, int tucss, int hdrlen, int mss, int paylen) {
            return new Command(ipcss, ipv4 ? ipcss + 10 : 0, ipv4 ? ipcss + ipHeaderBytes - 1 : 0, tucss, tucss + 16, 0,
                    paylen, hdrlen, mss, true, true, ipv4, ipv4, true);
        }

        public Command withTse(int paylen, int hdrlen, int mss) {
            return new Command(ipcss, ipcso, ipcse, tucss, tucso, tucse, paylen, hdrlen, mss, tse, tcp, ipv4, ixsm, txsm);
        }

        public Command withOffsets(int ipcss, int ipcso, int ipcse, int tucss, int tucso, int tucse) {
            return new Command(ipcss, ipcso, ipcse, tucss, tucso, tucse, paylen, hdrlen, mss, tse, tcp, ipv4, ixsm, txsm);
        }

        public Command withKind(boolean tcp, boolean ipv4) {
            return new Command(ipcss, ipcso, ipcse, tucss, tucso, tucse, paylen, hdrlen, mss, tse, tcp, ipv4, ixsm, txsm);
        }
    }

    /**
     * What one request gives: the frames that go on the wire, in order; how many frames leave the
     * engine marked "drop" (the frame buffer discards them); and the engine's counters.
     */
    public record Tx(List<byte[]> sent, int markedDrop, int tsoContexts, int tsoFailed, int checksumUnmodified) {}

    /** The frames that go on the wire for {@code frame} under {@code c}. */
    public static Tx transmit(byte[] frame, Command c) {
        return transmit(frame, c, false);
    }

    /**
     * As {@link #transmit(byte[], Command)} for a frame that may come {@code cut} short by the DMA
     * engine (marked drop on its last beat): without TSO it leaves marked drop and counts nowhere;
     * with TSO the segment it ends in leaves marked drop and the request has failed.
     */
    public static Tx transmit(byte[] frame, Command c, boolean cut) {
        if (c.tse()) return segment(frame, c, cut);
        if (cut) return new Tx(List.of(), 1, 0, 0, 0);
        byte[] f = frame.clone();
        boolean ipOk = fits(c.ipcss(), c.ipcso(), c.ipcse(), f.length), tuOk = fits(c.tucss(), c.tucso(), c.tucse(), f.length);
        // both sums are over the frame as it was handed in; the IP field is written first
        int ip = c.ixsm() && ipOk ? partial(f, c.ipcss(), c.ipcse()) : -1;
        int tu = c.txsm() && tuOk ? partial(f, c.tucss(), c.tucse()) : -1;
        if (ip >= 0) put16(f, c.ipcso(), ip);
        if (tu >= 0) put16(f, c.tucso(), tu == 0 ? 0xFFFF : tu);
        int unmodified = (c.ixsm() && !ipOk) || (c.txsm() && !tuOk) ? 1 : 0;
        return new Tx(List.of(f), 0, 0, 0, unmodified);
    }

    /** CHECKSUM_PARTIAL: the complement of the sum from start to end (inclusive; 0: the end), seed included. */
    static int partial(byte[] f, int start, int end) {
        int last = end == 0 ? f.length - 1 : end;
        return Checksum.finish(Checksum.add(0, f, start, last - start + 1));
    }

    /** A checksum request fits a frame: the start inside it, the field's two bytes inside it, the end not before the start nor past the frame. */
    static boolean fits(int start, int at, int end, int length) {
        return start < length && at + 1 < length && (end == 0 || (end >= start && end < length));
    }

    /** The request checks TxOffload makes before segmenting (docs/offload.md, "bad requests"). */
    public static boolean tsoRefused(Command c) {
        int ipMin = c.ipv4() ? 20 : 40;
        return c.mss() == 0 || c.paylen() == 0 || c.hdrlen() == 0 || !c.tcp()
                || c.ipcss() + ipMin > c.tucss() || c.tucss() + 20 > c.hdrlen() || c.tucso() + 2 > c.hdrlen()
                || (c.ipv4() && (c.ipcso() + 2 > c.hdrlen() || c.ipcse() < c.ipcss() + 19 || c.ipcse() >= c.tucss()))
                || c.hdrlen() + c.mss() > MAX_SEGMENT_FRAME;
    }

    /** TSO: the header replayed in front of each MSS of payload, every field rewritten as Linux's GSO does. */
    static Tx segment(byte[] frame, Command c, boolean cut) {
        int hdr = c.hdrlen(), mss = c.mss(), paylen = c.paylen();
        if (tsoRefused(c) || frame.length <= hdr) return new Tx(List.of(), 0, 0, 1, 0);
        int data = frame.length - hdr;
        // the segment the data ends in (short, or cut) or the last of PAYLEN's (long) leaves marked "drop"
        int dropAt = data < paylen ? (data - 1) / mss : data > paylen || cut ? (paylen - 1) / mss : -1;
        int segments = (paylen + mss - 1) / mss;
        List<byte[]> sent = new ArrayList<>();
        for (int k = 0; k < segments && k != dropAt; k++) {
            int off = k * mss, n = Math.min(mss, paylen - off);
            sent.add(segment(frame, c, k, off, n, k == 0, k == segments - 1));
        }
        boolean whole = dropAt < 0;
        return new Tx(sent, whole ? 0 : 1, whole ? 1 : 0, whole ? 0 : 1, 0);
    }

    /** Segment {@code k}: the header, payload bytes {@code [off, off + n)}, its fields and checksums. */
    static byte[] segment(byte[] frame, Command c, int k, int off, int n, boolean first, boolean last) {
        int hdr = c.hdrlen(), ip = c.ipcss(), tcp = c.tucss();
        byte[] s = Arrays.copyOf(frame, hdr + n);
        System.arraycopy(frame, hdr + off, s, hdr, n);
        int tcpLength = hdr - tcp + n;
        long pseudo;
        if (c.ipv4()) {
            put16(s, ip + 2, hdr - ip + n);                        // total length (RFC 791)
            put16(s, ip + 4, get16(frame, ip + 4) + k);            // identification, + 1 per segment
            int ihl = (s[ip] & 0x0F) * 4;
            put16(s, ip + 10, 0);
            put16(s, ip + 10, Checksum.finish(Checksum.add(0, s, ip, ihl)));
            pseudo = Checksum.add(0, s, ip + 12, 8) + 6 + tcpLength;
        } else {
            put16(s, ip + 4, hdr - ip - 40 + n);                   // payload length (RFC 8200)
            pseudo = Checksum.add(0, s, ip + 8, 32) + 6 + (tcpLength >>> 16) + (tcpLength & 0xFFFF);
        }
        put32(s, tcp + 4, get32(frame, tcp + 4) + off);            // sequence number
        int flags = frame[tcp + 13] & 0xFF;
        if (!last) flags &= ~(FIN | PSH);
        if (!first) flags &= ~CWR;
        s[tcp + 13] = (byte) flags;
        put16(s, tcp + 16, 0);
        int sum = Checksum.finish(Checksum.add(pseudo, s, tcp, tcpLength));
        put16(s, tcp + 16, sum == 0 ? 0xFFFF : sum);
        return s;
    }

    // ---- receive -----------------------------------------------------------------------------

    /** A receive verdict as the descriptor's STATUS (IXSM, UDPCS, TCPCS, IPCS), ERRORS (TCPE, IPE) and CSUM. */
    public record Verdict(int status, int errors, int csum) {
        public boolean good() {
            return errors == 0 && (status & Rx.IXSM.mask()) == 0;
        }

        @Override public String toString() {
            StringBuilder b = new StringBuilder();
            for (var f : List.of(Rx.IXSM, Rx.UDPCS, Rx.TCPCS, Rx.IPCS)) if (f.isSet(status)) b.append(f.name()).append(' ');
            for (var f : List.of(Rx.TCPE, Rx.IPE)) if (f.isSet(errors)) b.append(f.name()).append(' ');
            return b.append(String.format("csum %04x", csum)).toString();
        }
    }

    /**
     * RxChecksum's verdict on a received frame (RXCSUM's PCSS, IPOFLD, TUOFLD): the IPv4 header
     * checksum when the datagram is whole and sane; TCP or UDP over IPv4 (not a fragment) or over
     * IPv6 (no extension header) with its pseudo-header; anything it cannot parse is not checked,
     * never good; CSUM the sum of the frame from PCSS (0 when PCSS is past the end).
     */
    public static Verdict receive(byte[] f, int pcss, boolean ipOffload, boolean tuOffload) {
        int status = 0, errors = 0;
        boolean checked = false;
        int len = f.length;
        int typeAt = len >= 16 && get16(f, 12) == 0x8100 ? 16 : 12;
        int l3 = typeAt + 2;
        int type = len >= typeAt + 2 ? get16(f, typeAt) : -1;
        int proto = -1, l4 = 0, l4Length = 0;
        long pseudo = 0;
        boolean l4Parsed = false;
        if (type == 0x0800 && len > l3 && (f[l3] & 0xF0) == 0x40) {
            int ihl = (f[l3] & 0x0F) * 4;
            if (ihl >= 20 && l3 + ihl <= len) {
                int total = get16(f, l3 + 2);
                if (total >= ihl && l3 + total <= len) {
                    if (ipOffload) {
                        checked = true;
                        status |= Rx.IPCS.mask();
                        if (Checksum.fold(Checksum.add(0, f, l3, ihl)) != 0xFFFF) errors |= Rx.IPE.mask();
                    }
                    boolean fragment = (get16(f, l3 + 6) & 0x3FFF) != 0;
                    if (!fragment) {
                        proto = f[l3 + 9] & 0xFF;
                        l4 = l3 + ihl;
                        l4Length = total - ihl;
                        pseudo = Checksum.add(0, f, l3 + 12, 8) + proto + l4Length;
                        l4Parsed = true;
                    }
                }
            }
        } else if (type == 0x86DD && l3 + 40 <= len && (f[l3] & 0xF0) == 0x60) {
            int payload = get16(f, l3 + 4);
            if (payload != 0 && l3 + 40 + payload <= len) {
                proto = f[l3 + 6] & 0xFF;
                l4 = l3 + 40;
                l4Length = payload;
                pseudo = Checksum.add(0, f, l3 + 8, 32) + proto + l4Length;
                l4Parsed = true;
            }
        }
        if (tuOffload && l4Parsed) {
            boolean tcp = proto == 6 && l4Length >= 20;
            boolean udp = proto == 17 && l4Length >= 8 && get16(f, l4 + 4) == l4Length
                    && (type == 0x86DD || get16(f, l4 + 6) != 0);   // IPv4 UDP checksum 0: none sent (RFC 768)
            if (tcp || udp) {
                checked = true;
                status |= tcp ? Rx.TCPCS.mask() : Rx.UDPCS.mask();
                if (Checksum.fold(Checksum.add(pseudo, f, l4, l4Length)) != 0xFFFF) errors |= Rx.TCPE.mask();
            }
        }
        if (!checked) status |= Rx.IXSM.mask();
        int csum = pcss < len ? Checksum.fold(Checksum.add(0, f, pcss, len - pcss)) : 0;
        return new Verdict(status, errors, csum);
    }

    // ---- bytes -------------------------------------------------------------------------------

    static int get16(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }

    static int get32(byte[] b, int at) {
        return get16(b, at) << 16 | get16(b, at + 2);
    }

    static void put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    static void put32(byte[] b, int at, int v) {
        put16(b, at, v >>> 16);
        put16(b, at + 2, v);
    }
}

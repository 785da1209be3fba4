package io.github.jnic.net.app.dns;

import io.github.jnic.net.app.MalformedException;
import java.util.ArrayList;
import java.util.List;

/**
 * A read-only view of a DNS message (RFC 1035 §4.1) over a byte array. {@link #parse} walks and
 * validates the whole message once, remembering where each entry starts; fields are then read from
 * the array on demand. Anything broken (truncation, pointer loops or forward pointers, over-long
 * labels or names, RDATA that does not fit its type) raises a {@link MalformedException} with a
 * {@link DnsReject} reason.
 */
public final class DnsMessage {
    public static final int HEADER = 12;

    /** Header flag bits, in the 16-bit word at offset 2. */
    public static final int QR = 0x8000, AA = 0x0400, TC = 0x0200, RD = 0x0100, RA = 0x0080, AD = 0x0020, CD = 0x0010;

    public enum Section { QUESTION, ANSWER, AUTHORITY, ADDITIONAL }

    public record Question(String name, int type, int dnsClass) {
        @Override
        public String toString() {
            return DnsName.absolute(name) + " " + DnsType.name(type);
        }
    }

    private final byte[] b;
    private final int start;
    private final int end;
    /** Start offset of every entry: questions, then answer, authority and additional records. */
    private final int[] entries;
    private final int[] counts = new int[4];
    private final int questionEnd;

    private DnsMessage(byte[] b, int start, int end) {
        this.b = b;
        this.start = start;
        this.end = end;
        if (end - start < HEADER) throw new MalformedException(DnsReject.TRUNCATED, "message of " + (end - start) + " bytes has no full header");
        int total = 0;
        for (int s = 0; s < 4; s++) {
            counts[s] = u16(start + 4 + 2 * s);
            total += counts[s];
        }
        // Each question takes at least 5 bytes and each record 11: refuse impossible counts before allocating.
        if ((long) counts[0] * 5 + (long) (total - counts[0]) * 11 > end - start - HEADER) {
            throw new MalformedException(DnsReject.TRUNCATED, "section counts exceed the message size");
        }
        entries = new int[total];
        int pos = start + HEADER;
        int e = 0;
        for (int i = 0; i < counts[0]; i++) {
            entries[e++] = pos;
            pos = DnsName.read(b, start, end, pos, null) + 4;
            if (pos > end) throw new MalformedException(DnsReject.TRUNCATED, "question runs past the end");
        }
        questionEnd = pos;
        for (; e < total; e++) {
            entries[e] = pos;
            pos = DnsName.read(b, start, end, pos, null);
            if (pos + 10 > end) throw new MalformedException(DnsReject.TRUNCATED, "record header runs past the end");
            int rdlength = u16(pos + 8);
            int rdata = pos + 10;
            if (rdata + rdlength > end) throw new MalformedException(DnsReject.TRUNCATED, "RDATA runs past the end");
            decodeRdata(u16(pos), rdata, rdlength, false);
            pos = rdata + rdlength;
        }
        if (pos != end) throw new MalformedException(DnsReject.TRAILING_BYTES, (end - pos) + " bytes after the last record");
    }

    /** Parses and validates the message in {@code b[off, off+len)}. The array must not change while the view is used. */
    public static DnsMessage parse(byte[] b, int off, int len) {
        return new DnsMessage(b, off, off + len);
    }

    public static DnsMessage parse(byte[] b) {
        return parse(b, 0, b.length);
    }

    public byte[] array() { return b; }
    public int offset() { return start; }
    public int length() { return end - start; }

    public int id() { return u16(start); }
    public int flags() { return u16(start + 2); }
    public boolean isResponse() { return (flags() & QR) != 0; }
    public int opcode() { return (flags() >>> 11) & 0xf; }
    public boolean authoritative() { return (flags() & AA) != 0; }
    public boolean truncated() { return (flags() & TC) != 0; }
    public boolean recursionDesired() { return (flags() & RD) != 0; }
    public boolean recursionAvailable() { return (flags() & RA) != 0; }
    public int rcode() { return flags() & 0xf; }

    public int count(Section s) { return counts[s.ordinal()]; }

    /** Offset just past the question section: the server echoes {@code [offset()+12, questionEnd())} verbatim. */
    public int questionEnd() { return questionEnd; }

    public Question question(int i) {
        if (i < 0 || i >= counts[0]) throw new IndexOutOfBoundsException(i);
        StringBuilder name = new StringBuilder();
        int pos = DnsName.read(b, start, end, entries[i], name);
        return new Question(name.toString(), u16(pos), u16(pos + 2));
    }

    public ResourceRecord record(Section s, int i) {
        if (s == Section.QUESTION) throw new IllegalArgumentException("questions are read with question(i)");
        if (i < 0 || i >= counts[s.ordinal()]) throw new IndexOutOfBoundsException(i);
        int e = i;
        for (int k = 0; k < s.ordinal(); k++) e += counts[k];
        StringBuilder name = new StringBuilder();
        int pos = DnsName.read(b, start, end, entries[e], name);
        int type = u16(pos);
        long ttl = u32(pos + 4);
        if (ttl > Integer.MAX_VALUE) ttl = 0; // RFC 2181 §8
        return new ResourceRecord(name.toString(), type, u16(pos + 2), ttl, decodeRdata(type, pos + 10, u16(pos + 8), true));
    }

    public List<ResourceRecord> records(Section s) {
        List<ResourceRecord> list = new ArrayList<>(count(s));
        for (int i = 0; i < count(s); i++) list.add(record(s, i));
        return list;
    }

    /** The requestor's UDP payload size from an EDNS OPT record (RFC 6891), or -1 when there is none. */
    public int ednsUdpSize() {
        for (int i = 0; i < count(Section.ADDITIONAL); i++) {
            int pos = entries[entries.length - count(Section.ADDITIONAL) + i];
            if ((b[pos] & 0xff) == 0 && u16(pos + 1) == DnsType.OPT) return u16(pos + 3);
        }
        return -1;
    }

    private Rdata decodeRdata(int type, int pos, int len, boolean build) {
        int stop = pos + len;
        switch (type) {
            case DnsType.A -> {
                expect(len == 4, type, len);
                return build ? new Rdata.A((int) u32(pos)) : null;
            }
            case DnsType.AAAA -> {
                expect(len == 16, type, len);
                return build ? new Rdata.Aaaa(java.util.Arrays.copyOfRange(b, pos, stop)) : null;
            }
            case DnsType.NS, DnsType.CNAME, DnsType.PTR -> {
                StringBuilder n = build ? new StringBuilder() : null;
                expect(readNameIn(pos, stop, n) == stop, type, len);
                return build ? new Rdata.Name(n.toString()) : null;
            }
            case DnsType.MX -> {
                expect(len >= 3, type, len);
                StringBuilder n = build ? new StringBuilder() : null;
                expect(readNameIn(pos + 2, stop, n) == stop, type, len);
                return build ? new Rdata.Mx(u16(pos), n.toString()) : null;
            }
            case DnsType.SOA -> {
                StringBuilder m = build ? new StringBuilder() : null;
                StringBuilder r = build ? new StringBuilder() : null;
                int p = readNameIn(pos, stop, m);
                p = readNameIn(p, stop, r);
                expect(p + 20 == stop, type, len);
                return build ? new Rdata.Soa(m.toString(), r.toString(), u32(p), u32(p + 4), u32(p + 8), u32(p + 12), u32(p + 16)) : null;
            }
            case DnsType.TXT -> {
                expect(len >= 1, type, len);
                List<String> strings = build ? new ArrayList<>() : null;
                int p = pos;
                while (p < stop) {
                    int l = b[p] & 0xff;
                    expect(p + 1 + l <= stop, type, len);
                    if (build) strings.add(new String(b, p + 1, l, java.nio.charset.StandardCharsets.ISO_8859_1));
                    p += 1 + l;
                }
                return build ? new Rdata.Txt(strings) : null;
            }
            default -> {
                return build ? new Rdata.Opaque(java.util.Arrays.copyOfRange(b, pos, stop)) : null;
            }
        }
    }

    /** Reads a name inside RDATA: it may point back into the message but must not run past the RDATA. */
    private int readNameIn(int pos, int stop, StringBuilder out) {
        if (pos >= stop) throw new MalformedException(DnsReject.BAD_RDATA, "name missing from RDATA");
        int after = DnsName.read(b, start, end, pos, out);
        if (after > stop) throw new MalformedException(DnsReject.BAD_RDATA, "name runs past its RDATA");
        return after;
    }

    private static void expect(boolean ok, int type, int len) {
        if (!ok) throw new MalformedException(DnsReject.BAD_RDATA, DnsType.name(type) + " RDATA of " + len + " bytes");
    }

    private int u16(int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    private long u32(int at) {
        return ((long) u16(at) << 16) | u16(at + 2);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append("id=").append(id()).append(" flags=0x").append(Integer.toHexString(flags())).append(" rcode=").append(rcode());
        for (int i = 0; i < count(Section.QUESTION); i++) sb.append("\n  Q ").append(question(i));
        for (Section s : new Section[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
            for (ResourceRecord rr : records(s)) sb.append("\n  ").append(s.name().charAt(0)).append(' ').append(rr);
        }
        return sb.toString();
    }
}

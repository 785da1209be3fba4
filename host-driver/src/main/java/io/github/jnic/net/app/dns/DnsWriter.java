package io.github.jnic.net.app.dns;

import io.github.jnic.net.app.dns.DnsMessage.Section;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a DNS message straight into a caller's byte array (a packet buffer's payload, say), with
 * name compression (RFC 1035 §4.1.4). Sections are written in order. Every write either fits under
 * the size limit or is rolled back and reports {@code false}, so a server can fill a UDP answer
 * until it is full and then set TC.
 */
public final class DnsWriter {
    private final byte[] b;
    private final int start;
    private final int limit;
    private int pos;
    private final int[] counts = new int[4];
    private int section;
    /** Offsets of names already written, by name, for compression pointers. */
    private final Map<String, Integer> names = new HashMap<>();
    private final List<String> added = new ArrayList<>();

    private static final class Full extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Full() {
            super(null, null, false, false);
        }
    }

    private static final Full FULL = new Full();

    /** Writes at {@code b[off...]}, never past {@code off + limit} nor the array's end. */
    public DnsWriter(byte[] b, int off, int limit) {
        this.b = b;
        this.start = off;
        this.limit = Math.min(limit, b.length - off);
        if (this.limit < DnsMessage.HEADER) throw new IllegalArgumentException("no room for a header");
        this.pos = off + DnsMessage.HEADER;
        java.util.Arrays.fill(b, off, off + DnsMessage.HEADER, (byte) 0);
    }

    /** A writer over a fresh array of {@code limit} bytes; take the result with {@link #toByteArray()}. */
    public DnsWriter(int limit) {
        this(new byte[limit], 0, limit);
    }

    public DnsWriter header(int id, int flags) {
        put16(start, id);
        put16(start + 2, flags);
        return this;
    }

    public int flags() {
        return ((b[start + 2] & 0xff) << 8) | (b[start + 3] & 0xff);
    }

    public void flags(int flags) {
        put16(start + 2, flags);
    }

    public boolean question(String name, int type, int dnsClass) {
        return write(Section.QUESTION, () -> {
            name(name);
            u16(type);
            u16(dnsClass);
        });
    }

    /** Copies already encoded questions (a query's question section, echoed in the answer). */
    public boolean rawQuestions(byte[] src, int off, int len, int count) {
        if (section > 0 || counts[0] > 0) throw new IllegalStateException("questions come first");
        boolean ok = write(Section.QUESTION, () -> {
            ensure(len);
            System.arraycopy(src, off, b, pos, len);
            pos += len;
        });
        if (ok) counts[0] = count;
        return ok;
    }

    public boolean record(Section s, ResourceRecord rr) {
        if (s == Section.QUESTION) throw new IllegalArgumentException("use question()");
        return write(s, () -> {
            name(rr.name());
            u16(rr.type());
            u16(rr.dnsClass());
            u32(rr.ttl());
            int lengthAt = pos;
            u16(0);
            rdata(rr.data());
            put16(lengthAt, pos - lengthAt - 2);
        });
    }

    /** An EDNS OPT pseudo-record advertising {@code udpSize} (RFC 6891 §6.1.2). */
    public boolean opt(int udpSize) {
        return record(Section.ADDITIONAL, new ResourceRecord("", DnsType.OPT, udpSize, 0, new Rdata.Opaque(new byte[0])));
    }

    public int count(Section s) {
        return counts[s.ordinal()];
    }

    /** Bytes written so far (the counts in the header are kept current). */
    public int length() {
        return pos - start;
    }

    public byte[] toByteArray() {
        return java.util.Arrays.copyOfRange(b, start, pos);
    }

    private boolean write(Section s, Runnable body) {
        if (s.ordinal() < section) throw new IllegalStateException(s + " after " + Section.values()[section]);
        int mark = pos;
        added.clear();
        try {
            body.run();
        } catch (Full full) {
            pos = mark;
            for (String n : added) names.remove(n);
            return false;
        }
        section = s.ordinal();
        counts[section]++;
        put16(start + 4 + 2 * section, counts[section]);
        return true;
    }

    private void rdata(Rdata data) {
        if (data instanceof Rdata.A a) {
            u32(a.address() & 0xffffffffL);
        } else if (data instanceof Rdata.Aaaa a) {
            bytes(a.address());
        } else if (data instanceof Rdata.Name n) {
            name(n.name());
        } else if (data instanceof Rdata.Mx mx) {
            u16(mx.preference());
            name(mx.exchange());
        } else if (data instanceof Rdata.Soa soa) {
            name(soa.mname());
            name(soa.rname());
            u32(soa.serial());
            u32(soa.refresh());
            u32(soa.retry());
            u32(soa.expire());
            u32(soa.minimum());
        } else if (data instanceof Rdata.Txt txt) {
            for (String s : txt.strings()) {
                byte[] raw = s.getBytes(StandardCharsets.ISO_8859_1);
                ensure(1 + raw.length);
                b[pos++] = (byte) raw.length;
                bytes(raw);
            }
        } else {
            bytes(((Rdata.Opaque) data).bytes());
        }
    }

    private void name(String name) {
        String rest = name;
        while (!rest.isEmpty()) {
            Integer at = names.get(rest);
            if (at != null) {
                u16(0xc000 | at);
                return;
            }
            int here = pos - start;
            List<String> labels = DnsName.split(rest);
            byte[] label = DnsName.labelBytes(labels.get(0));
            ensure(1 + label.length);
            b[pos++] = (byte) label.length;
            bytes(label);
            if (here < 0x4000) {
                names.put(rest, here);
                added.add(rest);
            }
            rest = String.join(".", labels.subList(1, labels.size()));
        }
        ensure(1);
        b[pos++] = 0;
    }

    private void ensure(int n) {
        if (pos + n > start + limit) throw FULL;
    }

    private void bytes(byte[] src) {
        ensure(src.length);
        System.arraycopy(src, 0, b, pos, src.length);
        pos += src.length;
    }

    private void u16(int v) {
        ensure(2);
        put16(pos, v);
        pos += 2;
    }

    private void u32(long v) {
        ensure(4);
        put16(pos, (int) (v >>> 16));
        put16(pos + 2, (int) v);
        pos += 4;
    }

    private void put16(int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }
}

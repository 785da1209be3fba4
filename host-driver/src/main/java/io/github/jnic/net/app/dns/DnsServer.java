package io.github.jnic.net.app.dns;

import io.github.jnic.net.app.MalformedException;
import io.github.jnic.net.app.Rejects;
import io.github.jnic.net.app.dns.DnsMessage.Section;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An authoritative DNS server engine for a set of zones: a query in, an answer out (or nothing).
 * It answers with AA, follows CNAMEs inside its zones, gives referrals with glue at zone cuts,
 * NXDOMAIN or NODATA with the SOA for negative caching (RFC 2308), echoes EDNS (RFC 6891), and over
 * UDP sets TC when the answer does not fit so the client retries over TCP. Malformed queries are
 * counted; a query whose header is readable gets FORMERR, anything else is dropped.
 */
public final class DnsServer {
    public static final int CLASSIC_UDP_SIZE = 512;
    /** The largest UDP answer this server sends, whatever EDNS asks (the common safe choice, RFC 9715). */
    public static final int MAX_UDP_SIZE = 1232;
    private static final int MAX_CNAME_CHAIN = 8;

    private final List<Zone> zones;
    private final Rejects rejects = new Rejects();

    public DnsServer(List<Zone> zones) {
        // Longest origin first, so the most specific zone wins.
        this.zones = new ArrayList<>(zones);
        this.zones.sort(Comparator.comparingInt((Zone z) -> DnsName.labelCount(z.origin())).reversed());
    }

    public Rejects rejects() {
        return rejects;
    }

    /**
     * Answers the query in {@code b[off, off+len)}, received over TCP or UDP. Returns the answer
     * (unframed), or null when the input deserves no answer (it is counted).
     */
    public byte[] answer(byte[] b, int off, int len, boolean overTcp) {
        if (len < DnsMessage.HEADER) {
            rejects.count(DnsReject.TRUNCATED);
            return null;
        }
        int rawFlags = ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
        if ((rawFlags & DnsMessage.QR) != 0) {
            rejects.count(DnsReject.BAD_QUERY); // never answer a response: that is how loops start
            return null;
        }
        int id = ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
        DnsMessage query;
        try {
            query = DnsMessage.parse(b, off, len);
        } catch (MalformedException e) {
            rejects.count(e.reason());
            return headerOnly(id, rawFlags, DnsType.FORMERR);
        }
        if (query.opcode() != 0) {
            rejects.count(DnsReject.BAD_QUERY);
            return headerOnly(id, rawFlags, DnsType.NOTIMP);
        }
        if (query.count(Section.QUESTION) != 1) {
            rejects.count(DnsReject.BAD_QUERY);
            return headerOnly(id, rawFlags, DnsType.FORMERR);
        }
        int edns = query.ednsUdpSize();
        int limit = overTcp ? 65535 : edns < 0 ? CLASSIC_UDP_SIZE : Math.max(CLASSIC_UDP_SIZE, Math.min(edns, MAX_UDP_SIZE));
        DnsMessage.Question q = query.question(0);
        Zone zone = q.dnsClass() == DnsType.CLASS_IN || q.dnsClass() == DnsType.ANY ? zoneFor(q.name()) : null;

        Answer a = zone == null ? null : resolve(zone, q.name(), q.type());
        int flags = DnsMessage.QR | (rawFlags & DnsMessage.RD);
        if (a == null) {
            flags |= DnsType.REFUSED;
        } else {
            flags |= a.rcode;
            if (a.authoritative) flags |= DnsMessage.AA;
        }
        DnsWriter w = new DnsWriter(limit);
        w.header(id, flags);
        w.rawQuestions(b, off + DnsMessage.HEADER, query.questionEnd() - off - DnsMessage.HEADER, 1);
        boolean complete = a == null || (writeAll(w, Section.ANSWER, a.answer) && writeAll(w, Section.AUTHORITY, a.authority));
        if (!complete) {
            // Required data did not fit: send the question alone with TC (RFC 2181 §9).
            w = new DnsWriter(limit);
            w.header(id, flags | DnsMessage.TC);
            w.rawQuestions(b, off + DnsMessage.HEADER, query.questionEnd() - off - DnsMessage.HEADER, 1);
            if (edns >= 0) w.opt(MAX_UDP_SIZE);
            return w.toByteArray();
        }
        if (edns >= 0) w.opt(MAX_UDP_SIZE);
        if (a != null) {
            for (ResourceRecord rr : a.additional) w.record(Section.ADDITIONAL, rr); // optional: what fits
        }
        return w.toByteArray();
    }

    private static boolean writeAll(DnsWriter w, Section section, List<ResourceRecord> records) {
        for (ResourceRecord rr : records) {
            if (!w.record(section, rr)) return false;
        }
        return true;
    }

    private Zone zoneFor(String name) {
        for (Zone z : zones) {
            if (DnsName.isWithin(name, z.origin())) return z;
        }
        return null;
    }

    private static final class Answer {
        int rcode = DnsType.NOERROR;
        boolean authoritative = true;
        final List<ResourceRecord> answer = new ArrayList<>();
        final List<ResourceRecord> authority = new ArrayList<>();
        final Set<ResourceRecord> additional = new LinkedHashSet<>();
    }

    private Answer resolve(Zone zone, String qname, int qtype) {
        Answer a = new Answer();
        String name = qname;
        for (int hops = 0; hops <= MAX_CNAME_CHAIN; hops++) {
            String cut = zone.delegation(name);
            if (cut != null) {
                // A referral: the child's NS set, and addresses for those servers that lie in this zone.
                a.authoritative = !a.answer.isEmpty();
                List<ResourceRecord> ns = zone.records(cut, DnsType.NS);
                a.authority.addAll(ns);
                for (ResourceRecord r : ns) addAddresses(zone, r.targetName(), a);
                return a;
            }
            List<ResourceRecord> rrs = zone.records(name, qtype);
            if (!rrs.isEmpty()) {
                a.answer.addAll(rrs);
                for (ResourceRecord r : rrs) {
                    if (r.type() == DnsType.MX) addAddresses(zone, ((Rdata.Mx) r.data()).exchange(), a);
                    if (r.type() == DnsType.NS) addAddresses(zone, r.targetName(), a);
                }
                return a;
            }
            List<ResourceRecord> cname = zone.records(name, DnsType.CNAME);
            if (!cname.isEmpty()) {
                a.answer.add(cname.get(0));
                name = cname.get(0).targetName();
                if (!DnsName.isWithin(name, zone.origin())) return a; // the resolver follows it elsewhere
                continue;
            }
            if (!zone.exists(name)) a.rcode = DnsType.NXDOMAIN;
            a.authority.add(zone.soa().withTtl(zone.negativeTtl()));
            return a;
        }
        return a; // a chain longer than the limit: what we have, the resolver will give up on it
    }

    private static void addAddresses(Zone zone, String host, Answer a) {
        if (!DnsName.isWithin(host, zone.origin())) return;
        a.additional.addAll(zone.records(host, DnsType.A));
        a.additional.addAll(zone.records(host, DnsType.AAAA));
    }

    private static byte[] headerOnly(int id, int queryFlags, int rcode) {
        DnsWriter w = new DnsWriter(DnsMessage.HEADER);
        w.header(id, DnsMessage.QR | (queryFlags & (0x7800 | DnsMessage.RD)) | rcode);
        return w.toByteArray();
    }
}

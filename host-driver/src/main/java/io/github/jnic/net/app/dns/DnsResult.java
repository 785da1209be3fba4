package io.github.jnic.net.app.dns;

import java.util.List;

/**
 * The outcome of a resolution. {@code records} holds the CNAME chain followed from the asked name
 * and then the final RRset; for NXDOMAIN and NODATA, the chain alone.
 */
public record DnsResult(Status status, String name, int type, List<ResourceRecord> records, String detail) {

    public enum Status { ANSWER, NXDOMAIN, NODATA, FAILED }

    /** The IPv4 addresses among the records. */
    public List<Integer> ipv4Addresses() {
        return records.stream().filter(r -> r.type() == DnsType.A).map(r -> ((Rdata.A) r.data()).address()).toList();
    }

    /** The name the chain ends at (the asked name when there is no CNAME). */
    public String canonicalName() {
        String n = name;
        for (ResourceRecord r : records) {
            if (r.type() == DnsType.CNAME && r.name().equals(n)) n = r.targetName();
        }
        return n;
    }
}

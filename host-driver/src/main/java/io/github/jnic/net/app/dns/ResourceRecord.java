package io.github.jnic.net.app.dns;

/**
 * One resource record. {@code ttl} is in seconds (0 to 2^31-1; RFC 2181 §8 treats larger values as 0).
 */
public record ResourceRecord(String name, int type, int dnsClass, long ttl, Rdata data) {

    public static ResourceRecord in(String name, int type, long ttl, Rdata data) {
        return new ResourceRecord(name, type, DnsType.CLASS_IN, ttl, data);
    }

    public ResourceRecord withTtl(long newTtl) {
        return new ResourceRecord(name, type, dnsClass, newTtl, data);
    }

    /** The target of a CNAME, NS or PTR record. */
    public String targetName() {
        return ((Rdata.Name) data).name();
    }

    @Override
    public String toString() {
        return DnsName.absolute(name) + " " + ttl + " " + (dnsClass == DnsType.CLASS_IN ? "IN" : "CLASS" + dnsClass) + " " + DnsType.name(type) + " " + data;
    }
}

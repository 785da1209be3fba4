package io.github.jnic.net.wire;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** IPv4 addresses as big-endian {@code int}s, the form the stack uses everywhere inside. */
public final class Ipv4Address {
    private Ipv4Address() {}

    public static final int ANY = 0;
    public static final int BROADCAST = 0xffffffff;

    /** Parses dotted-quad text ("10.0.0.1"); throws IllegalArgumentException on anything else. */
    public static int parse(String text) {
        String[] parts = text.trim().split("\\.", -1);
        if (parts.length != 4) throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
        int addr = 0;
        for (String p : parts) {
            int v;
            try {
                v = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
            }
            if (v < 0 || v > 255 || p.isEmpty() || p.length() > 3) throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
            addr = (addr << 8) | v;
        }
        return addr;
    }

    public static String toString(int addr) {
        return (addr >>> 24) + "." + ((addr >>> 16) & 0xff) + "." + ((addr >>> 8) & 0xff) + "." + (addr & 0xff);
    }

    public static Inet4Address toInet(int addr) {
        byte[] b = new byte[4];
        Bytes.put32(b, 0, addr);
        try {
            return (Inet4Address) InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    public static int of(InetAddress address) {
        if (!(address instanceof Inet4Address)) throw new IllegalArgumentException("not an IPv4 address: " + address);
        return Bytes.get32(address.getAddress(), 0);
    }

    /** The network mask of a prefix length (0..32). */
    public static int mask(int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    public static boolean isMulticast(int addr) { return (addr >>> 28) == 0xe; }

    public static boolean isLoopback(int addr) { return (addr >>> 24) == 127; }

    /** Addresses never valid as a source: multicast, limited broadcast, class E. */
    public static boolean isBadSource(int addr) { return (addr >>> 28) >= 0xe; }
}

package io.github.jnic.net.wire;

/** 48-bit Ethernet addresses as 6-byte arrays. */
public final class MacAddress {
    private MacAddress() {}

    public static final int LENGTH = 6;
    private static final byte[] BROADCAST = {-1, -1, -1, -1, -1, -1};

    public static byte[] broadcast() { return BROADCAST.clone(); }

    /** Parses "02:00:00:00:00:01". */
    public static byte[] parse(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length != 6) throw new IllegalArgumentException("not a MAC address: '" + text + "'");
        byte[] mac = new byte[6];
        for (int i = 0; i < 6; i++) {
            if (parts[i].length() != 2) throw new IllegalArgumentException("not a MAC address: '" + text + "'");
            mac[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return mac;
    }

    public static String toString(byte[] b, int off) {
        StringBuilder s = new StringBuilder(17);
        for (int i = 0; i < 6; i++) {
            if (i > 0) s.append(':');
            s.append(Character.forDigit((b[off + i] >> 4) & 0xf, 16)).append(Character.forDigit(b[off + i] & 0xf, 16));
        }
        return s.toString();
    }

    public static String toString(byte[] mac) { return toString(mac, 0); }

    /** A locally administered unicast address derived from {@code seed}: stable for a given seed. */
    public static byte[] local(long seed) {
        byte[] mac = new byte[6];
        long x = seed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
        for (int i = 0; i < 6; i++) mac[i] = (byte) (x >>> (8 * i));
        mac[0] = (byte) ((mac[0] & 0xfc) | 0x02);
        return mac;
    }

    public static boolean isBroadcast(byte[] b, int off) { return Bytes.equal(b, off, BROADCAST, 0, 6); }

    /** Group bit set (broadcast included). */
    public static boolean isMulticast(byte[] b, int off) { return (b[off] & 1) != 0; }

    /** Writes the Ethernet address an IPv4 multicast group maps to (RFC 1112: 01:00:5e + low 23 bits). */
    public static void writeMulticast(int group, byte[] b, int off) {
        b[off] = 0x01;
        b[off + 1] = 0x00;
        b[off + 2] = 0x5e;
        b[off + 3] = (byte) ((group >>> 16) & 0x7f);
        b[off + 4] = (byte) (group >>> 8);
        b[off + 5] = (byte) group;
    }
}

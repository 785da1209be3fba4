package io.github.jnic.net.app.dns;

/** Record types, classes and response codes used here (RFC 1035, 3596, 6891), with their mnemonics. */
public final class DnsType {
    private DnsType() {}

    public static final int A = 1;
    public static final int NS = 2;
    public static final int CNAME = 5;
    public static final int SOA = 6;
    public static final int PTR = 12;
    public static final int MX = 15;
    public static final int TXT = 16;
    public static final int AAAA = 28;
    public static final int OPT = 41;
    public static final int ANY = 255;

    public static final int CLASS_IN = 1;

    public static final int NOERROR = 0;
    public static final int FORMERR = 1;
    public static final int SERVFAIL = 2;
    public static final int NXDOMAIN = 3;
    public static final int NOTIMP = 4;
    public static final int REFUSED = 5;

    public static String name(int type) {
        return switch (type) {
            case A -> "A";
            case NS -> "NS";
            case CNAME -> "CNAME";
            case SOA -> "SOA";
            case PTR -> "PTR";
            case MX -> "MX";
            case TXT -> "TXT";
            case AAAA -> "AAAA";
            case OPT -> "OPT";
            case ANY -> "ANY";
            default -> "TYPE" + type;
        };
    }

    /** The type for a mnemonic (case-insensitive, also {@code TYPEnnn}), or -1. */
    public static int parse(String mnemonic) {
        String m = mnemonic.toUpperCase(java.util.Locale.ROOT);
        for (int t : new int[] {A, NS, CNAME, SOA, PTR, MX, TXT, AAAA, OPT, ANY}) {
            if (name(t).equals(m)) return t;
        }
        if (m.startsWith("TYPE")) {
            try {
                int t = Integer.parseInt(m.substring(4));
                return t >= 0 && t <= 0xffff ? t : -1;
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return -1;
    }
}

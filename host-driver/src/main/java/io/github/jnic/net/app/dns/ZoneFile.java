package io.github.jnic.net.app.dns;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A parser for the master file format of RFC 1035 §5, the subset that zones for this project need:
 * {@code $ORIGIN}, {@code $TTL} (RFC 2308), {@code @}, relative names, a blank owner meaning the
 * previous one, TTL and class in either order, parentheses over several lines, comments, quoted
 * strings, TTLs with unit suffixes ({@code 1h30m}, as BIND accepts), and the record types A, AAAA,
 * NS, CNAME, SOA, MX, TXT and PTR. Anything else is an error that names its line.
 */
public final class ZoneFile {

    /** A zone file error, with the line it was found on. */
    public static final class ZoneFileException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final int line;

        ZoneFileException(int line, String message) {
            super("line " + line + ": " + message);
            this.line = line;
        }

        public int line() {
            return line;
        }
    }

    private ZoneFile() {}

    private record Token(String text, boolean quoted) {}

    private record Entry(int line, boolean ownerGiven, List<Token> tokens) {}

    /**
     * Parses {@code text} with {@code origin} as the initial origin (a {@code $ORIGIN} line may
     * change it) and returns its records in file order.
     */
    public static List<ResourceRecord> parse(String text, String origin) {
        String currentOrigin = DnsName.of(origin);
        long defaultTtl = -1;
        long lastTtl = -1;
        String lastOwner = null;
        List<ResourceRecord> records = new ArrayList<>();
        for (Entry entry : entries(text)) {
            int line = entry.line();
            List<Token> t = entry.tokens();
            try {
                String first = t.get(0).text();
                if (entry.ownerGiven() && !t.get(0).quoted() && first.startsWith("$")) {
                    switch (first.toUpperCase(Locale.ROOT)) {
                        case "$ORIGIN" -> {
                            need(t, 2, line, "$ORIGIN needs a name");
                            currentOrigin = name(t.get(1).text(), currentOrigin);
                        }
                        case "$TTL" -> {
                            need(t, 2, line, "$TTL needs a value");
                            defaultTtl = ttl(t.get(1).text());
                            if (defaultTtl < 0) throw new ZoneFileException(line, "bad $TTL " + t.get(1).text());
                        }
                        default -> throw new ZoneFileException(line, "unsupported directive " + first);
                    }
                    continue;
                }
                int i = 0;
                String owner;
                if (entry.ownerGiven()) {
                    owner = name(first, currentOrigin);
                    i = 1;
                } else {
                    if (lastOwner == null) throw new ZoneFileException(line, "no owner name yet");
                    owner = lastOwner;
                }
                long recordTtl = -1;
                for (int k = 0; k < 2 && i < t.size(); k++) {
                    String s = t.get(i).text();
                    long v = ttl(s);
                    if (v >= 0 && recordTtl < 0) {
                        recordTtl = v;
                        i++;
                    } else if (s.equalsIgnoreCase("IN")) {
                        i++;
                    } else if (s.equalsIgnoreCase("CH") || s.equalsIgnoreCase("HS") || s.equalsIgnoreCase("CS")) {
                        throw new ZoneFileException(line, "only class IN is served");
                    }
                }
                if (i >= t.size()) throw new ZoneFileException(line, "missing record type");
                int type = DnsType.parse(t.get(i).text());
                if (type < 0) throw new ZoneFileException(line, "unknown record type " + t.get(i).text());
                i++;
                if (recordTtl < 0) recordTtl = defaultTtl >= 0 ? defaultTtl : lastTtl;
                if (recordTtl < 0) throw new ZoneFileException(line, "no TTL given and no $TTL before");
                Rdata data = rdata(type, t.subList(i, t.size()), currentOrigin, line);
                records.add(ResourceRecord.in(owner, type, recordTtl, data));
                lastOwner = owner;
                lastTtl = recordTtl;
            } catch (ZoneFileException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw new ZoneFileException(line, e.getMessage());
            }
        }
        return records;
    }

    private static Rdata rdata(int type, List<Token> t, String origin, int line) {
        switch (type) {
            case DnsType.A -> {
                need(t, 1, line, "A needs an address");
                return new Rdata.A(ipv4(t.get(0).text()));
            }
            case DnsType.AAAA -> {
                need(t, 1, line, "AAAA needs an address");
                return new Rdata.Aaaa(ipv6(t.get(0).text()));
            }
            case DnsType.NS, DnsType.CNAME, DnsType.PTR -> {
                need(t, 1, line, DnsType.name(type) + " needs a name");
                return new Rdata.Name(name(t.get(0).text(), origin));
            }
            case DnsType.MX -> {
                need(t, 2, line, "MX needs a preference and a name");
                int pref = Integer.parseInt(t.get(0).text());
                if (pref < 0 || pref > 0xffff) throw new ZoneFileException(line, "MX preference out of range");
                return new Rdata.Mx(pref, name(t.get(1).text(), origin));
            }
            case DnsType.SOA -> {
                need(t, 7, line, "SOA needs mname rname serial refresh retry expire minimum");
                long[] v = new long[5];
                for (int k = 0; k < 5; k++) {
                    v[k] = k == 0 ? Long.parseLong(t.get(2).text()) : ttl(t.get(2 + k).text());
                    if (v[k] < 0 || v[k] > 0xffffffffL) throw new ZoneFileException(line, "bad SOA number " + t.get(2 + k).text());
                }
                return new Rdata.Soa(name(t.get(0).text(), origin), name(t.get(1).text(), origin), v[0], v[1], v[2], v[3], v[4]);
            }
            case DnsType.TXT -> {
                if (t.isEmpty()) throw new ZoneFileException(line, "TXT needs a string");
                List<String> strings = new ArrayList<>();
                for (Token s : t) strings.add(s.text());
                return new Rdata.Txt(strings);
            }
            default -> throw new ZoneFileException(line, "record type " + DnsType.name(type) + " is not supported in zone files");
        }
    }

    private static void need(List<Token> t, int n, int line, String message) {
        if (t.size() != n) throw new ZoneFileException(line, message);
    }

    /** An owner or RDATA name: {@code @} is the origin, a name without a trailing dot is relative to it. */
    static String name(String text, String origin) {
        if (text.equals("@")) return origin;
        if (text.endsWith(".") && !text.endsWith("\\.")) return DnsName.of(text);
        return DnsName.of(origin.isEmpty() ? text : text + "." + origin);
    }

    /** A TTL in seconds: plain digits or BIND-style units ({@code 1w2d3h4m5s}); -1 if it is not one. */
    static long ttl(String s) {
        if (s.isEmpty() || !Character.isDigit(s.charAt(0))) return -1;
        long total = 0;
        long n = 0;
        boolean digits = false;
        for (int i = 0; i < s.length(); i++) {
            char c = Character.toLowerCase(s.charAt(i));
            if (Character.isDigit(c)) {
                n = n * 10 + (c - '0');
                if (n > 0xffffffffL) return -1;
                digits = true;
                continue;
            }
            if (!digits) return -1;
            long unit = switch (c) {
                case 's' -> 1;
                case 'm' -> 60;
                case 'h' -> 3600;
                case 'd' -> 86400;
                case 'w' -> 604800;
                default -> -1;
            };
            if (unit < 0) return -1;
            total += n * unit;
            n = 0;
            digits = false;
        }
        total += n;
        return total > 0xffffffffL ? -1 : total;
    }

    /** A dotted-quad IPv4 address as a big-endian int. */
    public static int ipv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) throw new IllegalArgumentException("bad IPv4 address " + s);
        int a = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) throw new IllegalArgumentException("bad IPv4 address " + s);
            int v = Integer.parseInt(p);
            if (v > 255) throw new IllegalArgumentException("bad IPv4 address " + s);
            a = (a << 8) | v;
        }
        return a;
    }

    /** An IPv6 address in RFC 4291 §2.2 text form (with {@code ::} and a trailing dotted quad). */
    public static byte[] ipv6(String s) {
        byte[] out = new byte[16];
        int gap = s.indexOf("::");
        if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) throw new IllegalArgumentException("bad IPv6 address " + s);
        List<Integer> head = groups(gap >= 0 ? s.substring(0, gap) : s, s);
        List<Integer> tail = gap >= 0 ? groups(s.substring(gap + 2), s) : List.of();
        int words = head.size() + tail.size();
        if (gap < 0 ? words != 8 : words > 7) throw new IllegalArgumentException("bad IPv6 address " + s);
        for (int k = 0; k < head.size(); k++) put(out, k, head.get(k));
        for (int k = 0; k < tail.size(); k++) put(out, 8 - tail.size() + k, tail.get(k));
        return out;
    }

    private static List<Integer> groups(String part, String whole) {
        List<Integer> words = new ArrayList<>();
        if (part.isEmpty()) return words;
        String[] g = part.split(":", -1);
        for (int k = 0; k < g.length; k++) {
            if (k == g.length - 1 && g[k].contains(".")) {
                int v4 = ipv4(g[k]);
                words.add(v4 >>> 16);
                words.add(v4 & 0xffff);
            } else {
                if (g[k].isEmpty() || g[k].length() > 4) throw new IllegalArgumentException("bad IPv6 address " + whole);
                words.add(Integer.parseInt(g[k], 16));
            }
        }
        return words;
    }

    private static void put(byte[] out, int word, int v) {
        out[2 * word] = (byte) (v >>> 8);
        out[2 * word + 1] = (byte) v;
    }

    /** Splits the text into logical entries: parentheses join lines, comments are dropped. */
    private static List<Entry> entries(String text) {
        List<Entry> entries = new ArrayList<>();
        List<Token> tokens = new ArrayList<>();
        int depth = 0;
        int line = 1;
        int entryLine = 1;
        int openLine = 1;
        boolean ownerGiven = false;
        boolean atLineStart = true;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\n') {
                if (depth == 0) {
                    if (!tokens.isEmpty()) entries.add(new Entry(entryLine, ownerGiven, tokens));
                    tokens = new ArrayList<>();
                }
                line++;
                atLineStart = true;
                i++;
                continue;
            }
            if (c == ' ' || c == '\t' || c == '\r') {
                i++;
                atLineStart = false;
                continue;
            }
            if (c == ';') {
                while (i < n && text.charAt(i) != '\n') i++;
                continue;
            }
            if (tokens.isEmpty() && depth == 0) {
                entryLine = line;
                ownerGiven = atLineStart;
            }
            atLineStart = false;
            if (c == '(') {
                if (depth++ == 0) openLine = line;
                i++;
            } else if (c == ')') {
                if (depth == 0) throw new ZoneFileException(line, "unbalanced ')'");
                depth--;
                i++;
            } else if (c == '"') {
                StringBuilder sb = new StringBuilder();
                i++;
                while (true) {
                    if (i >= n || text.charAt(i) == '\n') throw new ZoneFileException(line, "unterminated string");
                    char d = text.charAt(i);
                    if (d == '"') break;
                    if (d == '\\') {
                        if (i + 3 < n && Character.isDigit(text.charAt(i + 1)) && Character.isDigit(text.charAt(i + 2)) && Character.isDigit(text.charAt(i + 3))) {
                            int v = Integer.parseInt(text.substring(i + 1, i + 4));
                            if (v > 255) throw new ZoneFileException(line, "bad escape");
                            sb.append((char) v);
                            i += 4;
                            continue;
                        }
                        if (i + 1 >= n) throw new ZoneFileException(line, "dangling escape");
                        d = text.charAt(++i);
                    }
                    sb.append(d);
                    i++;
                }
                i++;
                tokens.add(new Token(sb.toString(), true));
            } else {
                int s = i;
                while (i < n) {
                    char d = text.charAt(i);
                    if (d == '\\' && i + 1 < n) {
                        i += 2;
                        continue;
                    }
                    if (d == ' ' || d == '\t' || d == '\r' || d == '\n' || d == ';' || d == '(' || d == ')' || d == '"') break;
                    i++;
                }
                tokens.add(new Token(text.substring(s, i), false));
            }
        }
        if (depth != 0) throw new ZoneFileException(openLine, "unbalanced '('");
        if (!tokens.isEmpty()) entries.add(new Entry(entryLine, ownerGiven, tokens));
        return entries;
    }
}

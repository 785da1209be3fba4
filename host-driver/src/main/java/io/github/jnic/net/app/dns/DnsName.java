package io.github.jnic.net.app.dns;

import io.github.jnic.net.app.MalformedException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Domain names. A name is held as its presentation form, lower-cased, without the trailing dot (the
 * root is the empty string), with {@code \.}, {@code \\} and {@code \DDD} escapes for bytes that
 * cannot stand as themselves, so names compare with {@code equals} (DNS is case-insensitive).
 */
public final class DnsName {
    private DnsName() {}

    public static final int MAX_LABEL = 63;
    public static final int MAX_WIRE_LENGTH = 255;

    /**
     * Reads a possibly compressed name starting at {@code pos} of the message {@code [msgStart, msgEnd)},
     * appending it to {@code out} (which may be null to only validate), and returns the position just
     * after the name where it started. A pointer must point strictly before every position already
     * read for this name, which makes loops impossible; it must also land after the 12-byte header.
     */
    public static int read(byte[] b, int msgStart, int msgEnd, int pos, StringBuilder out) {
        int after = -1;
        int lowest = pos;
        int wireLength = 1;
        boolean first = true;
        while (true) {
            if (pos >= msgEnd) throw new MalformedException(DnsReject.TRUNCATED, "name runs past the end");
            int len = b[pos] & 0xff;
            if (len == 0) {
                return after >= 0 ? after : pos + 1;
            }
            switch (len & 0xc0) {
                case 0xc0 -> {
                    if (pos + 1 >= msgEnd) throw new MalformedException(DnsReject.TRUNCATED, "pointer runs past the end");
                    int target = msgStart + (((len & 0x3f) << 8) | (b[pos + 1] & 0xff));
                    if (after < 0) after = pos + 2;
                    if (target >= lowest || target < msgStart + 12) {
                        throw new MalformedException(DnsReject.BAD_POINTER, "pointer to " + (target - msgStart) + " from " + (pos - msgStart));
                    }
                    lowest = target;
                    pos = target;
                }
                case 0x00 -> {
                    wireLength += len + 1;
                    if (wireLength > MAX_WIRE_LENGTH) throw new MalformedException(DnsReject.NAME_TOO_LONG, "name longer than 255 bytes");
                    if (pos + 1 + len > msgEnd) throw new MalformedException(DnsReject.TRUNCATED, "label runs past the end");
                    if (out != null) {
                        if (!first) out.append('.');
                        appendLabel(out, b, pos + 1, len);
                    }
                    first = false;
                    pos += 1 + len;
                }
                default -> throw new MalformedException(DnsReject.BAD_LABEL, "label type 0x" + Integer.toHexString(len & 0xc0));
            }
        }
    }

    private static void appendLabel(StringBuilder out, byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            int c = b[i] & 0xff;
            if (c == '.' || c == '\\') {
                out.append('\\').append((char) c);
            } else if (c <= 0x20 || c >= 0x7f) {
                out.append('\\').append((char) ('0' + c / 100)).append((char) ('0' + c / 10 % 10)).append((char) ('0' + c % 10));
            } else {
                out.append(Character.toLowerCase((char) c));
            }
        }
    }

    /** Splits a name into its labels as presentation strings (escapes kept). The root has none. */
    public static List<String> split(String name) {
        List<String> labels = new ArrayList<>();
        if (name.isEmpty()) return labels;
        int start = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '.') {
                labels.add(name.substring(start, i));
                start = i + 1;
            }
        }
        labels.add(name.substring(start));
        return labels;
    }

    /** The raw bytes of one presentation label, escapes resolved. */
    public static byte[] labelBytes(String label) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(label.length());
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            if (c == '\\') {
                if (i + 3 < label.length() && isDigit(label.charAt(i + 1)) && isDigit(label.charAt(i + 2)) && isDigit(label.charAt(i + 3))) {
                    int v = Integer.parseInt(label.substring(i + 1, i + 4));
                    if (v > 255) throw new IllegalArgumentException("bad escape in label " + label);
                    out.write(v);
                    i += 3;
                } else if (i + 1 < label.length()) {
                    out.write(label.charAt(++i));
                } else {
                    throw new IllegalArgumentException("dangling escape in label " + label);
                }
            } else {
                if (c > 0xff) throw new IllegalArgumentException("non-Latin-1 character in label " + label);
                out.write(c);
            }
        }
        return out.toByteArray();
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /**
     * The canonical form of a name typed by a person or read from a zone file: lower-cased, trailing
     * dot removed, checked against the label and name length limits.
     */
    public static String of(String presentation) {
        String n = presentation.endsWith(".") && !presentation.endsWith("\\.") ? presentation.substring(0, presentation.length() - 1) : presentation;
        if (n.equals("")) return "";
        // Re-encode through the wire form so escapes come out canonical.
        int wire = 1;
        StringBuilder sb = new StringBuilder(n.length());
        for (String label : split(n.toLowerCase(Locale.ROOT))) {
            byte[] raw = labelBytes(label);
            if (raw.length == 0) throw new IllegalArgumentException("empty label in " + presentation);
            if (raw.length > MAX_LABEL) throw new IllegalArgumentException("label longer than 63 bytes in " + presentation);
            wire += raw.length + 1;
            if (sb.length() > 0) sb.append('.');
            appendLabel(sb, raw, 0, raw.length);
        }
        if (wire > MAX_WIRE_LENGTH) throw new IllegalArgumentException("name longer than 255 bytes: " + presentation);
        return sb.toString();
    }

    /** Whether {@code name} is {@code zone} or below it. */
    public static boolean isWithin(String name, String zone) {
        if (zone.isEmpty()) return true;
        if (name.length() < zone.length()) return false;
        if (name.length() == zone.length()) return name.equals(zone);
        List<String> n = split(name);
        List<String> z = split(zone);
        if (z.size() > n.size()) return false;
        return n.subList(n.size() - z.size(), n.size()).equals(z);
    }

    /** The name with its first label removed; the parent of a top-level name is the root. */
    public static String parent(String name) {
        List<String> labels = split(name);
        if (labels.isEmpty()) throw new IllegalArgumentException("the root has no parent");
        return String.join(".", labels.subList(1, labels.size()));
    }

    /** Number of labels (0 for the root). */
    public static int labelCount(String name) {
        return split(name).size();
    }

    /** The name with a trailing dot, as dig prints it. */
    public static String absolute(String name) {
        return name + ".";
    }
}

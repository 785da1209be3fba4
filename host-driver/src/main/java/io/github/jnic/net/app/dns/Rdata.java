package io.github.jnic.net.app.dns;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/** The data of a resource record, one record type per shape (RFC 1035 §3.3, RFC 3596). */
public sealed interface Rdata {

    /** An IPv4 address as a big-endian int, as the stack holds addresses. */
    record A(int address) implements Rdata {
        @Override
        public String toString() {
            return ipv4(address);
        }
    }

    /** A 16-byte IPv6 address. */
    record Aaaa(byte[] address) implements Rdata {
        public Aaaa {
            if (address.length != 16) throw new IllegalArgumentException("AAAA needs 16 bytes");
            address = address.clone();
        }

        @Override
        public byte[] address() {
            return address.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Aaaa other && Arrays.equals(address, other.address);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(address);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 16; i += 2) {
                if (i > 0) sb.append(':');
                sb.append(Integer.toHexString(((address[i] & 0xff) << 8) | (address[i + 1] & 0xff)));
            }
            return sb.toString();
        }
    }

    /** The single name of an NS, CNAME or PTR record. */
    record Name(String name) implements Rdata {
        @Override
        public String toString() {
            return DnsName.absolute(name);
        }
    }

    record Mx(int preference, String exchange) implements Rdata {
        @Override
        public String toString() {
            return preference + " " + DnsName.absolute(exchange);
        }
    }

    record Soa(String mname, String rname, long serial, long refresh, long retry, long expire, long minimum) implements Rdata {
        @Override
        public String toString() {
            return DnsName.absolute(mname) + " " + DnsName.absolute(rname) + " " + serial + " " + refresh + " " + retry + " " + expire + " " + minimum;
        }
    }

    /** Character strings, each at most 255 bytes, held as Latin-1 strings so every byte survives. */
    record Txt(List<String> strings) implements Rdata {
        public Txt {
            strings = List.copyOf(strings);
            for (String s : strings) {
                if (s.length() > 255) throw new IllegalArgumentException("TXT string longer than 255 bytes");
            }
        }
    }

    /** Any other type, kept as its raw bytes. */
    record Opaque(byte[] bytes) implements Rdata {
        public Opaque {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Opaque other && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "\\# " + bytes.length + " " + HexFormat.of().formatHex(bytes);
        }
    }

    static String ipv4(int a) {
        return (a >>> 24) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff);
    }
}

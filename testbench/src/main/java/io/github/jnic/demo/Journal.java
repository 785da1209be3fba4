package io.github.jnic.demo;

import io.github.jnic.net.app.MalformedException;
import io.github.jnic.net.app.dhcp.DhcpMessage;
import io.github.jnic.net.app.dns.DnsMessage;
import io.github.jnic.net.app.dns.DnsType;
import io.github.jnic.net.app.dns.ResourceRecord;
import io.github.jnic.net.wire.ArpPacket;
import io.github.jnic.net.wire.Bytes;
import io.github.jnic.net.wire.EthernetFrame;
import io.github.jnic.net.wire.Ipv4Address;
import io.github.jnic.net.wire.Ipv4Header;
import io.github.jnic.net.wire.MacAddress;
import io.github.jnic.net.wire.TcpHeader;
import io.github.jnic.net.wire.UdpHeader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The journey as text: one line per event, with the virtual time, the layer, who speaks to whom
 * and what it means. Frames are decoded from the bytes that cross the segment (with the stack's
 * own header views and the application codecs), so the journal shows what is really on the wire.
 */
final class Journal {
    private static final long SECOND = 1_000_000_000L;

    private final PrintStream out;
    private final long start;
    private final Map<String, String> macNames = new HashMap<>();
    private final Map<Integer, String> ipNames = new HashMap<>();
    /** Initial sequence numbers by "address:port" of the sender, so later segments read like Wireshark's relative numbers. */
    private final Map<String, Integer> initialSequence = new HashMap<>();
    /** Window scale shifts announced in each sender's SYN. */
    private final Map<String, Integer> windowShift = new HashMap<>();
    private final List<String> lines = new ArrayList<>();
    private final List<Entry> entries = new ArrayList<>();
    /** The frame being decoded ("f" and its number on the segment), for {@link Entry#packet}. */
    private String packet;

    /**
     * One event as data, for the timeline ({@link Timeline}): the clock's time, the layer (its lane),
     * who, what, the card's cycle stamp if it happened in the card, and the packet it belongs to
     * ("f12": the 12th frame on the segment; a card's own key until {@link #alias} joins it to one).
     */
    record Entry(long ns, String layer, String who, String what, String stamp, String packet) {}

    private final Map<String, String> aliases = new HashMap<>();
    private final EthernetFrame eth = new EthernetFrame();
    private final ArpPacket arp = new ArpPacket();
    private final Ipv4Header ip = new Ipv4Header();
    private final UdpHeader udp = new UdpHeader();
    private final TcpHeader tcp = new TcpHeader();

    Journal(PrintStream out, long start) {
        this.out = out;
        this.start = start;
    }

    synchronized void name(byte[] mac, String name) { macNames.put(MacAddress.toString(mac), name); }

    synchronized void name(int address, String name) { ipNames.put(address, name); }

    synchronized List<String> lines() { return List.copyOf(lines); }

    /** Every event so far, packets resolved through the aliases. */
    synchronized List<Entry> entries() {
        return entries.stream().map(e -> e.packet() == null ? e : new Entry(e.ns(), e.layer(), e.who(), e.what(), e.stamp(), resolve(e.packet()))).toList();
    }

    /** Says that the card's packet key {@code key} is the segment's frame {@code packet}. */
    synchronized void alias(String key, String packet) {
        aliases.put(key, packet);
    }

    private String resolve(String key) {
        for (int i = 0; i < 4 && aliases.containsKey(key); i++) key = aliases.get(key);
        return key;
    }

    /** A heading between the acts of the journey. */
    synchronized void heading(String text) {
        out.println();
        out.println(text);
    }

    /** Free text under the current heading (not an event). */
    synchronized void say(String text) {
        out.println("            " + text);
    }

    /** One event: time, layer, who, what. */
    synchronized void event(long now, String layer, String who, String what) {
        step(now, layer, who, null, what, packet);
    }

    /**
     * A step in a card or its driver: {@code stamp} is the card's clock edge ("clk 123456"), or
     * null for the host's side; {@code packet} the frame it is part of, or null.
     */
    synchronized void step(long now, String layer, String who, String stamp, String what, String packet) {
        String line = String.format("%12.9f  %-5s %-13s %s", (now - start) / (double) SECOND, layer, who,
                stamp == null ? what : String.format("%-14s %s", stamp, what));
        lines.add(line);
        entries.add(new Entry(now, layer, who, what, stamp, packet));
        out.println(line);
    }

    /** Decodes a frame, the {@code number}-th on the segment; the hosts are named after its MAC addresses. */
    synchronized void frame(long now, long number, byte[] b, int off, int len) {
        during("f" + number, () -> decode(now, b, off, len));
    }

    /** Runs {@code r} with its events counted as the packet's (a stack handling a frame the driver gave it, say). */
    synchronized void during(String packet, Runnable r) {
        String outer = this.packet;
        this.packet = packet;
        try {
            r.run();
        } finally {
            this.packet = outer;
        }
    }

    private void decode(long now, byte[] b, int off, int len) {
        if (!eth.wrap(b, off, len)) {
            event(now, "eth", "?", "a frame too short for Ethernet (" + len + " bytes)");
            return;
        }
        String from = macNames.getOrDefault(MacAddress.toString(b, eth.sourceOffset()), MacAddress.toString(b, eth.sourceOffset()));
        String to = eth.isBroadcast() ? "all" : macNames.getOrDefault(MacAddress.toString(b, off), MacAddress.toString(b, off));
        String who = from + " → " + to;
        switch (eth.etherType()) {
            case 0x0806 -> arp(now, who, b, eth.payloadOffset(), !eth.isBroadcast());
            case 0x0800 -> ipv4(now, who, b, eth.payloadOffset(), eth.payloadLength());
            default -> event(now, "eth", who, String.format("EtherType 0x%04x, %d bytes", eth.etherType(), len));
        }
    }

    private void arp(long now, String who, byte[] b, int off, boolean unicast) {
        arp.wrap(b, off);
        int spa = arp.senderProtocolAddress(), tpa = arp.targetProtocolAddress();
        String sender = MacAddress.toString(b, arp.senderHardwareOffset());
        if (arp.operation() == 2) {
            event(now, "arp", who, "is-at: " + addr(spa) + " is at " + sender);
        } else if (spa == 0) {
            event(now, "arp", who, "probe: is anyone using " + addr(tpa) + "? (sender address 0.0.0.0, RFC 5227)");
        } else if (spa == tpa) {
            event(now, "arp", who, "announcement: " + addr(spa) + " is at " + sender + " (gratuitous)");
        } else if (unicast) {
            // NUD's PROBE state: the entry went stale in use and nothing confirmed it (RFC 1122 2.3.2.1)
            event(now, "arp", who, "unicast probe: is " + addr(tpa) + " still at the MAC known for it? tell " + addr(spa)
                    + " (re-checking a stale entry)");
        } else {
            event(now, "arp", who, "who-has " + addr(tpa) + "? tell " + addr(spa) + " (" + sender + ")");
        }
    }

    private void ipv4(long now, String who, byte[] b, int off, int len) {
        ip.wrap(b, off);
        int hl = ip.headerLength(), total = Math.min(ip.totalLength(), len);
        int src = ip.source(), dst = ip.destination();
        int payload = off + hl, payloadLength = total - hl;
        switch (ip.protocol()) {
            case 17 -> udp(now, who, src, dst, b, payload, payloadLength);
            case 6 -> tcp(now, who, src, dst, b, payload, payloadLength);
            case 1 -> event(now, "icmp", who, "ICMP type " + (b[payload] & 0xff) + " code " + (b[payload + 1] & 0xff) + ", " + addr(src) + " → " + addr(dst));
            case 2 -> event(now, "igmp", who, "IGMP type 0x" + Integer.toHexString(b[payload] & 0xff) + " for group " + addr(Bytes.get32(b, payload + 4)));
            default -> event(now, "ip", who, "IPv4 protocol " + ip.protocol() + ", " + addr(src) + " → " + addr(dst));
        }
    }

    private void udp(long now, String who, int src, int dst, byte[] b, int off, int len) {
        udp.wrap(b, off);
        int sport = udp.sourcePort(), dport = udp.destinationPort();
        int data = off + UdpHeader.LENGTH, dataLength = Math.min(udp.length(), len) - UdpHeader.LENGTH;
        String ends = addr(src) + ":" + sport + " → " + addr(dst) + ":" + dport;
        try {
            if (sport == 67 || sport == 68 || dport == 67 || dport == 68) {
                event(now, "dhcp", who, dhcp(DhcpMessage.parse(b, data, dataLength)) + "  (" + ends + ")");
            } else if (sport == 53 || dport == 53) {
                event(now, "dns", who, dns(DnsMessage.parse(b, data, dataLength)) + "  (" + ends + ")");
            } else {
                event(now, "udp", who, ends + ", " + dataLength + " bytes");
            }
        } catch (MalformedException e) {
            event(now, "udp", who, ends + ": unreadable (" + e.getMessage() + ")");
        }
    }

    private String dhcp(DhcpMessage m) {
        String client = MacAddress.toString(m.chaddr());
        return switch (m.messageType()) {
            case DhcpMessage.DISCOVER -> "DISCOVER: client " + client + " asks for an address (xid 0x" + Integer.toHexString(m.xid()) + ")";
            case DhcpMessage.OFFER -> "OFFER: " + addr(m.yiaddr()) + " to " + client + leaseTerms(m);
            case DhcpMessage.REQUEST -> m.ciaddr() != 0
                    ? "REQUEST: renew " + addr(m.ciaddr())
                    : "REQUEST: " + client + " takes " + addr(m.optionInt(DhcpMessage.REQUESTED_ADDRESS, 0)) + " from server " + addr(m.optionInt(DhcpMessage.SERVER_ID, 0));
            case DhcpMessage.ACK -> "ACK: " + addr(m.yiaddr()) + " is " + client + "'s" + leaseTerms(m);
            case DhcpMessage.NAK -> "NAK: the server refuses";
            case DhcpMessage.RELEASE -> "RELEASE: " + client + " gives " + addr(m.ciaddr()) + " back";
            case DhcpMessage.DECLINE -> "DECLINE: the address is in use";
            default -> "message type " + m.messageType();
        };
    }

    private String leaseTerms(DhcpMessage m) {
        StringBuilder s = new StringBuilder(" (server ").append(addr(m.optionInt(DhcpMessage.SERVER_ID, 0)));
        int lease = m.optionInt(DhcpMessage.LEASE_TIME, -1);
        if (lease >= 0) s.append(", lease ").append(lease).append(" s");
        byte[] mask = m.option(DhcpMessage.SUBNET_MASK);
        if (mask != null) s.append(", /").append(Integer.bitCount(Bytes.get32(mask, 0)));
        List<Integer> routers = m.optionAddresses(DhcpMessage.ROUTER);
        if (!routers.isEmpty()) s.append(", router ").append(addrs(routers));
        return s.append(')').toString();
    }

    private String dns(DnsMessage m) {
        DnsMessage.Question q = m.count(DnsMessage.Section.QUESTION) > 0 ? m.question(0) : null;
        String question = q == null ? "(no question)" : DnsType.name(q.type()) + " " + q.name();
        String id = String.format(" [id 0x%04x]", m.id());
        if (!m.isResponse()) return "query: " + question + "?" + (m.recursionDesired() ? " (recursion desired)" : " (iterative: no recursion asked)") + id;
        if (m.rcode() == 3) return "NXDOMAIN: " + question + " does not exist" + id;
        if (m.rcode() != 0) return "error rcode " + m.rcode() + " for " + question + id;
        List<ResourceRecord> answers = m.records(DnsMessage.Section.ANSWER);
        if (!answers.isEmpty()) {
            return "answer: " + answers.stream().map(Journal::record).collect(Collectors.joining(", "))
                    + (m.authoritative() ? " (authoritative)" : "") + id;
        }
        List<ResourceRecord> ns = m.records(DnsMessage.Section.AUTHORITY).stream().filter(r -> r.type() == DnsType.NS).toList();
        if (!ns.isEmpty()) {
            List<String> glue = m.records(DnsMessage.Section.ADDITIONAL).stream().filter(r -> r.type() == DnsType.A).map(Journal::record).toList();
            return "referral: ask " + ns.get(0).name() + "'s servers: " + ns.stream().map(ResourceRecord::targetName).collect(Collectors.joining(", "))
                    + (glue.isEmpty() ? "" : " (glue " + String.join(", ", glue) + ")") + id;
        }
        return "no data for " + question + id;
    }

    private static String record(ResourceRecord r) {
        return r.name() + " " + DnsType.name(r.type()) + " " + r.data() + " (TTL " + r.ttl() + ")";
    }

    private void tcp(long now, String who, int src, int dst, byte[] b, int off, int len) {
        tcp.wrap(b, off);
        int sport = tcp.sourcePort(), dport = tcp.destinationPort();
        int data = off + tcp.headerLength(), dataLength = len - tcp.headerLength();
        String self = addr(src) + ":" + sport, peer = addr(dst) + ":" + dport;
        StringBuilder s = new StringBuilder(sport + " → " + dport + " [" + TcpHeader.flagNames(tcp.flags()) + "]");
        if (tcp.has(TcpHeader.SYN)) {
            initialSequence.put(self, tcp.sequenceNumber());
            s.append(" seq ").append(Integer.toUnsignedString(tcp.sequenceNumber())).append(" (initial)");
        } else {
            s.append(" seq ").append(relative(self, tcp.sequenceNumber()));
        }
        if (tcp.has(TcpHeader.ACK)) s.append(" ack ").append(relative(peer, tcp.acknowledgmentNumber()));
        // RFC 7323: the window in a SYN is never scaled; later ones are shifted by what the sender's SYN announced.
        int shift = tcp.has(TcpHeader.SYN) ? 0 : windowShift.getOrDefault(self, 0);
        s.append(" win ").append((long) tcp.window() << shift);
        if (dataLength > 0) s.append(" len ").append(dataLength);
        if (tcp.has(TcpHeader.SYN)) s.append(synOptions(self, b, tcp.optionsStart(), tcp.optionsLength()));
        event(now, "tcp", who, s.toString());
        if (dataLength > 0 && (sport == 80 || dport == 80)) http(now, who, b, data, dataLength);
    }

    /** The options a SYN offers (RFC 9293 MSS, RFC 7323 window scale and timestamps, RFC 2018 SACK). */
    private String synOptions(String sender, byte[] b, int at, int len) {
        List<String> offered = new ArrayList<>();
        int end = at + len;
        while (at < end) {
            int kind = b[at] & 0xff;
            if (kind == 0) break;
            if (kind == 1) { at++; continue; }
            if (at + 1 >= end) break;
            int size = b[at + 1] & 0xff;
            if (size < 2 || at + size > end) break;
            switch (kind) {
                case 2 -> offered.add("MSS " + (((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff)));
                case 3 -> {
                    windowShift.put(sender, b[at + 2] & 0xff);
                    offered.add("window scale " + (b[at + 2] & 0xff));
                }
                case 4 -> offered.add("SACK");
                case 8 -> offered.add("timestamps");
                default -> offered.add("option " + kind);
            }
            at += size;
        }
        return offered.isEmpty() ? "" : ", offers " + String.join(", ", offered);
    }

    /** A sequence number relative to the initial one of its sender (as Wireshark shows them). */
    private String relative(String sender, int seq) {
        Integer isn = initialSequence.get(sender);
        return isn == null ? Integer.toUnsignedString(seq) : Integer.toUnsignedString(seq - isn);
    }

    private void http(long now, String who, byte[] b, int off, int len) {
        String text = new String(b, off, len, StandardCharsets.ISO_8859_1);
        int eol = text.indexOf("\r\n");
        String first = eol < 0 ? "" : text.substring(0, eol);
        if (first.startsWith("HTTP/")) {
            event(now, "http", who, "response: " + first + headerOf(text, "Content-Type") + headerOf(text, "Content-Length"));
        } else if (first.matches("[A-Z]+ \\S+ HTTP/1\\.[01]")) {
            event(now, "http", who, "request: " + first + headerOf(text, "Host"));
        }
    }

    private static String headerOf(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) return ", " + name + ": " + line.substring(colon + 1).trim();
            if (line.isEmpty()) break;
        }
        return "";
    }

    synchronized String addr(int address) {
        String text = Ipv4Address.toString(address);
        String name = ipNames.get(address);
        return name == null ? text : text + " (" + name + ")";
    }

    private String addrs(List<Integer> addresses) {
        return addresses.stream().map(this::addr).collect(Collectors.joining(", "));
    }
}

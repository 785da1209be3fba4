package io.github.jnic.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.driver.Coalescing;
import io.github.jnic.net.dev.NetworkNamespace;
import io.github.jnic.net.wire.Ipv4Address;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the demo (on the in-memory cable, through the MAC RTL, and on TAP devices bridged by the
 * Linux kernel) and has tshark, an independent
 * reader, find every step of the journey in its pcap, with checksums verified and nothing malformed.
 */
class DemoTest {
    static final String A = "192.0.2.100", B = "192.0.2.1", ROOT = "192.0.2.2", TLD = "192.0.2.3";

    @Test
    void journeyOnTheInMemoryCable(@TempDir Path dir) throws Exception {
        Demo.Outcome outcome = runAndCheck(dir, Demo.Device.CABLE, Coalescing.defaults());
        assertEquals(0, outcome.macFrames());
    }

    /**
     * Host A on the card's RTL and its driver, with receive coalescing (rx-usecs 20, rx-frames 4) so
     * the moderation's timers take part: the page's way in and the request's way out, step by step in
     * the order the journal prints them.
     */
    @Test
    void journeyOnTheCard(@TempDir Path dir) throws Exception {
        Demo.Outcome outcome = runAndCheck(dir, Demo.Device.CARD, new Coalescing(20, 4, 8, 1, false));
        List<String> lines = outcome.journal();
        int response = indexOf(lines, 0, "response: HTTP/1.1 200 OK");
        // in: the page's frame from the pins to the socket
        int at = response;
        for (String step : List.of("RX_DV up: preamble 55 55 55 55 55 55 55, SFD d5", "RX_DV down after FCS", "into the receive FIFO",
                "DMA write of the buffer", "descriptor write-back: receive slot", "write-back acknowledged", "moderation: receive timer armed",
                "moderation: receive timer expired: RXT0", "interrupt line raised", "interrupt handler: ICR read → RXT0", "IMC: every cause masked",
                "frame to the stack", "got 200 OK", "RDT ←", "NAPI poll done: 1 frame taken")) {
            at = indexOf(lines, at + 1, step);
        }
        // out: the request from the stack to the pins
        int request = indexOf(lines, 0, "request: GET / HTTP/1.1");
        int queued = lastIndexOf(lines, request, "frame from the stack");
        at = queued;
        for (String step : List.of("doorbell: TDT ←", "descriptor fetch: transmit slot", "DMA read of the frame's buffer", "TX_EN up: preamble",
                "TX_EN down", "request: GET / HTTP/1.1")) {
            at = indexOf(lines, at + 1, step);
        }
        int dd = indexOf(lines, queued, "DD write-back: transmit slot");
        assertTrue(dd > indexOf(lines, queued, "DMA read of the frame's buffer"), "DD after the buffer was read");
        // card lines carry the clock edge; every frame crossed the card
        assertTrue(lines.get(indexOf(lines, response, "into the receive FIFO")).matches(".* clk \\d+ .*"), "cycle stamps");
        assertTrue(outcome.interrupts().contains("jnic-irq") && outcome.interrupts().contains("RXT0:"), outcome.interrupts());
        assertTrue(outcome.journal().stream().noneMatch(l -> l.contains("\u001b")), "no terminal escapes");
    }

    private static int indexOf(List<String> lines, int from, String text) {
        for (int i = Math.max(0, from); i < lines.size(); i++) if (lines.get(i).contains(text)) return i;
        throw new AssertionError("no \"" + text + "\" after line " + from + ":\n" + String.join("\n", lines.subList(Math.max(0, from - 5), lines.size())));
    }

    private static int lastIndexOf(List<String> lines, int before, String text) {
        for (int i = before - 1; i >= 0; i--) if (lines.get(i).contains(text)) return i;
        throw new AssertionError("no \"" + text + "\" before line " + before);
    }

    @Test
    void journeyThroughTheMacRtl(@TempDir Path dir) throws Exception {
        Demo.Outcome outcome = runAndCheck(dir, Demo.Device.MAC, Coalescing.defaults());
        // The servers never talk to each other: every frame on the segment is from host A or reaches it
        // (broadcasts included), so every one of them crossed the two MACs.
        assertEquals(outcome.frames(), outcome.macFrames(), "frames through the RTL");
    }

    private Demo.Outcome runAndCheck(Path dir, Demo.Device device, Coalescing coalescing) throws Exception {
        Assumptions.assumeTrue(new File("/usr/bin/tshark").canExecute(), "skipping: tshark is not installed (./nic test installs it)");
        Path pcap = dir.resolve("demo.pcap");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Demo.Outcome outcome = Demo.run(new Demo.Options(pcap, device, coalescing, new PrintStream(printed, true, StandardCharsets.UTF_8)));
        String text = printed.toString(StandardCharsets.UTF_8);

        assertEquals(A, Ipv4Address.toString(outcome.leasedAddress()));
        assertEquals(List.of(Ipv4Address.parse(B)), outcome.resolved());
        assertEquals(200, outcome.page().status());
        assertTrue(outcome.page().bodyText().contains("Hello from host B"));
        assertTrue(text.contains(switch (device) {
            case CARD -> "Host A is a machine with the jnic card";
            case MAC -> "passes through the simulated MAC RTL";
            case CABLE -> "plain in-memory link";
        }), text);
        for (String step : List.of("DISCOVER", "OFFER", "REQUEST", "ACK: " + A, "probe: is anyone using " + A, "who-has " + B,
                "referral: ask test's servers", "referral: ask example.test's servers", "answer: www.example.test A " + B,
                "[SYN]", "[SYN|ACK]", "state SYN_SENT → ESTABLISHED", "request: GET / HTTP/1.1", "response: HTTP/1.1 200 OK",
                "[FIN|ACK]", "state FIN_WAIT_1 → TIME_WAIT", "unicast probe: is " + A + " (A) still at", "TIME-WAIT over")) {
            assertTrue(text.contains(step), "the journal shows " + step + "\n" + text);
        }

        assertEquals(outcome.frames(), checkPcap(pcap), "every frame is in the pcap");
        return outcome;
    }

    @Test
    void journeyThroughTheLinuxKernelOnTap(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(new File("/usr/bin/tshark").canExecute(), "skipping: tshark is not installed (./nic test installs it)");
        String why = NetworkNamespace.unavailableReason();
        Assumptions.assumeTrue(why == null, () -> "skipping: " + why + " (CI runs as root with /dev/net/tun)");
        Path pcap = dir.resolve("tap.pcap");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int status = TapDemo.run(pcap, new PrintStream(printed, true, StandardCharsets.UTF_8));
        String text = printed.toString(StandardCharsets.UTF_8);
        Assumptions.assumeFalse(status == 2 && text.contains("not running as root"), "skipping: not root (CI runs as root)");
        assertEquals(0, status, text);
        assertTrue(text.contains("state FIN_WAIT_1 → TIME_WAIT") && text.contains("TIME-WAIT over"), text);
        assertEquals(4, text.lines().filter(l -> l.contains("master br0")).count(), "the kernel's bridge learned the four hosts\n" + text);
        checkPcap(pcap);
    }

    /** Has tshark find every step of the journey in the capture; returns how many frames it holds. */
    private static int checkPcap(Path pcap) throws Exception {
        List<Map<String, String>> packets = tshark(pcap, "frame", FIELDS);

        // DHCP: the four messages, in order, for the address the client got.
        assertEquals(List.of("1", "2 " + A, "3", "5 " + A), values(packets, p -> p.containsKey("dhcp.option.dhcp"),
                p -> p.get("dhcp.option.dhcp") + (p.get("dhcp.ip.your").equals("0.0.0.0") ? "" : " " + p.get("dhcp.ip.your"))));
        // ARP: A probes its new address three times, then asks for each server once, and each answers.
        // A server learned A from A's request, an entry nothing has confirmed: once it has sat unused
        // past the delay it re-checks A with a unicast probe (Linux's NUD states), which A answers.
        assertEquals(3, values(packets, p -> "1".equals(p.get("arp.isprobe")), p -> "").size(), "three RFC 5227 probes");
        for (String server : List.of(ROOT, TLD, B)) {
            List<String> fromA = values(packets, p -> A.equals(p.get("arp.src.proto_ipv4")) && server.equals(p.get("arp.dst.proto_ipv4")), p -> p.get("arp.opcode"));
            List<String> toA = values(packets, p -> server.equals(p.get("arp.src.proto_ipv4")) && A.equals(p.get("arp.dst.proto_ipv4")), p -> p.get("arp.opcode"));
            assertEquals("1", fromA.get(0), "who-has " + server + " first: " + fromA);
            assertEquals(1, fromA.stream().filter("1"::equals).count(), "who-has " + server + " once: " + fromA);
            assertEquals("2", toA.get(0), server + " is-at first: " + toA);
            assertEquals(toA.stream().filter("1"::equals).count(), fromA.stream().filter("2"::equals).count(), server + "'s probes of A each answered: " + toA + " / " + fromA);
        }
        // DNS: root, then the TLD, then the authoritative server, each asked without recursion;
        // two referrals with glue, then the authoritative answer.
        assertEquals(List.of(ROOT + " www.example.test 0", TLD + " www.example.test 0", B + " www.example.test 0"),
                values(packets, p -> "0".equals(p.get("dns.flags.response")), p -> p.get("ip.dst") + " " + p.get("dns.qry.name") + " " + p.get("dns.flags.recdesired")));
        assertEquals(List.of(ROOT + " 0 0 ns.nic.test " + TLD, TLD + " 0 0 ns.example.test " + B, B + " 1 1  " + B),
                values(packets, p -> "1".equals(p.get("dns.flags.response")), p -> String.join(" ", p.get("ip.src"), p.get("dns.count.answers"),
                        p.get("dns.flags.authoritative"), p.get("dns.ns"), p.get("dns.a"))));
        // TCP and HTTP: handshake, GET and 200, the FIN from each side (A first), the last ACK; no reset.
        List<String> tcp = values(packets, p -> p.containsKey("tcp.flags.str") && p.get("ip.addr").contains(A), p -> p.get("ip.src") + " "
                + p.get("tcp.flags.str").replace("·", "").trim() + (p.get("http.request.method").isEmpty() ? "" : " " + p.get("http.request.method")
                + " " + p.get("http.request.uri") + " " + p.get("http.host")) + (p.get("http.response.code").isEmpty() ? "" : " " + p.get("http.response.code")));
        assertEquals(A + " S", tcp.get(0));
        assertEquals(B + " AS", tcp.get(1));
        assertTrue(tcp.contains(A + " AP GET / www.example.test"), tcp.toString());
        assertTrue(tcp.stream().anyMatch(t -> t.startsWith(B + " AP") && t.endsWith(" 200")), tcp.toString());
        assertEquals(List.of(A + " AF", B + " AF", A + " A"), tcp.subList(tcp.size() - 3, tcp.size()), "A's FIN, B's FIN, A's last ACK");
        assertTrue(tcp.stream().noneMatch(t -> t.contains("R")), "no reset");
        // Nothing malformed, no warnings, every checksum verified good.
        assertEquals(List.of(), values(tshark(pcap, "_ws.malformed || _ws.expert.severity >= 6291456", "frame.number", "_ws.expert.message"), p -> true, Map::toString));
        return packets.size();
    }

    static final String[] FIELDS = {"frame.number", "arp.opcode", "arp.src.proto_ipv4", "arp.dst.proto_ipv4", "arp.isprobe",
            "dhcp.option.dhcp", "dhcp.ip.your", "ip.src", "ip.dst", "ip.addr", "dns.flags.response", "dns.flags.recdesired", "dns.qry.name",
            "dns.count.answers", "dns.flags.authoritative", "dns.ns", "dns.a", "tcp.flags.str", "http.request.method", "http.request.uri",
            "http.host", "http.response.code"};

    private static List<String> values(List<Map<String, String>> packets, Predicate<Map<String, String>> which, Function<Map<String, String>, String> value) {
        return packets.stream().filter(which).map(value).toList();
    }

    /**
     * One map per packet matching {@code filter}, from field name to value; a field the packet does
     * not have is absent, or empty when another field was asked in the same line. Checksums are verified.
     */
    private static List<Map<String, String>> tshark(Path file, String filter, String... fields) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-r", file.toString(), "-o", "ip.check_checksum:TRUE",
                "-o", "udp.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE", "-Y", filter, "-T", "fields", "-E", "separator=|"));
        for (String f : fields) {
            cmd.add("-e");
            cmd.add(f);
        }
        Process t = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> lines = new String(t.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertEquals(0, t.waitFor(), "tshark accepts the filter " + filter);
        List<Map<String, String>> packets = new ArrayList<>();
        for (String line : lines) {
            String[] v = line.split("\\|", -1);
            Map<String, String> p = new HashMap<>();
            for (int i = 0; i < fields.length; i++) {
                String value = i < v.length ? v[i] : "";
                p.put(fields[i], value);
            }
            // Absent means "not this protocol" for the fields the checks key on.
            for (String key : List.of("dhcp.option.dhcp", "tcp.flags.str")) if ("".equals(p.get(key))) p.remove(key);
            packets.add(p);
        }
        return packets;
    }
}

package io.github.jnic.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.driver.Coalescing;
import io.github.jnic.testbench.sim.Vcd;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./nic journey}'s files, read by other readers than the writer: the page in headless
 * Chromium (it loads with nothing on the console, and its DOM has the lanes and every event, the
 * page's frame followable across the card's and the stack's lanes), the trace by a JSON parser
 * written here, the VCD by the testbench's reader.
 */
class JourneyTest {
    static final String CHROMIUM = "/usr/bin/chromium";

    @TempDir
    static Path dir;
    static Journey.Written files;
    static List<Journal.Entry> entries;

    @BeforeAll
    static void run() throws Exception {
        files = Journey.write(dir, new Coalescing(20, 4, 8, 1, false));
        entries = files.outcome().entries();
    }

    @Test
    void thePageLoadsInChromiumWithTheLanesAndEveryEvent() throws Exception {
        Assumptions.assumeTrue(new File(CHROMIUM).canExecute(), "skipping: chromium is not installed (./nic test installs it)");
        String response = packetOf("response: HTTP/1.1 200 OK");
        Result r = chromium("--dump-dom", files.html().toUri() + "#packet=" + response);
        assertEquals(List.of(), r.console(), "nothing on the console");
        String dom = r.out();
        for (String lane : Timeline.LANES.keySet()) assertTrue(dom.contains("class=\"lane-name\" data-lane=\"" + lane + "\""), "lane " + lane);
        assertEquals(entries.size(), count(dom, "<div class=\"event"), "one element per event");
        assertTrue(dom.contains("data-events=\"" + entries.size() + "\""), "the script ran to its end");
        // the page's frame, chosen by the address, is highlighted in every lane it crossed
        Map<String, Integer> lanes = new LinkedHashMap<>();
        Matcher m = Pattern.compile("<div class=\"event chosen\" id=\"e\\d+\" data-lane=\"([^\"]+)\" data-packet=\"" + response + "\"").matcher(dom);
        while (m.find()) lanes.merge(m.group(1), 1, Integer::sum);
        assertEquals(List.of("wire", "MAC", "card DMA", "moderation / interrupt", "driver", "TCP", "HTTP", "socket"),
                List.copyOf(lanes.keySet()).stream().sorted((a, b) -> order(a) - order(b)).toList(), dom.length() + " bytes; " + lanes);
        assertTrue(dom.contains("<polyline points="), "the packet's path drawn");
        assertTrue(dom.contains("Packet " + response + ":"), "its details shown");
    }

    @Test
    void aScreenshotForTheDocs() throws Exception {
        Assumptions.assumeTrue(new File(CHROMIUM).canExecute(), "skipping: chromium is not installed (./nic test installs it)");
        Path png = dir.resolve("journey.png");
        Result r = chromium("--screenshot=" + png, "--window-size=1900,1000", files.html().toUri() + "#packet=" + packetOf("response: HTTP/1.1 200 OK"));
        assertEquals(List.of(), r.console());
        byte[] b = Files.readAllBytes(png);
        assertTrue(b.length > 10_000 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G', "a PNG");
        // kept in docs/ when asked: -Djnic.journey.screenshot=docs/journey.png
        String keep = System.getProperty("jnic.journey.screenshot");
        if (keep != null) Files.copy(png, Path.of(keep), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void theTraceIsJsonWithAThreadPerLaneAnEventPerEntryAndFlowsPerPacket() throws Exception {
        Object root = new Json(Files.readString(files.trace())).value();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> events = (List<Map<String, Object>>) ((Map<String, Object>) root).get("traceEvents");
        long threads = events.stream().filter(e -> "thread_name".equals(e.get("name"))).count();
        assertEquals(Timeline.LANES.size(), threads);
        assertEquals(entries.size(), events.stream().filter(e -> "X".equals(e.get("ph"))).count());
        long packets = entries.stream().map(Journal.Entry::packet).filter(p -> p != null).distinct().count();
        long starts = events.stream().filter(e -> "s".equals(e.get("ph"))).count();
        assertTrue(starts > 0 && starts <= packets, starts + " flows for " + packets + " packets");
        assertEquals(starts, events.stream().filter(e -> "f".equals(e.get("ph"))).count(), "each flow ends");
        double last = -1;
        for (Map<String, Object> e : events) {
            if (!"X".equals(e.get("ph"))) continue;
            double ts = ((Number) e.get("ts")).doubleValue();
            assertTrue(ts >= last, "in time order");
            last = ts;
        }
    }

    @Test
    void theVcdHasTheCardsSignals() throws Exception {
        Vcd vcd = Vcd.parse(Files.readString(files.vcd()));
        long rxFrames = entries.stream().filter(e -> e.what().startsWith("RX_DV up")).count();
        long txFrames = entries.stream().filter(e -> e.what().startsWith("TX_EN up")).count();
        long raised = entries.stream().filter(e -> e.what().startsWith("interrupt line raised")).count();
        assertEquals(rxFrames, rises(vcd, "gmii_rx_dv"));
        assertEquals(txFrames, rises(vcd, "gmii_tx_en"));
        assertEquals(raised, rises(vcd, "irq"));
        assertEquals(entries.stream().filter(e -> e.what().startsWith("into the receive FIFO")).count(), rises(vcd, "rx_frame_stored"));
        assertTrue(rises(vcd, "rx_timer_armed") > 0 && rises(vcd, "dma_rx_aw") > 0 && rises(vcd, "dma_tx_ar") > 0);
    }

    private static long rises(Vcd vcd, String signal) {
        long n = 0, last = 0;
        for (long[] c : vcd.changes(signal)) {
            if (c[1] != 0 && last == 0) n++;
            last = c[1];
        }
        return n;
    }

    private static int order(String lane) {
        return new ArrayList<>(Timeline.LANES.keySet()).indexOf(lane);
    }

    private static String packetOf(String what) {
        return entries.stream().filter(e -> e.what().contains(what)).findFirst().orElseThrow().packet();
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) n++;
        return n;
    }

    record Result(String out, List<String> console) {}

    /** Headless Chromium as the probe of this machine starts it (no network, a fresh profile); its console messages. */
    private static Result chromium(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--user-data-dir=" + Files.createTempDirectory(dir, "profile"),
                "--enable-logging=stderr", "--log-level=0", "--virtual-time-budget=5000"));
        cmd.addAll(List.of(args));
        Path out = dir.resolve("chromium.out"), err = dir.resolve("chromium.err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium finished");
        List<String> console = Files.readAllLines(err, StandardCharsets.UTF_8).stream().filter(l -> l.contains(":CONSOLE")).toList();
        return new Result(Files.readString(out, StandardCharsets.UTF_8), console);
    }

    /** A small JSON reader (objects, arrays, strings, numbers, true/false/null): enough to check the trace's structure. */
    static final class Json {
        private final String s;
        private int at;

        Json(String s) { this.s = s; }

        Object value() {
            Object v = parse();
            space();
            if (at != s.length()) throw new IllegalArgumentException("trailing text at " + at);
            return v;
        }

        private Object parse() {
            space();
            char c = s.charAt(at);
            if (c == '{') {
                Map<String, Object> m = new HashMap<>();
                at++;
                space();
                if (s.charAt(at) == '}') { at++; return m; }
                while (true) {
                    space();
                    String k = string();
                    space();
                    expect(':');
                    m.put(k, parse());
                    space();
                    if (s.charAt(at) == ',') { at++; continue; }
                    expect('}');
                    return m;
                }
            }
            if (c == '[') {
                List<Object> l = new ArrayList<>();
                at++;
                space();
                if (s.charAt(at) == ']') { at++; return l; }
                while (true) {
                    l.add(parse());
                    space();
                    if (s.charAt(at) == ',') { at++; continue; }
                    expect(']');
                    return l;
                }
            }
            if (c == '"') return string();
            for (String word : new String[] {"true", "false", "null"}) {
                if (s.startsWith(word, at)) {
                    at += word.length();
                    return word.equals("null") ? null : Boolean.valueOf(word);
                }
            }
            int start = at;
            while (at < s.length() && "+-0123456789.eE".indexOf(s.charAt(at)) >= 0) at++;
            if (start == at) throw new IllegalArgumentException("unexpected " + c + " at " + at);
            return Double.parseDouble(s.substring(start, at));
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (s.charAt(at) != '"') {
                char c = s.charAt(at++);
                if (c < 0x20) throw new IllegalArgumentException("control character in a string at " + at);
                if (c == '\\') {
                    char e = s.charAt(at++);
                    switch (e) {
                        case 'n' -> b.append('\n');
                        case 't' -> b.append('\t');
                        case 'u' -> { b.append((char) Integer.parseInt(s.substring(at, at + 4), 16)); at += 4; }
                        case '"', '\\', '/' -> b.append(e);
                        default -> throw new IllegalArgumentException("bad escape at " + at);
                    }
                } else {
                    b.append(c);
                }
            }
            at++;
            return b.toString();
        }

        private void expect(char c) {
            if (s.charAt(at) != c) throw new IllegalArgumentException("expected " + c + " at " + at + ", got " + s.charAt(at));
            at++;
        }

        private void space() {
            while (at < s.length() && Character.isWhitespace(s.charAt(at))) at++;
        }
    }
}

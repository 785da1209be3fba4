package io.github.jnic.demo;

import io.github.jnic.testbench.card.CardEvents;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The journey as things to open: a self-contained HTML page with one lane per place (the wire, the
 * MAC, the card's DMA, the moderation and interrupt, the driver, each stack layer, the socket), the
 * same events as Chrome/Perfetto trace JSON, and a VCD of the card's key signals. Each event keeps
 * its packet, so a frame can be followed from lane to lane.
 */
final class Timeline {
    /** The lanes, in order, and which journal layers each holds. */
    static final Map<String, List<String>> LANES = new LinkedHashMap<>();

    static {
        LANES.put("wire", List.of("pins"));
        LANES.put("MAC", List.of("mac"));
        LANES.put("card DMA", List.of("dma"));
        LANES.put("moderation / interrupt", List.of("irq"));
        LANES.put("driver", List.of("drv"));
        LANES.put("Ethernet / ARP", List.of("eth", "arp"));
        LANES.put("IP", List.of("ip", "icmp", "igmp"));
        LANES.put("UDP", List.of("udp"));
        LANES.put("TCP", List.of("tcp"));
        LANES.put("DHCP", List.of("dhcp"));
        LANES.put("DNS", List.of("dns"));
        LANES.put("HTTP", List.of("http"));
        LANES.put("socket", List.of());
    }

    private Timeline() {}

    /** The lane of an entry: application lines that are not a frame are what the program sees through its socket. */
    static String lane(Journal.Entry e) {
        if (e.stamp() == null && !e.who().contains("→") && List.of("dhcp", "dns", "http").contains(e.layer())) return "socket";
        for (Map.Entry<String, List<String>> l : LANES.entrySet()) if (l.getValue().contains(e.layer())) return l.getKey();
        return "IP";
    }

    // ---- HTML ----------------------------------------------------------------------------------

    /** The page: the events as JSON inside it, drawn by its own script (no network, no server). */
    static String html(String title, String summary, List<Journal.Entry> entries) {
        String template = resource("journey.html");
        StringBuilder data = new StringBuilder("[");
        long start = entries.isEmpty() ? 0 : entries.get(0).ns();
        for (Journal.Entry e : entries) start = Math.min(start, e.ns());
        for (int i = 0; i < entries.size(); i++) {
            Journal.Entry e = entries.get(i);
            if (i > 0) data.append(",\n");
            data.append("{\"t\":").append(e.ns() - start)
                    .append(",\"lane\":").append(json(lane(e)))
                    .append(",\"layer\":").append(json(e.layer()))
                    .append(",\"who\":").append(json(e.who()))
                    .append(",\"what\":").append(json(e.what()))
                    .append(",\"stamp\":").append(e.stamp() == null ? "null" : json(e.stamp()))
                    .append(",\"packet\":").append(e.packet() == null ? "null" : json(e.packet()))
                    .append('}');
        }
        data.append(']');
        return template.replace("/*TITLE*/", escapeHtml(title))
                .replace("/*SUMMARY*/", escapeHtml(summary))
                .replace("/*LANES*/", json(new ArrayList<>(LANES.keySet())))
                .replace("/*EVENTS*/", data.toString().replace("</", "<\\/"));
    }

    // ---- Chrome / Perfetto trace ---------------------------------------------------------------

    /**
     * The Trace Event Format (what chrome://tracing and ui.perfetto.dev open): one thread per lane,
     * each event a short complete event ("X") with its details as arguments, and one flow per packet
     * from its first event to its last through every lane it crossed.
     */
    static String trace(List<Journal.Entry> entries) {
        List<String> lanes = new ArrayList<>(LANES.keySet());
        long start = Long.MAX_VALUE;
        for (Journal.Entry e : entries) start = Math.min(start, e.ns());
        StringBuilder s = new StringBuilder("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n");
        s.append("{\"ph\":\"M\",\"pid\":1,\"name\":\"process_name\",\"args\":{\"name\":\"jnic demo: host A, its card and its stack\"}}");
        for (int i = 0; i < lanes.size(); i++) {
            s.append(",\n{\"ph\":\"M\",\"pid\":1,\"tid\":").append(i + 1).append(",\"name\":\"thread_name\",\"args\":{\"name\":").append(json(lanes.get(i))).append("}}");
            s.append(",\n{\"ph\":\"M\",\"pid\":1,\"tid\":").append(i + 1).append(",\"name\":\"thread_sort_index\",\"args\":{\"sort_index\":").append(i).append("}}");
        }
        Map<String, List<Journal.Entry>> byPacket = new LinkedHashMap<>();
        for (Journal.Entry e : entries) {
            int tid = lanes.indexOf(lane(e)) + 1;
            s.append(",\n{\"ph\":\"X\",\"pid\":1,\"tid\":").append(tid).append(",\"ts\":").append(micros(e.ns() - start))
                    .append(",\"dur\":0.05,\"name\":").append(json(shortName(e))).append(",\"cat\":").append(json(e.layer()))
                    .append(",\"args\":{\"who\":").append(json(e.who())).append(",\"what\":").append(json(e.what()));
            if (e.stamp() != null) s.append(",\"edge\":").append(json(e.stamp()));
            if (e.packet() != null) s.append(",\"packet\":").append(json(e.packet()));
            s.append("}}");
            if (e.packet() != null) byPacket.computeIfAbsent(e.packet(), k -> new ArrayList<>()).add(e);
        }
        int id = 0;
        for (Map.Entry<String, List<Journal.Entry>> p : byPacket.entrySet()) {
            List<Journal.Entry> es = p.getValue();
            if (es.size() < 2) continue;
            id++;
            for (int i = 0; i < es.size(); i++) {
                Journal.Entry e = es.get(i);
                String ph = i == 0 ? "s" : i == es.size() - 1 ? "f" : "t";
                s.append(",\n{\"ph\":\"").append(ph).append("\",\"bp\":\"e\",\"pid\":1,\"tid\":").append(lanes.indexOf(lane(e)) + 1)
                        .append(",\"ts\":").append(micros(e.ns() - start)).append(",\"id\":").append(id)
                        .append(",\"cat\":\"packet\",\"name\":").append(json("packet " + p.getKey())).append('}');
            }
        }
        return s.append("\n]}\n").toString();
    }

    private static String shortName(Journal.Entry e) {
        String w = e.what();
        int cut = w.indexOf(':');
        return cut > 0 && cut < 48 ? w.substring(0, cut) : w.length() > 48 ? w.substring(0, 48) + "…" : w;
    }

    private static String micros(long ns) {
        return String.format("%d.%03d", ns / 1000, ns % 1000);
    }

    // ---- VCD -----------------------------------------------------------------------------------

    private record Change(long ns, int signal, long value) {}

    /**
     * The card's key signals as a value-change dump in the stack clock's time (1 ns units; the
     * card's quiet stretches, skipped in simulation, are flat here): the GMII enables, the interrupt
     * line, {@code quiet}, the observation pulses (one system clock long), the DMA address handshakes
     * with their addresses, and the adaptive mode's delay.
     */
    static String vcd(List<CardEvents.Event> events, long systemPeriodNs) {
        String[] names = {"gmii_rx_dv", "gmii_tx_en", "irq", "quiet", "rx_frame_stored", "rx_frame_filtered", "rx_frame_written",
                "tx_descriptor_written", "rx_timer_armed", "rx_timer_expired", "rx_count_reached", "rx_interrupt", "tx_interrupt", "throttled",
                "dma_rx_aw", "dma_rx_ar", "dma_tx_aw", "dma_tx_ar", "dma_aw_addr", "dma_ar_addr", "aim_delay"};
        int[] widths = new int[names.length];
        java.util.Arrays.fill(widths, 1);
        widths[18] = widths[19] = 64;
        widths[20] = 16;
        long start = Long.MAX_VALUE;
        for (CardEvents.Event e : events) start = Math.min(start, e.ns());
        List<Change> changes = new ArrayList<>();
        for (CardEvents.Event e : events) {
            long t = e.ns() - start;
            int pulse = switch (e.kind()) {
                case RX_STORED -> 4;
                case RX_FILTERED -> 5;
                case RX_WRITTEN -> 6;
                case TX_WRITTEN -> 7;
                case RX_TIMER_ARMED -> 8;
                case RX_TIMER_EXPIRED -> 9;
                case RX_COUNT_REACHED -> 10;
                case RX_INTERRUPT -> 11;
                case TX_INTERRUPT -> 12;
                case THROTTLED -> 13;
                case DMA_WRITE -> e.master() == 0 ? 14 : 16;
                case DMA_READ -> e.master() == 0 ? 15 : 17;
                default -> -1;
            };
            if (pulse >= 0) {
                changes.add(new Change(t, pulse, 1));
                changes.add(new Change(t + systemPeriodNs, pulse, 0));
                if (pulse >= 14) changes.add(new Change(t, e.kind() == CardEvents.Kind.DMA_WRITE ? 18 : 19, e.value()));
                continue;
            }
            switch (e.kind()) {
                case RX_PINS_START, RX_PINS_END -> changes.add(new Change(t, 0, e.kind() == CardEvents.Kind.RX_PINS_START ? 1 : 0));
                case TX_PINS_START, TX_PINS_END -> changes.add(new Change(t, 1, e.kind() == CardEvents.Kind.TX_PINS_START ? 1 : 0));
                case IRQ -> changes.add(new Change(t, 2, e.value()));
                case QUIET -> changes.add(new Change(t, 3, e.value()));
                case AIM_DELAY -> changes.add(new Change(t, 20, e.value()));
                default -> {}
            }
        }
        // by time; at one instant a pulse's end before the next pulse's start
        changes.sort((a, b) -> a.ns() != b.ns() ? Long.compare(a.ns(), b.ns()) : Long.compare(a.value() == 0 ? 0 : 1, b.value() == 0 ? 0 : 1));
        StringBuilder s = new StringBuilder();
        s.append("$comment jnic card: key signals of ./nic journey, in the stack clock's time $end\n");
        s.append("$timescale 1ns $end\n$scope module nic $end\n");
        for (int i = 0; i < names.length; i++) s.append("$var wire ").append(widths[i]).append(' ').append(id(i)).append(' ').append(names[i]).append(" $end\n");
        s.append("$upscope $end\n$enddefinitions $end\n#0\n$dumpvars\n");
        for (int i = 0; i < names.length; i++) s.append(value(widths[i], i == 3 ? 1 : 0, i));
        s.append("$end\n");
        long now = 0;
        for (Change c : changes) {
            if (c.ns() != now) {
                now = c.ns();
                s.append('#').append(now).append('\n');
            }
            s.append(value(widths[c.signal()], c.value(), c.signal()));
        }
        return s.toString();
    }

    private static String id(int i) {
        return String.valueOf((char) ('!' + i));
    }

    private static String value(int width, long v, int signal) {
        return width == 1 ? (v != 0 ? "1" : "0") + id(signal) + "\n" : "b" + Long.toBinaryString(v) + " " + id(signal) + "\n";
    }

    // ---- helpers -------------------------------------------------------------------------------

    static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }

    private static String json(List<String> list) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < list.size(); i++) b.append(i > 0 ? "," : "").append(json(list.get(i)));
        return b.append(']').toString();
    }

    private static String escapeHtml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String resource(String name) {
        try (InputStream in = Timeline.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}

package io.github.jnic.demo;

import io.github.jnic.driver.Coalescing;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code ./nic journey}: the demo's journey (host A on the card) as files to open: an HTML timeline
 * with a lane per place ({@link Timeline}), the same events as Chrome/Perfetto trace JSON, a VCD of
 * the card's key signals, the pcap, and the journal's text.
 */
public final class Journey {
    /** The files one run wrote, and what the journey produced. */
    public record Written(Path html, Path trace, Path vcd, Path pcap, Path text, Demo.Outcome outcome) {}

    private Journey() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of("target", "journey");
        Coalescing coalescing = Coalescing.defaults();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("-o") && i + 1 < args.length) {
                dir = Path.of(args[++i]);
            } else if (args[i].equals("-h") || args[i].equals("--help")) {
                System.out.println("usage: ./nic journey [-o DIR] [rx-usecs N] [rx-frames N] [adaptive-rx on|off] [tx-usecs N] [tx-frames N]");
                System.out.println("  writes DIR/journey.html (open it in a browser), journey.trace.json (ui.perfetto.dev), journey.vcd");
                System.out.println("  (GTKWave, Surfer), journey.pcap (Wireshark) and journey.txt; DIR defaults to target/journey");
                return;
            } else if (i + 1 < args.length) {
                try {
                    coalescing = Demo.coalesce(coalescing, args[i], args[i + 1]);
                    i++;
                } catch (IllegalArgumentException e) {
                    System.err.println("journey: " + args[i] + " " + args[i + 1] + ": not understood (try --help)");
                    System.exit(2);
                }
            } else {
                System.err.println("journey: unknown option " + args[i] + " (try --help)");
                System.exit(2);
            }
        }
        Written out = write(dir, coalescing);
        System.out.println("jnic journey: the demo's page fetch, host A on the simulated card (" + Demo.describe(coalescing) + "):");
        System.out.println("  " + out.html() + "        the timeline: open it in a browser (offline, no server)");
        System.out.println("  " + out.trace() + "  the same events for ui.perfetto.dev or chrome://tracing");
        System.out.println("  " + out.vcd() + "         the card's key signals for GTKWave or Surfer");
        System.out.println("  " + out.pcap() + "        every frame, for Wireshark");
        System.out.println("  " + out.text() + "         the journal, as ./nic demo prints it");
    }

    /** Runs the journey and writes its files into {@code dir}. */
    public static Written write(Path dir, Coalescing coalescing) throws Exception {
        Files.createDirectories(dir);
        Path pcap = dir.resolve("journey.pcap");
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        Demo.Outcome o;
        try (PrintStream print = new PrintStream(text, true, StandardCharsets.UTF_8)) {
            o = Demo.run(new Demo.Options(pcap, Demo.Device.CARD, coalescing, print));
        }
        if (o.cardEvents().isEmpty()) throw new IllegalStateException("the card's RTL did not run: " + text.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("cannot run")).findFirst().orElse(""));
        Written f = new Written(dir.resolve("journey.html"), dir.resolve("journey.trace.json"), dir.resolve("journey.vcd"), pcap,
                dir.resolve("journey.txt"), o);
        Files.write(f.text(), text.toByteArray());
        String taken = o.interrupts().lines().filter(l -> l.contains("jnic-irq")).findFirst().orElse("").trim().split("\\s+")[1];
        String summary = String.format("%d frames on the segment; host A on the simulated card (its RTL, clock edges beside the virtual time), "
                + "coalescing: %s; %s interrupts taken.", o.frames(), Demo.describe(coalescing), taken);
        // in time order (the journal prints a card's steps when the host next looks, a few ns late at times)
        List<Journal.Entry> entries = o.entries().stream().sorted(java.util.Comparator.comparingLong(Journal.Entry::ns)).toList();
        Timeline.write(f.html(), Timeline.html("jnic journey: a web page from the wire to the socket", summary, entries));
        Timeline.write(f.trace(), Timeline.trace(entries));
        Timeline.write(f.vcd(), Timeline.vcd(o.cardEvents(), 16));
        return f;
    }
}

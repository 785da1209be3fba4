package io.github.jnic.net.bench;

import io.github.jnic.net.arp.ArpLayer;
import io.github.jnic.net.dev.NetworkNamespace;
import io.github.jnic.net.stack.NetStack;
import io.github.jnic.net.tcp.TcpCounters;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP under {@code wrk} (HttpWrkBench's setup: 64 keep-alive connections, one wrk thread) across
 * neighbour aging, next to the same run with aging off: p99 and max latency, requests/s, and the
 * retransmissions of both sides (jnic's TCP counters, the namespace's RetransSegs). With aging on,
 * both jnic and the Linux side use a short reachable time, so their entries for each other age
 * many times in one run; with it off, neither ages. Also printed: how often jnic's entry went
 * stale, the unicast probes it sent, the packets that waited for ARP, and the ARP replies it sent
 * (each one a request or probe of the Linux side's re-resolving its entry for jnic). Run as root.
 *
 * <pre>./nic bench arp [seconds per run, default 60] [reachable seconds, default 5]</pre>
 */
public final class ArpAgingBench {
    private ArpAgingBench() {}

    record Run(HttpWrkBench.WrkResult wrk, double maxMicros, long jnicRetransmitted, long linuxRetransmitted,
               long stale, long probes, long queued, long arpDrops, long replies) {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int reachable = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        String reason = NetworkNamespace.unavailableReason();
        if (reason == null && !NetworkNamespace.onPath("wrk")) reason = "'wrk' is not installed (apt-get install wrk)";
        if (reason != null) {
            System.out.println("bench arp skipped: " + reason);
            return;
        }
        System.out.printf("HTTP/1.1 keep-alive under wrk across ARP aging: 64 connections, %d s per run, 100-byte body; aging on: reachable time %d s"
                + " on both sides (jnic and the namespace's kernel), Linux's other neighbour defaults; aging off: never stale%n", seconds, reachable);
        Run on = run(seconds, reachable * 1_000_000_000L);
        Run off = run(seconds, ArpLayer.NEVER);
        System.out.printf("%-12s %12s %12s %12s %14s %14s %8s %8s %8s %9s %8s%n", "run", "requests/s", "p99", "max", "jnic retrans.",
                "Linux retrans.", "stale", "probes", "queued", "ARP drops", "replies");
        print("aging on", on);
        print("aging off", off);
    }

    private static void print(String name, Run r) {
        System.out.printf("%-12s %12.0f %9.2f ms %9.2f ms %14d %14d %8d %8d %8d %9d %8d%s%n", name, r.wrk.requestsPerSecond(), r.wrk.p99Micros() / 1000,
                r.maxMicros / 1000, r.jnicRetransmitted, r.linuxRetransmitted, r.stale, r.probes, r.queued, r.arpDrops, r.replies,
                r.wrk.errors().isEmpty() ? "" : "  (" + r.wrk.errors() + ")");
    }

    private static Run run(int seconds, long reachableNanos) throws Exception {
        NetStack.Config config = new NetStack.Config();
        config.arpReachableNanos = reachableNanos;
        byte[] body = new byte[100];
        java.util.Arrays.fill(body, (byte) 'x');
        try (HttpWrkBench.JnicTarget jnic = new HttpWrkBench.JnicTarget(body, "10.214.15", config)) {
            NetworkNamespace ns = jnic.ns;
            long linuxMs = reachableNanos >= ArpLayer.NEVER ? 3_600_000L : reachableNanos / 1_000_000L;
            ns.run("sysctl", "-q", "-w", "net.ipv4.neigh." + ns.tap().name() + ".base_reachable_time_ms=" + linuxMs);
            HttpWrkBench.wrk(ns, "http://" + ns.stackAddress() + "/", 2);   // warm-up
            var c = jnic.stack.counters();
            long jnicRetx = jnic.tcp.counters().get(TcpCounters.Event.RETRANSMITTED_SEGMENTS), linuxRetx = linuxSnmp(ns, "Tcp:", "RetransSegs");
            long stale = c.get("arp.became-stale"), probes = c.get("arp.probes-sent"), queued = c.get("arp.queued"), drops = c.dropsUnder("arp."), replies = c.get("arp.replies-sent");
            String report = HttpWrkBench.wrkReport(ns, "http://" + ns.stackAddress() + "/", seconds);
            jnic.check();
            return new Run(HttpWrkBench.parse(report), maxLatencyMicros(report),
                    jnic.tcp.counters().get(TcpCounters.Event.RETRANSMITTED_SEGMENTS) - jnicRetx, linuxSnmp(ns, "Tcp:", "RetransSegs") - linuxRetx,
                    c.get("arp.became-stale") - stale, c.get("arp.probes-sent") - probes, c.get("arp.queued") - queued,
                    c.dropsUnder("arp.") - drops, c.get("arp.replies-sent") - replies);
        }
    }

    /** wrk's "Latency avg stdev max" line: the max, in microseconds. */
    static double maxLatencyMicros(String report) {
        Matcher m = Pattern.compile("Latency\\s+\\S+\\s+\\S+\\s+([0-9.]+)(us|ms|s)").matcher(report);
        if (!m.find()) throw new IllegalArgumentException("no latency line in wrk's report: " + report);
        double scale = switch (m.group(2)) {
            case "us" -> 1;
            case "ms" -> 1e3;
            default -> 1e6;
        };
        return Double.parseDouble(m.group(1)) * scale;
    }

    /** A counter of /proc/net/snmp ({@code "Tcp:"}, {@code "RetransSegs"}), which is per network namespace. */
    public static long linuxSnmp(NetworkNamespace ns, String group, String name) throws Exception {
        String[] lines = ns.run("cat", "/proc/net/snmp").lines().filter(l -> l.startsWith(group)).toArray(String[]::new);
        String[] names = lines[0].split("\\s+"), values = lines[1].split("\\s+");
        for (int i = 0; i < names.length; i++) if (names[i].equals(name)) return Long.parseLong(values[i]);
        throw new IllegalStateException("no " + group + " " + name + " in /proc/net/snmp");
    }
}

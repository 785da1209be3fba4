package io.github.jnic.net.bench;

import io.github.jnic.net.app.http.HttpLimits;
import io.github.jnic.net.app.http.HttpResponse;
import io.github.jnic.net.app.http.HttpRouter;
import io.github.jnic.net.app.http.HttpServer;
import io.github.jnic.net.app.http.HttpService;
import io.github.jnic.net.dev.NetworkNamespace;
import io.github.jnic.net.stack.NetStack;
import io.github.jnic.net.stack.StackRunner;
import io.github.jnic.net.tcp.Tcp;
import io.github.jnic.net.tcp.TcpCounters.Event;
import io.github.jnic.net.wire.Ipv4Address;
import io.github.jnic.net.wire.MacAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * curl against jnic's HTTP server during a spoofed-source SYN flood, next to the same without one.
 * jnic's stack (one thread, default {@code TcpConfig}: SYN queue 256, cookies on) serves a page on
 * port 80 over a TAP; in the namespace on the TAP's other side a shell loop runs curl, one request
 * and one new connection at a time, for the run's length, and hping3 sends SYNs to port 80 from an
 * address of the namespace's subnet that nobody holds, the source port counting up, at the target
 * rate (the stack is told that address's MAC is the namespace's, so its SYN-ACKs die in the
 * namespace's kernel, which does not forward). Figures: the curl requests that got their page, the
 * median, 99th percentile and largest time curl took for one (its {@code time_total}), the TCP segments the
 * stack received (the flood's SYNs, most of them) and their rate, SYN cookies sent and connections
 * made by them, the most half-open handshakes held at once, this JVM's resident memory (VmRSS)
 * before and, at its highest, during the run, and what it holds (heap and direct buffers reachable
 * after a full collection) before and after. Run as root (namespaces, TAP).
 *
 * <pre>./nic bench synflood [seconds] [SYNs per second]</pre>
 */
public final class SynFloodBench {
    private SynFloodBench() {}

    /** One run's figures. */
    record Run(int tried, int ok, double p50Ms, double p99Ms, double maxMs, long segmentsIn, double seconds,
               long cookiesSent, long cookiesAccepted, int halfOpenMax, long rssBeforeKb, long rssMaxKb,
               long liveBefore, long liveAfter) {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        String reason = NetworkNamespace.unavailableReason();
        for (String tool : new String[] {"hping3", "curl"}) {
            if (reason == null && !NetworkNamespace.onPath(tool)) reason = "'" + tool + "' is not installed (apt-get install " + tool + ")";
        }
        if (reason != null) {
            System.out.println("bench synflood skipped: " + reason);
            return;
        }
        byte[] mac = MacAddress.local(4411);
        try (NetworkNamespace ns = NetworkNamespace.create("10.219.1", mac, 1500)) {
            NetStack stack = new NetStack();
            stack.addAddress(stack.addInterface(ns.tap()), ns.stackAddress() + "/24");
            Tcp tcp = new Tcp(stack.ipv4());
            stack.register(tcp);
            HttpServer server = new HttpServer(new HttpRouter().route("GET", "/", r -> HttpResponse.text(200, "the page\n")), HttpLimits.defaults());
            String spoofed = "10.219.1.77";
            byte[] linuxMac = MacAddress.parse(ns.run("cat", "/sys/class/net/" + ns.tap().name() + "/address").trim());
            try (StackRunner runner = StackRunner.start(stack, "jnic-synflood-bench")) {
                stack.call(() -> {
                    stack.arp().addStatic(stack.interfaces().get(0), Ipv4Address.parse(spoofed), linuxMac, stack.now());
                    HttpService.listen(stack, tcp, 80, server);
                    return null;
                }, 5000);
                System.out.printf("curl (one request per connection, in a loop) against jnic's HTTP server over TAP for %d s, without and during a"
                        + " spoofed-source SYN flood (hping3, target %d SYN/s)%n(%d cores, %s %s; stack defaults: SYN queue %d, SYN cookies %s, SYN-ACK retries %d)%n",
                        seconds, rate, Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"), System.getProperty("java.version"),
                        tcp.config().synBacklog, tcp.config().synCookies ? "on" : "off", tcp.config().synAckRetries);
                int gapUs = calibrate(ns, rate);
                curlLoop(ns, 2);   // warm-up
                Run quiet = run(ns, stack, tcp, seconds, 0, 0, spoofed);
                Run flood = run(ns, stack, tcp, seconds, rate, gapUs, spoofed);
                if (runner.failure() != null) throw new IllegalStateException("the stack thread threw", runner.failure());
                System.out.printf("%-16s %13s %8s %8s %8s %8s %10s %8s %9s %9s %9s %10s %10s %11s %11s%n", "run", "curl ok/tried", "success", "p50", "p99", "max",
                        "segs in", "segs/s", "cookies", "by cookie", "half-open", "RSS before", "RSS max", "held before", "held after");
                print("without flood", quiet);
                print("during flood", flood);
            }
        }
    }

    private static void print(String name, Run r) {
        System.out.printf("%-16s %6d/%-6d %7.1f%% %6.1fms %6.1fms %6.1fms %10d %8.0f %9d %9d %9d %8.1fMB %8.1fMB %9.1fMB %9.1fMB%n", name, r.ok(), r.tried(),
                100.0 * r.ok() / Math.max(1, r.tried()), r.p50Ms(), r.p99Ms(), r.maxMs(), r.segmentsIn(), r.segmentsIn() / r.seconds(),
                r.cookiesSent(), r.cookiesAccepted(), r.halfOpenMax(), r.rssBeforeKb() / 1024.0, r.rssMaxKb() / 1024.0,
                r.liveBefore() / 1048576.0, r.liveAfter() / 1048576.0);
    }

    /**
     * hping3 waits {@code -i} between SYNs, but its real rate depends on the machine: the largest
     * gap (halving from 1/rate) that reaches 90 % of the target, measured with bursts towards an
     * address of the namespace that the stack drops below TCP (not its own).
     */
    private static int calibrate(NetworkNamespace ns, int rate) throws Exception {
        String nobody = "10.219.1.99";
        ns.run("ip", "neigh", "replace", nobody, "lladdr", "02:00:00:00:00:99", "dev", ns.tap().name(), "nud", "permanent");
        int gap = Math.max(1, 1_000_000 / rate);
        int count = Math.max(1000, rate / 2);
        while (true) {
            long t0 = System.nanoTime();
            NetworkNamespace.Result r = ns.exec(60, "hping3", "-q", "-S", "-p", "80", "-i", "u" + gap, "-c", Integer.toString(count), nobody);
            double got = count / ((System.nanoTime() - t0) / 1e9);
            if (r.exit() != 0 && r.exit() != 1) throw new IllegalStateException("hping3 failed: " + r.output());
            System.out.printf("hping3 -i u%d: %.0f SYN/s%n", gap, got);
            if (got >= 0.9 * rate || gap == 1) return gap;
            gap = Math.max(1, gap / 2);
        }
    }

    /** One run: the curl loop for {@code seconds}, inside a flood of {@code rate} SYN/s (hping3 {@code -i u<gapUs>}) when rate > 0. */
    private static Run run(NetworkNamespace ns, NetStack stack, Tcp tcp, int seconds, int rate, int gapUs, String spoofed) throws Exception {
        long liveBefore = liveBytes();
        long rssBefore = rssKb();
        AtomicLong rssMax = new AtomicLong(rssBefore);
        int[] halfOpenMax = {0};
        long[] before = stack.call(() -> new long[] {tcp.counters().get(Event.SEGMENTS_RECEIVED), tcp.counters().get(Event.SYN_COOKIES_SENT),
                tcp.counters().get(Event.SYN_COOKIES_ACCEPTED), tcp.counters().get(Event.PASSIVE_OPENS)}, 5000);
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                rssMax.accumulateAndGet(rssKb(), Math::max);
                try {
                    halfOpenMax[0] = Math.max(halfOpenMax[0], stack.call(tcp::halfOpenCount, 5000));
                    Thread.sleep(100);
                } catch (Exception e) {
                    return;
                }
            }
        }, "rss-sampler");
        sampler.setDaemon(true);
        sampler.start();
        Process hping = null;
        long t0 = System.nanoTime();
        long floodEnd;
        List<Double> times;
        try {
            if (rate > 0) {
                // The flood lasts the run: it starts half a second before curl, which then runs a second less.
                hping = ns.start("hping3", "-q", "-S", "-p", "80", "-a", spoofed, "-i", "u" + gapUs,
                        "-c", Long.toString((long) rate * seconds), ns.stackAddress());
                Thread.sleep(500);
            }
            times = curlLoop(ns, rate > 0 ? seconds - 1 : seconds);
            if (hping != null && !hping.waitFor(seconds + 30L, TimeUnit.SECONDS)) throw new IllegalStateException("hping3 did not finish");
            floodEnd = System.nanoTime();
        } finally {
            if (hping != null) hping.destroyForcibly();
            sampler.interrupt();
            sampler.join();
        }
        // The rate over the flood's own span (the quiet run: over the curl loop's).
        double elapsed = ((rate > 0 ? floodEnd : System.nanoTime()) - t0) / 1e9;
        long[] after = stack.call(() -> new long[] {tcp.counters().get(Event.SEGMENTS_RECEIVED), tcp.counters().get(Event.SYN_COOKIES_SENT),
                tcp.counters().get(Event.SYN_COOKIES_ACCEPTED), tcp.counters().get(Event.PASSIVE_OPENS)}, 5000);
        long liveAfter = liveBytes();   // the half-open records are still held: they live 63 s
        int ok = (int) times.stream().filter(t -> t >= 0).count();
        double[] okTimes = times.stream().filter(t -> t >= 0).mapToDouble(Double::doubleValue).sorted().toArray();
        long segmentsIn = after[0] - before[0];
        return new Run(times.size(), ok, percentile(okTimes, 0.50), percentile(okTimes, 0.99), okTimes.length == 0 ? 0 : okTimes[okTimes.length - 1],
                segmentsIn, elapsed, after[1] - before[1], after[2] - before[2], halfOpenMax[0], rssBefore, rssMax.get(), liveBefore, liveAfter);
    }

    /**
     * curl in a loop in the namespace for {@code seconds}: each request's time in ms, or -1 when it
     * failed (anything but a 200 with the page within 3 s).
     */
    private static List<Double> curlLoop(NetworkNamespace ns, int seconds) throws Exception {
        String url = "http://" + ns.stackAddress() + "/";
        String loop = "end=$(( $(date +%s%N) / 1000000 + " + seconds * 1000 + " )); "
                + "while [ $(( $(date +%s%N) / 1000000 )) -lt $end ]; do "
                + "curl -s -o /dev/null -w '%{http_code} %{size_download} %{time_total}\\n' --max-time 3 " + url + "; done";
        NetworkNamespace.Result r = ns.exec(seconds + 30L, "sh", "-c", loop);
        List<Double> times = new ArrayList<>();
        for (String line : r.output().split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length != 3) continue;
            boolean good = f[0].equals("200") && f[1].equals("9");
            times.add(good ? Double.parseDouble(f[2]) * 1000 : -1.0);
        }
        return times;
    }

    private static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) return 0;
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    /** Heap and direct buffers still reachable after a full collection, in bytes: what the run left held. */
    private static long liveBytes() {
        System.gc();
        long direct = java.lang.management.ManagementFactory.getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class).stream()
                .mapToLong(java.lang.management.BufferPoolMXBean::getMemoryUsed).sum();
        return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() + direct;
    }

    /** This process's resident set, in KiB. */
    private static long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (java.io.IOException e) {
            return -1;
        }
        return -1;
    }
}

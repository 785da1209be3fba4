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
import io.github.jnic.net.wire.MacAddress;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP requests per second and p99 latency under {@code wrk} (keep-alive, 64 connections, one wrk
 * thread, {@code --latency}), for two servers serving the same body in the same run:
 * <ul>
 *   <li>jnic's {@link HttpServer} on a jnic stack, reached over a TAP device: wrk runs in a network
 *       namespace, its requests cross the kernel's TCP, the TAP and jnic's TCP/IP on one stack thread;</li>
 *   <li>the reference: the JDK's {@code com.sun.net.httpserver.HttpServer} in this same JVM on the
 *       kernel's TCP over loopback (default executor: one dispatcher thread, as jnic's one stack
 *       thread), with the same wrk command from the root namespace against 127.0.0.1; and, for
 *       context, the same server with a pool of handler threads, one per core.</li>
 * </ul>
 * Both servers run one thread in one JVM with the same JIT and the same wrk client; what differs is
 * the path: jnic pays for the TAP (a read and a write system call per frame) and its own TCP/IP in
 * Java, where the reference uses the kernel's TCP over loopback. Run as root (namespaces, TAP).
 *
 * <pre>./nic bench http [seconds per run] [rounds] [body bytes]</pre>
 */
public final class HttpWrkBench {
    private static final int CONNECTIONS = 64;

    /** What wrk reported: requests per second, the 99th percentile of latency in microseconds, errors. */
    public record WrkResult(double requestsPerSecond, double p99Micros, String errors) {}

    private HttpWrkBench() {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int bodyBytes = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        String reason = NetworkNamespace.unavailableReason();
        if (reason == null && !NetworkNamespace.onPath("wrk")) reason = "'wrk' is not installed (apt-get install wrk)";
        if (reason != null) {
            System.out.println("bench http skipped: " + reason);
            return;
        }
        byte[] body = new byte[bodyBytes];
        java.util.Arrays.fill(body, (byte) 'x');
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf("HTTP/1.1 keep-alive under wrk: %d connections, 1 wrk thread, %d rounds of %d s per server (servers alternate, a 2 s warm-up first), %d-byte body%n"
                + "(%d cores, %s %s)%n", CONNECTIONS, rounds, seconds, bodyBytes, cores, System.getProperty("java.vm.name"), System.getProperty("java.version"));
        String[] names = {"jnic HttpServer, jnic stack over TAP (wrk in a namespace)", "JDK HttpServer, kernel TCP over loopback (reference)",
                "  the same with a pool of " + cores + " handler threads"};
        List<List<WrkResult>> results = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        try (JnicTarget jnic = new JnicTarget(body); JdkTarget jdk = new JdkTarget(body, 0); JdkTarget jdkPool = new JdkTarget(body, cores)) {
            Target[] targets = {jnic, jdk, jdkPool};
            for (Target t : targets) t.run(2); // warm-up
            // Rounds alternate the servers, so that the load others put on the machine falls on all of them.
            for (int round = 0; round < rounds; round++) {
                for (int i = 0; i < targets.length; i++) results.get(i).add(targets[i].run(seconds));
            }
            jnic.check();
        }
        System.out.printf("%-58s %12s %12s   (medians; each round's requests/s)%n", "server", "requests/s", "p99 latency");
        WrkResult[] medians = new WrkResult[names.length];
        for (int i = 0; i < names.length; i++) {
            medians[i] = median(results.get(i));
            System.out.printf("%-58s %12.0f %9.0f us   %s%s%n", names[i], medians[i].requestsPerSecond(), medians[i].p99Micros(),
                    results.get(i).stream().map(r -> String.format("%.0f", r.requestsPerSecond())).toList(),
                    results.get(i).stream().map(WrkResult::errors).filter(e -> !e.isEmpty()).findFirst().map(e -> " (" + e + ")").orElse(""));
        }
        System.out.printf("%-58s %11.0f%% %11.2fx%n", "jnic / JDK (one thread each)", 100 * medians[0].requestsPerSecond() / medians[1].requestsPerSecond(),
                medians[0].p99Micros() / medians[1].p99Micros());
    }

    /** The median requests/s and, separately, the median p99. */
    private static WrkResult median(List<WrkResult> rs) {
        double[] rates = rs.stream().mapToDouble(WrkResult::requestsPerSecond).sorted().toArray();
        double[] p99s = rs.stream().mapToDouble(WrkResult::p99Micros).sorted().toArray();
        return new WrkResult(rates[rates.length / 2], p99s[p99s.length / 2], "");
    }

    /** A server under test: one wrk run against it. */
    interface Target extends AutoCloseable {
        WrkResult run(int seconds) throws Exception;
    }

    /** jnic's server on a jnic stack, wrk in the namespace on the TAP's kernel side. */
    static final class JnicTarget implements Target {
        final NetworkNamespace ns;
        final NetStack stack;
        final Tcp tcp;
        private final StackRunner runner;

        JnicTarget(byte[] body) throws Exception {
            this(body, "10.214.9", new NetStack.Config());
        }

        JnicTarget(byte[] body, String subnet, NetStack.Config config) throws Exception {
            ns = NetworkNamespace.create(subnet, MacAddress.local(4349), 1500);
            try {
                stack = new NetStack(config);
                stack.addAddress(stack.addInterface(ns.tap()), ns.stackAddress() + "/24");
                tcp = new Tcp(stack.ipv4());
                stack.register(tcp);
                HttpServer server = new HttpServer(new HttpRouter().route("GET", "/", r -> HttpResponse.of(200, "application/octet-stream", body)),
                        HttpLimits.defaults());
                runner = StackRunner.start(stack, "jnic-http-bench");
                stack.call(() -> HttpService.listen(stack, tcp, 80, server), 5000);
            } catch (Exception e) {
                ns.close();
                throw e;
            }
        }

        @Override public WrkResult run(int seconds) throws Exception {
            return wrk(ns, "http://" + ns.stackAddress() + "/", seconds);
        }

        void check() {
            if (runner.failure() != null) throw new IllegalStateException("the stack thread threw", runner.failure());
        }

        @Override public void close() throws Exception {
            try {
                runner.close();
            } finally {
                ns.close();
            }
        }
    }

    /** The JDK's server on 127.0.0.1, on its dispatcher thread ({@code handlerThreads} 0) or with a pool; wrk here. */
    private static final class JdkTarget implements Target {
        private final com.sun.net.httpserver.HttpServer server;
        private final java.util.concurrent.ExecutorService pool;

        JdkTarget(byte[] body, int handlerThreads) throws IOException {
            // Without TCP_NODELAY each small response waits for the delayed ACK of the previous one
            // (40 ms); jnic's server sends at once too (TcpPump turns Nagle off).
            System.setProperty("sun.net.httpserver.nodelay", "true");
            server = com.sun.net.httpserver.HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), CONNECTIONS);
            server.createContext("/", exchange -> {
                exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            pool = handlerThreads > 0 ? java.util.concurrent.Executors.newFixedThreadPool(handlerThreads) : null;
            server.setExecutor(pool);
            server.start();
        }

        @Override public WrkResult run(int seconds) throws Exception {
            return wrk(null, "http://127.0.0.1:" + server.getAddress().getPort() + "/", seconds);
        }

        @Override public void close() {
            server.stop(0);
            if (pool != null) pool.shutdown();
        }
    }

    /** Runs wrk against {@code url} (inside {@code ns}, or here when it is null) and reads its figures. */
    static WrkResult wrk(NetworkNamespace ns, String url, int seconds) throws IOException, InterruptedException {
        return parse(wrkReport(ns, url, seconds));
    }

    /** Runs wrk as {@link #wrk} does and returns its whole report. */
    static String wrkReport(NetworkNamespace ns, String url, int seconds) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if (ns != null) cmd.addAll(List.of("ip", "netns", "exec", ns.name()));
        cmd.addAll(List.of("wrk", "-t", "1", "-c", Integer.toString(CONNECTIONS), "-d", seconds + "s", "--timeout", "5s", "--latency", url));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(seconds + 30L, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("wrk did not finish: " + out);
        }
        if (p.exitValue() != 0) throw new IOException("wrk failed (" + p.exitValue() + "): " + out);
        return out;
    }

    /** Reads {@code Requests/sec}, the 99% latency line and any error lines from wrk's report. */
    public static WrkResult parse(String out) {
        Matcher rate = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(out);
        Matcher p99 = Pattern.compile("\\n\\s*99(?:\\.000)?%\\s+([0-9.]+)(us|ms|s)").matcher(out);
        if (!rate.find() || !p99.find()) throw new IllegalArgumentException("no figures in wrk's output: " + out);
        double scale = switch (p99.group(2)) {
            case "us" -> 1;
            case "ms" -> 1e3;
            default -> 1e6;
        };
        StringBuilder errors = new StringBuilder();
        out.lines().map(String::strip).filter(l -> l.startsWith("Socket errors") || l.startsWith("Non-2xx")).forEach(l -> errors.append(errors.isEmpty() ? "" : "; ").append(l));
        return new WrkResult(Double.parseDouble(rate.group(1)), Double.parseDouble(p99.group(1)) * scale, errors.toString());
    }
}

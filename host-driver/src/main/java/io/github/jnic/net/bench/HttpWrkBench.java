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
 *       thread), with the same wrk command from the root namespace against 127.0.0.1.</li>
 * </ul>
 * Both servers run one thread in one JVM with the same JIT and the same wrk client; what differs is
 * the path: jnic pays for the TAP (a read and a write system call per frame) and its own TCP/IP in
 * Java, where the reference uses the kernel's TCP over loopback. Run as root (namespaces, TAP).
 *
 * <pre>./nic bench http [seconds] [body bytes]</pre>
 */
public final class HttpWrkBench {
    private static final int CONNECTIONS = 64;

    /** What wrk reported: requests per second, the 99th percentile of latency in microseconds, errors. */
    public record WrkResult(double requestsPerSecond, double p99Micros, String errors) {}

    private HttpWrkBench() {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int bodyBytes = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        String reason = NetworkNamespace.unavailableReason();
        if (reason == null && !NetworkNamespace.onPath("wrk")) reason = "'wrk' is not installed (apt-get install wrk)";
        if (reason != null) {
            System.out.println("bench http skipped: " + reason);
            return;
        }
        byte[] body = new byte[bodyBytes];
        java.util.Arrays.fill(body, (byte) 'x');
        System.out.printf("HTTP/1.1 keep-alive under wrk: %d connections, 1 wrk thread, %d s per run after a 2 s warm-up, %d-byte body (%d cores, %s %s)%n",
                CONNECTIONS, seconds, bodyBytes, Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"), System.getProperty("java.version"));
        WrkResult jnic = jnicOverTap(body, seconds);
        WrkResult jdk = jdkOverLoopback(body, seconds);
        System.out.printf("%-58s %12s %12s%n", "server", "requests/s", "p99 latency");
        row("jnic HttpServer, jnic stack over TAP (wrk in a namespace)", jnic);
        row("JDK HttpServer, kernel TCP over loopback (reference)", jdk);
        System.out.printf("%-58s %11.0f%% %11.2fx%n", "jnic / JDK", 100 * jnic.requestsPerSecond() / jdk.requestsPerSecond(),
                jnic.p99Micros() / jdk.p99Micros());
    }

    private static void row(String what, WrkResult r) {
        System.out.printf("%-58s %12.0f %9.0f us%s%n", what, r.requestsPerSecond(), r.p99Micros(), r.errors().isEmpty() ? "" : "   (" + r.errors() + ")");
    }

    static WrkResult jnicOverTap(byte[] body, int seconds) throws Exception {
        try (NetworkNamespace ns = NetworkNamespace.create("10.214.9", MacAddress.local(4349), 1500)) {
            NetStack stack = new NetStack();
            stack.addAddress(stack.addInterface(ns.tap()), ns.stackAddress() + "/24");
            Tcp tcp = new Tcp(stack.ipv4());
            stack.register(tcp);
            HttpServer server = new HttpServer(new HttpRouter().route("GET", "/", r -> HttpResponse.of(200, "application/octet-stream", body)),
                    HttpLimits.defaults());
            try (StackRunner runner = StackRunner.start(stack, "jnic-http-bench")) {
                stack.call(() -> HttpService.listen(stack, tcp, 80, server), 5000);
                String url = "http://" + ns.stackAddress() + "/";
                wrk(ns, url, 2); // warm-up
                WrkResult r = wrk(ns, url, seconds);
                if (runner.failure() != null) throw new IllegalStateException("the stack thread threw", runner.failure());
                return r;
            }
        }
    }

    static WrkResult jdkOverLoopback(byte[] body, int seconds) throws Exception {
        // Without TCP_NODELAY each small response waits for the delayed ACK of the previous one
        // (40 ms); jnic's server sends at once too (TcpPump turns Nagle off).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), CONNECTIONS);
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
            wrk(null, url, 2); // warm-up
            return wrk(null, url, seconds);
        } finally {
            server.stop(0);
        }
    }

    /** Runs wrk against {@code url} (inside {@code ns}, or here when it is null) and reads its figures. */
    static WrkResult wrk(NetworkNamespace ns, String url, int seconds) throws IOException, InterruptedException {
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
        return parse(out);
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

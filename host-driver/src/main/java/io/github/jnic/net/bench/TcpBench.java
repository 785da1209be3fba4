package io.github.jnic.net.bench;

import io.github.jnic.net.dev.FaultInjector;
import io.github.jnic.net.dev.MemoryLink;
import io.github.jnic.net.dev.NetworkNamespace;
import io.github.jnic.net.eth.NetInterface;
import io.github.jnic.net.stack.NetStack;
import io.github.jnic.net.stack.StackRunner;
import io.github.jnic.net.tcp.Tcp;
import io.github.jnic.net.tcp.TcpConnection;
import io.github.jnic.net.tcp.TcpCounters;
import io.github.jnic.net.tcp.TcpListener;
import io.github.jnic.net.tcp.TcpServerSocket;
import io.github.jnic.net.tcp.TcpSocket;
import io.github.jnic.net.tcp.TcpState;
import io.github.jnic.net.wire.Ipv4Address;
import io.github.jnic.net.wire.MacAddress;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TCP throughput, each figure next to its reference from the same run:
 * <ul>
 *   <li>two jnic stacks over the in-memory link in one JVM (one thread drives both stacks and the
 *       application, which reads and writes on the stack thread) next to the kernel's TCP over
 *       loopback ({@code iperf3} against 127.0.0.1);</li>
 *   <li>jnic to Linux and Linux to jnic over a TAP device ({@code nc} in a network namespace),
 *       with and without the TAP's offloads, jnic once through the engine API on the stack's
 *       thread and once through its sockets from an application thread, next to the TCP-shaped
 *       TAP ceiling ({@link TapTcpCeiling}), and frame by frame towards Linux also the ceiling with
 *       a few hundred nanoseconds of busy work per segment (how the reference falls with a
 *       sender's own cost); then the frames-only ceiling ({@link TapCeiling}).</li>
 * </ul>
 *
 * <pre>./nic bench tcp [seconds] [all|memory|tap]</pre>
 */
public final class TcpBench {
    private static final int A = 0x0a000001;
    private static final int B = 0x0a000002;

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        System.out.println("TCP throughput (" + Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("java.vm.name")
                + " " + System.getProperty("java.version") + ")");
        System.out.printf("%-52s %10s%n", "what", "Mbit/s");
        String only = args.length > 1 ? args[1] : "all";
        if (!only.equals("tap")) {
            double memory = memoryLink(seconds, 1500);
            double jumbo = memoryLink(seconds, 65535);
            double kernel = iperfLoopback(seconds);
            report("jnic <-> jnic, in-memory link, MTU 1500, one thread", memory);
            report("jnic <-> jnic, in-memory link, MTU 65535 (as lo: checksums offloaded)", jumbo);
            report("Linux kernel TCP over loopback (iperf3 127.0.0.1)", kernel);
            if (kernel > 0) System.out.printf("%-52s %9.0f%%%n", "jnic (MTU 65535) / kernel", 100 * jumbo / kernel);
        }
        if (only.equals("memory")) return;

        String reason = TapCeiling.unavailableReason();
        if (reason != null) {
            System.out.println("TAP figures skipped: " + reason);
            return;
        }
        // The TAP figures move with where the scheduler puts nc, the kernel's softirq work and our
        // threads on the cores: the three contenders take turns, several rounds, and medians count.
        int rounds = 5;
        long[] work = {250, 500, 1000};
        double[][] withWork = new double[work.length][rounds];
        for (boolean offloads : new boolean[] {false, true}) {
            double[][] ceiling = new double[2][rounds], engine = new double[2][rounds], sockets = new double[2][rounds];
            for (int r = 0; r < rounds; r++) {
                TapTcpCeiling.Ceiling c = TapTcpCeiling.measure(seconds, offloads);
                double[] e = tapEngine(seconds, offloads);
                double[] k = tap(seconds, offloads);
                ceiling[0][r] = c.toLinuxMbps();
                ceiling[1][r] = c.fromLinuxMbps();
                engine[0][r] = e[0];
                engine[1][r] = e[1];
                sockets[0][r] = k[0];
                sockets[1][r] = k[1];
                for (int w = 0; w < work.length && !offloads; w++) withWork[w][r] = TapTcpCeiling.toLinuxWithWork(seconds, work[w]);
            }
            System.out.printf("%nTCP over TAP, MTU 1500, %s: median of %d rounds (each round: ceiling, engine, sockets)%n",
                    offloads ? "TAP offloads (TSO/GSO, checksums)" : "no offloads (frame by frame)", rounds);
            String[] direction = {"jnic -> Linux", "Linux -> jnic"};
            for (int d = 0; d < 2; d++) {
                double top = median(ceiling[d]);
                report(direction[d] + ": TCP-shaped TAP ceiling (no stack)" + rounds(ceiling[d]), top);
                reportRatio(direction[d] + ": jnic stack, engine API on its thread" + rounds(engine[d]), median(engine[d]), top);
                reportRatio(direction[d] + ": jnic sockets, application thread" + rounds(sockets[d]), median(sockets[d]), top);
                for (int w = 0; w < work.length && !offloads && d == 0; w++) {
                    reportRatio(direction[d] + ": the ceiling with " + work[w] + " ns of work per segment" + rounds(withWork[w]),
                            median(withWork[w]), top);
                }
            }
        }
        System.out.println();
        TapCeiling.main(new String[] {Double.toString(seconds)});
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String rounds(double[] v) {
        StringBuilder b = new StringBuilder(" [");
        for (int i = 0; i < v.length; i++) b.append(i == 0 ? "" : " ").append(Math.round(v[i]));
        return b.append(']').toString();
    }

    private static void reportRatio(String what, double mbps, double reference) {
        System.out.printf("%-72s %8.0f %5.0f%%%n", what, mbps, reference > 0 ? 100 * mbps / reference : 0);
    }

    private static void report(String what, double mbps) {
        System.out.printf(what.length() > 52 ? "%-72s %8.0f%n" : "%-52s %10.0f%n", what, mbps);
    }

    /** Bulk data from A to B over a fault-free MemoryLink; returns Mbit/s of payload after a warm-up. */
    static double memoryLink(double seconds, int mtu) throws Exception {
        long[] clock = {System.nanoTime()};
        // Checksums offloaded, as on the kernel's loopback it is compared with.
        MemoryLink link = new MemoryLink(() -> clock[0], FaultInjector.none(), FaultInjector.none(), mtu).offloadChecksums();
        NetStack.Config config = new NetStack.Config();
        config.bufferSize = Math.max(config.bufferSize, mtu + 512);
        config.preallocatedBuffers = mtu > 9000 ? 64 : config.preallocatedBuffers;
        NetStack a = new NetStack(config);
        NetStack b = new NetStack(config);
        NetInterface ia = a.addInterface(link.a());
        NetInterface ib = b.addInterface(link.b());
        a.addAddress(ia, A, 24);
        b.addAddress(ib, B, 24);
        Tcp ta = new Tcp(a.ipv4());
        Tcp tb = new Tcp(b.ipv4());
        a.register(ta);
        b.register(tb);
        a.poll(clock[0]);
        b.poll(clock[0]);
        TcpListener l = tb.listen(0, 5001, 1);
        TcpConnection client = ta.connect(B, 5001);
        TcpConnection server = null;
        byte[] out = new byte[64 * 1024];
        byte[] in = new byte[64 * 1024];
        long received = 0;
        long start = 0;
        long startBytes = 0;
        long warmUp = System.nanoTime() + 1_000_000_000L;
        long end = warmUp + (long) (seconds * 1e9);
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocStart = 0;
        long segStart = 0;
        while (true) {
            clock[0] = System.nanoTime();
            a.poll(clock[0]);
            b.poll(clock[0]);
            if (server == null) server = l.accept();
            if (client.isConnected()) while (client.write(out, 0, out.length) > 0) { }
            if (server != null) {
                int n;
                while ((n = server.read(in, 0, in.length)) > 0) received += n;
            }
            if (start == 0 && clock[0] >= warmUp) {
                start = clock[0];
                startBytes = received;
                allocStart = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
                segStart = segments(ta) + segments(tb);
            }
            if (clock[0] >= end) break;
        }
        double secs = (clock[0] - start) / 1e9;
        long alloc = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - allocStart;
        long segs = segments(ta) + segments(tb) - segStart;
        System.out.printf("  (in-memory, MTU %d: %d segments sent and received in %.1f s, %.2f bytes allocated per segment on the stack thread)%n",
                mtu, segs, secs, segs == 0 ? 0.0 : (double) alloc / segs);
        return (received - startBytes) * 8 / secs / 1e6;
    }

    private static long segments(Tcp t) {
        return t.counters().get(TcpCounters.Event.SEGMENTS_SENT) + t.counters().get(TcpCounters.Event.SEGMENTS_RECEIVED);
    }

    /** The kernel's TCP over loopback with iperf3; 0 when iperf3 is missing. */
    static double iperfLoopback(double seconds) throws Exception {
        if (!NetworkNamespace.onPath("iperf3")) {
            System.out.println("  (iperf3 is not installed: no kernel reference)");
            return 0;
        }
        Process server = new ProcessBuilder("iperf3", "-s", "-1", "-p", "5299").redirectErrorStream(true).start();
        try {
            Thread.sleep(300);
            Process client = new ProcessBuilder("iperf3", "-c", "127.0.0.1", "-p", "5299", "-t", Integer.toString((int) Math.ceil(seconds)), "-J")
                    .redirectErrorStream(true).start();
            String json = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            client.waitFor((long) seconds + 30, TimeUnit.SECONDS);
            Matcher m = Pattern.compile("\"sum_received\"\\s*:\\s*\\{[^}]*?\"bits_per_second\"\\s*:\\s*([0-9.eE+]+)").matcher(json);
            if (!m.find()) {
                System.out.println("  (iperf3 gave no figure: " + json.lines().limit(5).toList() + ")");
                return 0;
            }
            return Double.parseDouble(m.group(1)) / 1e6;
        } finally {
            server.destroy();
            server.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** Puts {@code s} on the namespace's TAP at its stack address, with TCP, which it returns. */
    private static Tcp stackOn(NetworkNamespace ns, NetStack s) {
        s.addAddress(s.addInterface(ns.tap()), ns.stackAddress() + "/24");
        Tcp t = new Tcp(s.ipv4());
        s.register(t);
        return t;
    }

    /** {jnic -> Linux, Linux -> jnic} in Mbit/s over TAP, with or without the TAP's offloads. */
    static double[] tap(double seconds, boolean offloads) throws Exception {
        try (NetworkNamespace ns = NetworkNamespace.create(offloads ? "10.214.5" : "10.214.2", MacAddress.local(offloads ? 4344 : 4343), 1500, offloads)) {
            NetStack s = new NetStack();
            Tcp t = stackOn(ns, s);
            try (StackRunner runner = StackRunner.start(s, "jnic-bench")) {
                double tx = send(ns, s, t, seconds);
                double rx = receive(ns, s, t, seconds);
                return new double[] {tx, rx};
            }
        }
    }

    /**
     * {jnic -> Linux, Linux -> jnic} in Mbit/s over TAP with the application on the stack's own
     * thread through the engine API (as in {@link #memoryLink}): the stack without the sockets'
     * thread hand-over. The thread polls without sleeping, as the ceiling's loop does.
     */
    static double[] tapEngine(double seconds, boolean offloads) throws Exception {
        try (NetworkNamespace ns = NetworkNamespace.create(offloads ? "10.214.4" : "10.214.3", MacAddress.local(4345), 1500, offloads)) {
            NetStack s = new NetStack();
            Tcp t = stackOn(ns, s);
            byte[] buf = new byte[64 * 1024];
            // jnic -> Linux: write for the given time, close, and stop the clock at Linux's FIN.
            Process sink = ns.start("sh", "-c", "nc -l -w 30 5303 > /dev/null");
            TcpConnection c = null;
            long sent = 0, t0 = 0, end = 0, now = System.nanoTime(), give = now + 10_000_000_000L;
            while (now < give) {
                s.poll(now = System.nanoTime());
                if (c == null || (c.state() == TcpState.CLOSED && t0 == 0)) {   // nc needs a moment to listen
                    c = t.connect(Ipv4Address.parse(ns.linuxAddress()), 5303);
                    Thread.sleep(20);
                    continue;
                }
                if (c.isConnected() && t0 == 0) {
                    t0 = now;
                    end = t0 + (long) (seconds * 1e9);
                }
                if (t0 == 0) continue;
                if (now < end) {
                    int n;
                    while ((n = c.write(buf, 0, buf.length)) > 0) sent += n;
                } else if (c.state() == TcpState.ESTABLISHED) {
                    c.close();
                }
                if (c.peerClosed() || c.state() == TcpState.CLOSED) break;
            }
            double tx = sent * 8 / ((now - t0) / 1e9) / 1e6;
            if (!c.peerClosed()) throw new IOException("jnic -> Linux over TAP did not finish: " + c + " " + t.counters());
            sink.destroy();
            sink.waitFor(5, TimeUnit.SECONDS);

            // Linux -> jnic: read for the given time from the first byte.
            TcpListener l = t.listen(0, 5304, 1);
            long bytes = (long) (seconds * 2e9);   // more than it can carry: the run ends on time
            Process source = ns.start("sh", "-c", "head -c " + bytes + " /dev/zero | nc -N " + ns.stackAddress() + " 5304");
            TcpConnection r = null;
            long got = 0;
            t0 = 0;
            end = Long.MAX_VALUE;
            give = System.nanoTime() + 10_000_000_000L;
            while ((now = System.nanoTime()) < end) {
                s.poll(now);
                if (r == null) r = l.accept();
                if (r != null) {
                    int n;
                    while ((n = r.read(buf, 0, buf.length)) > 0) got += n;
                    if (t0 == 0 && got > 0) {
                        t0 = now;
                        end = t0 + (long) (seconds * 1e9);
                    }
                }
                if (t0 == 0 && now > give) throw new IOException("Linux -> jnic over TAP: no data");
            }
            double rx = got * 8 / ((now - t0) / 1e9) / 1e6;
            r.abort();
            s.poll(System.nanoTime());
            source.destroy();
            source.waitFor(5, TimeUnit.SECONDS);
            return new double[] {tx, rx};
        }
    }

    private static double send(NetworkNamespace ns, NetStack s, Tcp t, double seconds) throws Exception {
        Process nc = ns.start("sh", "-c", "nc -l -w 30 5301 > /dev/null");
        TcpSocket conn = null;
        for (int i = 0; i < 100 && conn == null; i++) {
            TcpSocket c = new TcpSocket(s, t);
            try {
                c.connect(new InetSocketAddress(InetAddress.getByName(ns.linuxAddress()), 5301), 5000);
                conn = c;
            } catch (ConnectException e) {
                Thread.sleep(50);
            }
        }
        if (conn == null) throw new IOException("nc did not listen");
        byte[] chunk = new byte[256 * 1024];
        long bytes = 0;
        long t0 = System.nanoTime();
        long end = t0 + (long) (seconds * 1e9);
        try {
            while (System.nanoTime() < end) {
                conn.getOutputStream().write(chunk);
                bytes += chunk.length;
            }
        } catch (IOException e) {
            throw new IOException("after " + bytes + " bytes: " + e.getMessage() + "; tcp " + t.counters() + " " + t.connections(), e);
        }
        conn.shutdownOutput();
        conn.setSoTimeout(20_000);
        conn.getInputStream().read(); // Linux's FIN: everything written has arrived
        double secs = (System.nanoTime() - t0) / 1e9;
        conn.close();
        nc.waitFor(10, TimeUnit.SECONDS);
        return bytes * 8 / secs / 1e6;
    }

    private static double receive(NetworkNamespace ns, NetStack s, Tcp t, double seconds) throws Exception {
        try (TcpServerSocket server = new TcpServerSocket(s, t, 5302, 1)) {
            server.setSoTimeout(10_000);
            long bytes = (long) (seconds * 150e6);
            Process nc = ns.start("sh", "-c", "head -c " + bytes + " /dev/zero | nc -N " + ns.stackAddress() + " 5302");
            try (TcpSocket conn = server.accept()) {
                conn.setSoTimeout(30_000);
                InputStream in = conn.getInputStream();
                byte[] buf = new byte[256 * 1024];
                long got = 0;
                long t0 = System.nanoTime();
                int n;
                while ((n = in.read(buf)) > 0) got += n;
                double secs = (System.nanoTime() - t0) / 1e9;
                nc.waitFor(10, TimeUnit.SECONDS);
                return got * 8 / secs / 1e6;
            }
        }
    }
}

package io.github.jnic.net.tools;

import io.github.jnic.net.socket.Pinger;
import io.github.jnic.net.stack.NetStack;
import io.github.jnic.net.wire.Ipv4Address;
import io.github.jnic.net.wire.IcmpMessage;
import io.github.jnic.net.wire.Ipv4Header;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * ping(8) on a jnic stack: {@code count} echo requests of {@code size} data bytes, one every
 * {@code interval}, each waiting up to {@code timeout} for its reply, then iputils' statistics
 * ({@link PingStatistics}). Each request is one {@link Pinger#ping} (the stack's echo path), so
 * requests do not overlap: when a reply takes longer than the interval, the next request goes
 * when it arrives or times out. Round-trip times are measured on this thread, around each
 * {@code Pinger.ping}, as iputils measures in its process: they include the hand-over to the
 * stack thread and back (the stack's own clock advances once per poll, too coarse when a kernel
 * peer answers within the poll that sent the request). For application threads (it blocks);
 * {@link #main} is the command line.
 */
public final class Ping {

    /** Defaults: 4 requests (iputils pings until interrupted), 1 s apart, 56 data bytes, 2 s wait. */
    public static final class Options {
        int count = 4;
        long intervalMillis = 1000;
        int size = 56;
        long timeoutMillis = 2000;

        /** Requests to send ({@code -c}). */
        public Options count(int n) { if (n < 1) throw new IllegalArgumentException("count " + n); this.count = n; return this; }
        /** Time between requests ({@code -i}). */
        public Options intervalMillis(long ms) { if (ms < 0) throw new IllegalArgumentException("interval " + ms); this.intervalMillis = ms; return this; }
        /** Data bytes after the ICMP header ({@code -s}). */
        public Options size(int n) {
            if (n < 0 || n > 65535 - Ipv4Header.MIN_LENGTH - IcmpMessage.HEADER_LENGTH) throw new IllegalArgumentException("size " + n);
            this.size = n;
            return this;
        }
        /** How long each request waits for its reply ({@code -W}). */
        public Options timeoutMillis(long ms) { if (ms < 1) throw new IllegalArgumentException("timeout " + ms); this.timeoutMillis = ms; return this; }
    }

    private Ping() {}

    /**
     * Pings {@code target} as {@code options} say, handing each line ping(8) would print (the
     * header, one per reply, timeout or error) to {@code lines}; returns the statistics.
     */
    public static PingStatistics run(NetStack stack, InetAddress target, Options options, Consumer<String> lines) throws InterruptedIOException {
        String name = target.getHostAddress();
        PingStatistics stats = new PingStatistics(name);
        lines.accept(String.format(Locale.ROOT, "PING %s (%s) %d(%d) bytes of data.", name, name, options.size,
                options.size + IcmpMessage.HEADER_LENGTH + Ipv4Header.MIN_LENGTH));
        long start = System.nanoTime();
        for (int seq = 1; seq <= options.count; seq++) {
            long sentAt = System.nanoTime();
            stats.sent();
            try {
                Pinger.ping(stack, target, options.size, options.timeoutMillis);
                long rtt = System.nanoTime() - sentAt;
                stats.replied(rtt);
                lines.accept(String.format(Locale.ROOT, "%d bytes from %s: icmp_seq=%d time=%.3f ms",
                        options.size + IcmpMessage.HEADER_LENGTH, name, seq, rtt / 1e6));
            } catch (SocketTimeoutException e) {
                lines.accept("no answer yet for icmp_seq=" + seq);
            } catch (InterruptedIOException e) {
                throw e;
            } catch (IOException e) {
                stats.failed();
                lines.accept("icmp_seq=" + seq + " " + e.getMessage());   // Pinger does not say which router answered
            }
            if (seq < options.count) sleepUntil(sentAt + options.intervalMillis * 1_000_000L);
        }
        stats.elapsed(System.nanoTime() - start);
        return stats;
    }

    private static void sleepUntil(long deadline) throws InterruptedIOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) return;
        try {
            Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while pinging");
        }
    }

    // ---- command line ------------------------------------------------------------------------

    static final String USAGE = "ping [-c count] [-i interval] [-s packetsize] [-W timeout] destination";

    /**
     * {@code ping [-c count] [-i interval] [-s packetsize] [-W timeout] destination} with
     * {@link ToolHost#USAGE} options that put a jnic stack on a TAP device. Prints like iputils'
     * ping; exits 0 when a reply came, 1 when none did, 2 on bad arguments.
     */
    public static void main(String[] args) throws Exception {
        ToolHost.runTool("ping", USAGE, args, Ping::run);
    }

    /** The command line's work on a running stack (application thread): returns the exit status. */
    static int run(List<String> args, NetStack stack, PrintStream out, PrintStream err) throws IOException {
        Options o = new Options();
        InetAddress target = null;
        try {
            for (Iterator<String> it = args.iterator(); it.hasNext(); ) {
                String a = it.next();
                switch (a) {
                    case "-c" -> o.count(Integer.parseInt(Traceroute.value(it, a)));
                    case "-i" -> o.intervalMillis(Math.round(Double.parseDouble(Traceroute.value(it, a)) * 1000));
                    case "-s" -> o.size(Integer.parseInt(Traceroute.value(it, a)));
                    case "-W" -> o.timeoutMillis(Math.round(Double.parseDouble(Traceroute.value(it, a)) * 1000));
                    default -> {
                        if (a.startsWith("-") || target != null) throw new IllegalArgumentException("unexpected argument " + a);
                        target = Ipv4Address.toInet(Ipv4Address.parse(a));
                    }
                }
            }
            if (target == null) throw new IllegalArgumentException("no destination");
        } catch (IllegalArgumentException e) {
            err.println("ping: " + e.getMessage() + "\nusage: " + USAGE);
            return 2;
        }
        PingStatistics stats = run(stack, target, o, out::println);
        out.println();
        out.print(stats.summary());
        return stats.received() > 0 ? 0 : 1;
    }
}

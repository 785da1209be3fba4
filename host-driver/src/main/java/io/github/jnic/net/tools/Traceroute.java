package io.github.jnic.net.tools;

import io.github.jnic.net.icmp.EchoListener;
import io.github.jnic.net.icmp.IcmpErrorListener;
import io.github.jnic.net.ip.Ipv4Output;
import io.github.jnic.net.socket.SocketError;
import io.github.jnic.net.stack.NetStack;
import io.github.jnic.net.stack.StackRunner;
import io.github.jnic.net.udp.UdpSocket;
import io.github.jnic.net.wire.Bytes;
import io.github.jnic.net.wire.IcmpMessage;
import io.github.jnic.net.wire.Ipv4Address;
import io.github.jnic.net.wire.Ipv4Header;
import io.github.jnic.net.wire.UdpHeader;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.LongUnaryOperator;

/**
 * traceroute(8) on a jnic stack: probes with TTL 1, 2, 3, ... toward a target, {@code probes} per
 * TTL, each answered by ICMP time exceeded from the router where its TTL ran out, or by the target
 * itself (port unreachable for UDP probes to high ports, the classic way; an echo reply in ICMP
 * mode). Probes go one at a time, each waiting for its answer or the wait to pass; the trace stops
 * at the hop where the target answered, where something answered "unreachable", or at the
 * maximum TTL.
 *
 * <p>Answers are read from the stack's ICMP layer ({@link IcmpErrorListener} gives the reporting
 * router's address, {@link EchoListener} the echo replies), matched to the probe outstanding by
 * the quoted ports or echo identifier and sequence, so late answers to earlier probes are ignored.
 * The engine runs on the stack thread on the stack's clock, so it works in virtual time;
 * {@link #trace} is the blocking call for application threads, and {@link #main} the command line.
 */
public final class Traceroute {
    private static final AtomicInteger NEXT_ECHO_ID = new AtomicInteger(0x7400);

    /** UDP probes to high ports (classic traceroute) or ICMP echo requests ({@code traceroute -I}). */
    public enum Mode { UDP, ICMP }

    /** What to send and how long to wait; defaults are traceroute(8)'s. */
    public static final class Options {
        Mode mode = Mode.UDP;
        int firstTtl = 1;
        int maxTtl = 30;
        int probes = 3;
        long waitMillis = 5000;
        int port = 33434;
        int packetLength = 60;
        LongSupplier clock;

        public Options mode(Mode m) { this.mode = m; return this; }
        /** The TTL of the first hop probed ({@code -f}). */
        public Options firstTtl(int ttl) { this.firstTtl = check(ttl, 1, 255, "first TTL"); return this; }
        /** The last TTL probed ({@code -m}, 30). */
        public Options maxTtl(int ttl) { this.maxTtl = check(ttl, 1, 255, "max TTL"); return this; }
        /** Probes per hop ({@code -q}, 3). */
        public Options probes(int n) { this.probes = check(n, 1, 10, "probes per hop"); return this; }
        /** How long to wait for each probe's answer ({@code -w}, 5 s). */
        public Options waitMillis(long ms) { this.waitMillis = Math.max(1, ms); return this; }
        /** UDP: the first destination port, incremented by each probe ({@code -p}, 33434). */
        public Options port(int p) { this.port = check(p, 1, 65535, "port"); return this; }
        /** The whole IP datagram's length ({@code packetlen}, 60); at least the headers. */
        public Options packetLength(int len) { this.packetLength = check(len, 28, 1500, "packet length"); return this; }

        /**
         * The clock round trips are timed with (nanoseconds); by default the stack's, which advances
         * once per poll. A program on a {@code StackRunner} passes {@code StackRunner.CLOCK} for
         * finer times: an answer handled in the poll that sent its probe then does not read 0.
         * Waits are always on the stack's clock.
         */
        public Options clock(LongSupplier c) { this.clock = c; return this; }

        public Mode mode() { return mode; }
        public int maxTtl() { return maxTtl; }
        public int packetLength() { return packetLength; }

        private static int check(int v, int min, int max, String what) {
            if (v < min || v > max) throw new IllegalArgumentException(what + " " + v + " not in [" + min + ", " + max + "]");
            return v;
        }
    }

    /** A finished trace: its hops in TTL order; {@code reached} when the target answered. */
    public record Result(int target, List<TraceHop> hops, boolean reached) {
        /** The trace as traceroute(8) prints it with {@code -n}, one line per hop. */
        public String format() {
            StringBuilder s = new StringBuilder();
            for (TraceHop h : hops) s.append(h.format()).append('\n');
            return s.toString();
        }
    }

    private final NetStack stack;
    private final int target;
    private final Options options;
    private final Consumer<TraceHop> onHop;
    private final CompletableFuture<Result> result = new CompletableFuture<>();
    private final byte[] payload;
    private final int echoId = NEXT_ECHO_ID.getAndIncrement() & 0xffff;
    private final List<TraceHop> hops = new ArrayList<>();
    private final IcmpErrorListener errorListener = this::icmpError;
    private final EchoListener echoListener = new EchoListener() {
        @Override public void reply(int from, int sequence, byte[] data, int off, int len, long now) { echoReply(from, sequence); }
    };
    private final LongUnaryOperator timer = this::poll;
    private final LongSupplier clock;

    // Stack thread only.
    private UdpSocket socket;
    private int ttl;
    private List<TraceProbe> probes = new ArrayList<>();
    private int sequence = -1;          // of the outstanding probe; probes are numbered from 0
    private boolean outstanding;
    private boolean stepDue;            // the timer moves on, never the delivery of an answer (the UDP layer still reads the socket)
    private long sentAt, deadline;   // sentAt on the round-trip clock, deadline on the stack's

    private Traceroute(NetStack stack, int target, Options options, Consumer<TraceHop> onHop) {
        this.stack = stack;
        this.target = target;
        this.options = options;
        this.onHop = onHop;
        this.ttl = options.firstTtl;
        this.clock = options.clock != null ? options.clock : stack::now;
        int headers = Ipv4Header.MIN_LENGTH + (options.mode == Mode.UDP ? UdpHeader.LENGTH : IcmpMessage.HEADER_LENGTH);
        this.payload = new byte[options.packetLength - headers];
        for (int i = 0; i < payload.length; i++) payload[i] = (byte) (0x40 + i);
    }

    /**
     * Starts a trace to {@code target} (from any thread; it runs on the stack thread). Each hop is
     * handed to {@code onHop} on the stack thread as soon as its probes are done; the returned
     * future completes with the whole trace, or fails with {@code NoRouteToHostException} when
     * the stack has no route to the target.
     */
    public static CompletableFuture<Result> start(NetStack stack, InetAddress target, Options options, Consumer<TraceHop> onHop) {
        return launch(stack, target, options, onHop).result;
    }

    private static Traceroute launch(NetStack stack, InetAddress target, Options options, Consumer<TraceHop> onHop) {
        if (options.firstTtl > options.maxTtl) throw new IllegalArgumentException("first TTL " + options.firstTtl + " beyond max TTL " + options.maxTtl);
        Traceroute t = new Traceroute(stack, Ipv4Address.of(target), options, onHop == null ? h -> {} : onHop);
        stack.execute(t::begin);
        return t;
    }

    /** Traces to {@code target} and waits for the whole trace (an application thread, not the stack's). */
    public static Result trace(NetStack stack, InetAddress target, Options options, Consumer<TraceHop> onHop) throws IOException {
        long hopsLeft = options.maxTtl - options.firstTtl + 1;
        long limit = hopsLeft * options.probes * options.waitMillis + 10_000;
        Traceroute t = launch(stack, target, options, onHop);
        try {
            return t.result.get(limit, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            stack.execute(t::cancel);
            throw new IOException("the trace to " + target.getHostAddress() + " did not finish in " + limit + " ms (is the stack running?)");
        } catch (InterruptedException e) {
            stack.execute(t::cancel);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while tracing");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            throw new IOException(e.getCause());
        }
    }

    // ---- stack thread ------------------------------------------------------------------------

    private void begin() {
        if (options.mode == Mode.UDP) {
            socket = stack.udp().newSocket(4096, 4096);
            SocketError e = stack.udp().bind(socket, 0, 0);
            if (e != null) { fail(e); return; }
        } else {
            stack.icmp().addEchoListener(echoId, echoListener);
        }
        stack.icmp().addErrorListener(errorListener);
        stack.addTimer(timer);
        stepDue = true;   // the timer runs later in this same poll
    }

    private void sendProbe(long now) {
        sequence++;
        sentAt = clock.getAsLong();
        deadline = now + options.waitMillis * 1_000_000L;
        outstanding = true;
        boolean noRoute;
        if (options.mode == Mode.UDP) {
            // Connected to this probe's port, the socket also takes the answer as its error (the UDP
            // layer counts it as delivered rather than as an error for no socket).
            socket.setTtl(ttl);
            SocketError e = stack.udp().connect(socket, target, probePort(sequence));
            if (e == null) e = stack.udp().send(socket, payload, 0, payload.length, 0, 0);
            noRoute = e == SocketError.NETWORK_UNREACHABLE;
        } else {
            noRoute = stack.icmp().sendEcho(target, echoId, sequence, payload, 0, payload.length, ttl) == Ipv4Output.SendResult.NO_ROUTE;
        }
        if (noRoute) fail(SocketError.NETWORK_UNREACHABLE);
    }

    private int probePort(int seq) { return (options.port + seq - 1) % 65535 + 1; }

    private long poll(long now) {
        if (outstanding && now >= deadline) answered(TraceProbe.timeout(ttl));
        if (stepDue) {
            stepDue = false;
            step(now);
        }
        return outstanding ? deadline : Long.MAX_VALUE;
    }

    private void icmpError(int reporter, int type, int code, int originalDst, int protocol, byte[] q, int off, int len, long now) {
        if (!outstanding || originalDst != target) return;
        if (options.mode == Mode.UDP) {
            if (protocol != Ipv4Header.PROTO_UDP || Bytes.get16(q, off) != socket.localPort() || Bytes.get16(q, off + 2) != probePort(sequence)) return;
        } else {
            if (protocol != Ipv4Header.PROTO_ICMP || (q[off] & 0xff) != IcmpMessage.ECHO_REQUEST
                    || Bytes.get16(q, off + 4) != echoId || Bytes.get16(q, off + 6) != (sequence & 0xffff)) return;
        }
        TraceProbe.Answer answer;
        if (type == IcmpMessage.TIME_EXCEEDED) answer = TraceProbe.Answer.TIME_EXCEEDED;
        else if (type != IcmpMessage.DEST_UNREACHABLE) return;   // source quench, parameter problem: keep waiting
        else if (code == IcmpMessage.CODE_PORT_UNREACHABLE && reporter == target) answer = TraceProbe.Answer.REACHED;
        else answer = TraceProbe.Answer.UNREACHABLE;
        answered(new TraceProbe(ttl, reporter, answer, code, clock.getAsLong() - sentAt));
    }

    private void echoReply(int from, int seq) {
        if (outstanding && from == target && seq == (sequence & 0xffff)) answered(new TraceProbe(ttl, from, TraceProbe.Answer.REACHED, -1, clock.getAsLong() - sentAt));
    }

    /** Records the outstanding probe's answer; the timer moves on in this poll (timers run after received frames). */
    private void answered(TraceProbe probe) {
        outstanding = false;
        probes.add(probe);
        stepDue = true;
    }

    /** Closes the hop when its probes are done, then finishes or sends the next probe. */
    private void step(long now) {
        if (probes.size() == options.probes) {
            TraceHop hop = new TraceHop(ttl, List.copyOf(probes));
            hops.add(hop);
            probes = new ArrayList<>();
            onHop.accept(hop);
            if (hop.isFinal() || ttl >= options.maxTtl) {
                finish();
                result.complete(new Result(target, List.copyOf(hops), hop.reached()));
                return;
            }
            ttl++;
        }
        sendProbe(now);
    }

    private void fail(SocketError e) {
        outstanding = false;
        finish();
        result.completeExceptionally(e.toException(Ipv4Address.toString(target)));
    }

    /** Stops a trace nobody waits for any more. */
    private void cancel() {
        if (result.isDone()) return;
        outstanding = stepDue = false;
        finish();
        result.cancel(false);
    }

    private void finish() {
        stack.icmp().removeErrorListener(errorListener);
        stack.removeTimer(timer);
        if (socket != null) stack.udp().close(socket);
        else stack.icmp().removeEchoListener(echoId);
    }

    // ---- command line ------------------------------------------------------------------------

    static final String USAGE = "traceroute [-I] [-f first_ttl] [-m max_ttl] [-q nqueries] [-w waittime] [-p port] host [packetlen]";

    /**
     * {@code traceroute [-I] [-f first_ttl] [-m max_ttl] [-q nqueries] [-w waittime] [-p port]
     * host [packetlen]} with {@link ToolHost#USAGE} options that put a jnic stack on a TAP device
     * (the target must be a numeric address). Prints the trace like {@code traceroute -n}; exits 0
     * when the target answered, 1 when not, 2 on bad arguments.
     */
    public static void main(String[] args) throws Exception {
        ToolHost.runTool("traceroute", USAGE, args, Traceroute::run);
    }

    /** The command line's work on a running stack (application thread): returns the exit status. */
    static int run(List<String> args, NetStack stack, PrintStream out, PrintStream err) throws IOException {
        Options o = new Options().clock(StackRunner.CLOCK);
        List<String> positional = new ArrayList<>();
        InetAddress target;
        try {
            for (Iterator<String> it = args.iterator(); it.hasNext(); ) {
                String a = it.next();
                switch (a) {
                    case "-I" -> o.mode(Mode.ICMP);
                    case "-f" -> o.firstTtl(Integer.parseInt(value(it, a)));
                    case "-m" -> o.maxTtl(Integer.parseInt(value(it, a)));
                    case "-q" -> o.probes(Integer.parseInt(value(it, a)));
                    case "-w" -> o.waitMillis(Math.round(Double.parseDouble(value(it, a)) * 1000));
                    case "-p" -> o.port(Integer.parseInt(value(it, a)));
                    default -> {
                        if (a.startsWith("-")) throw new IllegalArgumentException("unknown option " + a);
                        positional.add(a);
                    }
                }
            }
            if (positional.isEmpty() || positional.size() > 2) throw new IllegalArgumentException("one host (and an optional packet length) expected");
            if (positional.size() == 2) o.packetLength(Integer.parseInt(positional.get(1)));
            target = Ipv4Address.toInet(Ipv4Address.parse(positional.get(0)));
        } catch (IllegalArgumentException e) {
            err.println("traceroute: " + e.getMessage() + "\nusage: " + USAGE);
            return 2;
        }
        out.printf("traceroute to %s (%s), %d hops max, %d byte packets%n", positional.get(0), target.getHostAddress(), o.maxTtl, o.packetLength);
        Result r = trace(stack, target, o, hop -> out.println(hop.format()));
        return r.reached() ? 0 : 1;
    }

    static String value(Iterator<String> it, String flag) {
        if (!it.hasNext()) throw new IllegalArgumentException(flag + " needs a value");
        return it.next();
    }
}

package io.github.jnic.net.tools;

import static org.junit.jupiter.api.Assertions.*;

import io.github.jnic.net.dev.NetworkNamespace;
import io.github.jnic.net.linux.StackOnLinux;
import io.github.jnic.net.stack.NetStack;
import io.github.jnic.net.stack.StackRunner;
import io.github.jnic.net.tcp.Tcp;
import io.github.jnic.net.tcp.TcpCounters;
import io.github.jnic.net.tcp.TcpSocket;
import io.github.jnic.net.wire.Ipv4Address;
import io.github.jnic.net.wire.MacAddress;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Traceroute and ping from jnic through two Linux routers, in three namespaces the test makes:
 * <pre>
 *  jnic .1.2 ─TAP─ .1.1 [router1: ns of the TAP] .2.1 ─veth─ .2.2 [router2] .3.1 ─veth─ .3.2 [target]
 * </pre>
 * (all in 10.214.0.0/16, which exists only inside these namespaces). The routers forward
 * (ip_forward=1) and answer time exceeded; the target answers port unreachable to UDP probes and
 * echo requests. Needs root and /dev/net/tun (CI has both); elsewhere it is skipped with the reason.
 */
class LinuxRoutersTest {
    private static final String A = "10.214.1", B = "10.214.2", C = "10.214.3";
    private static final String TARGET = C + ".2";

    private static NetworkNamespace router1;
    private static final List<String> namespaces = new ArrayList<>();
    private static String router2, target;
    private static NetStack stack;
    private static StackRunner runner;

    @BeforeAll
    static void buildThePath() throws Exception {
        StackOnLinux.skipUnless("traceroute through Linux routers", "ping");

        router1 = NetworkNamespace.create(A, MacAddress.local(ProcessHandle.current().pid() + 5), 1500);
        router2 = router1.name() + "-r2";
        target = router1.name() + "-t";
        for (String ns : List.of(router2, target)) {
            host("ip", "netns", "add", ns);
            namespaces.add(ns);
            in(ns, "ip", "link", "set", "lo", "up");
        }
        // router1 <-> router2, router2 <-> target: veth pairs made inside one namespace, one end moved to the other.
        in(router1.name(), "ip", "link", "add", "to-r2", "type", "veth", "peer", "name", "to-r1", "netns", router2);
        in(router2, "ip", "link", "add", "to-t", "type", "veth", "peer", "name", "to-r2", "netns", target);
        address(router1.name(), "to-r2", B + ".1/24");
        address(router2, "to-r1", B + ".2/24");
        address(router2, "to-t", C + ".1/24");
        address(target, "to-r2", C + ".2/24");
        in(router1.name(), "ip", "route", "add", C + ".0/24", "via", B + ".2");
        in(router2, "ip", "route", "add", A + ".0/24", "via", B + ".1");
        in(target, "ip", "route", "add", "default", "via", C + ".1");
        for (String ns : List.of(router1.name(), router2)) in(ns, "sh", "-c", "echo 1 > /proc/sys/net/ipv4/ip_forward");
        // Linux limits ICMP errors to one a second per peer after a burst of 6: these hosts answer every probe.
        for (String ns : List.of(router1.name(), router2, target)) in(ns, "sh", "-c", "echo 0 > /proc/sys/net/ipv4/icmp_ratelimit");

        stack = new NetStack();
        stack.addAddress(stack.addInterface(router1.tap()), router1.stackAddress() + "/24");
        stack.setDefaultGateway(router1.linuxAddress());
        runner = StackRunner.start(stack, "jnic-traceroute");
    }

    @AfterAll
    static void tearDown() throws Exception {
        try {
            if (runner != null) runner.close();
            if (router1 != null) router1.close();
        } finally {
            for (String ns : namespaces) host("ip", "netns", "del", ns);
        }
        if (runner != null) assertNull(runner.failure(), "the stack thread threw");
    }

    private static void address(String ns, String dev, String cidr) throws Exception {
        in(ns, "ip", "addr", "add", cidr, "dev", dev);
        in(ns, "ip", "link", "set", dev, "up");
    }

    private static String in(String ns, String... cmd) throws Exception {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(cmd));
        return host(full.toArray(String[]::new));
    }

    private static String host(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IOException(String.join(" ", cmd) + " failed: " + out);
        return out;
    }

    @Test
    void udpTraceListsBothRoutersInOrderAndEndsAtTheTargetsPortUnreachable() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = Traceroute.run(new ArrayList<>(List.of("-w", "3", "-m", "8", TARGET)), stack,
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        String text = out.toString(StandardCharsets.UTF_8);
        System.out.print(text);
        assertEquals(0, exit, text);
        String ms = "  \\d+\\.\\d{3} ms";
        assertTrue(text.matches("traceroute to 10\\.214\\.3\\.2 \\(10\\.214\\.3\\.2\\), 8 hops max, 60 byte packets\n"
                + " 1  10\\.214\\.1\\.1" + ms + ms + ms + "\n"
                + " 2  10\\.214\\.2\\.2" + ms + ms + ms + "\n"
                + " 3  10\\.214\\.3\\.2" + ms + ms + ms + "\n"), text);
    }

    @Test
    void icmpTraceEndsAtTheTargetsEchoReply() throws Exception {
        Traceroute.Result r = Traceroute.trace(stack, InetAddress.getByName(TARGET),
                new Traceroute.Options().mode(Traceroute.Mode.ICMP).waitMillis(3000).maxTtl(8), null);
        assertTrue(r.reached(), r.format());
        assertEquals(List.of(List.of(addr(A + ".1")), List.of(addr(B + ".2")), List.of(addr(TARGET))),
                r.hops().stream().map(TraceHop::addresses).toList(), r.format());
        for (TraceProbe p : r.hops().get(2).probes()) assertEquals(TraceProbe.Answer.REACHED, p.answer());
    }

    @Test
    void anAddressNoRouterKnowsEndsAtTheFirstRouterWithUnreachable() throws Exception {
        // Linux paces "no route" errors on its own budget (net.ipv4.route.error_cost, a host-wide
        // setting left alone here), which may silence the first one: earlier hops may show "*".
        Traceroute.Result r = Traceroute.trace(stack, InetAddress.getByName("10.214.9.9"),
                new Traceroute.Options().waitMillis(1500).maxTtl(4).probes(1), null);
        assertFalse(r.reached(), r.format());
        TraceHop last = r.hops().get(r.hops().size() - 1);
        assertTrue(last.isFinal(), r.format());
        TraceProbe p = last.probes().get(0);
        assertEquals(TraceProbe.Answer.UNREACHABLE, p.answer(), r.format());
        assertEquals(addr(A + ".1"), p.address());
        assertTrue(p.annotation().equals("!N") || p.annotation().equals("!H"), r.format());
        for (TraceHop h : r.hops().subList(0, r.hops().size() - 1)) assertTrue(h.addresses().isEmpty(), r.format());
    }

    @Test
    void pingTheFarTargetWithStatisticsShapedLikeIputils() throws Exception {
        List<String> lines = new ArrayList<>();
        PingStatistics s = Ping.run(stack, InetAddress.getByName(TARGET), new Ping.Options().count(5).intervalMillis(200), lines::add);
        assertEquals(5, s.transmitted());
        assertEquals(5, s.received(), String.join("\n", lines));
        assertEquals(0.0, s.lossPercent());
        assertTrue(0 < s.minNanos() && s.minNanos() <= s.avgNanos() && s.avgNanos() <= s.maxNanos(), s.summary());
        System.out.println(String.join("\n", lines) + "\n" + s.summary());

        // Linux pings us back from the target through both routers; its summary and ours read alike.
        NetworkNamespace.Result linux = execIn(target, "ping", "-c", "3", "-i", "0.2", "-W", "2", router1.stackAddress());
        assertEquals(0, linux.exit(), linux.output());
        Pattern summary = Pattern.compile("--- \\S+ ping statistics ---\n(\\d+) packets transmitted, (\\d+) received, (\\d+)% packet loss, time \\d+ms\n"
                + "rtt min/avg/max/mdev = [\\d.]+/[\\d.]+/[\\d.]+/[\\d.]+ ms\n");
        Matcher ours = summary.matcher(s.summary());
        Matcher theirs = summary.matcher(linux.output());
        assertTrue(ours.find(), s.summary());
        assertTrue(theirs.find(), linux.output());
        assertEquals("5 5 0", ours.group(1) + " " + ours.group(2) + " " + ours.group(3));
        assertEquals("3 3 0", theirs.group(1) + " " + theirs.group(2) + " " + theirs.group(3));
    }

    @Test
    void theCommandLinesRunTheirOwnStackOnATap() throws Exception {
        // A second, persistent TAP in router 1 (10.214.4.0/24), which a JVM started inside that
        // namespace opens by name: main() as a user runs it, with nothing outside the namespaces.
        in(router1.name(), "ip", "tuntap", "add", "jnic-cli", "mode", "tap");
        address(router1.name(), "jnic-cli", "10.214.4.1/24");
        in(router2, "ip", "route", "replace", "10.214.4.0/24", "via", B + ".1");
        List<String> host = List.of("--tap", "jnic-cli", "--address", "10.214.4.2/24", "--gateway", "10.214.4.1");
        try {
            NetworkNamespace.Result t = runTool(router1.name(), "Traceroute", host, "-q", "1", "-w", "3", TARGET);
            assertEquals(0, t.exit(), t.output());
            assertTrue(t.output().matches("(?s).*\n 1  10\\.214\\.4\\.1  [\\d.]+ ms\n 2  10\\.214\\.2\\.2  [\\d.]+ ms\n 3  10\\.214\\.3\\.2  [\\d.]+ ms\n"), t.output());

            NetworkNamespace.Result p = runTool(router1.name(), "Ping", host, "-c", "2", "-i", "0.2", TARGET);
            assertEquals(0, p.exit(), p.output());
            assertTrue(p.output().contains("2 packets transmitted, 2 received, 0% packet loss"), p.output());

            NetworkNamespace.Result usage = runTool(router1.name(), "Ping", List.of(), TARGET);
            assertEquals(2, usage.exit(), usage.output());
            assertTrue(usage.output().contains("--tap and --address are required"), usage.output());
        } finally {
            in(router1.name(), "ip", "link", "del", "jnic-cli");
        }
    }

    @Test
    void tcpLearnsTheSmallerMtuOfTheMiddleLinkFromTheRouterAndDeliversEveryByte() throws Exception {
        // Router 1 to router 2 becomes a 1000-byte link. The target still offers MSS 1460, so our
        // full-size segments (DF set) stop at router 1, which answers "fragmentation needed, MTU 1000".
        in(router1.name(), "ip", "link", "set", "to-r2", "mtu", "1000");
        in(router2, "ip", "link", "set", "to-r1", "mtu", "1000");
        Process nc = new ProcessBuilder("ip", "netns", "exec", target, "sh", "-c", "nc -l -w 20 5400 | sha256sum").redirectErrorStream(true).start();
        try {
            Tcp tcp = stack.call(() -> {
                Tcp t = new Tcp(stack.ipv4());
                stack.register(t);
                return t;
            }, 5000);
            byte[] data = new byte[3 << 20];
            new java.util.Random(1191).nextBytes(data);
            TcpSocket s = null;
            for (int i = 0; i < 100 && s == null; i++) {   // nc needs a moment to listen
                TcpSocket attempt = new TcpSocket(stack, tcp);
                try {
                    attempt.connect(new InetSocketAddress(InetAddress.getByName(TARGET), 5400), 5000);
                    s = attempt;
                } catch (java.net.ConnectException e) {
                    Thread.sleep(50);
                }
            }
            assertNotNull(s, "nc did not listen");
            s.setSoTimeout(20_000);
            s.getOutputStream().write(data);
            s.shutdownOutput();
            assertEquals(-1, s.getInputStream().read(), "the target closes after taking everything");
            TcpSocket conn = s;
            int mss = stack.call(() -> conn.connection().sendMss(), 5000);
            s.close();
            assertTrue(nc.waitFor(20, java.util.concurrent.TimeUnit.SECONDS));
            String hash = new String(nc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim().split("\\s+")[0];
            assertEquals(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data)), hash);
            assertTrue(mss <= 1000 - 40, "segments were cut to the path MTU: MSS " + mss);
            assertTrue(stack.call(() -> tcp.counters().get(TcpCounters.Event.PATH_MTU_REDUCTIONS), 5000) >= 1);
            assertEquals(1000, (int) stack.call(() -> stack.ipv4().mtuFor(addr(TARGET)), 5000));
        } finally {
            nc.destroyForcibly();
            in(router1.name(), "ip", "link", "set", "to-r2", "mtu", "1500");
            in(router2, "ip", "link", "set", "to-r1", "mtu", "1500");
        }
    }

    /** Runs {@code io.github.jnic.net.tools.<tool>} in a JVM inside namespace {@code ns}, with this test's class path. */
    private static NetworkNamespace.Result runTool(String ns, String tool, List<String> host, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(System.getProperty("java.home") + "/bin/java", "-cp", System.getProperty("java.class.path"),
                "io.github.jnic.net.tools." + tool));
        cmd.addAll(host);
        cmd.addAll(List.of(args));
        return execIn(ns, cmd.toArray(String[]::new));
    }

    private static NetworkNamespace.Result execIn(String ns, String... cmd) throws Exception {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(cmd));
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new NetworkNamespace.Result(p.waitFor(), out);
    }

    private static int addr(String s) { return Ipv4Address.parse(s); }
}

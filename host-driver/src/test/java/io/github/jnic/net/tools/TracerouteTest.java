package io.github.jnic.net.tools;

import static org.junit.jupiter.api.Assertions.*;

import io.github.jnic.net.stack.NetStack;
import io.github.jnic.net.stack.Simulation;
import io.github.jnic.net.wire.IcmpMessage;
import io.github.jnic.net.wire.Ipv4Address;
import io.github.jnic.net.wire.Ipv4Header;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * Traceroute in virtual time over a {@link RoutedPath}: a fake path of routers, 1 ms apart, whose
 * answers are built independently of the stack. Round trips are exact in virtual time, so they are
 * checked to the nanosecond.
 */
class TracerouteTest {
    private static final long MS = 1_000_000L;
    private static final String R1 = "10.1.0.1", R2 = "10.2.0.1", TARGET = "10.3.0.9";

    private final Simulation sim = new Simulation();
    private final NetStack stack = sim.add(new NetStack());

    private RoutedPath path(String... routers) {
        RoutedPath p = new RoutedPath(sim.clock(), TARGET, MS, routers);
        stack.addAddress(stack.addInterface(p), "10.1.0.2/24");
        stack.setDefaultGateway(routers[0]);
        return p;
    }

    private Traceroute.Result trace(Traceroute.Options o, List<TraceHop> seen) throws Exception {
        CompletableFuture<Traceroute.Result> f = Traceroute.start(stack, InetAddress.getByName(TARGET), o, seen::add);
        assertTrue(sim.runUntil(f::isDone, 600_000 * MS), "trace did not finish");
        return f.get();
    }

    private static int ip(String s) { return Ipv4Address.parse(s); }

    @Test
    void udpProbesFindBothRoutersInOrderAndEndAtTheTargetsPortUnreachable() throws Exception {
        RoutedPath p = path(R1, R2);
        List<TraceHop> seen = new ArrayList<>();
        Traceroute.Result r = trace(new Traceroute.Options(), seen);

        assertTrue(r.reached());
        assertEquals(3, r.hops().size());
        assertEquals(r.hops(), seen, "each hop handed over as it finished");
        int[] expected = {ip(R1), ip(R2), ip(TARGET)};
        for (int i = 0; i < 3; i++) {
            TraceHop h = r.hops().get(i);
            assertEquals(i + 1, h.ttl());
            assertEquals(List.of(expected[i]), h.addresses());
            for (TraceProbe probe : h.probes()) {
                assertEquals(i < 2 ? TraceProbe.Answer.TIME_EXCEEDED : TraceProbe.Answer.REACHED, probe.answer());
                assertEquals(2 * (i + 1) * MS, probe.rttNanos(), "round trip to hop " + (i + 1));
            }
        }
        assertEquals("""
                 1  10.1.0.1  2.000 ms  2.000 ms  2.000 ms
                 2  10.2.0.1  4.000 ms  4.000 ms  4.000 ms
                 3  10.3.0.9  6.000 ms  6.000 ms  6.000 ms
                """, r.format());

        // On the wire: UDP, TTL 1,1,1,2,2,2,3,3,3, ports 33434 upward, one per probe.
        assertEquals(9, p.sent().size());
        for (int i = 0; i < 9; i++) {
            RoutedPath.Sent s = p.sent().get(i);
            assertEquals(Ipv4Header.PROTO_UDP, s.protocol());
            assertEquals(i / 3 + 1, s.ttl());
            assertEquals(33434 + i, s.dstPort());
        }
        assertEquals(java.util.Map.of(), stack.counters().drops(), "every answer was taken by the socket that sent its probe");
    }

    @Test
    void icmpModeEndsAtTheEchoReplyAndSendsEchoRequestsWithRisingTtl() throws Exception {
        RoutedPath p = path(R1, R2);
        Traceroute.Result r = trace(new Traceroute.Options().mode(Traceroute.Mode.ICMP).probes(2), new ArrayList<>());
        assertTrue(r.reached());
        assertEquals(List.of(List.of(ip(R1)), List.of(ip(R2)), List.of(ip(TARGET))), r.hops().stream().map(TraceHop::addresses).toList());
        assertEquals(6 * MS, r.hops().get(2).probes().get(1).rttNanos());
        for (int i = 0; i < 6; i++) {
            RoutedPath.Sent s = p.sent().get(i);
            assertEquals(Ipv4Header.PROTO_ICMP, s.protocol());
            assertEquals(i / 2 + 1, s.ttl());
            assertEquals(i, s.echoSeq());
            assertEquals(p.sent().get(0).echoId(), s.echoId());
        }
    }

    @Test
    void aSilentRouterShowsAsStarsAndTheTraceGoesOn() throws Exception {
        path(R1, R2, "10.4.0.1").silent(2);
        Traceroute.Result r = trace(new Traceroute.Options().waitMillis(50), new ArrayList<>());
        assertTrue(r.reached());
        assertEquals(4, r.hops().size());
        assertEquals(" 2  * * *", r.hops().get(1).format());
        assertTrue(r.hops().get(1).addresses().isEmpty());
        assertEquals(List.of(ip(TARGET)), r.hops().get(3).addresses());
    }

    @Test
    void anAnswerAfterTheWaitIsNotTakenForTheNextProbes() throws Exception {
        // Router 1 answers after 12 ms; probes wait 8 ms: each late answer quotes an earlier port.
        path(R1, R2).slow(1, 10 * MS);
        Traceroute.Result r = trace(new Traceroute.Options().waitMillis(8), new ArrayList<>());
        assertEquals(" 1  * * *", r.hops().get(0).format());
        assertEquals(List.of(ip(R2)), r.hops().get(1).addresses());
        assertEquals(4 * MS, r.hops().get(1).probes().get(0).rttNanos());
        assertTrue(r.reached(), r.format());
    }

    @Test
    void hostUnreachableFromARouterEndsTheTraceThere() throws Exception {
        path(R1, R2).unreachableAt(2, IcmpMessage.CODE_HOST_UNREACHABLE);
        Traceroute.Result r = trace(new Traceroute.Options(), new ArrayList<>());
        assertFalse(r.reached());
        assertEquals(2, r.hops().size());
        assertEquals(" 2  10.2.0.1  4.000 ms !H  4.000 ms !H  4.000 ms !H", r.hops().get(1).format());
    }

    @Test
    void aSilentTargetIsProbedUpToTheMaximumTtl() throws Exception {
        path(R1).targetSilent();
        long start = sim.now();
        Traceroute.Result r = trace(new Traceroute.Options().maxTtl(4).probes(1).waitMillis(100), new ArrayList<>());
        assertFalse(r.reached());
        assertEquals(4, r.hops().size());
        assertEquals(List.of(ip(R1)), r.hops().get(0).addresses());
        for (int i = 1; i < 4; i++) assertFalse(r.hops().get(i).probes().get(0).answered());
        assertEquals(2 * MS + 3 * 100 * MS, sim.now() - start, "one answer, then three full waits");
    }

    @Test
    void firstTtlSkipsTheNearHops() throws Exception {
        RoutedPath p = path(R1, R2);
        Traceroute.Result r = trace(new Traceroute.Options().firstTtl(2).probes(1), new ArrayList<>());
        assertEquals(List.of(2, 3), r.hops().stream().map(TraceHop::ttl).toList());
        assertEquals(2, p.sent().get(0).ttl());
    }

    @Test
    void withoutARouteTheTraceFails() throws Exception {
        stack.addAddress(stack.addInterface(new RoutedPath(sim.clock(), TARGET, MS, R1)), "10.1.0.2/24");   // no gateway
        CompletableFuture<Traceroute.Result> f = Traceroute.start(stack, InetAddress.getByName(TARGET), new Traceroute.Options(), null);
        sim.runUntil(f::isDone, 1000 * MS);
        ExecutionException e = assertThrows(ExecutionException.class, f::get);
        assertInstanceOf(NoRouteToHostException.class, e.getCause());
    }

    @Test
    void theCommandLineRefusesBadArgumentsWithItsUsage() throws Exception {
        for (List<String> args : List.of(List.<String>of(), List.of("-m"), List.of("-q", "0", "10.0.0.1"), List.of("-x", "10.0.0.1"), List.of("host.example"))) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            assertEquals(2, Traceroute.run(new ArrayList<>(args), stack, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8)), args.toString());
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage: traceroute"), args.toString());
        }
    }

    @Test
    void optionsOutOfRangeAreRefused() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> new Traceroute.Options().maxTtl(0));
        assertThrows(IllegalArgumentException.class, () -> new Traceroute.Options().probes(11));
        assertThrows(IllegalArgumentException.class, () -> new Traceroute.Options().packetLength(27));
        assertThrows(IllegalArgumentException.class, () -> Traceroute.start(stack, InetAddress.getByName(TARGET), new Traceroute.Options().firstTtl(5).maxTtl(4), null));
    }

    @Test
    void hostOptionsAreTakenOutOfTheCommandLine() {
        List<String> args = new ArrayList<>(List.of("-q", "1", "--tap", "jnic0", "--address", "10.9.0.2/24", "--gateway", "10.9.0.1", "10.9.3.2"));
        assertEquals(List.of("--tap", "jnic0", "--address", "10.9.0.2/24", "--gateway", "10.9.0.1"), ToolHost.takeHostOptions(args));
        assertEquals(List.of("-q", "1", "10.9.3.2"), args);
        assertThrows(IllegalArgumentException.class, () -> ToolHost.takeHostOptions(new ArrayList<>(List.of("--tap", "jnic0", "10.9.3.2"))));
        assertThrows(IllegalArgumentException.class, () -> ToolHost.takeHostOptions(new ArrayList<>(List.of("--address", "10.9.0.2/24", "--tap"))));
    }
}

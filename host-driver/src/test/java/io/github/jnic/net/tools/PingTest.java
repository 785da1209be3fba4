package io.github.jnic.net.tools;

import static org.junit.jupiter.api.Assertions.*;

import io.github.jnic.net.stack.NetStack;
import io.github.jnic.net.stack.StackRunner;
import io.github.jnic.net.wire.IcmpMessage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Ping's statistics by themselves, then ping over a {@link RoutedPath} on a running stack (real
 * time, since each request is a blocking {@code Pinger.ping}). Times are never asserted beyond
 * what the path guarantees: a reply cannot come before its round trip.
 */
class PingTest {
    private static final long MS = 1_000_000L;
    private StackRunner runner;

    @AfterEach
    void stop() {
        if (runner != null) {
            runner.close();
            assertNull(runner.failure(), "the stack thread threw");
        }
    }

    @Test
    void statisticsAreIputilsSummary() {
        PingStatistics s = new PingStatistics("10.0.0.9");
        for (long ms : new long[]{1, 2, 3, 4}) {
            s.sent();
            s.replied(ms * MS);
        }
        s.sent();   // lost
        s.elapsed(4004 * MS);
        assertEquals(20.0, s.lossPercent());
        assertEquals(Math.sqrt(1.25) * MS, s.mdevNanos(), 1e-3, "mdev = sqrt(mean(t^2) - mean(t)^2)");
        assertEquals("""
                --- 10.0.0.9 ping statistics ---
                5 packets transmitted, 4 received, 20% packet loss, time 4004ms
                rtt min/avg/max/mdev = 1.000/2.500/4.000/1.118 ms
                """, s.summary());
    }

    @Test
    void statisticsWithErrorsAndNoReplyHaveNoRttLine() {
        PingStatistics s = new PingStatistics("10.0.0.9");
        for (int i = 0; i < 3; i++) {
            s.sent();
            s.failed();
        }
        assertEquals("""
                --- 10.0.0.9 ping statistics ---
                3 packets transmitted, 0 received, +3 errors, 100% packet loss, time 0ms
                """, s.summary());
    }

    @Test
    void lossIsPrintedLikeCsPercentG() {
        assertEquals("33.3333", PingStatistics.percent(100.0 / 3));
        assertEquals("0", PingStatistics.percent(0));
        assertEquals("100", PingStatistics.percent(100));
        assertEquals("12.5", PingStatistics.percent(12.5));
    }

    private NetStack stackOn(RoutedPath path) {
        NetStack stack = new NetStack();
        stack.addAddress(stack.addInterface(path), "10.1.0.2/24");
        stack.setDefaultGateway("10.1.0.1");
        runner = StackRunner.start(stack, "ping-test");
        return stack;
    }

    @Test
    void countsRepliesAndALostRequestThroughTwoRouters() throws Exception {
        RoutedPath path = new RoutedPath(StackRunner.CLOCK, "10.3.0.9", MS, "10.1.0.1", "10.2.0.1").dropEchoRequest(2);
        NetStack stack = stackOn(path);
        List<String> lines = new ArrayList<>();
        PingStatistics s = Ping.run(stack, InetAddress.getByName("10.3.0.9"),
                new Ping.Options().count(4).intervalMillis(20).timeoutMillis(1500).size(100), lines::add);
        assertEquals(4, s.transmitted());
        assertEquals(3, s.received());
        assertEquals(0, s.errors());
        assertEquals(25.0, s.lossPercent());
        assertTrue(s.minNanos() >= 6 * MS, "a reply cannot beat its 6 ms round trip: " + s.minNanos());
        assertTrue(s.minNanos() <= s.avgNanos() && s.avgNanos() <= s.maxNanos());
        assertEquals("PING 10.3.0.9 (10.3.0.9) 100(128) bytes of data.", lines.get(0));
        assertTrue(lines.get(1).startsWith("108 bytes from 10.3.0.9: icmp_seq=1 time="), lines.get(1));
        assertEquals("no answer yet for icmp_seq=2", lines.get(2));
        assertTrue(lines.get(4).startsWith("108 bytes from 10.3.0.9: icmp_seq=4 time="), lines.get(4));
        // Each request was one echo of 100 data bytes to the target, with the default TTL.
        List<RoutedPath.Sent> sent = path.sent();
        assertEquals(4, sent.size());
        for (RoutedPath.Sent x : sent) assertEquals(64, x.ttl());
    }

    @Test
    void unreachableAnswersCountAsErrors() throws Exception {
        NetStack stack = stackOn(new RoutedPath(StackRunner.CLOCK, "10.3.0.9", MS, "10.1.0.1", "10.2.0.1")
                .unreachableAt(2, IcmpMessage.CODE_HOST_UNREACHABLE));
        List<String> lines = new ArrayList<>();
        PingStatistics s = Ping.run(stack, InetAddress.getByName("10.3.0.9"), new Ping.Options().count(2).intervalMillis(10), lines::add);
        assertEquals(2, s.errors());
        assertEquals(0, s.received());
        assertTrue(lines.get(1).startsWith("icmp_seq=1 No route to host"), lines.get(1));
        assertTrue(s.summary().contains("2 packets transmitted, 0 received, +2 errors, 100% packet loss"), s.summary());
    }

    @Test
    void theCommandLinePrintsRepliesThenTheSummary() throws Exception {
        NetStack stack = stackOn(new RoutedPath(StackRunner.CLOCK, "10.3.0.9", MS, "10.1.0.1"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = Ping.run(new ArrayList<>(List.of("-c", "2", "-i", "0.01", "-s", "8", "10.3.0.9")), stack,
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, text);
        assertTrue(text.matches("(?s)PING 10\\.3\\.0\\.9 \\(10\\.3\\.0\\.9\\) 8\\(36\\) bytes of data\\.\n"
                + "16 bytes from 10\\.3\\.0\\.9: icmp_seq=1 time=\\d+\\.\\d{3} ms\n"
                + "16 bytes from 10\\.3\\.0\\.9: icmp_seq=2 time=\\d+\\.\\d{3} ms\n\n"
                + "--- 10\\.3\\.0\\.9 ping statistics ---\n"
                + "2 packets transmitted, 2 received, 0% packet loss, time \\d+ms\n"
                + "rtt min/avg/max/mdev = [\\d.]+/[\\d.]+/[\\d.]+/[\\d.]+ ms\n"), text);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, Ping.run(new ArrayList<>(List.of("-c", "0", "10.3.0.9")), stack, System.out, new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage: ping"));
    }
}

package io.github.jnic.net.dev;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultInjectorTest {
    private static final long MS = 1_000_000L;

    /** Frame i is 100 bytes of value i; returns what comes out, with delivery times. */
    private static List<String> run(FaultInjector f, int frames, long spacing) {
        List<String> out = new ArrayList<>();
        long now = 0;
        for (int i = 0; i < frames; i++, now += spacing) {
            byte[] frame = new byte[100];
            Arrays.fill(frame, (byte) i);
            f.submit(frame, 0, frame.length, now);
            long t = now;
            f.deliver(now, (d, len) -> out.add(t + ":" + describe(d, len)), Integer.MAX_VALUE);
        }
        while (f.nextDeadline() != Long.MAX_VALUE) {
            long t = f.nextDeadline();
            f.deliver(t, (d, len) -> out.add(t + ":" + describe(d, len)), Integer.MAX_VALUE);
        }
        return out;
    }

    private static String describe(byte[] d, int len) {
        int same = 0;
        for (int i = 0; i < len; i++) if (d[i] == d[0]) same++;
        return (d[0] & 0xff) + (same == len ? "" : "*");   // * marks a corrupted frame
    }

    @Test
    void sameSeedSameFaults() {
        List<String> a = run(new FaultInjector(5).loss(0.1).duplicate(0.1).corrupt(0.1).reorder(0.1, 3 * MS).delay(MS, MS), 500, MS / 10);
        List<String> b = run(new FaultInjector(5).loss(0.1).duplicate(0.1).corrupt(0.1).reorder(0.1, 3 * MS).delay(MS, MS), 500, MS / 10);
        List<String> c = run(new FaultInjector(6).loss(0.1).duplicate(0.1).corrupt(0.1).reorder(0.1, 3 * MS).delay(MS, MS), 500, MS / 10);
        assertEquals(a, b);
        assertNotEquals(a, c);
    }

    @Test
    void eachFaultHappensAtAboutItsRate() {
        FaultInjector f = new FaultInjector(1).loss(0.1).duplicate(0.05).corrupt(0.05).reorder(0.05, 3 * MS);
        List<String> out = run(f, 10000, MS);
        assertEquals(10000, f.submitted());
        assertTrue(Math.abs(f.lost() - 1000) < 100, "lost " + f.lost());
        assertTrue(Math.abs(f.duplicated() - 450) < 80, "duplicated " + f.duplicated());
        assertTrue(Math.abs(f.corrupted() - 450) < 80, "corrupted " + f.corrupted());
        assertEquals(10000 - f.lost() + f.duplicated(), out.size());
        long starred = out.stream().filter(s -> s.endsWith("*")).count();   // a corrupted frame may also be duplicated
        assertTrue(starred >= f.corrupted() && starred <= f.corrupted() + f.duplicated(), starred + " corrupted frames delivered");
        int outOfOrder = 0;
        int last = -1;
        for (String s : out) {
            int v = Integer.parseInt(s.substring(s.indexOf(':') + 1).replace("*", ""));
            if (v < last % 256 && last - v < 200) outOfOrder++;
            last = Math.max(last, v);
        }
        assertTrue(f.reordered() > 0 && outOfOrder > 0, "reordered " + f.reordered());
    }

    @Test
    void delayAndRateLimit() {
        // 100-byte frames at 80 kbit/s take 10 ms each; plus 5 ms of delay.
        FaultInjector f = new FaultInjector(0).rate(80_000, 350).delay(5 * MS, 0);
        List<String> out = run(f, 5, 0);   // all offered at time 0
        assertEquals(List.of(15 * MS + ":0", 25 * MS + ":1", 35 * MS + ":2"), out, "the queue holds 350 bytes: 3 frames");
        assertEquals(2, f.overflowed());
    }
}

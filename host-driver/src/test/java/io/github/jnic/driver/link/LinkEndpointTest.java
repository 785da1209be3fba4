package io.github.jnic.driver.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LinkEndpointTest {
    private static final long TIMEOUT = 50_000;

    /** Two endpoints joined by a channel that drops, duplicates, corrupts and delays (so reorders). */
    private static final class Channel {
        record InFlight(long at, long order, boolean toB, byte[] bytes) {}
        final Random random;
        final double loss, duplicate, corrupt;
        final int jitter;
        final PriorityQueue<InFlight> queue = new PriorityQueue<>((x, y) -> x.at != y.at ? Long.compare(x.at, y.at) : Long.compare(x.order, y.order));
        long now, order;
        final List<LinkMessage> atA = new ArrayList<>(), atB = new ArrayList<>();
        final LinkEndpoint a, b;

        Channel(long seed, double loss, double duplicate, double corrupt, int jitter) {
            random = new Random(seed);
            this.jitter = jitter;
            this.loss = loss;
            this.duplicate = duplicate;
            this.corrupt = corrupt;
            a = new LinkEndpoint(m -> carry(m, true), atA::add, TIMEOUT);
            b = new LinkEndpoint(m -> carry(m, false), atB::add, TIMEOUT);
        }

        void carry(LinkMessage m, boolean toB) {
            int copies = random.nextDouble() < loss ? 0 : random.nextDouble() < duplicate ? 2 : 1;
            for (int i = 0; i < copies; i++) {
                byte[] bytes = StreamFraming.encode(m);
                if (random.nextDouble() < corrupt) bytes[random.nextInt(bytes.length - 1)] ^= (byte) (1 << random.nextInt(8));
                queue.add(new InFlight(now + 1_000 + (jitter == 0 ? 0 : random.nextInt(jitter)), order++, toB, bytes));
            }
        }

        void run(long until) {
            StreamFraming fa = new StreamFraming(), fb = new StreamFraming();
            while (now < until && !(a.idle() && b.idle() && queue.isEmpty())) {
                long next = Math.min(queue.isEmpty() ? Long.MAX_VALUE : queue.peek().at, Math.min(a.nextDeadline(), b.nextDeadline()));
                now = Math.max(now, next);
                while (!queue.isEmpty() && queue.peek().at <= now) {
                    InFlight f = queue.poll();
                    StreamFraming fr = f.toB ? fb : fa;
                    for (byte x : f.bytes) {
                        LinkMessage m = fr.accept(x);
                        if (m != null) (f.toB ? b : a).receive(m, now);
                    }
                }
                a.poll(now);
                b.poll(now);
            }
        }
    }

    private static List<LinkMessage> traffic(int n, int salt) {
        List<LinkMessage> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(LinkMessage.dmaWrite(i * 64L + salt, new byte[] {(byte) i, (byte) (i >> 8), (byte) salt}));
        return out;
    }

    private static List<LinkMessage> payloads(List<LinkMessage> got) {
        return got.stream().map(m -> m.numbered(0, 0)).toList();
    }

    @Test
    void aLosslessInOrderChannelDeliversEverythingWithoutResending() {
        Channel c = new Channel(1, 0, 0, 0, 0);
        List<LinkMessage> ab = traffic(200, 1);
        for (LinkMessage m : ab) c.a.send(m, 0);
        c.run(Long.MAX_VALUE);
        assertEquals(ab, payloads(c.atB));
        assertEquals(0, c.a.retransmissions());
    }

    @Test
    void lossDuplicationCorruptionAndReorderingStillDeliverEachMessageOnceInOrder() {
        for (long seed = 1; seed <= 5; seed++) {
            Channel c = new Channel(seed, 0.1, 0.05, 0.05, 20_000);
            List<LinkMessage> ab = traffic(3000, 1), ba = traffic(2000, 2);
            for (int i = 0; i < ab.size(); i++) {
                c.a.send(ab.get(i), c.now);
                if (i < ba.size()) c.b.send(ba.get(i), c.now);
                if (i % 50 == 49) c.run(c.now + 30_000);
            }
            c.run(Long.MAX_VALUE);
            assertEquals(ab, payloads(c.atB), "seed " + seed);
            assertEquals(ba, payloads(c.atA), "seed " + seed);
            assertTrue(c.a.retransmissions() > 0 && c.b.discarded() > 0, "the channel did lose and reorder");
        }
    }

    @Test
    void sequenceNumbersWrapPastSixteenBits() {
        Channel c = new Channel(9, 0.02, 0, 0, 0);
        List<LinkMessage> ab = traffic(70_000, 3);
        for (int i = 0; i < ab.size(); i++) {
            c.a.send(ab.get(i), c.now);
            if (i % 64 == 63) c.run(c.now + 20_000);
        }
        c.run(Long.MAX_VALUE);
        assertEquals(ab, payloads(c.atB));
    }
}

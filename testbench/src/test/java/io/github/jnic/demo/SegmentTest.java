package io.github.jnic.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.net.wire.MacAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The demo's switch: flooding, learning, the observer seeing each frame once, and the latency. */
class SegmentTest {
    long now = 1_000;
    final Segment segment = new Segment(() -> now, 50);
    final List<String> observed = new ArrayList<>();
    final byte[][] macs = {MacAddress.local(1), MacAddress.local(2), MacAddress.local(3)};
    final Segment.Port[] ports = {segment.port("p1", macs[0]), segment.port("p2", macs[1]), segment.port("p3", macs[2])};

    SegmentTest() {
        segment.observe((from, at, data, off, len) -> observed.add(from.name() + "@" + at + ":" + len));
    }

    static PacketBuffer frame(byte[] dst, byte[] src, int length) {
        byte[] f = new byte[length];
        System.arraycopy(dst, 0, f, 0, 6);
        System.arraycopy(src, 0, f, 6, 6);
        return PacketBuffer.of(f);
    }

    /** Frames waiting at each port (received, so taken off the port). */
    List<Integer> drain() {
        List<Integer> counts = new ArrayList<>();
        for (Segment.Port p : ports) {
            int[] n = {0};
            p.receive(b -> { n[0]++; b.release(); }, 64);
            counts.add(n[0]);
        }
        return counts;
    }

    @Test
    void floodsUnknownAndBroadcastThenSendsToTheLearnedPortOnly() {
        ports[0].transmit(frame(MacAddress.broadcast(), macs[0], 60));
        assertEquals(Long.MAX_VALUE, ports[0].nextDeadline(), "never back to the sender");
        assertEquals(1050, ports[1].nextDeadline(), "delivered after the latency");
        assertEquals(List.of(0, 0, 0), drain(), "nothing before the latency has passed");
        now = 1050;
        assertEquals(List.of(0, 1, 1), drain());

        ports[1].transmit(frame(macs[0], macs[1], 70));   // p1 was learned from its broadcast
        ports[2].transmit(frame(MacAddress.local(9), macs[2], 80));   // unknown: flooded
        now = 2000;
        assertEquals(List.of(2, 1, 0), drain());
        assertEquals(List.of("p1@1000:60", "p2@1050:70", "p3@1050:80"), observed, "the observer sees each frame once");
    }
}

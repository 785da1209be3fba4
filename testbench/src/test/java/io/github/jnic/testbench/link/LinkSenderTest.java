package io.github.jnic.testbench.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.driver.link.LinkEndpoint;
import io.github.jnic.driver.link.LinkMessage;
import io.github.jnic.jhdl.Verilog;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import io.github.jnic.nic.link.LinkSender;
import io.github.jnic.spec.HostLink;
import io.github.jnic.testbench.sim.Simulator;
import io.github.jnic.testbench.sim.StreamSink;
import io.github.jnic.testbench.sim.StreamSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bridge's transmit side against the host's own go-back-N endpoint ({@link LinkEndpoint}, the
 * reference both ends follow): the board's messages, numbered and framed by the RTL, cross a link
 * model that loses and reorders frames, the host's endpoint takes them and its acks come back over
 * the same lossy link. Every message arrives once, in order, as it was given (type, tag, address,
 * value, data), every frame carries the ack the board expects, an idle board asked for an ack sends one,
 * nothing is resent on a clean link, and at the end the board's window is empty.
 */
class LinkSenderTest {
    static final int WINDOW = 8, SLOT_BEATS = 64, TIMEOUT = 3_000;
    static final int MAX_DATA = SLOT_BEATS * 8 - 34;
    static final VerilogDesign DESIGN = Verilog.emit(new LinkSender(WINDOW, SLOT_BEATS, TIMEOUT));
    static final byte[] STATION = {0x02, 0x4a, 0x4e, 0x42, 0x00, 0x01};
    static final byte[] HOST = {0x02, 0x4a, 0x4e, 0x48, 0x00, 0x01};
    static final int EXPECTED = 0x1234;

    private final Simulator sim = Simulator.load(DESIGN);
    private final StreamSource data;
    private final StreamSink out;

    LinkSenderTest() {
        sim.resetHigh("reset", "clk", 2);
        sim.port("station").set(address(STATION));
        sim.port("peer").set(address(HOST));
        sim.port("expected").set(EXPECTED);
        data = new StreamSource(sim, "clk", new StreamSource.Pins(sim.port("data_valid"), sim.port("data_ready"),
                sim.port("data_payload_data"), sim.port("data_last"), sim.port("data_payload_keep"), null), 41, 0.2);
        out = new StreamSink(sim, "clk", new StreamSource.Pins(sim.port("out_valid"), sim.port("out_ready"),
                sim.port("out_payload_data"), sim.port("out_last"), sim.port("out_payload_keep"), null), 42, 0.7);
    }

    @AfterEach
    void close() {
        sim.close();
    }

    private static long address(byte[] mac) {
        long a = 0;
        for (int i = 5; i >= 0; i--) a = a << 8 | (mac[i] & 0xFF);
        return a;
    }

    /** A message the board sends, at random; now and then one longer than a slot. */
    private static LinkMessage boardMessage(Random random) {
        int tag = random.nextInt(256);
        return switch (random.nextInt(9)) {
            case 0 -> LinkMessage.regData(tag, random.nextInt());
            case 1 -> LinkMessage.dmaRead(tag, random.nextLong(), 1 + random.nextInt(HostLink.MAX_DATA));
            case 2 -> LinkMessage.irq(random.nextBoolean());
            case 3 -> LinkMessage.dmaWrite(random.nextLong(), bytes(random, MAX_DATA + 1 + random.nextInt(HostLink.MAX_DATA - MAX_DATA)));
            default -> LinkMessage.dmaWrite(random.nextLong(), bytes(random, 1 + random.nextInt(random.nextBoolean() ? 16 : MAX_DATA)));
        };
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 0.1})
    void everyMessageReachesTheHostsEndpointOnceAndInOrder(double loss) {
        Random random = new Random(Double.hashCode(loss) + 7);
        List<LinkMessage> given = new ArrayList<>();
        List<StreamSource.Frame> datas = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            LinkMessage m = boardMessage(random);
            given.add(m);
            if (m.data().length > 0) datas.add(new StreamSource.Frame(m.data(), 0, random.nextInt(2)));
        }
        List<LinkMessage> wanted = given.stream().filter(m -> m.data().length <= MAX_DATA).toList();
        data.send(datas);

        List<LinkMessage> delivered = new ArrayList<>();
        // the link both ways: frames in flight with the cycle they arrive
        ArrayDeque<long[]> acksToBoard = new ArrayDeque<>();   // {arrival cycle, ack}
        LinkEndpoint host = new LinkEndpoint(m -> {
            if (random.nextDouble() >= loss) acksToBoard.add(new long[] {cycleNow + 50 + random.nextInt(100), m.ack()});
        }, delivered::add, 1_000_000);
        List<byte[]> toHost = new ArrayList<>();
        int next = 0, resent = 0, refused = 0;
        for (cycleNow = 0; cycleNow < 2_000_000 && (delivered.size() < wanted.size() || sim.port("inFlight").get() != 0); cycleNow++) {
            if (next < given.size()) {
                LinkMessage m = given.get(next);
                sim.port("header_valid").set(1);
                sim.port("header_payload_type").set(m.type().code);
                sim.port("header_payload_tag").set(m.tag());
                sim.port("header_payload_seq").set(random.nextInt(1 << 16));   // the sender numbers it itself
                sim.port("header_payload_ack").set(random.nextInt(1 << 16));
                sim.port("header_payload_address").set(m.address());
                sim.port("header_payload_value").set(m.value() & 0xFFFF_FFFFL);
                sim.port("header_payload_length").set(m.data().length);
                if (sim.port("header_ready").get() != 0) next++;
            } else {
                sim.port("header_valid").set(0);
            }
            long[] a = acksToBoard.peek();
            boolean ackNow = a != null && a[0] <= cycleNow;
            if (ackNow) acksToBoard.poll();
            sim.port("ackValid").set(ackNow ? 1 : 0);
            sim.port("ack").set(ackNow ? a[1] : 0);
            sim.port("ackDue").set(random.nextInt(5000) == 0 ? 1 : 0);
            sim.step("clk", 1);
            resent += (int) sim.port("resent").get();
            refused += (int) sim.port("refused").get();
            for (StreamSink.Frame f : out.receive()) toHost.add(f.data());
            // now and then two frames swap places; some are lost
            if (!toHost.isEmpty() && random.nextInt(4) != 0) {
                int pick = toHost.size() > 1 && random.nextInt(10) == 0 ? 1 : 0;
                byte[] f = toHost.remove(pick);
                assertArrayEquals(HOST, Arrays.copyOf(f, 6), "to the host");
                assertArrayEquals(STATION, Arrays.copyOfRange(f, 6, 12), "from the station");
                assertEquals(HostLink.ETHERTYPE, (f[12] & 0xFF) << 8 | (f[13] & 0xFF));
                LinkMessage m = LinkMessage.decode(f, 14, f.length - 14);
                assertTrue(m != null, "a frame the host can decode");
                assertEquals(14 + HostLink.HEADER_BYTES + m.data().length, f.length, "no bytes after the data (the MAC pads)");
                assertEquals(EXPECTED, m.ack(), "every frame carries the ack the board expects");
                if (random.nextDouble() >= loss) host.receive(m, cycleNow);
            }
            if (cycleNow % 64 == 0) host.poll(cycleNow);
        }
        assertEquals(given.size() - wanted.size(), refused, "messages longer than a slot, refused");
        assertEquals(wanted.size(), delivered.size(), "messages delivered");
        for (int i = 0; i < wanted.size(); i++) {
            LinkMessage w = wanted.get(i), d = delivered.get(i);
            String at = "message " + i + " " + w;
            assertEquals(w.type(), d.type(), at);
            assertEquals(i & 0xFFFF, d.seq(), at + ": numbered in order");
            assertEquals(w.tag(), d.tag(), at);
            assertEquals(w.address(), d.address(), at);
            assertEquals(w.value(), d.value(), at);
            assertArrayEquals(w.data(), d.data(), at);
        }
        assertEquals(0, sim.port("inFlight").get(), "every message acknowledged");
        // an idle board asked for an ack sends one ACK frame, and only one
        sim.port("ackValid").set(0);
        sim.port("ackDue").set(1);
        sim.step("clk", 1);
        sim.port("ackDue").set(0);
        sim.step("clk", 100);
        List<StreamSink.Frame> last = out.receive();
        assertEquals(1, last.size(), "one frame for one ack asked for");
        LinkMessage a = LinkMessage.decode(last.get(0).data(), 14, last.get(0).data().length - 14);
        assertEquals(HostLink.Type.ACK, a.type());
        assertEquals(EXPECTED, a.ack());
        if (loss == 0) assertEquals(0, resent, "nothing resent on a clean link");
        else assertTrue(resent > 0, "losses recovered by resending");
    }

    private long cycleNow;
}

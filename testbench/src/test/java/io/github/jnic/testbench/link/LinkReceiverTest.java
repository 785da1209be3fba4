package io.github.jnic.testbench.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.driver.link.LinkMessage;
import io.github.jnic.jhdl.Verilog;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import io.github.jnic.nic.link.LinkReceiver;
import io.github.jnic.nic.rx.RxFrame;
import io.github.jnic.spec.HostLink;
import io.github.jnic.testbench.sim.Simulator;
import io.github.jnic.testbench.sim.StreamSink;
import io.github.jnic.testbench.sim.StreamSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bridge's receive side against the host's own message layer: frames built from
 * {@link LinkMessage#encode} (the host's encoder, written from the layout) come out as the header
 * and data {@link LinkMessage#decode} reads from them, and every frame the decoder, or the rule
 * that the board takes only what the host sends, refuses is dropped and counted once, as foreign
 * or malformed. Random gaps on the input, random back-pressure on both outputs.
 */
class LinkReceiverTest {
    static final VerilogDesign DESIGN = Verilog.emit(new LinkReceiver());
    static final byte[] STATION = {0x02, 0x4a, 0x4e, 0x42, 0x00, 0x01};
    static final byte[] HOST = {0x02, 0x4a, 0x4e, 0x48, 0x00, 0x01};

    private final Simulator sim = Simulator.load(DESIGN);
    private final StreamSource source;
    private final StreamSink data;
    private final Random random = new Random(34);

    LinkReceiverTest() {
        sim.resetHigh("reset", "clk", 2);
        long station = 0;
        for (int i = 5; i >= 0; i--) station = station << 8 | (STATION[i] & 0xFF);
        sim.port("station").set(station);
        source = new StreamSource(sim, "clk", new StreamSource.Pins(sim.port("in_valid"), sim.port("in_ready"),
                sim.port("in_payload_data"), sim.port("in_last"), sim.port("in_payload_keep"), sim.port("in_user")), 34, 0.2);
        data = new StreamSink(sim, "clk", new StreamSource.Pins(sim.port("data_valid"), sim.port("data_ready"),
                sim.port("data_payload_data"), sim.port("data_last"), sim.port("data_payload_keep"), null), 35, 0.6);
    }

    @AfterEach
    void close() {
        sim.close();
    }

    enum Verdict { MESSAGE, FOREIGN, MALFORMED }

    /** What the board must make of a frame (FCS removed), from the host's decoder and the link's rules. */
    static Verdict verdict(byte[] f) {
        if (f.length < 14 || !Arrays.equals(Arrays.copyOf(f, 6), STATION)) return Verdict.FOREIGN;
        if (((f[12] & 0xFF) << 8 | (f[13] & 0xFF)) != HostLink.ETHERTYPE) return Verdict.FOREIGN;
        LinkMessage m = LinkMessage.decode(f, 14, f.length - 14);
        return m != null && m.type().fromHost ? Verdict.MESSAGE : Verdict.MALFORMED;
    }

    /** An Ethernet frame to {@code to} of {@code etherType} around {@code payload}, padded to 60 bytes with random bytes. */
    private byte[] frame(byte[] to, int etherType, byte[] payload) {
        byte[] f = new byte[Math.max(60, 14 + payload.length)];
        random.nextBytes(f);
        System.arraycopy(to, 0, f, 0, 6);
        if (random.nextBoolean()) System.arraycopy(HOST, 0, f, 6, 6);   // else a random source the receiver reports as it is
        f[12] = (byte) (etherType >> 8);
        f[13] = (byte) etherType;
        System.arraycopy(payload, 0, f, 14, payload.length);
        return f;
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** A message the host sends, with random fields where the type has them. */
    private LinkMessage hostMessage() {
        int seq = random.nextInt(1 << 16), ack = random.nextInt(1 << 16), tag = random.nextInt(256);
        LinkMessage m = switch (random.nextInt(5)) {
            case 0 -> LinkMessage.regRead(tag, random.nextInt(1 << 17) & ~3);
            case 1 -> LinkMessage.regWrite(random.nextInt(1 << 17) & ~3, random.nextInt());
            case 2 -> LinkMessage.ackOnly();
            default -> LinkMessage.dmaData(tag, bytes(random.nextInt(5) == 0 ? 1 + random.nextInt(12) : 1 + random.nextInt(HostLink.MAX_DATA)));
        };
        return m.numbered(seq, ack);
    }

    /** A frame of each kind the receiver tells apart, each kind now and then. */
    private byte[] anyFrame() {
        LinkMessage m = hostMessage();
        byte[] e = m.encode();
        return switch (random.nextInt(12)) {
            case 0 -> frame(bytes(6), HostLink.ETHERTYPE, e);                          // to another station
            case 1 -> frame(STATION, 0x0800, e);                                         // another protocol
            case 2 -> {                                                                  // a type only the board sends
                e[0] = (byte) new int[] {3, 0x10, 0x12, 0x20}[random.nextInt(4)];
                yield frame(STATION, HostLink.ETHERTYPE, e);
            }
            case 3 -> {                                                                  // no such type
                e[0] = (byte) (0x40 + random.nextInt(0xC0));
                yield frame(STATION, HostLink.ETHERTYPE, e);
            }
            case 4 -> {                                                                  // a length past the frame's end
                int n = 1 + random.nextInt(HostLink.MAX_DATA);
                byte[] f = frame(STATION, HostLink.ETHERTYPE, Arrays.copyOf(e, HostLink.HEADER_BYTES + n));
                int claimed = f.length - 14 - HostLink.HEADER_BYTES + 1 + random.nextInt(8);
                f[14 + 18] = (byte) (claimed >> 8);
                f[14 + 19] = (byte) claimed;
                yield f;
            }
            case 5 -> {                                                                  // over MAX_DATA, every byte there
                byte[] big = Arrays.copyOf(e, HostLink.HEADER_BYTES + HostLink.MAX_DATA + 1 + random.nextInt(100));
                big[18] = (byte) ((big.length - HostLink.HEADER_BYTES) >> 8);
                big[19] = (byte) (big.length - HostLink.HEADER_BYTES);
                yield frame(STATION, HostLink.ETHERTYPE, big);
            }
            case 6 -> Arrays.copyOf(frame(STATION, HostLink.ETHERTYPE, e), 14 + random.nextInt(HostLink.HEADER_BYTES)); // cut in the header
            case 7 -> Arrays.copyOf(frame(STATION, HostLink.ETHERTYPE, e), 1 + random.nextInt(14)); // not even an Ethernet header
            default -> frame(STATION, HostLink.ETHERTYPE, e);
        };
    }

    @Test
    void messagesComeOutAsTheHostsDecoderReadsThemAndEveryOtherFrameIsCountedOnce() {
        List<byte[]> frames = new ArrayList<>();
        List<LinkMessage> expected = new ArrayList<>();
        List<Long> sources = new ArrayList<>();
        int[] expectedDrops = new int[Verdict.values().length];
        for (int i = 0; i < 600; i++) {
            byte[] f = anyFrame();
            frames.add(f);
            Verdict v = verdict(f);
            expectedDrops[v.ordinal()]++;
            if (v == Verdict.MESSAGE) {
                expected.add(LinkMessage.decode(f, 14, f.length - 14));
                long a = 0;
                for (int j = 11; j >= 6; j--) a = a << 8 | (f[j] & 0xFF);
                sources.add(a);
            }
        }
        for (Verdict v : Verdict.values()) assertTrue(expectedDrops[v.ordinal()] > 50, "the test sends enough of " + v);
        List<StreamSource.Frame> in = new ArrayList<>();
        for (byte[] f : frames) in.add(new StreamSource.Frame(f, (long) f.length << RxFrame.LENGTH.lsb(), random.nextInt(3)));
        source.send(in);

        List<long[]> headers = new ArrayList<>();
        List<byte[]> datas = new ArrayList<>();
        int foreign = 0, malformed = 0;
        for (int cycle = 0; cycle < 400_000 && (source.framesPending() > 0 || headers.size() < expected.size()); cycle++) {
            boolean ready = random.nextInt(3) != 0;
            sim.port("header_ready").set(ready ? 1 : 0);
            if (ready && sim.port("header_valid").get() != 0) {
                long[] h = new long[HostLink.HEADER.size() + 1];
                for (int k = 0; k < HostLink.HEADER.size(); k++) h[k] = sim.port("header_payload_" + HostLink.HEADER.get(k).name()).get();
                h[HostLink.HEADER.size()] = sim.port("source").get();
                headers.add(h);
            }
            sim.step("clk", 1);
            foreign += (int) sim.port("foreign").get();
            malformed += (int) sim.port("malformed").get();
            for (StreamSink.Frame d : data.receive()) datas.add(d.data());
        }
        sim.step("clk", 10);
        foreign += (int) sim.port("foreign").get();
        for (StreamSink.Frame d : data.receive()) datas.add(d.data());

        assertEquals(expected.size(), headers.size(), "messages out");
        int withData = 0;
        for (int i = 0; i < expected.size(); i++) {
            LinkMessage m = expected.get(i);
            long[] h = headers.get(i);
            String at = "message " + i + " (" + m + ")";
            assertEquals(m.type().code, h[0], at + ": type");
            assertEquals(m.tag(), h[1], at + ": tag");
            assertEquals(m.seq(), h[2], at + ": seq");
            assertEquals(m.ack(), h[3], at + ": ack");
            assertEquals(m.address(), h[4], at + ": address");
            assertEquals(m.value() & 0xFFFF_FFFFL, h[5], at + ": value");
            assertEquals(m.data().length, h[6], at + ": length");
            assertEquals(sources.get(i), h[7], at + ": its frame's source");
            if (m.data().length > 0) {
                assertTrue(withData < datas.size(), at + ": its data came out");
                assertArrayEquals(m.data(), datas.get(withData++), at + ": data");
            }
        }
        assertEquals(withData, datas.size(), "no data without a message");
        assertEquals(expectedDrops[Verdict.FOREIGN.ordinal()], foreign, "foreign frames");
        assertEquals(expectedDrops[Verdict.MALFORMED.ordinal()], malformed, "malformed messages");
    }
}

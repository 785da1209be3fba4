package io.github.jnic.testbench.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jnic.jhdl.Verilog;
import io.github.jnic.jhdl.lib.Crc;
import io.github.jnic.jhdl.lib.examples.FifoCrc32;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import io.github.jnic.testbench.sim.Simulator;
import io.github.jnic.testbench.sim.StreamSink;
import io.github.jnic.testbench.sim.StreamSource;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The parallel CRC generators in simulation, against the check values, the bit-serial reference
 * ({@link Crc#compute}) and {@link java.util.zip.CRC32}; and the benchmark's reference design
 * (bytes through a FIFO, CRC-32 in user) under random back-pressure through the harness's stream models.
 */
class CrcSimTest {
    static final byte[] CHECK = "123456789".getBytes(StandardCharsets.US_ASCII);
    static VerilogDesign bank;

    @BeforeAll
    static void build() {
        bank = LibChecks.checked(Verilog.emit(new CrcBank()));
    }

    /** The published check values of "123456789", the Ethernet one first. */
    @Test
    void checkValues() {
        try (Simulator sim = Simulator.load(bank)) {
            sim.resetHigh("reset", "clk", 2);
            assertEquals(0xCBF43926L, feed(sim, 0, CHECK), "CRC-32, a byte a clock");
            assertEquals(0x2189L, feed(sim, 4, CHECK), "CRC-16/KERMIT, a byte a clock");
            assertEquals(0xF4L, feed(sim, 5, CHECK), "CRC-8, a bit a clock");
            assertEquals(0xF4L, feed(sim, 6, CHECK), "CRC-8, four bits a clock");
        }
    }

    /** Every generator, fed random messages (whole words) back to back, gives the reference CRC. */
    @Test
    void everyGeneratorMatchesTheReferenceOnRandomMessages() {
        Random random = new Random(11);
        try (Simulator sim = Simulator.load(bank)) {
            sim.resetHigh("reset", "clk", 2);
            for (int g = 0; g < CrcBank.GENERATORS.length; g++) {
                Crc crc = (Crc) CrcBank.GENERATORS[g][0];
                int bits = (Integer) CrcBank.GENERATORS[g][1];
                int bytesPerWord = Math.max(1, bits / 8);
                for (int n = 0; n < 40; n++) {
                    byte[] message = new byte[bytesPerWord * (1 + random.nextInt(24))];
                    random.nextBytes(message);
                    String what = crc.name() + ", " + bits + " bits a clock, " + message.length + " bytes";
                    assertEquals(crc.compute(message), feed(sim, g, message), what);
                    if (crc == Crc.CRC32) {
                        CRC32 jdk = new CRC32();
                        jdk.update(message);
                        assertEquals(jdk.getValue(), feed(sim, g, message), what + " (java.util.zip.CRC32)");
                    }
                }
            }
        }
    }

    /**
     * Feeds {@code message} to generator {@code g}, one word a clock, the first with clear (so the
     * messages follow back to back); returns its CRC.
     */
    static long feed(Simulator sim, int g, byte[] message) {
        Crc crc = (Crc) CrcBank.GENERATORS[g][0];
        int bits = (Integer) CrcBank.GENERATORS[g][1];
        sim.port("enable").set(1);
        boolean first = true;
        for (long word : words(crc, bits, message)) {
            sim.port("clear").set(first);
            sim.port("data").set(word);
            sim.step("clk", 1);
            first = false;
        }
        sim.port("enable").set(0);
        sim.port("clear").set(0);
        return sim.port("crc_" + g).get();
    }

    /** The message as words of {@code bits}, in the order and packing the CRC documents. */
    static List<Long> words(Crc crc, int bits, byte[] message) {
        List<Long> out = new ArrayList<>();
        if (bits < 8) { // sub-byte words: a byte is cut into 8/bits pieces, first piece first
            for (byte b : message) {
                for (int k = 0; k < 8 / bits; k++) {
                    int shift = crc.reflectIn() ? k * bits : 8 - (k + 1) * bits;
                    out.add((long) (b & 0xff) >>> shift & ((1L << bits) - 1));
                }
            }
            return out;
        }
        int n = bits / 8;
        for (int at = 0; at < message.length; at += n) {
            long w = 0;
            for (int i = 0; i < n; i++) {
                long b = message[at + i] & 0xff;
                w |= crc.reflectIn() ? b << (8 * i) : b << (8 * (n - 1 - i));
            }
            out.add(w);
        }
        return out;
    }

    /** Frames through the FIFO under random gaps and back-pressure: bytes intact, CRC-32 of each on its last beat. */
    @Test
    void benchReferenceDesignUnderBackPressure() {
        VerilogDesign d = LibChecks.checked(Verilog.emit(new FifoCrc32()));
        Random random = new Random(5);
        try (Simulator sim = Simulator.load(d)) {
            sim.resetHigh("reset", "clk", 2);
            StreamSource source = new StreamSource(sim, "clk", StreamPorts.of(sim, "in").pins(), 1, 0.2);
            StreamSink sink = new StreamSink(sim, "clk", StreamPorts.of(sim, "out").pins(), 2, 0.6);
            List<byte[]> sent = new ArrayList<>();
            List<StreamSource.Frame> batch = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                byte[] frame = new byte[1 + random.nextInt(200)];
                random.nextBytes(frame);
                sent.add(frame);
                batch.add(new StreamSource.Frame(frame, 0, random.nextInt(3)));
            }
            source.send(batch);
            List<StreamSink.Frame> received = new ArrayList<>();
            for (int round = 0; round < 1000 && received.size() < sent.size(); round++) {
                sim.step("clk", 1000);
                received.addAll(sink.receive());
            }
            assertEquals(sent.size(), received.size(), "frames");
            for (int i = 0; i < sent.size(); i++) {
                CRC32 jdk = new CRC32();
                jdk.update(sent.get(i));
                org.junit.jupiter.api.Assertions.assertArrayEquals(sent.get(i), received.get(i).data(), "frame " + i);
                assertEquals(jdk.getValue(), received.get(i).user(), "CRC-32 of frame " + i);
            }
        }
    }
}

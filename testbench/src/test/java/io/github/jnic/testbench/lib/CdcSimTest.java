package io.github.jnic.testbench.lib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jnic.jhdl.ClockDomain;
import io.github.jnic.jhdl.Hdl;
import io.github.jnic.jhdl.Verilog;
import io.github.jnic.jhdl.lib.AsyncFifo;
import io.github.jnic.jhdl.lib.Stream;
import io.github.jnic.jhdl.lib.Synchronizer;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import io.github.jnic.testbench.sim.Simulator;
import io.github.jnic.testbench.sim.StreamSink;
import io.github.jnic.testbench.sim.StreamSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Clock-domain crossings with two unrelated clocks: the asynchronous FIFO under random back-pressure
 * (frames compared with what was sent), its exact full flag, the pulse synchronizer (every pulse
 * arrives as one cycle), and the synchronizer's latency.
 */
class CdcSimTest {
    static final ClockDomain WRITE = ClockDomain.external("wclk").withSyncReset("wreset");
    static final ClockDomain READ = ClockDomain.external("rclk").withSyncReset("rreset");
    static final int DEPTH = 16;
    static VerilogDesign asyncFifo;

    @BeforeAll
    static void build() {
        asyncFifo = LibChecks.checked(Verilog.emit(new AsyncFifo<>(Stream.packets(Hdl.uint(8)), DEPTH, WRITE, READ)));
    }

    static Simulator loadFifo(long writePeriodPs, long readPeriodPs) {
        Simulator sim = Simulator.load(asyncFifo);
        sim.clock("wclk", writePeriodPs);
        sim.clock("rclk", readPeriodPs);
        sim.port("wreset").set(1);
        sim.port("rreset").set(1);
        sim.run(100_000);
        sim.port("wreset").set(0);
        sim.port("rreset").set(0);
        return sim;
    }

    @Test
    void asyncFifoFastReader() {
        transfer(10_000, 7_300, 0.3, 0.5, 21);
    }

    @Test
    void asyncFifoSlowReader() {
        transfer(7_300, 23_100, 0.1, 0.8, 22);
    }

    /** Random frames from a source on the write clock to a sink on the read clock, both with random stalls. */
    static void transfer(long writePeriodPs, long readPeriodPs, double gapChance, double readyChance, long seed) {
        Random random = new Random(seed);
        try (Simulator sim = loadFifo(writePeriodPs, readPeriodPs)) {
            StreamSource source = new StreamSource(sim, "wclk", StreamPorts.of(sim, "in").pins(), seed, gapChance);
            StreamSink sink = new StreamSink(sim, "rclk", StreamPorts.of(sim, "out").pins(), seed + 1, readyChance);
            List<byte[]> sent = new ArrayList<>();
            List<StreamSource.Frame> batch = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                byte[] frame = new byte[1 + random.nextInt(100)];
                random.nextBytes(frame);
                sent.add(frame);
                batch.add(new StreamSource.Frame(frame, 0, 0));
            }
            source.send(batch);
            List<StreamSink.Frame> received = new ArrayList<>();
            for (int round = 0; round < 2000 && received.size() < sent.size(); round++) {
                sim.run(1_000_000);
                received.addAll(sink.receive());
            }
            assertEquals(sent.size(), received.size(), "frames");
            for (int i = 0; i < sent.size(); i++) assertArrayEquals(sent.get(i), received.get(i).data(), "frame " + i);
        }
    }

    /** With the reader stalled the writer fills exactly the memory and the output register, then waits; nothing is lost. */
    @Test
    void asyncFifoFullIsExact() {
        try (Simulator sim = loadFifo(10_000, 7_300)) {
            StreamSource source = new StreamSource(sim, "wclk", StreamPorts.of(sim, "in").pins(), 3, 0);
            byte[] frame = new byte[100];
            new Random(4).nextBytes(frame);
            source.send(frame);
            sim.run(2_000_000);
            assertEquals(DEPTH + 1, source.beatsSent(), "beats accepted with the reader stalled");
            assertEquals(0, sim.port("in_ready").get(), "in_ready when full");
            assertEquals(1, sim.port("out_valid").get());
            StreamSink sink = new StreamSink(sim, "rclk", StreamPorts.of(sim, "out").pins(), 5, 1.0);
            sim.run(5_000_000);
            List<StreamSink.Frame> got = sink.receive();
            assertEquals(1, got.size());
            assertArrayEquals(frame, got.get(0).data());
            assertEquals(1, sim.port("in_ready").get(), "in_ready when empty");
            assertEquals(0, sim.port("out_valid").get(), "out_valid when empty");
        }
    }

    @Test
    void pulsesCrossBothWays() {
        VerilogDesign d = LibChecks.checked(Verilog.emit(new PulseCounter()));
        // fast to slow: pulses at least three slow cycles apart; slow to fast: every other cycle
        for (long[] c : new long[][] {{7_300, 23_100, 11}, {23_100, 7_300, 2}, {10_000, 10_000, 3}}) {
            try (Simulator sim = Simulator.load(d)) {
                sim.clock("aclk", c[0]);
                sim.clock("bclk", c[1]);
                sim.port("areset").set(1);
                sim.port("breset").set(1);
                sim.run(200_000);
                sim.port("areset").set(0);
                sim.port("breset").set(0);
                Random random = new Random(c[0]);
                int pulses = 0;
                for (int i = 0; i < 500; i++) {
                    sim.port("in").set(1);
                    sim.step("aclk", 1);
                    sim.port("in").set(0);
                    pulses++;
                    sim.step("aclk", c[2] - 1 + random.nextInt(3));
                }
                sim.run(200_000);
                assertEquals(pulses, sim.port("count").get(), "pulses from a " + c[0] + " ps clock to a " + c[1] + " ps clock");
            }
        }
    }

    @Test
    void synchronizerTakesTwoClocks() {
        VerilogDesign d = LibChecks.checked(Verilog.emit(new Synchronizer(null, 8, 2)));
        try (Simulator sim = Simulator.load(d)) {
            sim.resetHigh("reset", "clk", 2);
            Random random = new Random(9);
            long held = 0;
            for (int i = 0; i < 200; i++) {
                long v = random.nextInt(256);
                sim.port("in").set(v);
                sim.step("clk", 1);
                assertEquals(held, sim.port("out").get(), "one clock after a change");
                sim.step("clk", 1);
                assertEquals(v, sim.port("out").get(), "two clocks after a change");
                held = v;
            }
        }
    }
}

package io.github.jnic.testbench.bench;

import io.github.jnic.jhdl.Verilog;
import io.github.jnic.jhdl.lib.Crc;
import io.github.jnic.testbench.sim.Condition;
import io.github.jnic.testbench.sim.Simulator;
import io.github.jnic.testbench.sim.StreamSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The benchmark's design computes what java.util.zip.CRC32 computes, packet after packet. */
class CrcOverFifoTest {

    @Test
    void packetCrcsMatchJava() {
        Random random = new Random(9);
        List<StreamSource.Frame> packets = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            byte[] data = new byte[1 + random.nextInt(200)];
            random.nextBytes(data);
            packets.add(new StreamSource.Frame(data, 0, random.nextInt(3)));
        }
        try (Simulator sim = Simulator.load(Verilog.emit(new CrcOverFifo(16)))) {
            sim.resetHigh("reset", "clk", 2);
            StreamSource source = new StreamSource(sim, "clk", StreamSource.Pins.named(sim, "in"), 4, 0.3);
            source.send(packets);
            for (int i = 0; i < packets.size(); i++) {
                sim.runUntil(Condition.equalTo(sim.port("packets"), i + 1), "clk", 10_000);
                CRC32 reference = new CRC32();
                reference.update(packets.get(i).data());
                assertEquals(reference.getValue(), sim.port("packetCrc").get(), "packet " + i);
                assertEquals(Crc.CRC32.compute(packets.get(i).data()), sim.port("packetCrc").get());
            }
            assertEquals(packets.size(), source.framesSent());
        }
    }
}

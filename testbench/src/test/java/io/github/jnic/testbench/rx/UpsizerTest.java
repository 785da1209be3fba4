package io.github.jnic.testbench.rx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jnic.jhdl.Verilog;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import io.github.jnic.nic.stream.Beat;
import io.github.jnic.nic.stream.Upsizer;
import io.github.jnic.testbench.sim.Simulator;
import io.github.jnic.testbench.sim.StreamSink;
import io.github.jnic.testbench.sim.StreamSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Upsizer: frames of random lengths as bytes in, as packed beats out (every beat full but a frame's
 * last, keep from bit 0 up), the last byte's user bit on the last beat; with gaps on the input and
 * random back-pressure on the output, nothing lost, doubled or reordered.
 */
class UpsizerTest {
    static final VerilogDesign DESIGN = Verilog.emit(new Upsizer(1));

    @Test
    void framesOfEveryLengthArePackedWhateverTheGapsAndBackPressure() {
        double[][] settings = {{0, 1}, {0, 0.3}, {0.5, 1}, {0.3, 0.5}};   // {input gap chance, output ready chance}
        for (int s = 0; s < settings.length; s++) {
            try (Simulator sim = Simulator.load(DESIGN)) {
                sim.resetHigh("reset", "clk", 2);
                StreamSource source = new StreamSource(sim, "clk", new StreamSource.Pins(sim.port("in_valid"), sim.port("in_ready"),
                        sim.port("in_payload"), sim.port("in_last"), null, sim.port("in_user")), s, settings[s][0]);
                StreamSink sink = new StreamSink(sim, "clk", new StreamSource.Pins(sim.port("out_valid"), sim.port("out_ready"),
                        sim.port("out_payload_data"), sim.port("out_last"), sim.port("out_payload_keep"), sim.port("out_user")), s, settings[s][1]);
                Random random = new Random(s);
                List<StreamSource.Frame> frames = new ArrayList<>();
                long beats = 0;
                for (int i = 0; i < 400; i++) {
                    // every length from 1 to 24 (each lane ends a frame), then random ones up to jumbo size
                    int length = i < 24 ? i + 1 : random.nextInt(10) == 0 ? 1 + random.nextInt(9018) : 1 + random.nextInt(200);
                    byte[] f = new byte[length];
                    random.nextBytes(f);
                    frames.add(new StreamSource.Frame(f, random.nextInt(2), random.nextInt(3)));
                    beats += (length + Beat.BYTES - 1) / Beat.BYTES;
                }
                source.send(frames);
                List<StreamSink.Frame> got = new ArrayList<>();
                for (int spin = 0; spin < 100 && got.size() < frames.size(); spin++) {
                    sim.step("clk", 20_000);
                    got.addAll(sink.receive());
                }
                assertEquals(frames.size(), got.size(), "frames out, setting " + s);
                for (int i = 0; i < frames.size(); i++) {
                    assertArrayEquals(frames.get(i).data(), got.get(i).data(), "setting " + s + ", frame " + i);
                    assertEquals(frames.get(i).user(), got.get(i).user(), "setting " + s + ", frame " + i + ": user on the last beat");
                }
                assertEquals(beats, sink.beatsReceived(), "setting " + s + ": every beat full but a frame's last");
            }
        }
    }
}

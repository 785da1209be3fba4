package io.github.jnic.testbench.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.jhdl.Verilog;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import io.github.jnic.testbench.offload.OffloadReference.Command;
import io.github.jnic.testbench.offload.OffloadReference.Tx;
import io.github.jnic.testbench.sim.Simulator;
import io.github.jnic.testbench.sim.StreamSink;
import io.github.jnic.testbench.sim.StreamSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * {@link TxOffloadBench} in the simulator with the harness's stream models on its ports (random
 * gaps on the inputs, random back-pressure on both outputs), the patches applied in Java as the
 * frame buffer applies them (Patch's contract), and every result compared with
 * {@link OffloadReference}.
 */
final class TxRig implements AutoCloseable {
    static final VerilogDesign DESIGN = Verilog.emit(new TxOffloadBench());

    final Simulator sim = Simulator.load(DESIGN);
    final StreamSource commands, frames;
    final StreamSink out, patches;
    /** What the reference expects so far, summed over every request. */
    int expectedFrames, tsoContexts, tsoFailed, checksumUnmodified, markedDrop;
    final List<byte[]> expectedSent = new ArrayList<>();
    /** Everything the engine put on the wire (frames not marked drop, patches applied), in order. */
    final List<byte[]> wire = new ArrayList<>();
    int droppedSeen;

    TxRig(long seed, double gapChance, double readyChance) {
        sim.resetHigh("reset", "clk", 2);
        commands = new StreamSource(sim, "clk", pins("commands"), seed, gapChance);
        frames = new StreamSource(sim, "clk", pins("frames"), seed + 1, gapChance);
        out = new StreamSink(sim, "clk", pins("out"), seed + 2, readyChance);
        patches = new StreamSink(sim, "clk", pins("patchWords"), seed + 3, readyChance);
    }

    private StreamSource.Pins pins(String prefix) {
        return new StreamSource.Pins(sim.port(prefix + "_valid"), sim.port(prefix + "_ready"), sim.port(prefix + "_payload_data"),
                sim.port(prefix + "_last"), sim.port(prefix + "_payload_keep"), sim.hasPort(prefix + "_user") ? sim.port(prefix + "_user") : null);
    }

    /** Queues one frame with its command; returns what the reference says of it. */
    Tx send(byte[] frame, Command c) {
        return send(frame, c, false);
    }

    /** Queues one frame, marked drop on its last beat when {@code cut} (the DMA lost part of it). */
    Tx send(byte[] frame, Command c, boolean cut) {
        Tx t = OffloadReference.transmit(frame, c, cut);
        commands.send(List.of(new StreamSource.Frame(TxOffloadBench.pack(c), 0, 0)));
        frames.send(List.of(new StreamSource.Frame(frame, cut ? 1 : 0, 0)));
        expectedSent.addAll(t.sent());
        expectedFrames += t.sent().size() + t.markedDrop();
        markedDrop += t.markedDrop();
        tsoContexts += t.tsoContexts();
        tsoFailed += t.tsoFailed();
        checksumUnmodified += t.checksumUnmodified();
        return t;
    }

    /**
     * Runs until every expected frame and patch packet has left (at most {@code maxCycles}), then a
     * while longer (nothing more may come), and compares all of it with the reference.
     */
    void settle(long maxCycles, String what) {
        long spent = 0;
        while ((out.framesReceived() < expectedFrames || patches.framesReceived() < expectedFrames || frames.framesPending() > 0)
                && spent < maxCycles) {
            sim.step("clk", 2000);
            spent += 2000;
        }
        sim.step("clk", 500);
        List<StreamSink.Frame> got = out.receive(), patchPackets = patches.receive();
        assertEquals(0, frames.framesPending(), what + ": frames the engine never took (a hang?)");
        assertEquals(0, commands.framesPending(), what + ": commands the engine never took");
        assertEquals(expectedFrames - (wire.size() + droppedSeen), got.size(), what + ": frames out");
        assertEquals(got.size(), patchPackets.size(), what + ": one patch packet per frame");
        for (int i = 0; i < got.size(); i++) {
            byte[] f = got.get(i).data().clone();
            byte[] p = patchPackets.get(i).data();
            assertEquals(16, p.length, what + ": two patches per frame");
            for (int at = 0; at < p.length; at += 8) {
                TxOffloadBench.PatchWord w = TxOffloadBench.PatchWord.of(p, at);
                if (!w.enable()) continue;
                assertTrue(w.offset() + 1 < f.length, what + ": a patch at " + w.offset() + " outside a frame of " + f.length);
                f[w.offset()] = (byte) (w.value() >>> 8);
                f[w.offset() + 1] = (byte) w.value();
            }
            if (got.get(i).user() != 0) droppedSeen++;
            else wire.add(f);
        }
        assertEquals(expectedSent.size(), wire.size(), what + ": frames sent");
        for (int i = 0; i < wire.size(); i++) {
            byte[] e = expectedSent.get(i), g = wire.get(i);
            if (!java.util.Arrays.equals(e, g)) {
                int at = java.util.Arrays.mismatch(e, g);
                throw new AssertionError(what + ": frame " + i + " (" + e.length + " bytes expected, " + g.length + " sent) differs first at byte "
                        + at + "\nexpected " + hex(e, at) + "\nsent     " + hex(g, at));
            }
        }
        assertEquals(markedDrop, droppedSeen, what + ": frames marked drop");
        assertEquals(tsoContexts, sim.port("tsoContexts").get(), what + ": TSO requests done whole (TSCTC)");
        assertEquals(tsoFailed, sim.port("tsoFailed").get(), what + ": TSO requests failed (TSCTFC)");
        assertEquals(checksumUnmodified, sim.port("checksumUnmodified").get(), what + ": checksums not inserted");
    }

    static String hex(byte[] b, int around) {
        int from = Math.max(0, Math.min(around, b.length) - 8), to = Math.min(b.length, around + 24);
        return from + ": " + HexFormat.ofDelimiter(" ").formatHex(b, from, to);
    }

    @Override public void close() {
        sim.close();
    }
}

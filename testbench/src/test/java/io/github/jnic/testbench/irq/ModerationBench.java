package io.github.jnic.testbench.irq;

import static org.junit.jupiter.api.Assertions.fail;

import io.github.jnic.jhdl.Verilog;
import io.github.jnic.nic.irq.InterruptModeration;
import io.github.jnic.testbench.irq.ModerationModel.Inputs;
import io.github.jnic.testbench.sim.PinPlayer;
import io.github.jnic.testbench.sim.Port;
import io.github.jnic.testbench.sim.Simulator;
import java.util.ArrayList;
import java.util.List;

/**
 * The RTL of {@link InterruptModeration} beside {@link ModerationModel}: a stimulus chooses each
 * cycle's inputs (it may look at the model, as a driver looks at the line), the inputs are played
 * into the simulation in batches through a {@link PinPlayer}, and every output of every cycle is
 * compared with the model's. What the RTL did is kept for the tests to measure: the cycles the line
 * rose and the cycles frames were written back.
 */
final class ModerationBench implements AutoCloseable {

    /** Chooses the inputs of {@code cycle}; {@code in} holds the previous cycle's (pulses cleared). */
    interface Stimulus {
        void next(long cycle, ModerationModel model, Inputs in);
    }

    static final String[] PLAYED = {"icrRead", "icrWrite_valid", "icrWrite_payload", "icsWrite_valid", "icsWrite_payload",
        "imsWrite_valid", "imsWrite_payload", "imcWrite_valid", "imcWrite_payload", "itr", "rdtr", "radv", "tidv", "tadv",
        "rxfc", "aim", "rxFlush", "txFlush", "rxFrameDone", "rxFrameLength", "txDescriptorDone", "txIde", "txQueueEmpty", "linkChange",
        "lowDescriptors", "rxOverrun", "dmaError"};
    static final String[] RECORDED = {"icr", "ims", "irq", "rxPacketArmed", "rxAbsoluteArmed", "rxPacketExpired",
        "rxAbsoluteExpired", "rxCountReached", "rxInterrupt", "txPacketArmed", "txAbsoluteArmed", "txPacketExpired",
        "txAbsoluteExpired", "txInterrupt", "throttled", "aimBusy", "aimRate", "aimDelay"};
    static final int ICR = 0, IMS = 1, IRQ = 2;
    static final int BATCH = 16_384;

    final long clockHz;
    final Simulator sim;
    final PinPlayer pins;
    final ModerationModel model;
    final Inputs in = new Inputs();

    /** Cycles (model numbering) in which the RTL's line rose, and in which a frame was written back. */
    final List<Long> rises = new ArrayList<>();
    final List<Long> frames = new ArrayList<>();
    /** When {@link #watch} is on: "name@cycle" for each cycle a one-bit observability output was high. */
    final List<String> pulses = new ArrayList<>();
    /** When {@link #watch} is on: every recorded row, by cycle (as {@link #RECORDED}). */
    final List<long[]> rows = new ArrayList<>();
    boolean watch;
    long compared;

    private long[][] expected = new long[0][];
    private long expectedBase;
    private long recordedRows;
    private long lastIrq;

    ModerationBench(long clockHz) {
        this.clockHz = clockHz;
        sim = Simulator.load(Verilog.emit(new InterruptModeration(clockHz)));
        sim.resetHigh("reset", "clk", 2);
        List<Port> played = new ArrayList<>(), recorded = new ArrayList<>();
        for (String p : PLAYED) played.add(sim.port(p));
        for (String p : RECORDED) recorded.add(sim.port(p));
        pins = new PinPlayer(sim, "clk", PinPlayer.Edges.RISING, played, recorded);
        model = new ModerationModel(clockHz);
    }

    /** Cycles of 1.024 µs at this clock (as a double, for reports). */
    double cyclesPerMicrosecond() {
        return clockHz / 1e6;
    }

    /**
     * Runs {@code cycles} cycles of {@code stimulus}, comparing as it goes. The first cycle of the
     * first run is the first after reset; the player drives a cycle's inputs for the edge after.
     */
    void run(long cycles, Stimulus stimulus) {
        if (model.cycle == 0) {
            // cycle 0 runs before the player's first vector reaches the flops: all inputs 0
            in.clearPulses();
            model.step(in);
            appendExpected(new long[][] {outputs(model)});
            cycles--;
        }
        while (cycles > 0) {
            int n = (int) Math.min(BATCH, cycles);
            long[][] vectors = new long[n][];
            long[][] outs = new long[n][];
            for (int i = 0; i < n; i++) {
                long c = model.cycle;
                in.clearPulses();
                stimulus.next(c, model, in);
                if (in.rxFrameDone) frames.add(c);
                model.step(in);
                vectors[i] = vector(in);
                outs[i] = outputs(model);
            }
            appendExpected(outs);
            pins.play(vectors);
            sim.step("clk", n);
            check(pins.recorded());
            cycles -= n;
        }
    }

    private void appendExpected(long[][] outs) {
        long[][] joined = new long[expected.length + outs.length][];
        System.arraycopy(expected, 0, joined, 0, expected.length);
        System.arraycopy(outs, 0, joined, expected.length, outs.length);
        expected = joined;
    }

    /** Recorded row r shows the registers after model step r - 1 (row 0: the reset state). */
    private void check(long[][] recorded) {
        for (long[] row : recorded) {
            long r = recordedRows++;
            if (r == 0) continue;
            long step = r - 1;
            long[] want = expected[(int) (step - expectedBase)];
            for (int p = 0; p < RECORDED.length; p++) {
                if (row[p] != want[p]) {
                    fail(String.format("%d Hz, cycle %d: %s is 0x%x, the model says 0x%x", clockHz, step, RECORDED[p], row[p], want[p]));
                }
            }
            if (row[IRQ] == 1 && lastIrq == 0) rises.add(step);
            if (watch) rows.add(row);
            if (watch) for (int p = IRQ + 1; p < RECORDED.length - 2; p++) if (row[p] != 0) pulses.add(RECORDED[p] + "@" + step);
            lastIrq = row[IRQ];
            compared++;
        }
        // keep the rows not yet recorded
        long keepFrom = recordedRows - 1;
        int drop = (int) Math.max(0, keepFrom - expectedBase);
        long[][] rest = new long[expected.length - drop][];
        System.arraycopy(expected, drop, rest, 0, rest.length);
        expected = rest;
        expectedBase += drop;
    }

    private static long[] vector(Inputs in) {
        return new long[] {b(in.icrRead), b(in.icrWrite), in.icrWriteData, b(in.icsWrite), in.icsWriteData,
            b(in.imsWrite), in.imsWriteData, b(in.imcWrite), in.imcWriteData, in.itr, in.rdtr, in.radv, in.tidv, in.tadv,
            in.rxfc, in.aim, b(in.rxFlush), b(in.txFlush), b(in.rxFrameDone), in.rxFrameLength, b(in.txDescriptorDone), b(in.txIde),
            b(in.txQueueEmpty), b(in.linkChange), b(in.lowDescriptors), b(in.rxOverrun), b(in.dmaError)};
    }

    private static long[] outputs(ModerationModel m) {
        return new long[] {m.icrRead(), m.ims, b(m.irq), b(m.rxPacketArmed), b(m.rxAbsoluteArmed), b(m.rxPacketExpired),
            b(m.rxAbsoluteExpired), b(m.rxCountReached), b(m.rxInterrupt), b(m.txPacketArmed), b(m.txAbsoluteArmed),
            b(m.txPacketExpired), b(m.txAbsoluteExpired), b(m.txInterrupt), b(m.throttled), b(m.aimBusy), m.aimRate, m.aimDelay};
    }

    private static long b(boolean v) {
        return v ? 1 : 0;
    }

    @Override
    public void close() {
        sim.close();
    }
}

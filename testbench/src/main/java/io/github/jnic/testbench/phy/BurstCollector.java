package io.github.jnic.testbench.phy;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/** Gathers decoded byte times into bursts: idle byte times, data bytes, and the end of each burst. */
final class BurstCollector {
    private final List<Burst> bursts = new ArrayList<>();
    private ByteArrayOutputStream bytes;
    private BitSet errors;
    private int idle;

    void idle(int byteTimes) {
        if (bytes != null) throw new IllegalStateException("idle inside a burst");
        idle += byteTimes;
    }

    void data(int value, boolean error) {
        if (bytes == null) {
            bytes = new ByteArrayOutputStream();
            errors = new BitSet();
        }
        if (error) errors.set(bytes.size());
        bytes.write(value);
    }

    boolean inBurst() {
        return bytes != null;
    }

    void end(boolean oddNibble) {
        if (bytes == null) return;
        bursts.add(new Burst(bytes.toByteArray(), errors, oddNibble, idle));
        bytes = null;
        idle = 0;
    }

    List<Burst> bursts() {
        return bursts;
    }
}

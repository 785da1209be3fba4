package io.github.jnic.testbench.sim;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Plays per-edge vectors onto input pins and records output pins on the edges of a clock
 * (native model "pins"): the way to model a wire bit-accurately at full speed (MII nibbles,
 * RMII dibits, RGMII's double data rate on both edges). On each chosen edge the recorded pins are
 * sampled as the design's flops see them at that edge, then the next queued vector is driven.
 * When the queue runs dry the inputs hold their last values.
 */
public final class PinPlayer extends NativeModel {
    /** Which edges of the clock the player acts on. */
    public enum Edges { RISING, FALLING, BOTH }

    private final List<Port> played, recorded;
    private final int playedBytes, recordedBytes;

    public PinPlayer(Simulator sim, String clock, Edges edges, List<Port> played, List<Port> recorded) {
        super(sim, "pins", clock, concat(played, recorded), played.size(), edges.ordinal() + 1);
        this.played = List.copyOf(played);
        this.recorded = List.copyOf(recorded);
        this.playedBytes = bytes(played);
        this.recordedBytes = bytes(recorded);
    }

    /** Queues vectors, one per edge: {@code vectors[i][p]} is the value of played pin p at edge i. */
    public void play(long[][] vectors) {
        ByteBuffer b = buffer(vectors.length * playedBytes);
        for (long[] v : vectors) {
            if (v.length != played.size()) throw new IllegalArgumentException("a vector has " + played.size() + " values");
            for (int p = 0; p < v.length; p++) {
                Port port = played.get(p);
                if (port.width() < 64 && (v[p] >>> port.width()) != 0)
                    throw new IllegalArgumentException(port + " cannot take 0x" + Long.toHexString(v[p]));
                putLe(b, v[p], (port.width() + 7) / 8);
            }
        }
        if (!put(b)) throw new IllegalStateException("pins rejected the batch");
    }

    /** Queues one pin's values, one per edge (a player with a single played pin). */
    public void play(long... values) {
        long[][] vectors = new long[values.length][];
        for (int i = 0; i < values.length; i++) vectors[i] = new long[] {values[i]};
        play(vectors);
    }

    /** The vectors recorded since the last call: {@code [edge][recorded pin]}. */
    public long[][] recorded() {
        List<long[]> out = new java.util.ArrayList<>();
        for (ByteBuffer b = take(); b.hasRemaining(); b = take()) {
            while (b.remaining() >= recordedBytes && recordedBytes > 0) {
                long[] v = new long[recorded.size()];
                for (int p = 0; p < v.length; p++) v[p] = getLe(b, (recorded.get(p).width() + 7) / 8);
                out.add(v);
            }
        }
        return out.toArray(new long[0][]);
    }

    public long played() {
        return query(0);
    }

    /** Edges on which there was nothing to play. */
    public long underruns() {
        return query(1);
    }

    public long queued() {
        return query(2);
    }

    private static Port[] concat(List<Port> a, List<Port> b) {
        for (Port p : a) if (!p.isInput()) throw new IllegalArgumentException(p + " is an output: it cannot be played");
        Port[] all = new Port[a.size() + b.size()];
        for (int i = 0; i < a.size(); i++) all[i] = a.get(i);
        for (int i = 0; i < b.size(); i++) all[a.size() + i] = b.get(i);
        return all;
    }

    private static int bytes(List<Port> ports) {
        int n = 0;
        for (Port p : ports) {
            if (p.width() > 64) throw new IllegalArgumentException(p + ": pins are at most 64 bits");
            n += (p.width() + 7) / 8;
        }
        return n;
    }

    private static void putLe(ByteBuffer b, long v, int n) {
        for (int i = 0; i < n; i++, v >>>= 8) b.put((byte) v);
    }

    private static long getLe(ByteBuffer b, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) v |= (b.get() & 0xffL) << (8 * i);
        return v;
    }
}

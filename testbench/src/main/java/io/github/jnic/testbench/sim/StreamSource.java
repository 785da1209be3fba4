package io.github.jnic.testbench.sim;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Drives whole frames into a ready/valid byte stream of the design (native model
 * "stream_source"). A beat carries data.width/8 bytes, the first byte in the low bits; keep marks
 * the valid bytes of the last beat; user carries a per-frame value on every beat of the frame.
 * A beat stays on the wires until ready takes it. Valid may drop between beats: before a frame
 * for the idle cycles queued with it, and at random with a seeded gap chance.
 */
public final class StreamSource extends NativeModel {
    /** Pins of a stream; {@code ready}, {@code keep} and {@code user} may be null. */
    public record Pins(Port valid, Port ready, Port data, Port last, Port keep, Port user) {
        /**
         * The ports of a jhdl {@code Stream} named {@code prefix}: {@code <prefix>_valid},
         * {@code _payload}, {@code _last}, and {@code _ready}, {@code _keep}, {@code _user} when present.
         */
        public static Pins named(Simulator sim, String prefix) {
            return new Pins(sim.port(prefix + "_valid"), optional(sim, prefix + "_ready"), sim.port(prefix + "_payload"),
                    sim.port(prefix + "_last"), optional(sim, prefix + "_keep"), optional(sim, prefix + "_user"));
        }

        private static Port optional(Simulator sim, String name) {
            return sim.hasPort(name) ? sim.port(name) : null;
        }

        Port[] array() {
            return new Port[] {valid, ready, data, last, keep, user};
        }
    }

    /**
     * @param gapChance probability (0 to 1) that valid drops for a cycle before any beat
     */
    public StreamSource(Simulator sim, String clock, Pins pins, long seed, double gapChance) {
        super(sim, "stream_source", clock, pins.array(), seed, Math.round(gapChance * 65536));
    }

    public void send(byte[] frame) {
        send(List.of(new Frame(frame, 0, 0)));
    }

    /** Queues frames in one batch. */
    public void send(List<Frame> frames) {
        int size = 0;
        for (Frame f : frames) size += 16 + f.data().length;
        ByteBuffer b = buffer(size);
        for (Frame f : frames) {
            if (f.data().length == 0) throw new IllegalArgumentException("a frame has at least one byte");
            b.putInt(f.data().length).putInt(f.idleBefore()).putLong(f.user()).put(f.data());
        }
        if (!put(b)) throw new IllegalStateException("stream_source rejected the batch");
    }

    /** A frame to send, with its user value and the idle cycles before it. */
    public record Frame(byte[] data, long user, int idleBefore) {}

    public long framesSent() {
        return query(0);
    }

    /** Frames queued and not yet fully sent. */
    public long framesPending() {
        return query(1);
    }

    public long beatsSent() {
        return query(2);
    }
}

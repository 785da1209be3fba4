package io.github.jnic.testbench.sim;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects whole frames from a ready/valid byte stream of the design (native model
 * "stream_sink"), driving ready with a seeded random pattern (chance 1: always ready).
 * Pins as for {@link StreamSource}; ready may be null when the stream has none.
 */
public final class StreamSink extends NativeModel {
    /** A received frame: its bytes, the user value at its last beat, and that beat's cycle. */
    public record Frame(byte[] data, long user, long cycle) {}

    public StreamSink(Simulator sim, String clock, StreamSource.Pins pins, long seed, double readyChance) {
        super(sim, "stream_sink", clock, pins.array(), seed, Math.round(readyChance * 65536));
    }

    /** The frames completed since the last call, oldest first, in one native call per 64 KiB. */
    public List<Frame> receive() {
        List<Frame> frames = new ArrayList<>();
        for (ByteBuffer b = take(); b.hasRemaining(); b = take()) {
            while (b.hasRemaining()) {
                int length = b.getInt();
                b.getInt();
                long user = b.getLong(), cycle = b.getLong();
                byte[] data = new byte[length];
                b.get(data);
                frames.add(new Frame(data, user, cycle));
            }
        }
        return frames;
    }

    public long framesReceived() {
        return query(0);
    }

    public long beatsReceived() {
        return query(1);
    }
}

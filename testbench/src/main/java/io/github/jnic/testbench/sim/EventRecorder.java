package io.github.jnic.testbench.sim;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A logic analyser on a design's ports at full speed (native model "event_recorder"): on the
 * chosen clock it records, with the clock's edge count, every change of a level and every cycle a
 * pulse or a valid/ready handshake is high. Nothing crosses JNI per cycle; {@link #drain} takes
 * what was recorded since the last call.
 */
public final class EventRecorder extends NativeModel {
    /** What to watch: a port's changes, a pulse, or a handshake ({@code valid} and {@code ready}) and the value it carries. */
    public record Probe(String name, String trigger, String qualifier, String value, boolean pulse) {
        public static Probe change(String port) { return new Probe(port, port, null, null, false); }
        public static Probe pulse(String port) { return new Probe(port, port, null, null, true); }
        public static Probe handshake(String name, String valid, String ready, String value) { return new Probe(name, valid, ready, value, true); }
    }

    /** One recorded event: the clock's edge count, which probe, and the value (the level, or what the handshake carried). */
    public record Event(long edge, Probe probe, long value) {}

    private final List<Probe> probes;

    public EventRecorder(Simulator sim, String clock, List<Probe> probes) {
        super(sim, "event_recorder", clock, ports(sim, probes), probes.stream().mapToLong(p -> p.pulse() ? 1 : 0).toArray());
        this.probes = List.copyOf(probes);
    }

    private static Port[] ports(Simulator sim, List<Probe> probes) {
        Port[] ports = new Port[3 * probes.size()];
        for (int i = 0; i < probes.size(); i++) {
            Probe p = probes.get(i);
            ports[3 * i] = sim.port(p.trigger());
            ports[3 * i + 1] = p.qualifier() == null ? null : sim.port(p.qualifier());
            ports[3 * i + 2] = p.value() == null ? null : sim.port(p.value());
        }
        return ports;
    }

    @Override
    protected int pendingQuery() {
        return 1;
    }

    /** The events since the last call, in order. */
    public List<Event> drain() {
        List<Event> out = new ArrayList<>();
        while (query(1) > 0) {
            ByteBuffer b = take();
            if (!b.hasRemaining()) break;
            while (b.remaining() >= 17) out.add(new Event(b.getLong(), probes.get(b.get() & 0xff), b.getLong()));
        }
        return out;
    }

    /** Events recorded since the start. */
    public long recorded() {
        return query(0);
    }
}

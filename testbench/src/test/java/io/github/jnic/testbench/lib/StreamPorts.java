package io.github.jnic.testbench.lib;

import io.github.jnic.jhdl.verilog.VerilogDesign;
import io.github.jnic.testbench.sim.Port;
import io.github.jnic.testbench.sim.Simulator;
import io.github.jnic.testbench.sim.StreamSource;

/**
 * The ports of a {@code Stream} at the top of a loaded design ({@code <prefix>_valid}, {@code _ready},
 * {@code _payload}, and {@code _last}, {@code _user} when it has them), with a beat packed into one
 * long: payload in the low bits, then last, then user.
 */
record StreamPorts(Port valid, Port ready, Port payload, Port last, Port user) {

    static StreamPorts of(Simulator sim, String prefix) {
        return new StreamPorts(sim.port(prefix + "_valid"), sim.port(prefix + "_ready"), sim.port(prefix + "_payload"),
                optional(sim, prefix + "_last"), optional(sim, prefix + "_user"));
    }

    private static Port optional(Simulator sim, String name) {
        for (VerilogDesign.Port p : sim.design().ports()) if (p.name().equals(name)) return sim.port(name);
        return null;
    }

    int beatWidth() {
        return payload.width() + (last != null ? 1 : 0) + (user != null ? user.width() : 0);
    }

    /** The beat on the output wires. */
    long beat() {
        long b = payload.get();
        int at = payload.width();
        if (last != null) b |= last.get() << at++;
        if (user != null) b |= user.get() << at;
        return b;
    }

    /** Puts {@code beat} on the input wires. */
    void drive(long beat) {
        payload.set(beat & mask(payload.width()));
        int at = payload.width();
        if (last != null) last.set(beat >>> at++ & 1);
        if (user != null) user.set(beat >>> at & mask(user.width()));
    }

    boolean isLast(long beat) {
        return last != null && (beat >>> payload.width() & 1) != 0;
    }

    /** Pins for the harness's byte-stream models (no keep: the payload is one byte). */
    StreamSource.Pins pins() {
        return new StreamSource.Pins(valid, ready, payload, last, null, user);
    }

    static long mask(int width) {
        return width >= 64 ? -1L : (1L << width) - 1;
    }
}

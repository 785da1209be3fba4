package io.github.jnic.boards;

import java.util.List;
import java.util.Objects;

/**
 * One signal of a board's pin table: the name of the top-level port it connects to, its package
 * sites (bit 0 first), its direction and what the pad needs. An {@link Kind#INOUT} pin (MDIO) is
 * three ports on the design ({@code <name>Out}, {@code <name>Oe}, {@code <name>In}) and a tristate
 * at the pad, made by the {@link PadRing}; an active-low pin is inverted there too, so the design
 * only sees "on" and "pressed".
 *
 * @param port       the port's name (the design's and the pin file's)
 * @param sites      package sites, bit 0 first: {@code "P6"} (BGA ball), {@code "35"} (QFN pin)
 * @param kind       direction seen from the FPGA
 * @param activeLow  the board's signal is asserted low (LEDs to 3.3 V, buttons to ground, resets)
 * @param clockMHz   the frequency of a clock input, for timing (0 if it is not a clock)
 * @param pullUp     an internal pull-up (open-drain MDIO, buttons)
 */
public record Pin(String port, List<String> sites, Kind kind, boolean activeLow, double clockMHz, boolean pullUp) {
    public enum Kind { IN, OUT, INOUT }

    public Pin {
        Objects.requireNonNull(port);
        sites = List.copyOf(sites);
        if (sites.isEmpty()) throw new IllegalArgumentException(port + " has no site");
        if (kind == Kind.INOUT && sites.size() != 1) throw new IllegalArgumentException(port + ": an inout pin is one bit");
    }

    public static Pin in(String port, String... sites) {
        return new Pin(port, List.of(sites), Kind.IN, false, 0, false);
    }

    public static Pin out(String port, String... sites) {
        return new Pin(port, List.of(sites), Kind.OUT, false, 0, false);
    }

    public static Pin inout(String port, String site) {
        return new Pin(port, List.of(site), Kind.INOUT, false, 0, true);
    }

    public static Pin clock(String port, String site, double mhz) {
        return new Pin(port, List.of(site), Kind.IN, false, mhz, false);
    }

    public Pin lowActive() {
        return new Pin(port, sites, kind, true, clockMHz, pullUp);
    }

    public Pin withPullUp() {
        return new Pin(port, sites, kind, activeLow, clockMHz, true);
    }

    public int width() {
        return sites.size();
    }

    /** The name of bit {@code i} in pin files: {@code port} for one bit, {@code port[i]} for a vector. */
    public String bit(int i) {
        return sites.size() == 1 ? port : port + "[" + i + "]";
    }
}

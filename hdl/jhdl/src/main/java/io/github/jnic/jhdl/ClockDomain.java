package io.github.jnic.jhdl;

import java.util.Objects;

/**
 * A clock, with an optional reset (synchronous or asynchronous, active high or low) and an optional
 * clock enable. An <em>external</em> domain comes from input ports of the top module, created when
 * first used and passed down to every submodule that has registers in it. An <em>internal</em> domain
 * is clocked by a signal of the design (a PLL output, a divided clock): it can be used in the module
 * that has that signal and below. A domain clocked by {@code clk.not()} registers on the falling edge
 * ({@code always @(negedge clk)}).
 *
 * <p>Every module has a current domain (the default one unless inside {@code withDomain}); registers
 * and memory ports take the domain current where they are created.
 *
 * @param clockName      name of the clock port in modules that receive this domain
 * @param clockSignal    the clock, for an internal domain (null for an external one)
 * @param reset          kind of reset
 * @param resetName      name of the reset port (null without reset)
 * @param resetSignal    the reset, for an internal domain
 * @param resetActiveLow true if the reset is asserted low
 * @param enableName     name of the clock-enable port (null without clock enable)
 * @param enableSignal   the clock enable, for an internal domain
 */
public record ClockDomain(String clockName, Bool clockSignal, Reset reset, String resetName, Bool resetSignal,
                          boolean resetActiveLow, String enableName, Bool enableSignal) {

    public enum Reset { NONE, SYNC, ASYNC }

    /** The domain of a top module unless it says otherwise: clock {@code clk}, synchronous active-high {@code reset}. */
    public static final ClockDomain DEFAULT = external("clk").withSyncReset("reset");

    public ClockDomain {
        Objects.requireNonNull(clockName);
        Objects.requireNonNull(reset);
        if ((reset == Reset.NONE) != (resetName == null)) throw new IllegalArgumentException("a reset needs a name");
    }

    /** A domain whose clock is the top-level input port {@code clockName}. */
    public static ClockDomain external(String clockName) {
        return new ClockDomain(clockName, null, Reset.NONE, null, null, false, null, null);
    }

    /** A domain clocked by a signal of the design; {@code clockName} names its port in submodules. */
    public static ClockDomain internal(String clockName, Bool clock) {
        return new ClockDomain(clockName, Objects.requireNonNull(clock), Reset.NONE, null, null, false, null, null);
    }

    public boolean isInternal() {
        return clockSignal != null;
    }

    public ClockDomain withSyncReset(String name) {
        requireExternal();
        return new ClockDomain(clockName, null, Reset.SYNC, name, null, resetActiveLow, enableName, null);
    }

    public ClockDomain withAsyncReset(String name) {
        requireExternal();
        return new ClockDomain(clockName, null, Reset.ASYNC, name, null, resetActiveLow, enableName, null);
    }

    public ClockDomain withClockEnable(String name) {
        requireExternal();
        return new ClockDomain(clockName, null, reset, resetName, null, resetActiveLow, name, null);
    }

    public ClockDomain withSyncReset(String name, Bool signal) {
        requireInternal();
        return new ClockDomain(clockName, clockSignal, Reset.SYNC, name, signal, resetActiveLow, enableName, enableSignal);
    }

    public ClockDomain withAsyncReset(String name, Bool signal) {
        requireInternal();
        return new ClockDomain(clockName, clockSignal, Reset.ASYNC, name, signal, resetActiveLow, enableName, enableSignal);
    }

    public ClockDomain withClockEnable(String name, Bool signal) {
        requireInternal();
        return new ClockDomain(clockName, clockSignal, reset, resetName, resetSignal, resetActiveLow, name, signal);
    }

    /** The same domain with its reset asserted low. */
    public ClockDomain activeLow() {
        return new ClockDomain(clockName, clockSignal, reset, resetName, resetSignal, true, enableName, enableSignal);
    }

    /**
     * Two domains driven by the same clock need no synchronizer between them; a domain clocked by
     * {@code c.not()} (the falling edge of {@code c}) has the same clock as one clocked by {@code c}, and
     * so has one clocked by a submodule's input port that {@code c} drives.
     */
    public boolean sameClockAs(ClockDomain o) {
        return isInternal() ? o.isInternal() && source(clockSignal) == source(o.clockSignal)
                : !o.isInternal() && clockName.equals(o.clockName);
    }

    /**
     * What a clock is made from: through inversions and casts, and through input ports of submodules
     * driven by one unconditional assignment (a clock handed down to a submodule is the same clock).
     */
    private static Signal source(Signal clock) {
        while (true) {
            if (clock.kind == Signal.Kind.EXPR && (clock.op == Signal.Op.NOT || clock.op == Signal.Op.CAST)) {
                clock = clock.args[0];
            } else if (clock.dir == Signal.Dir.IN && clock.owner != null && clock.owner.parent != null && clock.assignments.size() == 1
                    && clock.assignments.get(0).context.body.items.contains(clock.assignments.get(0))) {
                clock = clock.assignments.get(0).value;
            } else {
                return clock;
            }
        }
    }

    private void requireExternal() {
        if (isInternal()) throw new IllegalStateException("an internal domain's reset and enable are signals: pass them");
    }

    private void requireInternal() {
        if (!isInternal()) throw new IllegalStateException("an external domain's reset and enable are ports: give only their names");
    }

    @Override
    public String toString() {
        return clockName;
    }
}

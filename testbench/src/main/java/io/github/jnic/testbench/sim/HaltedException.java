package io.github.jnic.testbench.sim;

/**
 * The design halted itself: {@code $finish}, {@code $stop}, {@code $fatal} or a Verilator runtime
 * error. The simulator stays loaded (ports can still be read) but cannot run further.
 */
public class HaltedException extends SimulationException {
    /** What the design asked for. */
    public enum Reason { FINISH, STOP, FATAL }

    private final Reason reason;
    private final long timePs;

    public HaltedException(Reason reason, long timePs, String message) {
        super(message + " (at " + timePs + " ps)");
        this.reason = reason;
        this.timePs = timePs;
    }

    public Reason reason() {
        return reason;
    }

    /** Simulation time at which the design halted. */
    public long timePs() {
        return timePs;
    }
}

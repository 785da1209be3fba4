package io.github.jnic.testbench.sim;

/** A simulation that cannot go on: a build failure, a missing tool, a design that stopped itself. */
public class SimulationException extends RuntimeException {
    public SimulationException(String message) {
        super(message);
    }

    public SimulationException(String message, Throwable cause) {
        super(message, cause);
    }
}

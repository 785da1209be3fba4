package io.github.jnic.testbench.sim;

/** Verilating or compiling a design failed, or a tool it needs is missing. */
public class BuildException extends SimulationException {
    public BuildException(String message) {
        super(message);
    }

    public BuildException(String message, Throwable cause) {
        super(message, cause);
    }
}

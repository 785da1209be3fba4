package io.github.jnic.testbench.sim;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How to load a design: waveform, extra Verilator flags, where Verilog output goes, the build
 * cache and the tool search path. Setters return this for chaining.
 */
public final class SimOptions {
    private Path trace;
    private final List<String> verilatorFlags = new ArrayList<>();
    private Consumer<String> output = System.out::print;
    private Path cacheDir = ModelCache.defaultRoot();
    private String searchPath = Objects.requireNonNullElse(System.getenv("PATH"), "/usr/bin:/bin");

    public static SimOptions defaults() {
        return new SimOptions();
    }

    /**
     * Writes a VCD waveform to {@code file}: loads a separate build with tracing compiled in, much
     * slower than the plain one, so only when asked for.
     */
    public SimOptions trace(Path file) {
        this.trace = file;
        return this;
    }

    /** Extra Verilator arguments, e.g. {@code --public-flat-rw}; they are part of the cache key. */
    public SimOptions verilatorFlags(String... flags) {
        verilatorFlags.addAll(List.of(flags));
        return this;
    }

    /** Receives what the design prints ($display...); System.out by default. */
    public SimOptions output(Consumer<String> output) {
        this.output = Objects.requireNonNull(output);
        return this;
    }

    /** Build cache root; default {@code ${JNIC_CACHE:-~/.cache/jnic}/verilator}. */
    public SimOptions cacheDir(Path dir) {
        this.cacheDir = dir;
        return this;
    }

    /** Where to look for verilator, g++ and make; default the process's PATH. */
    public SimOptions searchPath(String path) {
        this.searchPath = path;
        return this;
    }

    Path trace() {
        return trace;
    }

    List<String> verilatorFlags() {
        return List.copyOf(verilatorFlags);
    }

    Consumer<String> output() {
        return output;
    }

    Path cacheDir() {
        return cacheDir;
    }

    String searchPath() {
        return searchPath;
    }
}

package io.github.jnic.jhdl.verilog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the emitter hands to the rest of the world: the Verilog of one design, one module per file,
 * and the top module's ports. This is the whole contract between jhdl and its consumers (the
 * Verilator harness, lint and synthesis flows, board builds): none of them sees jhdl's internals.
 *
 * @param top               name of the top-level module
 * @param files             file name ({@code <module>.v}) to Verilog text, sorted so output is deterministic
 * @param simulationModels  extra Verilog used only in simulation (models of vendor black boxes), same form
 * @param ports             the top module's ports, in declaration order
 */
public record VerilogDesign(String top, SortedMap<String, String> files,
                            SortedMap<String, String> simulationModels, List<Port> ports) {

    public enum Direction { INPUT, OUTPUT }

    /** A top-level port. {@code clock} marks a port that is a clock of some domain. */
    public record Port(String name, Direction direction, int width, boolean clock) {
        public Port {
            Objects.requireNonNull(name);
            Objects.requireNonNull(direction);
            if (width < 1) throw new IllegalArgumentException("port " + name + " has width " + width);
        }
    }

    public VerilogDesign {
        Objects.requireNonNull(top);
        files = new TreeMap<>(files);
        simulationModels = new TreeMap<>(simulationModels);
        ports = List.copyOf(ports);
    }

    public Port port(String name) {
        for (Port p : ports) if (p.name().equals(name)) return p;
        throw new IllegalArgumentException("module " + top + " has no port '" + name + "'");
    }

    /** Writes the synthesizable files (not the simulation models) into {@code dir}; returns their paths. */
    public List<Path> writeTo(Path dir) {
        return write(dir, files);
    }

    /** Writes the simulation models into {@code dir}; returns their paths. */
    public List<Path> writeSimulationModelsTo(Path dir) {
        return write(dir, simulationModels);
    }

    private static List<Path> write(Path dir, SortedMap<String, String> which) {
        try {
            Files.createDirectories(dir);
            var out = new java.util.ArrayList<Path>();
            for (var e : which.entrySet()) {
                Path p = dir.resolve(e.getKey());
                Files.writeString(p, e.getValue(), StandardCharsets.UTF_8);
                out.add(p);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

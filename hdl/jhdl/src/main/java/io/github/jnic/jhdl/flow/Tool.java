package io.github.jnic.jhdl.flow;

import io.github.jnic.jhdl.verilog.VerilogDesign;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Runs an external tool on a design written to a scratch directory. */
final class Tool {
    private Tool() {}

    record Run(int exitCode, String output) {}

    /** The output (stdout and stderr together) of {@code command}, run in {@code dir}. */
    static Run run(Path dir, List<String> command) {
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Run(p.waitFor(), out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0) + " (is it installed? ./nic test installs it)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        }
    }

    /** Writes the design's files (and, if asked, its simulation models) into a new scratch directory. */
    static Path write(VerilogDesign design, boolean withModels, List<String> fileNames) {
        try {
            Path dir = Files.createTempDirectory("jhdl-" + design.top() + "-");
            for (Path p : design.writeTo(dir)) fileNames.add(p.getFileName().toString());
            if (withModels) for (Path p : design.writeSimulationModelsTo(dir)) fileNames.add(p.getFileName().toString());
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            // a scratch directory left behind is harmless
        }
    }

    static List<String> linesStartingWith(String text, String prefix) {
        List<String> out = new ArrayList<>();
        for (String l : text.split("\n")) if (l.startsWith(prefix)) out.add(l);
        return out;
    }
}

package io.github.jnic.jhdl.flow;

import io.github.jnic.jhdl.verilog.VerilogDesign;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code verilator --lint-only -Wall} on a design (with its simulation models, so black boxes resolve). */
public final class VerilatorLint {
    private VerilatorLint() {}

    /**
     * Lints the design and returns Verilator's warnings (empty when clean).
     *
     * @throws IllegalStateException with Verilator's text if it reports an error
     */
    public static List<String> lint(VerilogDesign design) {
        List<String> files = new ArrayList<>();
        Path dir = Tool.write(design, true, files);
        try {
            List<String> cmd = new ArrayList<>(List.of("verilator", "--lint-only", "-Wall", "-Wno-fatal", "--top-module", design.top()));
            cmd.addAll(files);
            Tool.Run r = Tool.run(dir, cmd);
            if (r.exitCode() != 0 || !Tool.linesStartingWith(r.output(), "%Error").isEmpty()) {
                throw new IllegalStateException("verilator lint failed for " + design.top() + ":\n" + r.output());
            }
            List<String> warnings = new ArrayList<>();
            for (String l : r.output().split("\n")) if (l.startsWith("%Warning")) warnings.add(l);
            return warnings;
        } finally {
            Tool.delete(dir);
        }
    }

    /** Lints and throws with the full text unless there is no warning at all. */
    public static void requireClean(VerilogDesign design) {
        List<String> w = lint(design);
        if (!w.isEmpty()) {
            throw new IllegalStateException("verilator -Wall warnings for " + design.top() + ":\n  " + String.join("\n  ", w)
                    + "\n" + String.join("\n", design.files().values()));
        }
    }
}

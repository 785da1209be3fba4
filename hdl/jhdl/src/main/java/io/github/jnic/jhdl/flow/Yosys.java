package io.github.jnic.jhdl.flow;

import io.github.jnic.jhdl.verilog.VerilogDesign;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Synthesis with yosys for a family, to count cells and catch latches: {@code Yosys.synth(design, Yosys.Target.ICE40)}. */
public final class Yosys {
    private Yosys() {}

    public enum Target {
        ICE40("synth_ice40"),
        /** ABC9: timing-driven mapping that sees carry cells as boxes; 12 % fewer LUT4 on the card (docs/benchmarks.md). */
        ECP5("synth_ecp5 -abc9"),
        XILINX("synth_xilinx -flatten");

        final String command;

        Target(String command) {
            this.command = command;
        }
    }

    /**
     * What synthesis produced.
     *
     * @param cells     cell type to count, for the whole design (flattened)
     * @param luts      look-up tables (SB_LUT4, LUT4, LUT1..LUT6)
     * @param flipFlops flip-flops
     * @param blockRams block RAMs (SB_RAM40_4K, DP16KD, RAMB18E1/RAMB36E1)
     * @param latches   lines of the log that report an inferred latch
     * @param warnings  lines of the log starting with "Warning:"
     * @param log       the whole log
     */
    public record Result(Target target, Map<String, Integer> cells, int luts, int flipFlops, int blockRams,
                         List<String> latches, List<String> warnings, String log) {}

    /**
     * @throws IllegalStateException with yosys's log if synthesis fails
     */
    public static Result synth(VerilogDesign design, Target target) {
        List<String> files = new ArrayList<>();
        Path dir = Tool.write(design, false, files);
        try {
            String script = "read_verilog -defer " + String.join(" ", files) + "; " + target.command + " -top " + design.top()
                    + "; stat";
            Tool.Run r = Tool.run(dir, List.of("yosys", "-p", script));
            if (r.exitCode() != 0) throw new IllegalStateException("yosys failed for " + design.top() + ":\n" + tail(r.output()));
            return parse(target, r.output());
        } finally {
            Tool.delete(dir);
        }
    }

    private static final Pattern CELL = Pattern.compile("^\\s+(\\$?[A-Za-z_][A-Za-z0-9_$]*)\\s+(\\d+)$");

    static Result parse(Target target, String log) {
        // the last "Number of cells" section is the final statistics
        int start = log.lastIndexOf("Number of cells:");
        Map<String, Integer> cells = new TreeMap<>();
        if (start >= 0) {
            for (String line : log.substring(start).split("\n")) {
                Matcher m = CELL.matcher(line);
                if (m.matches()) cells.merge(m.group(1), Integer.parseInt(m.group(2)), Integer::sum);
                else if (!cells.isEmpty() && line.isBlank()) break;
            }
        }
        int luts = 0, ffs = 0, brams = 0;
        for (var e : cells.entrySet()) {
            String c = e.getKey();
            if (c.equals("SB_LUT4") || c.equals("LUT4") || c.matches("LUT[1-6]")) luts += e.getValue();
            if (c.startsWith("SB_DFF") || c.equals("TRELLIS_FF") || c.matches("FD[CPRSE]E?")) ffs += e.getValue();
            if (c.startsWith("SB_RAM40") || c.equals("DP16KD") || c.equals("PDPW16KD") || c.startsWith("RAMB")) brams += e.getValue();
        }
        List<String> latches = new ArrayList<>();
        for (var e : cells.entrySet()) if (e.getKey().toUpperCase().contains("LATCH")) latches.add(e.getKey() + " cells: " + e.getValue());
        List<String> warnings = new ArrayList<>();
        for (String l : log.split("\n")) {
            if (l.contains("Latch inferred")) latches.add(l.trim());
            if (l.startsWith("Warning:")) warnings.add(l);
        }
        return new Result(target, cells, luts, ffs, brams, latches, warnings, log);
    }

    private static String tail(String s) {
        return s.length() > 4000 ? "..." + s.substring(s.length() - 4000) : s;
    }
}

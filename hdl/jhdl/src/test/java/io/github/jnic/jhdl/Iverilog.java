package io.github.jnic.jhdl;

import io.github.jnic.jhdl.verilog.VerilogDesign;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a design cycle by cycle in Icarus Verilog, a simulator independent of Verilator: each cycle
 * applies the inputs, samples the outputs once they settle, then gives one clock edge. Ports are at
 * most 64 bits. (The project's testbenches use Verilator; this only cross-checks the emitter.)
 */
final class Iverilog {
    private Iverilog() {}

    /** Outputs per cycle, in the order of {@code outputs}, for the inputs of each cycle. */
    static long[][] run(VerilogDesign d, String clock, List<String> inputs, List<String> outputs, long[][] stimulus) throws Exception {
        Tools.requireTool("iverilog");
        Path dir = Files.createTempDirectory("jhdl-iverilog-");
        try {
            d.writeTo(dir);
            StringBuilder tb = new StringBuilder("`timescale 1ns/1ps\nmodule tb;\n  reg " + clock + " = 1'b0;\n");
            for (String i : inputs) tb.append("  reg ").append(range(d, i)).append(" in_").append(i).append(" = 0;\n");
            for (String o : outputs) tb.append("  wire ").append(range(d, o)).append(" out_").append(o).append(";\n");
            List<String> connections = new ArrayList<>();
            if (d.ports().stream().anyMatch(p -> p.name().equals(clock))) connections.add("." + clock + "(" + clock + ")");
            for (String i : inputs) connections.add("." + i + "(in_" + i + ")");
            for (String o : outputs) connections.add("." + o + "(out_" + o + ")");
            tb.append("  ").append(d.top()).append(" dut (").append(String.join(", ", connections)).append(");\n  initial begin\n");
            for (long[] cycle : stimulus) {
                for (int k = 0; k < inputs.size(); k++) {
                    tb.append("    in_").append(inputs.get(k)).append(" = ").append(d.port(inputs.get(k)).width()).append("'h")
                            .append(Long.toHexString(cycle[k])).append(";\n");
                }
                tb.append("    #1 $display(\"");
                tb.append("%h ".repeat(outputs.size()).trim()).append('"');
                for (String o : outputs) tb.append(", out_").append(o);
                tb.append(");\n    ").append(clock).append(" = 1'b1; #1 ").append(clock).append(" = 1'b0;\n");
            }
            tb.append("    $finish;\n  end\nendmodule\n");
            Files.writeString(dir.resolve("tb.v"), tb.toString(), StandardCharsets.UTF_8);
            List<String> cmd = new ArrayList<>(List.of("iverilog", "-g2005", "-o", "sim", "tb.v"));
            cmd.addAll(d.files().keySet());
            exec(dir, cmd);
            List<long[]> rows = new ArrayList<>();
            for (String line : exec(dir, List.of("vvp", "-n", "sim")).split("\n")) {
                if (!line.matches("[0-9a-fxzXZ ]+") || line.isBlank()) continue;
                String[] f = line.trim().split(" ");
                long[] row = new long[f.length];
                // an undefined value (a register before reset) reads as -1
                for (int k = 0; k < f.length; k++) row[k] = f[k].matches("[0-9a-f]+") ? Long.parseUnsignedLong(f[k], 16) : -1;
                rows.add(row);
            }
            return rows.toArray(new long[0][]);
        } finally {
            try (var s = Files.walk(dir)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    private static String range(VerilogDesign d, String port) {
        int w = d.port(port).width();
        return w == 1 ? "" : "[" + (w - 1) + ":0]";
    }

    private static String exec(Path dir, List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + out);
        return out;
    }
}

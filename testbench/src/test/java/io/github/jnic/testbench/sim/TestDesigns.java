package io.github.jnic.testbench.sim;

import io.github.jnic.jhdl.verilog.VerilogDesign;
import io.github.jnic.jhdl.verilog.VerilogDesign.Direction;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Hand-written Verilog test designs (src/test/resources/verilog) wrapped as VerilogDesigns. */
final class TestDesigns {
    private TestDesigns() {}

    /**
     * @param ports "in clk 1 clock", "out count 32", ... in declaration order
     */
    static VerilogDesign of(String top, String verilog, String... ports) {
        List<VerilogDesign.Port> list = new ArrayList<>();
        for (String p : ports) {
            String[] f = p.split(" ");
            list.add(new VerilogDesign.Port(f[1], f[0].equals("in") ? Direction.INPUT : Direction.OUTPUT,
                    Integer.parseInt(f[2]), f.length > 3 && f[3].equals("clock")));
        }
        return new VerilogDesign(top, new TreeMap<>(Map.of(top + ".v", verilog)), new TreeMap<>(), list);
    }

    static String resource(String name) {
        try (InputStream in = TestDesigns.class.getResourceAsStream("/verilog/" + name)) {
            if (in == null) throw new IllegalStateException("no test design " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ports of every width the harness stores differently, a counter, and ways to halt. */
    static VerilogDesign widths() {
        return of("widths", resource("widths.v"), "in clk 1 clock", "in rst 1", "in en 1", "in halt 2",
                "in a1 1", "in a32 32", "in a64 64", "in a65 65", "in a128 128",
                "out y1 1", "out y32 32", "out y64 64", "out y65 65", "out y128 128", "out count 32");
    }

    /** Two counters in two clock domains. */
    static VerilogDesign twoClocks() {
        return of("two_clocks", resource("two_clocks.v"), "in clk_a 1 clock", "in clk_b 1 clock",
                "out count_a 32", "out count_b 32");
    }

    /** A synchronous stream FIFO, 32-bit data with keep, last and user. */
    static VerilogDesign fifo() {
        return of("stream_fifo", resource("stream_fifo.v"), "in clk 1 clock", "in rst 1",
                "in in_valid 1", "out in_ready 1", "in in_data 32", "in in_keep 4", "in in_last 1", "in in_user 1",
                "out out_valid 1", "in out_ready 1", "out out_data 32", "out out_keep 4", "out out_last 1",
                "out out_user 1", "out level 5");
    }

    /** Pins registered on the rising edge, and on both edges. */
    static VerilogDesign pins() {
        return of("pin_loop", resource("pin_loop.v"), "in clk 1 clock", "in d 4", "in dv 1",
                "out q_sdr 4", "out qv_sdr 1", "out q_ddr 4");
    }
}

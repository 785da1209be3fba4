package io.github.jnic.jhdl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.jhdl.examples.Counter;
import io.github.jnic.jhdl.flow.Yosys;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Emission: names, determinism, and every construct through Verilator lint and yosys. */
class EmitTest {

    @Test
    void counterKeepsJavaNamesAndPortsInOrder() {
        VerilogDesign d = Verilog.emit(new Counter(8));
        assertEquals("Counter", d.top());
        assertEquals(List.of("Counter.v"), List.copyOf(d.files().keySet()));
        assertEquals(List.of(
                new VerilogDesign.Port("clk", VerilogDesign.Direction.INPUT, 1, true),
                new VerilogDesign.Port("reset", VerilogDesign.Direction.INPUT, 1, false),
                new VerilogDesign.Port("enable", VerilogDesign.Direction.INPUT, 1, false),
                new VerilogDesign.Port("wrapped", VerilogDesign.Direction.OUTPUT, 1, false),
                new VerilogDesign.Port("count", VerilogDesign.Direction.OUTPUT, 8, false)), d.ports());
        String v = d.files().get("Counter.v");
        assertTrue(v.contains("output reg  [7:0] count"), v);
        assertTrue(v.contains("count <= count + 8'd1;"), v);
        assertTrue(v.contains("assign wrapped = enable & (&count);"), v);
        assertTrue(!v.contains("_t"), "no temporaries needed:\n" + v);
    }

    @Test
    void sameDesignGivesSameBytes() {
        assertEquals(Verilog.emit(new Counter(12)).files(), Verilog.emit(new Counter(12)).files());
        Counter c = new Counter(5);
        assertEquals(Verilog.emit(c), Verilog.emit(c));
    }

    @Test
    void counterIsLintCleanAndSynthesizes() {
        VerilogDesign d = Verilog.emit(new Counter(8));
        Tools.lintClean(d);
        Yosys.Result r = Tools.synthClean(d, Yosys.Target.ICE40);
        assertEquals(8, r.flipFlops(), r.cells()::toString);
    }
}

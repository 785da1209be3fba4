package io.github.jnic.jhdl.lib.axi;

import static io.github.jnic.jhdl.Hdl.*;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.Tools;
import io.github.jnic.jhdl.Verilog;
import io.github.jnic.jhdl.flow.Yosys;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import org.junit.jupiter.api.Test;

/** The AXI bundles as ports: directions per channel, AXI's names under the bundle's, lint-clean through a register slice. */
class AxiBundlesTest {

    /** Passes a master's requests to a slave through a stage per channel (both sides of every channel). */
    static class Slice extends Module {
        final Axi4 upstream = input(new Axi4(4, 64, 64));
        final Axi4 downstream = output(new Axi4(4, 64, 64));
        final Axi4Lite regsIn = input(new Axi4Lite(16));
        final Axi4Lite regsOut = output(new Axi4Lite(16));

        Slice() {
            upstream.aw.stage().connectTo(downstream.aw);
            upstream.w.stage().connectTo(downstream.w);
            downstream.b.stage().connectTo(upstream.b);
            upstream.ar.stage().connectTo(downstream.ar);
            downstream.r.stage().connectTo(upstream.r);
            regsOut.connectFrom(regsIn);
        }
    }

    @Test
    void channelsHaveTheirDirectionsAndNames() {
        VerilogDesign d = Verilog.emit(new Slice());
        Tools.lintClean(d);
        Tools.synthClean(d, Yosys.Target.ICE40);
        String v = d.files().get("Slice.v");
        for (String port : new String[] {
                "input  wire [63:0] upstream_aw_payload_addr", "output wire upstream_aw_ready", "input  wire upstream_w_last",
                "output wire [1:0] upstream_b_payload_resp", "input  wire upstream_b_ready", "output wire [63:0] upstream_r_payload_data",
                "output wire [7:0] downstream_ar_payload_len", "input  wire downstream_r_last", "output wire [3:0] regsOut_w_payload_strb",
                "input  wire [1:0] regsOut_b_payload"}) {
            assertTrue(v.replaceAll("\\s+", " ").contains(port.replaceAll("\\s+", " ")), port + " in\n" + v);
        }
    }
}

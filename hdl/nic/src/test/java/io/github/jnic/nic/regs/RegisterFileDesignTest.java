package io.github.jnic.nic.regs;

import static io.github.jnic.nic.DesignChecks.lintClean;
import static io.github.jnic.nic.DesignChecks.synth;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.jhdl.Verilog;
import io.github.jnic.jhdl.flow.Yosys;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import io.github.jnic.spec.Register;
import io.github.jnic.spec.Registers;
import io.github.jnic.spec.Statistic;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The register file: lint-clean, synthesizable for ECP5 and iCE40 without latches, the MTA copy in block RAM, a port per register and statistic. */
class RegisterFileDesignTest {

    @Test
    void lintCleanAndSynthesizable() {
        VerilogDesign d = lintClean(RegisterFile::new);
        Yosys.Result ecp5 = synth(d, Yosys.Target.ECP5);
        assertTrue(ecp5.cells().getOrDefault("DP16KD", 0) + ecp5.cells().getOrDefault("PDPW16KD", 0) >= 1, () -> "the MTA copy in block RAM: " + ecp5.cells());
        synth(d, Yosys.Target.ICE40);
    }

    @Test
    void portsAreNamedAfterTheRegisters() {
        String v = Verilog.emit(new RegisterFile()).files().get("RegisterFile.v").replaceAll("\\s+", " ").replace("output reg ", "output wire ");
        for (Register r : Registers.all()) {
            if (r.access() == Register.Access.RW && !List.of(Registers.IMS, Registers.RDH, Registers.TDH, Registers.MDIC).contains(r) && !r.name().startsWith("MTA")) {
                assertTrue(v.contains("output wire [31:0] " + r.name().toLowerCase()), r.name());
            }
        }
        for (Statistic s : Registers.statistics()) assertTrue(v.contains("input wire [15:0] " + s.name().toLowerCase() + "Add"), s.name());
        for (String port : List.of("input wire [31:0] dmaes", "output wire cardReset", "output wire icrWrite_valid", "output wire [15:0] rdhWrite_payload",
                "output wire [6:0] mtaIndex", "output wire commandStart", "input wire [15:0] commandResult", "input wire [16:0] host_ar_payload")) {
            assertTrue(v.contains(port), port);
        }
    }
}

package io.github.jnic.jhdl.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.jhdl.Hdl;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.Tools;
import io.github.jnic.jhdl.Verilog;
import io.github.jnic.jhdl.flow.Yosys;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import org.junit.jupiter.api.Test;

/** Every library block, as a top module: Verilog lint-clean under -Wall, and synthesizable for iCE40 without latches. */
class LibDesignsTest {

    static VerilogDesign clean(Module top) {
        VerilogDesign d = Verilog.emit(top);
        Tools.lintClean(d);
        return d;
    }

    static Yosys.Result ice40(VerilogDesign d) {
        return Tools.synthClean(d, Yosys.Target.ICE40);
    }

    @Test
    void crcGeneratorIsAnXorNetworkAndARegister() {
        VerilogDesign d = clean(new CrcGenerator(Crc.CRC32, 8));
        String v = d.files().get("CrcGenerator.v");
        assertTrue(v.contains("^{"), v);
        assertEquals(32, ice40(d).flipFlops());
        for (Crc crc : CrcTest.catalogue()) {
            for (int w : new int[] {1, 16, 64}) clean(new CrcGenerator(crc, w));
        }
    }

    @Test
    void registerFifo() {
        VerilogDesign d = clean(new StreamFifo<>(Stream.packets(Hdl.uint(8), 2), 4));
        String v = d.files().get("StreamFifo.v");
        assertTrue(v.contains("assign in_ready = count != 3'd4;"), v);
        assertTrue(v.contains("words[writeAddress] <= {in_user, in_last, in_payload};"), v);
        assertEquals(0, ice40(d).blockRams());
    }

    @Test
    void blockRamFifo() {
        VerilogDesign d = clean(new StreamFifo<>(Stream.of(Hdl.uint(8)), 512));
        Yosys.Result r = ice40(d);
        assertEquals(1, r.blockRams(), r.cells()::toString);
        clean(new StreamFifo<>(Stream.of(Hdl.uint(16)), 100)); // a depth that is not a power of two
    }

    @Test
    void stage() {
        VerilogDesign d = clean(new StreamStage<>(Stream.packets(Hdl.uint(8), 1)));
        assertEquals(2 + 2 * 10, ice40(d).flipFlops());
    }
}

package io.github.jnic.nic.offload;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.jhdl.Module;
import io.github.jnic.nic.DesignChecks;
import io.github.jnic.jhdl.flow.Yosys;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The offload engines as top modules: lint-clean under verilator -Wall, synthesizable for ECP5 without latches or warnings. */
class OffloadDesignsTest {

    static Yosys.Result checked(Supplier<Module> top) {
        return DesignChecks.synth(DesignChecks.lintClean(top), Yosys.Target.ECP5);
    }

    @Test
    void rxChecksum() {
        Yosys.Result r = checked(() -> new RxChecksum(1));
        assertTrue(r.luts() > 100, r.cells()::toString);
    }

    @Test
    void bytePacker() {
        checked(BytePacker::new);
    }

    @Test
    void txChecksum() {
        checked(TxChecksum::new);
    }

    @Test
    void txOffload() {
        Yosys.Result r = checked(TxOffload::new);
        assertTrue(r.luts() > 100, r.cells()::toString);
    }
}

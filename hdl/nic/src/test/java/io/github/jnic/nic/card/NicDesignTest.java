package io.github.jnic.nic.card;

import static io.github.jnic.nic.DesignChecks.lintClean;
import static io.github.jnic.nic.DesignChecks.synth;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.jhdl.flow.Yosys;
import io.github.jnic.nic.phy.DdrVendor;
import org.junit.jupiter.api.Test;

/** The whole card: lint-clean under verilator -Wall for each PHY, and synthesizable for the ECP5 boards. */
class NicDesignTest {
    @Test
    void gmiiCardIsLintClean() {
        lintClean(() -> new Nic(new Nic.Config().phy(Nic.Phy.GMII)));
    }

    @Test
    void miiAndRmiiCardsAreLintClean() {
        lintClean(() -> new Nic(new Nic.Config().phy(Nic.Phy.MII)));
        lintClean(() -> new Nic(new Nic.Config().phy(Nic.Phy.RMII)));
    }

    @Test
    void aCardWithoutOffloadEnginesIsLintClean() {
        Nic.Config c = new Nic.Config().phy(Nic.Phy.GMII);
        c.offload = false;
        lintClean(() -> new Nic(c));
    }

    @Test
    void rgmiiCardSynthesizesForEcp5() {
        Nic.Config c = new Nic.Config().phy(Nic.Phy.RGMII);
        c.vendor = DdrVendor.ECP5;
        Yosys.Result r = synth(lintClean(() -> new Nic(c)), Yosys.Target.ECP5);
        // frames in block RAM (16 KiB each way), not in flip-flops
        assertTrue(r.cells().getOrDefault("DP16KD", 0) + r.cells().getOrDefault("PDPW16KD", 0) >= 16, r.cells()::toString);
        assertTrue(r.luts() > 1000, r.cells()::toString);
    }
}

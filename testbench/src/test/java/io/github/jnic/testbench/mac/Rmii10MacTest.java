package io.github.jnic.testbench.mac;

import io.github.jnic.nic.mac.RmiiMac;
import io.github.jnic.testbench.phy.MacTestbench;
import io.github.jnic.testbench.phy.RmiiWire;

/** RMII at 10 Mb/s: every dibit lasts ten clocks of the reference clock; CRS_DV steady to the end. */
class Rmii10MacTest extends MacWireTests {
    Rmii10MacTest() {
        super(RmiiMac::new, () -> new RmiiWire(true, false), 24);
    }

    @Override
    MacTestbench bench(long seed, double txGapChance) {
        MacTestbench tb = super.bench(seed, txGapChance);
        tb.sim().port("speed10").set(1);
        return tb;
    }

    @Override
    double underrunGapChance() {
        return 0.86;
    }

    @Override
    boolean oddNibbleCapable() {
        return true;
    }
}

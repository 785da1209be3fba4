package io.github.jnic.testbench.mac;

import io.github.jnic.nic.mac.RmiiMac;
import io.github.jnic.testbench.phy.RmiiWire;

/** RMII at 100 Mb/s, with CRS_DV toggling at the end of every received frame as PHYs do. */
class RmiiMacTest extends MacWireTests {
    RmiiMacTest() {
        super(RmiiMac::new, () -> new RmiiWire(false, true), 100);
    }

    @Override
    double underrunGapChance() {
        return 0.25;
    }

    @Override
    boolean oddNibbleCapable() {
        return true;
    }
}

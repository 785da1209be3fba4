package io.github.jnic.testbench.mac;

import io.github.jnic.nic.mac.RgmiiMac;
import io.github.jnic.nic.phy.DdrVendor;
import io.github.jnic.testbench.phy.RgmiiWire;

/** RGMII at 1000 Mb/s on the generic DDR cells: both clock edges carry data. */
class RgmiiMacTest extends MacWireTests {
    RgmiiMacTest() {
        super(() -> new RgmiiMac(DdrVendor.GENERIC), RgmiiWire::new, 200);
    }

    @Override
    boolean oddNibbleCapable() {
        return false;
    }
}

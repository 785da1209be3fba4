package io.github.jnic.testbench.mac;

import io.github.jnic.nic.mac.GmiiMac;
import io.github.jnic.testbench.phy.GmiiWire;

class GmiiMacTest extends MacWireTests {
    GmiiMacTest() {
        super(GmiiMac::new, GmiiWire::new, 200);
    }

    @Override
    boolean oddNibbleCapable() {
        return false;
    }
}

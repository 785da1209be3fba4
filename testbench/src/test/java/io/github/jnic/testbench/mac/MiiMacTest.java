package io.github.jnic.testbench.mac;

import io.github.jnic.nic.mac.MiiMac;
import io.github.jnic.testbench.phy.MiiWire;

class MiiMacTest extends MacWireTests {
    MiiMacTest() {
        super(MiiMac::new, MiiWire::new, 100);
    }

    @Override
    double underrunGapChance() {
        return 0.06;
    }

    @Override
    boolean oddNibbleCapable() {
        return true;
    }
}

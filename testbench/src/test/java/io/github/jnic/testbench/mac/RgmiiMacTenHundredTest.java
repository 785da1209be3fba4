package io.github.jnic.testbench.mac;

import io.github.jnic.nic.mac.RgmiiMac;
import io.github.jnic.nic.mdio.PhyMonitor;
import io.github.jnic.nic.phy.DdrVendor;
import io.github.jnic.testbench.phy.RgmiiNibbleWire;
import io.github.jnic.testbench.phy.RgmiiWire;
import java.util.Map;
import org.junit.jupiter.api.Nested;

/**
 * The RGMII MAC built for every speed, through the MAC tests at each: 1000 Mb/s on both edges as
 * before, and RGMII's nibble mode at 100 and 10 Mb/s with TXC made from the 125 MHz clock.
 */
class RgmiiMacTenHundredTest {
    static Map<String, Long> speed(int speed) {
        return Map.of("speed", (long) speed);
    }

    @Nested
    class At1000 extends MacWireTests {
        At1000() {
            super(() -> new RgmiiMac(DdrVendor.GENERIC, true), RgmiiWire::new, 60);
        }

        @Override
        Map<String, Long> straps() {
            return speed(PhyMonitor.SPEED_1000);
        }

        @Override
        boolean oddNibbleCapable() {
            return false;
        }
    }

    @Nested
    class At100 extends MacWireTests {
        At100() {
            super(() -> new RgmiiMac(DdrVendor.GENERIC, true), () -> new RgmiiNibbleWire(false), 60);
        }

        @Override
        Map<String, Long> straps() {
            return speed(PhyMonitor.SPEED_100);
        }

        @Override
        double underrunGapChance() {
            return 0.6;
        }

        @Override
        boolean oddNibbleCapable() {
            return true;
        }
    }

    @Nested
    class At10 extends MacWireTests {
        At10() {
            super(() -> new RgmiiMac(DdrVendor.GENERIC, true), () -> new RgmiiNibbleWire(true), 12);
        }

        @Override
        Map<String, Long> straps() {
            return speed(PhyMonitor.SPEED_10);
        }

        @Override
        double underrunGapChance() {
            return 0.95;
        }

        @Override
        boolean oddNibbleCapable() {
            return true;
        }
    }
}

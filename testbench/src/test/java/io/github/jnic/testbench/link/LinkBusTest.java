package io.github.jnic.testbench.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.driver.link.LinkBus;
import io.github.jnic.driver.link.LinkMessage;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The driver's bus over the link, against the simulated bridge ({@link BridgeRig}: a lossy,
 * reordering cable and a register bank with stalls): what the driver writes and reads through
 * {@link LinkBus}, as any {@code HostBus}, reaches the bank in order and reads back what it holds,
 * and the interrupt line the bus reports follows the board's. The bus's clock is the board's: 16
 * ns a cycle (62.5 MHz).
 */
class LinkBusTest {
    static final long NS = 16;

    @Test
    void registersAndTheInterruptLineThroughTheBridge() {
        Random random = new Random(5);
        try (BridgeRig rig = new BridgeRig(5, 0.1)) {
            LinkBus.Transport cable = new LinkBus.Transport() {
                @Override public void send(LinkMessage m) { rig.send(m); }

                @Override public LinkMessage receive() {
                    LinkMessage m = rig.received();
                    if (m == null) {   // nothing here yet: let the board and the cable run a little
                        for (int i = 0; i < 16; i++) rig.step();
                        m = rig.received();
                    }
                    return m;
                }
            };
            LinkBus bus = new LinkBus(cable, ByteBuffer.allocateDirect(1 << 16), 1L << 32, () -> rig.cycle * NS, 60_000 * NS, 10_000_000 * NS);
            Map<Integer, Integer> model = new HashMap<>();
            for (int i = 0; i < 150; i++) {
                int offset = 4 * random.nextInt(32);
                if (random.nextBoolean()) {
                    int v = random.nextInt();
                    bus.write(offset, v);
                    model.put(offset, v);
                } else {
                    int expect = model.getOrDefault(offset, offset * 0x01010101);
                    assertEquals(expect, bus.read(offset), "register 0x" + Integer.toHexString(offset) + " after " + i + " accesses");
                }
            }
            assertFalse(bus.interruptAsserted());
            rig.irq = true;
            long until = rig.cycle + 200_000;
            while (!bus.interruptAsserted() && rig.cycle < until) bus.pump();
            assertTrue(bus.interruptAsserted(), "the board's interrupt reaches the bus");
            rig.irq = false;
            until = rig.cycle + 200_000;
            while (bus.interruptAsserted() && rig.cycle < until) bus.pump();
            assertFalse(bus.interruptAsserted(), "and so does its end");
            assertTrue(bus.retransmissions() > 0, "the bus resent what the cable lost");
            assertTrue(rig.toHostAddressed > 0, "the board learned the host's address from its messages");
        }
    }
}

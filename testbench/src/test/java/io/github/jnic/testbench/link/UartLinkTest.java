package io.github.jnic.testbench.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.jhdl.lib.axi.Axi4;
import io.github.jnic.nic.link.LinkBridge;
import io.github.jnic.testbench.link.DmaMaster.Burst;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The host link on the UART, end to end in simulation ({@link UartRig}): the driver's
 * {@link io.github.jnic.driver.link.LinkBus} on a {@code SerialTransport}, a UART wire played bit
 * by bit that flips bits and breaks stop bits now and then, and the board's UART link and bridge
 * with a stalling register bank behind them.
 */
class UartLinkTest {

    @Test
    void registersAndTheInterruptLineOverACorruptingUart() {
        Random random = new Random(7);
        try (UartRig rig = new UartRig(7, 1.0 / 1500, 1.0 / 4000, ByteBuffer.allocateDirect(1 << 12), 1L << 32)) {
            Map<Integer, Integer> model = new HashMap<>();
            int writes = 0;
            long start = System.nanoTime();
            for (int i = 0; i < 200; i++) {
                int offset = 4 * random.nextInt(32);
                if (random.nextBoolean()) {
                    int v = random.nextInt();
                    rig.bus.write(offset, v);
                    model.put(offset, v);
                    writes++;
                } else {
                    int expect = model.getOrDefault(offset, offset * 0x01010101);
                    assertEquals(expect, rig.bus.read(offset), "register 0x" + Integer.toHexString(offset) + " after " + i + " accesses");
                }
            }
            assertFalse(rig.bus.interruptAsserted());
            rig.irq = true;
            long until = rig.cycle + 2_000_000;
            while (!rig.bus.interruptAsserted() && rig.cycle < until) rig.bus.pump();
            assertTrue(rig.bus.interruptAsserted(), "the board's interrupt reaches the bus");
            rig.irq = false;
            until = rig.cycle + 2_000_000;
            while (rig.bus.interruptAsserted() && rig.cycle < until) rig.bus.pump();
            assertFalse(rig.bus.interruptAsserted(), "and so does its end");
            until = rig.cycle + 2_000_000;
            while (!rig.bus.idle() && rig.cycle < until) rig.bus.pump();
            // every write reached the bank once, in the host's order
            int w = 0;
            for (RegisterBank.Access a : rig.bank.seen) if (!a.read()) w++;
            assertEquals(writes, w, "each write carried out once");
            long corrupt = rig.sim.port("corruptFrames").get();
            System.out.printf("%d cycles in %.1f s; bytes to the board %d, from it %d, flipped %d, stop bits broken %d; board: corrupt frames %d, framing errors %d; host: rejected %d, resent %d%n",
                    rig.cycle, (System.nanoTime() - start) / 1e9, rig.wire.sent(), rig.wire.received(), rig.wire.flipped(), rig.wire.broken(),
                    corrupt, rig.sim.port("framingErrors").get(), rig.serial.rejected(), rig.bus.retransmissions());
            assertEquals(rig.corruptSeen, corrupt, "one count a pulse");
            assertEquals(rig.wire.broken(), rig.sim.port("framingErrors").get(), "each broken stop bit is one framing error");
            assertEquals(rig.framingSeen, rig.wire.broken());
            assertTrue(corrupt > 0, "the board dropped corrupted frames");
            assertTrue(rig.serial.rejected() > 0, "the host dropped corrupted frames");
            assertTrue(rig.bus.retransmissions() > 0, "and the host resent what the board dropped");
            assertEquals(0, rig.wire.framingErrors(), "the board's transmitter keeps its stop bits");
        }
    }

    /**
     * The card's DMA over the UART: random read and write bursts of 1 to 32 beats with random
     * strobes and IDs, several in flight (the mix and the judge of {@link LinkDmaTest}: a
     * reference copy of host memory), over the corrupting wire.
     */
    @Test
    void dmaBurstsRoundTripOverACorruptingUart() {
        Random random = new Random(13);
        ByteBuffer memory = ByteBuffer.allocateDirect(LinkDmaTest.MEMORY);
        byte[] reference = new byte[LinkDmaTest.MEMORY];
        random.nextBytes(reference);
        memory.put(0, reference);
        try (UartRig rig = new UartRig(13, 1.0 / 1500, 1.0 / 6000, memory, LinkDmaTest.BASE)) {
            DmaMaster card = new DmaMaster(rig.sim, "dma", 14);
            rig.dma = card;
            List<long[]> busy = new ArrayList<>();
            int issued = 0, total = 80;
            long start = System.nanoTime(), until = rig.cycle + 20_000_000;
            while ((issued < total || card.pending() > 0) && rig.cycle < until) {
                if (issued < total && card.pending() < 6) {
                    Burst b = LinkDmaTest.burst(random, reference, busy);
                    if (b != null) {
                        long[] range = {b.address, b.address + 8L * b.beats};
                        busy.add(range);
                        b.onDone = () -> {
                            busy.remove(range);
                            if (b.write && b.resp == Axi4.RESP_OKAY && LinkDmaTest.inMemory(b)) LinkDmaTest.apply(reference, b);
                        };
                        card.issue(b);
                        issued++;
                    }
                }
                rig.bus.pump();
            }
            System.out.printf("%d bursts in %d cycles, %.1f s; bytes to the board %d, from it %d, flipped %d, stop bits broken %d; board: corrupt frames %d; host: rejected %d, resent %d%n",
                    issued, rig.cycle, (System.nanoTime() - start) / 1e9, rig.wire.sent(), rig.wire.received(), rig.wire.flipped(), rig.wire.broken(),
                    rig.sim.port("corruptFrames").get(), rig.serial.rejected(), rig.bus.retransmissions());
            assertEquals(0, card.pending(), "every burst answered in time (" + card.done().size() + " of " + issued + ")");
            byte[] now = new byte[LinkDmaTest.MEMORY];
            memory.get(0, now);
            assertArrayEquals(reference, now, "host memory holds exactly the strobed bytes written");
            long reads = card.done().stream().filter(b -> !b.write && b.beats <= LinkBridge.MAX_READ_BEATS).count();
            long writes = card.done().stream().filter(b -> b.write && b.beats <= LinkBridge.MAX_WRITE_BEATS).count();
            assertEquals(reads, rig.bus.dmaReads(), "one DMA_READ a read the link carries");
            assertEquals(writes, rig.bus.dmaWrites(), "one DMA_WRITE a write the link carries");
            assertTrue(rig.sim.port("corruptFrames").get() > 0 && rig.serial.rejected() > 0, "frames were corrupted both ways");
            assertEquals(rig.corruptSeen, rig.sim.port("corruptFrames").get());
        }
    }
}

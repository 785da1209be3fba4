package io.github.jnic.testbench.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.driver.link.LinkBus;
import io.github.jnic.driver.link.LinkMessage;
import io.github.jnic.jhdl.lib.axi.Axi4;
import io.github.jnic.nic.link.LinkBridge;
import io.github.jnic.testbench.link.DmaMaster.Burst;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The card's DMA through the simulated bridge to host memory served by the driver's
 * {@link LinkBus}, over the lossy, reordering cable of {@link BridgeRig}: random read and write
 * bursts of 1 to 32 beats with random strobes (whole, a frame's ragged end, one status byte,
 * scattered, none) and IDs, several in flight, the card taking R and B at random. A write's strobed
 * bytes land in host memory and nothing else does; a read returns what memory held when it was
 * issued (no burst overlaps one in flight), per ID in order; a read outside host memory comes back
 * SLVERR, a write there is dropped and counted; bursts longer than the link carries are answered
 * SLVERR without touching memory. A reference copy of memory, updated as each B arrives, is the
 * judge.
 */
class LinkDmaTest {
    static final long BASE = 1L << 32;
    static final int MEMORY = 1 << 16;
    static final long NS = 16;

    @Test
    void burstsBothWaysReachHostMemoryExactlyAsStrobed() {
        Random random = new Random(11);
        try (BridgeRig rig = new BridgeRig(11, 0.1)) {
            ByteBuffer memory = ByteBuffer.allocateDirect(MEMORY);
            byte[] reference = new byte[MEMORY];
            random.nextBytes(reference);
            memory.put(0, reference);
            LinkBus bus = new LinkBus(new LinkBus.Transport() {
                @Override public void send(LinkMessage m) { rig.send(m); }

                @Override public LinkMessage receive() {
                    LinkMessage m = rig.received();
                    if (m == null) {
                        for (int i = 0; i < 16; i++) rig.step();
                        m = rig.received();
                    }
                    return m;
                }
            }, memory, BASE, () -> rig.cycle * NS, 60_000 * NS, 10_000_000 * NS);
            DmaMaster card = new DmaMaster(rig.sim, "dma", 12);
            rig.dma = card;

            List<long[]> busy = new ArrayList<>();   // {from, to} of bursts in flight
            int issued = 0, writesOutside = 0, tooLong = 0;
            long until = rig.cycle + 6_000_000;
            while ((issued < 300 || card.pending() > 0) && rig.cycle < until) {
                if (issued < 300 && card.pending() < 12) {
                    Burst b = burst(random, reference, busy);
                    if (b != null) {
                        long[] range = {b.address, b.address + 8L * b.beats};
                        busy.add(range);
                        b.onDone = () -> {
                            busy.remove(range);
                            if (b.write && b.resp == Axi4.RESP_OKAY && inMemory(b)) apply(reference, b);
                        };
                        if (b.write && !inMemory(b)) writesOutside++;
                        if (b.resp == Axi4.RESP_SLVERR && b.beats > 32) tooLong++;
                        card.issue(b);
                        issued++;
                    }
                }
                bus.pump();
            }
            assertEquals(0, card.pending(), "every burst answered in time (" + card.done().size() + " of " + issued + ")");
            assertEquals(300, card.done().size());
            assertTrue(tooLong > 0 && writesOutside > 0, "the mix has bursts too long and writes outside memory");
            byte[] now = new byte[MEMORY];
            memory.get(0, now);
            assertArrayEquals(reference, now, "host memory holds exactly the strobed bytes written");
            long reads = card.done().stream().filter(b -> !b.write && b.beats <= LinkBridge.MAX_READ_BEATS).count();
            long writes = card.done().stream().filter(b -> b.write && b.beats <= LinkBridge.MAX_WRITE_BEATS).count();
            assertEquals(reads, bus.dmaReads(), "one DMA_READ a read the link carries");
            assertEquals(writes, bus.dmaWrites(), "one DMA_WRITE a write the link carries");
            assertEquals(writesOutside + card.done().stream().filter(b -> !b.write && b.resp == Axi4.RESP_SLVERR && b.beats <= 128).count(),
                    bus.dmaErrors(), "the host counts each burst outside its memory");
            assertTrue(bus.retransmissions() > 0, "the cable lost frames and the link resent them");
        }
    }

    /** A random burst not overlapping one in flight, or null if the one drawn does. */
    static Burst burst(Random random, byte[] reference, List<long[]> busy) {
        boolean write = random.nextBoolean();
        int kind = random.nextInt(40);
        int beats = kind == 0 ? (write ? 33 + random.nextInt(16) : 129 + random.nextInt(60)) : 1 + random.nextInt(32);
        long offset = 8L * random.nextInt((MEMORY - 4096) / 8);
        if (offset / 4096 != (offset + 8L * beats - 1) / 4096) offset = (offset + 8L * beats - 1) / 4096 * 4096;   // never across 4 KiB
        long address = kind == 1 ? BASE - 8192 + offset % 4096 : BASE + offset;   // now and then outside host memory
        for (long[] r : busy) if (address < r[1] && r[0] < address + 8L * beats) return null;
        int id = random.nextInt(4);
        boolean fits = beats <= (write ? LinkBridge.MAX_WRITE_BEATS : LinkBridge.MAX_READ_BEATS);
        int resp = fits && (write || kind != 1) ? Axi4.RESP_OKAY : Axi4.RESP_SLVERR;
        byte[] data = new byte[8 * beats];
        if (write) {
            random.nextBytes(data);
            return new Burst(true, id, address, beats, data, strobes(random, beats), resp);
        }
        if (resp == Axi4.RESP_OKAY) System.arraycopy(reference, (int) (address - BASE), data, 0, data.length);
        return new Burst(false, id, address, beats, data, null, resp);
    }

    static byte[] strobes(Random random, int beats) {
        byte[] s = new byte[beats];
        switch (random.nextInt(5)) {
            case 0 -> java.util.Arrays.fill(s, (byte) 0xFF);
            case 1 -> {   // a frame's end: whole beats, then the first lanes of the last
                java.util.Arrays.fill(s, (byte) 0xFF);
                s[beats - 1] = (byte) ((1 << 1 + random.nextInt(8)) - 1);
            }
            case 2 -> s[random.nextInt(beats)] = (byte) (1 << random.nextInt(8));   // a status byte
            case 3 -> random.nextBytes(s);
            default -> { }   // none (a frame aborted)
        }
        return s;
    }

    static boolean inMemory(Burst b) {
        return b.address >= BASE && b.address + 8L * b.beats <= BASE + MEMORY;
    }

    static void apply(byte[] reference, Burst b) {
        for (int i = 0; i < 8 * b.beats; i++)
            if ((b.strobes[i / 8] >> (i % 8) & 1) != 0) reference[(int) (b.address - BASE) + i] = b.data[i];
    }
}

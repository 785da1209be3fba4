package io.github.jnic.testbench.card;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.driver.Coalescing;
import io.github.jnic.driver.NicDriver;
import io.github.jnic.net.buf.BufferPool;
import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.spec.Registers;
import io.github.jnic.spec.Registers.Cause;
import io.github.jnic.spec.Registers.Ctrl;
import io.github.jnic.spec.Registers.Dmaes;
import io.github.jnic.testbench.axi.AxiMemory;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The simulated card as a whole, where the Java model has nothing to compare: time skipped while
 * it is quiet, bus errors from host memory, and CTRL.RST in the middle of traffic, each ending with
 * the bus quiet (no transaction left hanging) and the driver carrying on. Driver mistakes, which
 * the model answers as the RTL does, are in {@link CardFaultsTest}.
 */
class SimulatedNicTest {
    private static final long US = 1_000;

    @AfterEach
    void closeCards() {
        CardKind.closeAll();
    }

    private static List<Integer> range(int from, int n) {
        return IntStream.range(from, from + n).boxed().toList();
    }

    /**
     * After 20 µs more of the card's time (the ring's prefetch after a bring-up completes), nothing is
     * left on the bus. The card's time, not the clock's: the driver's register accesses (a bring-up's,
     * the statistics' reads) put the card ahead of the clock by the bus time they take.
     */
    static void assertBusQuiet(RawCards net, SimulatedNic card) {
        net.run(Math.max(0, card.timeNs() - net.now) + 20 * US);
        card.read(Registers.STATUS.offset());
        AxiMemory.Stats s = card.hostMemory().stats();
        assertEquals(0, s.readsOutstanding(), "reads left in flight");
        assertEquals(0, s.writesOutstanding(), "writes left in flight");
        assertEquals(0, s.protocolMistakes(), "AXI protocol mistakes");
        assertEquals(0, s.burstsCrossing4k(), "bursts across 4 KiB");
    }

    @Test
    void aQuietCardIsNotSimulatedAndTrafficAfterwardsIsOnTime() {
        RawCards net = new RawCards(CardKind.RTL, c -> {}, c -> {});
        SimulatedNic b = (SimulatedNic) net.cardB;
        long simulated = b.cyclesSimulated();
        net.run(1_000_000_000L);   // a second with nothing to do
        net.drainB();
        long cost = b.cyclesSimulated() - simulated;
        assertTrue(cost < 100_000, "an idle second cost " + cost + " cycles");
        assertTrue(b.cyclesSkipped() > 60_000_000, "skipped " + b.cyclesSkipped());
        net.send(0, 5, 300);
        net.run(100 * US);
        net.drainB();
        assertEquals(range(0, 5), net.receivedByB, "frames sent after the quiet second arrive within 100 µs");
    }

    /** Frames every 67 µs (1 % of line rate at 64 bytes) to B in the adaptive mode: when each was handed up, and B's interrupts. */
    private static List<Long> lightTraffic(boolean skip) {
        RawCards net = new RawCards(CardKind.RTL, o -> o.skipQuietTime = skip, c -> {}, c -> c.coalescing = new Coalescing(100, 0, 8, 1, true));
        List<Long> out = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            net.send(i, 1, 64);
            long waited = 0;
            while (net.pollB() == 0 && waited < 300 * US) {
                net.run(250);
                waited += 250;
            }
            out.add(waited);
            net.run(67 * US);
        }
        out.add(net.interruptsB());
        if (skip) assertTrue(((SimulatedNic) net.cardB).cyclesSkipped() > 0, "time was skipped");
        CardKind.closeAll();
        return out;
    }

    @Test
    void skippingQuietTimeChangesNothingTheHostCanSee() {
        // the adaptive mode's rate window is the state most easily broken by skipping: it ages with time
        List<Long> skipped = lightTraffic(true), simulated = lightTraffic(false);
        assertEquals(simulated, skipped, "when each frame was handed up, and the interrupt count");
        assertTrue(skipped.subList(0, 12).stream().allMatch(t -> t < 20 * US), "sparse traffic is not delayed: " + skipped);
    }

    @Test
    void aCardWithALoopbackPlugReceivesEveryFrameItSends() {
        long[] now = {1_000_000_000L};
        SimulatedNic.Options o = new SimulatedNic.Options();
        o.memoryBytes = 4 << 20;
        try (SimulatedNic card = new SimulatedNic(SimulatedNic.design(), () -> now[0], o)) {
            SimulatedNic.loopBack(card);
            List<long[]> sent = new java.util.ArrayList<>();   // the number of each frame on the pins
            card.onSent(f -> { if (f.wire().length > 8 + 18) sent.add(new long[] {f.wire()[8 + 14]}); });
            NicDriver.Config config = new NicDriver.Config();
            config.mac = new byte[] {0x02, 0x4a, 0x4e, 0, 0, 7};
            NicDriver driver = new NicDriver(card, config);
            for (int i = 0; i < 100 && !driver.linkUp(); i++) {
                now[0] += 10 * US;
                driver.receive(PacketBuffer::release, 64);
            }
            assertTrue(driver.linkUp(), "the plug's PHY reports the link up");
            Random random = new Random(5);
            BufferPool pool = new BufferPool(2048, 40);
            for (int i = 0; i < 40; i++) {
                PacketBuffer f = pool.take();
                int at = f.append(60 + random.nextInt(1455));
                System.arraycopy(config.mac, 0, f.data(), at, 6);
                System.arraycopy(config.mac, 0, f.data(), at + 6, 6);
                f.data()[at + 14] = (byte) i;
                assertTrue(driver.transmit(f));
            }
            driver.flush();
            List<Integer> received = new java.util.ArrayList<>();
            for (int i = 0; i < 200 && received.size() < 40; i++) {
                now[0] += 10 * US;
                driver.receive(f -> received.add((int) f.data()[f.start() + 14]), 64);
            }
            assertEquals(range(0, 40), received, "every frame back, in order");
            assertEquals(40, sent.size());
            for (int i = 0; i < sent.size(); i++) assertEquals(i, sent.get(i)[0], "frames leave in order");
            assertEquals(40, driver.cardStatistic(Registers.GPRC), "good frames received");
            assertEquals(0, driver.cardStatistic(Registers.CRCERRS) + driver.cardStatistic(Registers.MPC));
        }
    }

    @Test
    void aCardBuiltWithoutTheOffloadEnginesCarriesFramesOfEverySize() {
        RawCards net = new RawCards(CardKind.RTL, o -> o.offloadEngines = false, c -> {}, c -> {});
        Random random = new Random(23);
        for (int i = 0; i < 60; i++) net.send(i, 1, 60 + random.nextInt(1455));
        net.run(500 * US);
        net.drainB();
        assertEquals(range(0, 60), net.receivedByB, "every frame, in order, through the card without its engines");
        assertEquals(0, net.b.cardStatistic(Registers.MPC) + net.b.cardStatistic(Registers.DDEC));
        assertBusQuiet(net, (SimulatedNic) net.cardA);
    }

    @Test
    void aBusErrorOnTheReceiveRingStopsItAndTheDriverRecovers() {
        RawCards net = new RawCards(CardKind.RTL, c -> {}, c -> {});
        SimulatedNic b = (SimulatedNic) net.cardB;
        long ring = (net.cardB.read(Registers.RDBAL) & 0xFFFF_FFF0L) | (long) net.cardB.read(Registers.RDBAH) << 32;
        b.hostMemory().error(ring, ring + 4096, AxiMemory.Resp.SLVERR);
        net.send(0, 3, 200);
        net.run(100 * US);
        int dmaes = net.cardB.read(Registers.DMAES), low = net.cardB.read(Registers.DMAEAL), high = net.cardB.read(Registers.DMAEAH);
        assertEquals(Dmaes.RX_STOPPED.mask() | Dmaes.BUS_ERROR.mask(), dmaes & 0xFFL, "DMAES");
        long at = (low & 0xFFFF_FFFFL) | (long) high << 32;
        assertTrue(at >= ring && at < ring + 4096, "the error's address 0x" + Long.toHexString(at) + " is in the ring");
        assertEquals(1, net.b.cardStatistic(Registers.DMAEC));
        b.hostMemory().clearErrors();
        net.drainB();
        assertTrue(net.b.causeCount(Cause.DMAERR) >= 1, net.b.interruptsView());
        assertEquals(1, net.b.counters().get("nic.drop.dma-errors"));
        assertBusQuiet(net, b);
        net.send(10, 5, 200);
        net.run(100 * US);
        net.drainB();
        assertTrue(net.receivedByB.containsAll(range(10, 5)), "after the reset the ring runs again: " + net.receivedByB);
    }

    @Test
    void aBusErrorReadingATransmitBufferStopsThatRingAndNothingHangs() {
        RawCards net = new RawCards(CardKind.RTL, c -> {}, c -> {});
        SimulatedNic a = (SimulatedNic) net.cardA;
        long ring = (net.cardA.read(Registers.TDBAL) & 0xFFFF_FFF0L) | (long) net.cardA.read(Registers.TDBAH) << 32;
        a.hostMemory().error(ring, ring + 4096, AxiMemory.Resp.DECERR);
        net.send(0, 3, 200);
        net.run(100 * US);
        assertEquals(Dmaes.TX_STOPPED.mask() | Dmaes.BUS_ERROR.mask(), net.cardA.read(Registers.DMAES) & 0xFFL, "DMAES");
        assertEquals(List.of(), net.receivedByB, "nothing from a stopped ring");
        a.hostMemory().clearErrors();
        net.a.receive(f -> f.release(), 64);   // A's interrupt: DMAERR, the driver resets the card
        assertEquals(1, net.a.counters().get("nic.drop.dma-errors"));
        assertBusQuiet(net, a);
        net.send(10, 4, 200);
        net.run(100 * US);
        net.drainB();
        assertEquals(range(10, 4), net.receivedByB);
    }

    /**
     * Host memory that takes writes slower than the wire brings frames (0.5 byte a cycle, 31 MB/s):
     * the receive frame buffer fills and the frames that find no room there are dropped whole,
     * counted in MPC with RXO, not RNBC (the ring has room); those that got in arrive in order, and
     * with memory at full speed again every frame does.
     */
    @Test
    void framesTheFrameBufferHasNoRoomForAreMissedAndCounted() {
        RawCards net = new RawCards(CardKind.RTL, c -> {}, c -> {});
        SimulatedNic b = (SimulatedNic) net.cardB;
        b.hostMemory().bandwidth(0, 0.5);
        int sent = 100;
        net.send(0, sent, 1514);
        for (int i = 0; i < 50; i++) {   // B's stack polls every 0.2 ms while the frames trickle in
            net.run(200 * US);
            net.drainB();
        }
        long missed = net.b.cardStatistic(Registers.MPC);
        assertTrue(missed > 0, "the frame buffer overflowed");
        assertEquals(0, net.b.cardStatistic(Registers.RNBC), "not for want of descriptors");
        assertEquals(0, net.cardB.read(Registers.DMAES), "nor a stopped ring");
        assertEquals(sent, net.receivedByB.size() + missed, "every frame delivered or counted: " + net.receivedByB);
        for (int i = 1; i < net.receivedByB.size(); i++) assertTrue(net.receivedByB.get(i) > net.receivedByB.get(i - 1), "in order");
        assertTrue(net.b.causeCount(Cause.RXO) >= 1, net.b.interruptsView());
        assertBusQuiet(net, b);
        b.hostMemory().bandwidth(0, 0);
        net.receivedByB.clear();
        net.send(sent, 20, 1514);
        net.run(1000 * US);
        net.drainB();
        assertEquals(range(sent, 20), net.receivedByB, "memory at full speed: every frame");
        assertEquals(missed, net.b.cardStatistic(Registers.MPC));
    }

    @Test
    void ctrlRstAtRandomMomentsDuringTrafficLeavesNoTransactionBehind() {
        RawCards net = new RawCards(CardKind.RTL, c -> {}, c -> {});
        SimulatedNic b = (SimulatedNic) net.cardB;
        Random random = new Random(17);
        int next = 0;
        for (int round = 0; round < 8; round++) {
            net.send(next, 20, 64 + random.nextInt(1400));
            next += 20;
            net.run(random.nextInt(40) * US);   // somewhere in the middle of the frames' DMA
            net.cardB.write(Registers.CTRL, net.cardB.read(Registers.CTRL) | (int) Ctrl.RST.mask());
            net.run(50 * US);
            assertEquals(0, net.cardB.read(Registers.ICR) & ~(int) Cause.INT_ASSERTED.mask(), "the reset cleared ICR");
            assertEquals(0, net.cardB.read(Registers.RDH), "the reset cleared RDH");
            assertBusQuiet(net, b);
            // the driver brings the card up again, as after any reset
            net.b.restart();
            net.run(200 * US);
            net.drainB();
        }
        net.receivedByB.clear();
        net.send(1000, 10, 500);
        net.run(200 * US);
        net.drainB();
        assertEquals(range(1000, 10), net.receivedByB, "after eight resets the card receives every frame");
        assertBusQuiet(net, b);
    }
}

package io.github.jnic.testbench.card;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.driver.HostBus;
import io.github.jnic.spec.Descriptors;
import io.github.jnic.spec.Descriptors.Rx;
import io.github.jnic.spec.Descriptors.TxCmd;
import io.github.jnic.spec.Descriptors.TxLegacy;
import io.github.jnic.spec.Field;
import io.github.jnic.spec.Register;
import io.github.jnic.spec.Registers;
import io.github.jnic.spec.Registers.Cause;
import io.github.jnic.spec.Registers.Dmaes;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Driver mistakes at the card's registers and descriptors, each with its one behaviour (docs/nic.md,
 * "Faults and driver mistakes"), on the model and on the RTL alike: what stops a ring and what does
 * not, DMAES, DMAEA, the counters, nothing written outside the buffers the driver gave, and the
 * driver carrying on.
 */
class CardFaultsTest {
    private static final long US = 1_000;

    @AfterEach
    void closeCards() {
        CardKind.closeAll();
    }

    private static List<Integer> range(int from, int n) {
        return IntStream.range(from, from + n).boxed().toList();
    }

    /** Host memory as the host sees it, whichever the card. */
    private static ByteBuffer memory(HostBus card) {
        return card instanceof SimulatedNic n ? n.hostMemory().memory() : ((CardModel) card).memory().bytes();
    }

    private static int offsetOf(HostBus card, long busAddress) {
        return card instanceof SimulatedNic n ? n.hostMemory().offsetOf(busAddress) : (int) (busAddress - CardModel.BUS_BASE);
    }

    private static long ringBase(HostBus card, boolean tx) {
        Register low = tx ? Registers.TDBAL : Registers.RDBAL, high = tx ? Registers.TDBAH : Registers.RDBAH;
        return (card.read(low) & 0xFFFF_FFF0L) | (long) card.read(high) << 32;
    }

    private static long dmaea(HostBus card) {
        return (card.read(Registers.DMAEAL) & 0xFFFF_FFFFL) | (long) card.read(Registers.DMAEAH) << 32;
    }

    private static void assertQuiet(RawCards net, HostBus card) {
        if (card instanceof SimulatedNic n) SimulatedNicTest.assertBusQuiet(net, n);
    }

    /**
     * Receive descriptors whose buffer address is 0 or not 8-byte aligned: nothing is written, each is
     * written back with length 0, DD, EOP and RXE and ends its frame (the driver drops it), DDEC
     * counts them, GPRC counts their frames (the RTL counts every frame an EOP write-back ends), and
     * the ring goes on: no DMAERR.
     */
    @ParameterizedTest
    @EnumSource(CardKind.class)
    void aReceiveDescriptorWithoutAUsableBufferEndsItsFrameWithRxe(CardKind kind) {
        RawCards net = new RawCards(kind, c -> {}, c -> {});
        ByteBuffer m = memory(net.cardB);
        int ring = offsetOf(net.cardB, ringBase(net.cardB, false));
        // descriptors 40 and 41, beyond what the card has fetched ahead since bring-up
        int zero = ring + 40 * Descriptors.SIZE, odd = ring + 41 * Descriptors.SIZE;
        long oddBuffer = Descriptors.get(m, odd, Rx.ADDRESS) + 3;
        Descriptors.put(m, zero, Rx.ADDRESS, 0);
        Descriptors.put(m, odd, Rx.ADDRESS, oddBuffer);
        int oddAt = offsetOf(net.cardB, oddBuffer), oddBytes = 2048 - 3;   // up to the next slot
        for (int i = 0; i < oddBytes; i++) m.put(oddAt + i, (byte) 0x5A);
        long gprc = net.b.cardStatistic(Registers.GPRC);

        net.send(0, 50, 200);
        net.run(1000 * US);
        net.drainB();
        List<Integer> expected = new ArrayList<>(range(0, 50));
        expected.removeAll(List.of(40, 41));
        assertEquals(expected, net.receivedByB);
        assertEquals(2, net.b.counters().get("nic.drop.rx-errors"), "the driver dropped the two RXE frames");
        for (int d : new int[] {zero, odd}) {
            assertEquals(0, Descriptors.get(m, d, Rx.LENGTH), "written back with length 0");
            assertEquals(Rx.RXE.mask(), Descriptors.get(m, d, Rx.ERRORS), "and RXE");
        }
        for (int i = 0; i < oddBytes; i++) assertEquals((byte) 0x5A, m.get(oddAt + i), "nothing written at the unaligned address");
        assertEquals(2, net.b.cardStatistic(Registers.DDEC));
        assertEquals(50, net.b.cardStatistic(Registers.GPRC) - gprc);
        assertEquals(0, net.cardB.read(Registers.DMAES), "the ring did not stop");
        assertEquals(0, net.b.causeCount(Cause.DMAERR));
        assertQuiet(net, net.cardB);
    }

    /**
     * Receive ring mistakes while enabled, RDT past the ring and a length under 128 (RDLEN keeps
     * bits 19:7 only, so it reads 0): the ring stops with DMAES RX_STOPPED and BAD_RING, DMAEA left
     * alone, DDEC; frames arriving meanwhile are dropped and counted in MPC; the driver's reset
     * (on DMAERR) brings it back.
     */
    @ParameterizedTest
    @EnumSource(CardKind.class)
    void receiveRingMistakesStopTheRingAndFramesMeanwhileAreMissed(CardKind kind) {
        RawCards net = new RawCards(kind, c -> {}, c -> {});
        int next = 0;
        String[] mistakes = {"RDT past the ring", "RDLEN 112", "RDH past the ring"};
        for (int k = 0; k < mistakes.length; k++) {
            String what = mistakes[k];
            long ddec = net.b.cardStatistic(Registers.DDEC), mpc = net.b.cardStatistic(Registers.MPC);
            int size = net.cardB.read(Registers.RDLEN) / Descriptors.SIZE;
            if (k == 0) {
                net.cardB.write(Registers.RDT, size + 3);
            } else if (k == 1) {
                net.cardB.write(Registers.RDLEN, 112);
                assertEquals(0, net.cardB.read(Registers.RDLEN), "RDLEN stores whole 128-byte blocks");
            } else {
                int rctl = net.cardB.read(Registers.RCTL);
                net.cardB.write(Registers.RCTL, rctl & ~(int) Registers.Rctl.EN.mask());   // RDH is written while disabled
                net.run(10 * US);
                net.cardB.write(Registers.RDH, size + 3);
                net.run(10 * US);
                net.cardB.write(Registers.RCTL, rctl);
            }
            net.run(10 * US);
            assertEquals(Dmaes.RX_STOPPED.mask() | Dmaes.BAD_RING.mask(), net.cardB.read(Registers.DMAES) & 0xFFL, what + ": DMAES");
            assertEquals(0, dmaea(net.cardB), what + ": DMAEA (no address for a receive ring rule)");
            assertEquals(1, net.b.cardStatistic(Registers.DDEC) - ddec, what + ": DDEC");
            net.send(next, 3, 200);   // B's driver has not looked yet: the stopped ring drops them
            next += 3;
            net.run(100 * US);
            assertEquals(3, net.b.cardStatistic(Registers.MPC) - mpc, what + ": MPC");
            net.drainB();   // DMAERR: the driver resets the card and brings it up
            assertQuiet(net, net.cardB);
            net.receivedByB.clear();
            net.send(next, 3, 200);
            net.run(100 * US);
            net.drainB();
            assertEquals(range(next, 3), net.receivedByB, what + ": after the driver's reset");
            next += 3;
        }
        assertEquals(3, net.b.counters().get("nic.drop.dma-errors"));
    }

    /**
     * A buffer address where no host memory is (host memory answers DECERR), on each ring: the ring
     * stops with DMAES BUS_ERROR, DMAEA the address, DMAEC; what came before it is delivered; the
     * driver's reset recovers.
     */
    @ParameterizedTest
    @EnumSource(CardKind.class)
    void anAddressWhereNoMemoryIsStopsThatRingWithABusError(CardKind kind) {
        RawCards net = new RawCards(kind, c -> {}, c -> {});
        long nowhere = ringBase(net.cardB, false) + TwoCards.MEMORY;   // past the end of host memory
        ByteBuffer mb = memory(net.cardB);
        Descriptors.put(mb, offsetOf(net.cardB, ringBase(net.cardB, false)) + 20 * Descriptors.SIZE, Rx.ADDRESS, nowhere);
        net.send(0, 25, 200);
        net.run(1000 * US);
        assertEquals(Dmaes.RX_STOPPED.mask() | Dmaes.BUS_ERROR.mask(), net.cardB.read(Registers.DMAES) & 0xFFL, "receive: DMAES");
        assertEquals(nowhere, dmaea(net.cardB), "receive: DMAEA");
        assertEquals(1, net.b.cardStatistic(Registers.DMAEC));
        assertEquals(20, net.b.cardStatistic(Registers.GPRC), "the frames before it written back");
        net.drainB();   // DMAERR: the driver resets the card (what the ring held is lost, as with e1000e's reset)
        assertEquals(1, net.b.counters().get("nic.drop.dma-errors"));
        assertQuiet(net, net.cardB);

        ByteBuffer ma = memory(net.cardA);
        long ring = ringBase(net.cardA, true);
        int tail = net.cardA.read(Registers.TDT), d = offsetOf(net.cardA, ring + (long) tail * Descriptors.SIZE);
        Descriptors.put(ma, d, TxLegacy.ADDRESS, nowhere + 3);
        ma.putLong(d + 8, 0);
        Descriptors.put(ma, d, TxLegacy.LENGTH, 100);
        Descriptors.put(ma, d, TxLegacy.CMD, TxCmd.EOP.mask() | TxCmd.RS.mask());
        net.cardA.write(Registers.TDT, tail + 1);
        net.run(100 * US);
        assertEquals(Dmaes.TX_STOPPED.mask() | Dmaes.BUS_ERROR.mask(), net.cardA.read(Registers.DMAES) & 0xFFL, "transmit: DMAES");
        assertEquals(nowhere, dmaea(net.cardA), "transmit: DMAEA, the burst's first 8-byte word");
        assertEquals(1, net.a.cardStatistic(Registers.DMAEC));
        assertEquals(0, net.a.cardStatistic(Registers.DDEC));
        net.a.receive(f -> f.release(), 64);
        assertQuiet(net, net.cardA);
        net.receivedByB.clear();
        net.send(30, 3, 200);
        net.run(100 * US);
        net.drainB();
        assertEquals(range(30, 3), net.receivedByB, "both rings run again after the drivers' resets");

        // a receive ring where no memory is: the card's first descriptor fetch fails, before any frame
        int rctl = net.cardB.read(Registers.RCTL), head = net.cardB.read(Registers.RDH);
        net.cardB.write(Registers.RCTL, rctl & ~(int) Registers.Rctl.EN.mask());
        net.run(10 * US);
        net.cardB.write(Registers.RDBAL, (int) nowhere);
        net.cardB.write(Registers.RDBAH, (int) (nowhere >>> 32));
        net.cardB.write(Registers.RCTL, rctl);
        net.run(10 * US);
        assertEquals(Dmaes.RX_STOPPED.mask() | Dmaes.BUS_ERROR.mask(), net.cardB.read(Registers.DMAES) & 0xFFL, "ring base: DMAES");
        assertEquals(nowhere + (long) head * Descriptors.SIZE, dmaea(net.cardB), "ring base: DMAEA, the descriptor at RDH");
        assertEquals(2, net.b.cardStatistic(Registers.DMAEC));
        net.drainB();
        assertQuiet(net, net.cardB);
        net.receivedByB.clear();
        net.send(40, 3, 200);
        net.run(100 * US);
        net.drainB();
        assertEquals(range(40, 3), net.receivedByB, "the driver's bring-up gave the ring its place again");
    }

    /**
     * Transmit mistakes: a descriptor of length 0 or address 0, a TDT or TDH past the ring, TDLEN 0.
     * Each stops the transmit ring with DMAES saying why and DMAEA where (the descriptor; the ring's
     * base), counted in DDEC; the driver's reset recovers.
     */
    @ParameterizedTest
    @EnumSource(CardKind.class)
    void transmitDriverMistakesStopThatRingWithDmaesAndDmaea(CardKind kind) {
        RawCards net = new RawCards(kind, c -> {}, c -> {});
        ByteBuffer m = memory(net.cardA);
        long ring = ringBase(net.cardA, true);
        int size = net.cardA.read(Registers.TDLEN) / Descriptors.SIZE;
        String[] mistakes = {"length 0", "address 0", "TDT past the ring", "TDLEN 0", "TDH past the ring"};
        for (int k = 0; k < mistakes.length; k++) {
            String what = mistakes[k];
            long ddec = net.a.cardStatistic(Registers.DDEC);
            int tail = net.cardA.read(Registers.TDT);
            if (k < 2) {
                int d = offsetOf(net.cardA, ring + (long) tail * Descriptors.SIZE);
                Descriptors.put(m, d, TxLegacy.ADDRESS, k == 0 ? ring : 0);
                m.putLong(d + 8, 0);
                Descriptors.put(m, d, TxLegacy.LENGTH, k == 0 ? 0 : 100);
                Descriptors.put(m, d, TxLegacy.CMD, TxCmd.EOP.mask() | TxCmd.RS.mask());
                net.cardA.write(Registers.TDT, (tail + 1) % size);
            } else if (k == 2) {
                net.cardA.write(Registers.TDT, size + 5);
            } else if (k == 3) {
                net.cardA.write(Registers.TDLEN, 0);
            } else {
                int tctl = net.cardA.read(Registers.TCTL);
                net.cardA.write(Registers.TCTL, tctl & ~(int) Registers.Tctl.EN.mask());   // TDH is written while disabled
                net.run(10 * US);
                net.cardA.write(Registers.TDH, size + 5);
                net.run(10 * US);
                net.cardA.write(Registers.TCTL, tctl);
            }
            net.run(100 * US);
            Field why = k < 2 ? Dmaes.BAD_DESCRIPTOR : Dmaes.BAD_RING;
            assertEquals(Dmaes.TX_STOPPED.mask() | why.mask(), net.cardA.read(Registers.DMAES) & 0xFFL, what + ": DMAES");
            assertEquals(k < 2 ? ring + (long) tail * Descriptors.SIZE : ring, dmaea(net.cardA), what + ": DMAEA");
            assertEquals(1, net.a.cardStatistic(Registers.DDEC) - ddec, what + ": DDEC");
            assertEquals(0, net.a.cardStatistic(Registers.DMAEC), what + ": no bus error");
            net.a.receive(f -> f.release(), 64);   // A's interrupt: DMAERR, the driver resets the card
            assertQuiet(net, net.cardA);
            net.send(10, 3, 200);
            net.run(100 * US);
            net.drainB();
            assertEquals(range(10, 3), net.receivedByB, what + ": after the driver's reset the ring runs again");
            net.receivedByB.clear();
        }
        assertEquals(5, net.a.counters().get("nic.drop.dma-errors"));
    }

    /**
     * A frame longer than the card's 16 KiB transmit frame buffer (gathered from three descriptors):
     * dropped, never on the wire, counted in DDEC; its descriptors written back (DD) and the frame
     * after it sent: the ring does not stop.
     */
    @ParameterizedTest
    @EnumSource(CardKind.class)
    void aFrameLongerThanTheCardCanSendIsDroppedAndTheRingGoesOn(CardKind kind) {
        RawCards net = new RawCards(kind, c -> {}, c -> {});
        net.send(0, 1, 100);   // descriptor 0 gets the driver's first slot: the slots' address
        net.run(100 * US);
        net.drainB();
        net.a.receive(f -> f.release(), 64);
        ByteBuffer m = memory(net.cardA);
        long ring = ringBase(net.cardA, true);
        long slots = Descriptors.get(m, offsetOf(net.cardA, ring), TxLegacy.ADDRESS);
        long tpt = net.a.cardStatistic(Registers.TPT), ddec = net.a.cardStatistic(Registers.DDEC);
        int tail = net.cardA.read(Registers.TDT);
        // 3 × 5462 = 16 386 bytes, then a 200-byte frame B accepts (its bytes from net.frame)
        byte[] small = new byte[200];
        var f = net.frame(200, 77);
        System.arraycopy(f.data(), f.start(), small, 0, 200);
        f.release();
        long smallAt = slots + 16 * 2048;
        m.put(offsetOf(net.cardA, smallAt), small);
        long[][] pieces = {{slots, 5462, 0}, {slots + 5462, 5462, 0}, {slots + 2 * 5462, 5462, 1}, {smallAt, 200, 1}};
        int d = tail;
        for (long[] p : pieces) {
            int at = offsetOf(net.cardA, ring + (long) d * Descriptors.SIZE);
            Descriptors.put(m, at, TxLegacy.ADDRESS, p[0]);
            m.putLong(at + 8, 0);
            Descriptors.put(m, at, TxLegacy.LENGTH, p[1]);
            Descriptors.put(m, at, TxLegacy.CMD, p[2] == 1 ? TxCmd.EOP.mask() | TxCmd.RS.mask() : 0);
            d++;
        }
        net.cardA.write(Registers.TDT, d);
        net.run(200 * US);
        net.drainB();
        assertEquals(List.of(0, 77), net.receivedByB, "the long frame dropped, the next one sent");
        assertEquals(1, net.a.cardStatistic(Registers.TPT) - tpt, "one frame on the wire");
        assertEquals(1, net.a.cardStatistic(Registers.DDEC) - ddec, "the long frame counted");
        int eop = offsetOf(net.cardA, ring + (long) (tail + 2) * Descriptors.SIZE);
        assertTrue(Descriptors.TX_DD.isSet(Descriptors.get(m, eop, TxLegacy.STATUS)), "its EOP descriptor written back");
        assertEquals(0, net.cardA.read(Registers.DMAES), "the ring did not stop");
        assertEquals(0, net.b.cardStatistic(Registers.ROC), "nothing oversize reached B");
        assertQuiet(net, net.cardA);
        net.a.restart();   // the test wrote the ring behind the driver's back
        net.receivedByB.clear();
        net.send(100, 3, 200);
        net.run(100 * US);
        net.drainB();
        assertEquals(range(100, 3), net.receivedByB);
    }
}

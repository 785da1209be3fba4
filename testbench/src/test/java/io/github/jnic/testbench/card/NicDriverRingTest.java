package io.github.jnic.testbench.card;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.driver.Coalescing;
import io.github.jnic.driver.NicDriver;
import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.net.wire.Bytes;
import io.github.jnic.net.wire.Checksum;
import io.github.jnic.spec.Registers;
import io.github.jnic.spec.Registers.Cause;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The driver's rings and interrupt against the card model, frame by frame. */
class NicDriverRingTest {
    @AfterEach
    void closeCards() {
        CardKind.closeAll();
    }

    private static final long US = 1_000;

    private static List<Integer> range(int from, int n) {
        return IntStream.range(from, from + n).boxed().toList();
    }

    @ParameterizedTest
    @EnumSource(CardKind.class)
    void aFullTransmitRingRefusesFramesUntilTheCardHasSentSome(CardKind kind) {
        RawCards net = new RawCards(kind, c -> c.txRingSize = 8, c -> {});
        int accepted = 0;
        while (net.a.transmit(net.frame(100, accepted))) accepted++;
        assertEquals(7, accepted, "an 8-descriptor ring holds 7 frames (TDT never catches TDH)");
        assertEquals(1, net.a.counters().get("nic.drop.tx-ring-full"));
        net.a.flush();
        net.run(100 * US);
        net.a.receive(f -> f.release(), 64);   // the stack's next poll: TXDW, and the card's write-backs are in memory
        assertTrue(net.a.transmit(net.frame(100, 7)), "the card wrote DD back: descriptors reclaimed");
        net.a.flush();
        net.run(100 * US);
        net.drainB();
        assertEquals(range(0, 8), net.receivedByB);
    }

    @ParameterizedTest
    @EnumSource(CardKind.class)
    void withNoFreeDescriptorFramesAreDroppedCountedExactlyAndReceptionResumes(CardKind kind) {
        RawCards net = new RawCards(kind, c -> {}, c -> c.rxRingSize = 8);
        net.send(0, 20, 200);
        net.run(1000 * US);   // B's stack does not poll meanwhile: 7 descriptors fill, 13 frames find none
        assertEquals(13, net.b.cardStatistic(Registers.MPC));
        assertEquals(13, net.b.cardStatistic(Registers.RNBC));
        assertEquals(7, net.drainB());
        assertTrue(net.b.causeCount(Cause.RXO) >= 1, net.b.interruptsView());
        assertEquals(range(0, 7), net.receivedByB);
        net.send(20, 5, 200);
        net.run(1000 * US);
        net.drainB();
        assertEquals(12, net.receivedByB.size(), "the driver refilled the ring: the next frames arrive");
        assertEquals(range(20, 5), net.receivedByB.subList(7, 12));
        assertEquals(13, net.b.cardStatistic(Registers.MPC), "no further drops");
    }

    @ParameterizedTest
    @EnumSource(CardKind.class)
    void aPollStopsAtTheBudgetKeepsTheInterruptMaskedAndUnmasksUnderBudget(CardKind kind) {
        RawCards net = new RawCards(kind, c -> {}, c -> { c.napiBudget = 4; c.coalescing = Coalescing.off(); });
        net.send(0, 18, 100);
        net.run(1000 * US);
        assertEquals(4, net.b.receive(net.intoB, 64), "the NAPI budget, not the stack's");
        assertTrue(net.b.polling());
        assertEquals(0, net.cardB.read(Registers.IMS), "masked while polling");
        assertEquals(0, net.b.nextDeadline(), "polling: the stack comes back at once");
        net.send(18, 3, 100);
        net.run(1000 * US);
        assertFalse(net.cardB.interruptAsserted(), "frames arrive, the line stays down while masked");
        int[] got = new int[6];
        for (int i = 0; i < 6; i++) got[i] = net.b.receive(net.intoB, 64);
        assertArrayEquals(new int[] {4, 4, 4, 4, 1, 0}, got);
        assertFalse(net.b.polling(), "under budget: back to interrupts");
        assertTrue(net.cardB.read(Registers.IMS) != 0, "unmasked");
        assertEquals(range(0, 21), net.receivedByB);
        assertEquals(5, net.b.pollsAtBudget());
        // The frames that came while masked left RXT0 in ICR: unmasking raised the line once more, and
        // that interrupt's poll found nothing new (e1000 semantics: ICR is not cleared by IMS).
        assertEquals(2, net.interruptsB());
    }

    @ParameterizedTest
    @EnumSource(CardKind.class)
    void withoutModerationEveryFrameInterrupts(CardKind kind) {
        RawCards net = new RawCards(kind, c -> {}, c -> c.coalescing = Coalescing.off());
        for (int i = 0; i < 10; i++) {
            net.send(i, 1, 100);
            net.run(100 * US);
            net.drainB();
        }
        assertEquals(10, net.interruptsB());
        assertEquals(10, net.b.causeCount(Cause.RXT0));
    }

    @ParameterizedTest
    @EnumSource(CardKind.class)
    void rxFramesAndRxUsecsHoldTheInterruptAsEthtoolSays(CardKind kind) {
        // rx-frames 5, rx-usecs 1000: an interrupt per 5 frames, or 1 ms after the first of fewer.
        RawCards net = new RawCards(kind, c -> {}, c -> c.coalescing = new Coalescing(1000, 5, 0, 1, false));
        List<Integer> interruptsAfter = new ArrayList<>();
        for (int i = 0; i < 13; i++) {
            net.send(i, 1, 100);
            net.run(10 * US);
            net.drainB();
            interruptsAfter.add((int) net.interruptsB());
            assertEquals((i + 1) / 5 * 5, net.receivedByB.size(), "after frame " + i + ": held until the fifth");
        }
        assertEquals(2, net.interruptsB());
        net.run(1000 * US);   // 1 ms after frame 10 (the first since the last interrupt) RADV fires
        net.drainB();
        assertEquals(range(0, 13), net.receivedByB);
        assertEquals(3, net.interruptsB());
    }

    @ParameterizedTest
    @EnumSource(CardKind.class)
    void rxUsecsAsItrBoundsTheInterruptRate(CardKind kind) {
        // rx-usecs 100 with rx-frames 1: e1000e's ITR, at most one interrupt per 100 µs; a frame every 10 µs.
        RawCards net = new RawCards(kind, c -> {}, c -> c.coalescing = new Coalescing(100, 1, 0, 1, false));
        for (int i = 0; i < 100; i++) {
            net.send(i, 1, 100);
            net.run(10 * US);
            net.drainB();
        }
        net.run(200 * US);
        net.drainB();
        assertEquals(range(0, 100), net.receivedByB);
        long n = net.interruptsB();
        assertTrue(n >= 9 && n <= 11, "1 ms of frames, one interrupt per 100 µs: " + n);
    }

    @ParameterizedTest
    @EnumSource(CardKind.class)
    void adaptiveRxIsImmediateWhenSparseCappedWhenModerateAndCountsFramesWhenTheWireIsBusy(CardKind kind) {
        // adaptive-rx, rx-usecs 100, rx-frames 16: AIM SPARSE 4, FRAMES 16, MAXDELAY 98 units (docs/nic.md)
        RawCards net = new RawCards(kind, c -> {}, c -> c.coalescing = new Coalescing(100, 16, 0, 1, true));
        // sparse: a frame every 1 ms interrupts at once (delivered within the 10 µs poll step)
        for (int i = 0; i < 3; i++) {
            net.send(i, 1, 100);
            net.run(10 * US);
            net.drainB();
            assertEquals(i + 1, net.receivedByB.size(), "sparse frame " + i + " at once");
            net.run(1000 * US);
        }
        // moderate: a 100-byte frame every 13 µs (10 a window, far below BUSY_BYTES): the delay is
        // capped at 98 units, so no frame waits longer than about 100 µs, polled every 13 µs
        int sent = 3;
        for (int i = 0; i < 100; i++, sent++) {
            net.send(sent, 1, 100);
            net.run(13 * US);
            net.drainB();
            assertTrue(sent + 1 - net.receivedByB.size() <= 9, "at frame " + sent + " only " + net.receivedByB.size() + " handed up");
        }
        net.run(2000 * US);
        net.drainB();
        // busy: 1514-byte frames back to back (12.3 µs each, about 16 000 bytes a window): the cap
        // is lifted and FRAMES ends each batch, 16 frames per interrupt
        long before = net.interruptsB();
        int first = sent;
        for (int chunk = 0; chunk < 8; chunk++) {
            net.send(sent, 32, 1514);
            sent += 32;
            for (int k = 0; k < 40; k++) {
                net.run(10 * US);
                net.drainB();
            }
        }
        net.run(2000 * US);
        net.drainB();
        assertEquals(range(0, sent), net.receivedByB);
        long busy = net.interruptsB() - before;
        // at most 16 frames an interrupt; the first window's frames (sparse, then capped) add a few
        assertTrue(busy >= (sent - first) / 16 && busy <= (sent - first) / 16 + 8, "interrupts for 256 busy frames: " + busy);
    }

    @ParameterizedTest
    @EnumSource(CardKind.class)
    void transmitDelayedByTidvAndTadvStillCompletes(CardKind kind) {
        RawCards net = new RawCards(kind, c -> { c.txRingSize = 16; c.coalescing = new Coalescing(0, 1, 8, 1, false); }, c -> {});
        for (int round = 0; round < 10; round++) {
            net.send(round * 10, 10, 300);   // 10 frames: more than the ring can take twice without reclaiming
            net.run(50 * US);
            net.drainB();
        }
        assertEquals(range(0, 100), net.receivedByB);
        assertTrue(net.a.causeCount(Cause.TXDW) >= 10, net.a.interruptsView());
        assertTrue(net.a.causeCount(Cause.TXDW) < 100, "TIDV/TADV gathered completions: " + net.a.causeCount(Cause.TXDW));
    }

    @ParameterizedTest
    @EnumSource(CardKind.class)
    void aStrippedVlanTagIsPutBackForTheStack(CardKind kind) {
        RawCards net = new RawCards(kind, c -> {}, c -> c.vlanStrip = true);
        PacketBuffer f = net.frame(100, 0);
        byte[] sent = new byte[104];
        byte[] plain = f.toByteArray();
        System.arraycopy(plain, 0, sent, 0, 12);
        Bytes.put16(sent, 12, 0x8100);
        Bytes.put16(sent, 14, 0x2005);   // priority 1, VLAN 5
        System.arraycopy(plain, 12, sent, 16, 88);
        f.release();
        List<byte[]> got = new ArrayList<>();
        net.a.transmit(PacketBuffer.of(sent));
        net.a.flush();
        net.run(100 * US);
        net.b.receive(x -> { got.add(x.toByteArray()); x.release(); }, 64);
        assertEquals(1, got.size());
        assertArrayEquals(sent, got.get(0));
        assertEquals(1, net.b.counters().get("nic.rx-vlan"), "the card stripped it (VP)");
    }

    @ParameterizedTest
    @EnumSource(CardKind.class)
    void theCardsChecksumVerdictReachesTheStack(CardKind kind) {
        RawCards net = new RawCards(kind, c -> {}, c -> c.rxChecksum = true);
        List<PacketBuffer.RxChecksum> verdicts = new ArrayList<>();
        net.a.transmit(PacketBuffer.of(udp(net, false)));
        net.a.transmit(PacketBuffer.of(udp(net, true)));
        net.a.transmit(net.frame(100, 0));   // not IP: nothing to check
        net.a.flush();
        net.run(100 * US);
        net.b.receive(x -> { verdicts.add(x.rxChecksum()); x.release(); }, 64);
        assertEquals(List.of(PacketBuffer.RxChecksum.GOOD, PacketBuffer.RxChecksum.BAD, PacketBuffer.RxChecksum.NONE), verdicts);
    }

    /** An IPv4/UDP frame from A to B, its UDP checksum right or wrong. */
    private static byte[] udp(RawCards net, boolean corrupt) {
        byte[] f = new byte[14 + 20 + 8 + 32];
        System.arraycopy(net.b.macAddress(), 0, f, 0, 6);
        System.arraycopy(net.a.macAddress(), 0, f, 6, 6);
        Bytes.put16(f, 12, 0x0800);
        f[14] = 0x45;
        Bytes.put16(f, 16, 20 + 8 + 32);
        f[22] = 64;
        f[23] = 17;
        Bytes.put32(f, 26, TwoCards.A);
        Bytes.put32(f, 30, TwoCards.B);
        Bytes.put16(f, 24, Checksum.of(f, 14, 20));
        Bytes.put16(f, 34, 5000);
        Bytes.put16(f, 36, 6000);
        Bytes.put16(f, 38, 8 + 32);
        for (int i = 42; i < f.length; i++) f[i] = (byte) i;
        int sum = Checksum.finish(Checksum.add(Checksum.pseudoHeader(TwoCards.A, TwoCards.B, 17, 40), f, 34, 40));
        Bytes.put16(f, 40, corrupt ? sum ^ 0x0101 : sum);
        return f;
    }

    @ParameterizedTest
    @EnumSource(CardKind.class)
    void aDmaErrorStopsTheRingAndTheDriverResetsTheCardAndCarriesOn(CardKind kind) {
        RawCards net = new RawCards(kind, c -> {}, c -> {});
        net.cardB.write(Registers.RDT.offset(), 1000);   // a tail past the ring: the card stops the ring
        net.run(10 * US);
        net.drainB();
        assertEquals(1, net.b.counters().get("nic.drop.dma-errors"));
        assertEquals(1, net.b.causeCount(Cause.DMAERR));
        assertEquals(2, net.b.counters().get("nic.resets"));
        net.send(0, 3, 100);
        net.run(100 * US);
        net.drainB();
        assertEquals(range(0, 3), net.receivedByB);
    }

    // The driver's allocation, measured over the model, whose data path allocates nothing; over the
    // simulated card the simulator's own bookkeeping would be counted too.
    @ParameterizedTest
    @EnumSource(value = CardKind.class, names = "MODEL")
    void theSteadyStateAllocatesNothingPerFrameEitherWay(CardKind kind) {
        RawCards net = new RawCards(kind, c -> {}, c -> {});
        NicDriver.FrameSink intoA = f -> f.release();
        NicDriver.FrameSink intoB = f -> f.release();
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        long before = 0;
        int frames = 0;
        for (int round = 0; round < 4000; round++) {
            if (round == 2000) {
                before = threads.getThreadAllocatedBytes(thread);
                frames = 0;
            }
            for (int i = 0; i < 16; i++) {
                net.a.transmit(net.frame(600, i));
                PacketBuffer back = net.pool.take();
                back.append(600);
                System.arraycopy(net.macA, 0, back.data(), back.start(), 6);
                net.b.transmit(back);
            }
            net.a.flush();
            net.b.flush();
            net.run(200 * US);
            while (net.b.receive(intoB, 64) > 0 || net.b.polling()) { }
            while (net.a.receive(intoA, 64) > 0 || net.a.polling()) { }
            frames += 32;
        }
        long perFrame = (threads.getThreadAllocatedBytes(thread) - before) / frames;
        assertEquals(0, perFrame, "bytes allocated per frame in the steady state");
        assertEquals(4000 * 16, net.b.statistics().get("nic.rx-frames"));
        assertEquals(4000 * 16, net.a.statistics().get("nic.rx-frames"));
    }
}

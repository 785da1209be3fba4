package io.github.jnic.testbench.irq;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jnic.spec.Registers.Aim;
import io.github.jnic.spec.Registers.Cause;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Each timer alone, with the cycle of every pulse and every rise of the line worked out by hand
 * (and the model checking every other cycle on the way). At 125 MHz a 1.024 µs tick is 128
 * cycles and falls on cycles 127, 255, 383, ... (k × 128 − 1); a 256 ns tick is 32 cycles. A
 * "rise at c" means the line is high from cycle c + 1: the cycle's events and the line are
 * registered together. The diagrams are docs/nic.md's.
 */
class ModerationTimersTest {
    static final long HZ = 125_000_000L;

    static ModerationBench run(Script script, long cycles) {
        ModerationBench bench = new ModerationBench(HZ);
        bench.watch = true;
        bench.run(cycles, script);
        return bench;
    }

    static List<String> pulses(ModerationBench bench, String... names) {
        Set<String> wanted = Set.of(names);
        List<String> out = new ArrayList<>();
        for (String p : bench.pulses) if (wanted.contains(p.substring(0, p.indexOf('@')))) out.add(p);
        return out;
    }

    /**
     * RDTR = 2: each frame restarts the packet timer; it expires on the second tick after the last.
     * <pre>
     * cycle          1000  1023  1100  1151  1279
     * 1.024 µs tick         |           |     |
     * rxFrameDone     |           |
     * packet timer    2     1     2     1     0: RXT0, the line rises
     * </pre>
     */
    @Test
    void packetTimerRestartsWithEachFrame() {
        try (ModerationBench b = run(new Script().mask(1, Cause.RXT0.mask()).at(1, in -> in.rdtr = 2).frames(1000, 1100), 2000)) {
            assertEquals(List.of("rxPacketArmed@1000", "rxPacketArmed@1100", "rxPacketExpired@1279", "rxInterrupt@1279"),
                    pulses(b, "rxPacketArmed", "rxPacketExpired", "rxInterrupt", "rxAbsoluteArmed"));
            assertEquals(List.of(1279L), b.rises);
            assertEquals(Cause.RXT0.mask() | Cause.INT_ASSERTED.mask(), b.rows.get(1280)[ModerationBench.ICR]);
        }
    }

    /**
     * RDTR = 2, RADV = 3: frames every 100 cycles keep restarting the packet timer, the absolute
     * timer started by the first frame ends the batch; the first frame after that starts it again.
     * <pre>
     * cycle           2000  2047  2100  2175  2200  2300 2303  2350  2400  2431  2559
     * 1.024 µs tick          |           |                |                 |     |
     * rxFrameDone      |           |           |     |                 |
     * absolute timer   3     2           1                0: RXT0     3     2     1
     * packet timer     2     1     2     1     2     2    stopped     2     1     0: RXT0
     * ICR read                                                   |
     * </pre>
     */
    @Test
    void absoluteTimerIsArmedByTheFirstFrameOnly() {
        Script s = new Script().mask(1, Cause.RXT0.mask()).at(1, in -> {
            in.rdtr = 2;
            in.radv = 3;
        }).frames(2000, 2100, 2200, 2300, 2400).read(2350);
        try (ModerationBench b = run(s, 3000)) {
            assertEquals(List.of("rxAbsoluteArmed@2000", "rxAbsoluteExpired@2303", "rxAbsoluteArmed@2400", "rxPacketExpired@2559"),
                    pulses(b, "rxAbsoluteArmed", "rxAbsoluteExpired", "rxPacketExpired"));
            assertEquals(List.of(2303L, 2559L), b.rises);
        }
    }

    /**
     * RDTR = 10: FPD (rxFlush) raises RXT0 at once while a frame waits and stops the timer; a flush
     * with nothing pending does nothing.
     * <pre>
     * cycle          3000         3050           3200
     * rxFrameDone     |
     * rxFlush                      |              |
     * packet timer    10 ... 10    stopped: RXT0  (nothing pending: no RXT0)
     * </pre>
     */
    @Test
    void flushFiresThePendingInterrupt() {
        Script s = new Script().mask(1, Cause.RXT0.mask()).at(1, in -> in.rdtr = 10).frames(3000)
                .at(3050, in -> in.rxFlush = true).read(3100).at(3200, in -> in.rxFlush = true);
        try (ModerationBench b = run(s, 6000)) {
            assertEquals(List.of("rxPacketArmed@3000", "rxInterrupt@3050"), pulses(b, "rxPacketArmed", "rxPacketExpired", "rxInterrupt"));
            assertEquals(List.of(3050L), b.rises);
        }
    }

    /**
     * RDTR = 50, RXFC = 3: the third frame since the last interrupt raises RXT0 at once, long before
     * the timer. RDTR = 0 afterwards: every frame at once (RXFC never delays).
     * <pre>
     * cycle          4000  4010  4020         4100 (RDTR = 0)  4200
     * rxFrameDone     |     |     | (3rd)                        |
     * RXT0 / line                 | rise                         | rise
     * </pre>
     */
    @Test
    void frameCountEndsTheBatchAndRdtrZeroIsImmediate() {
        Script s = new Script().mask(1, Cause.RXT0.mask()).at(1, in -> {
            in.rdtr = 50;
            in.rxfc = 3;
        }).frames(4000, 4010, 4020, 4200).read(4050).at(4100, in -> in.rdtr = 0);
        try (ModerationBench b = run(s, 5000)) {
            assertEquals(List.of("rxCountReached@4020", "rxInterrupt@4020", "rxInterrupt@4200"), pulses(b, "rxCountReached", "rxInterrupt"));
            assertEquals(List.of(4020L, 4200L), b.rises);
        }
    }

    /**
     * TIDV = 2, TADV = 3 for descriptors with IDE; a descriptor without IDE raises TXDW at once.
     * <pre>
     * cycle          1000  1023  1100  1151  1200  1279  1300   1500
     * 1.024 µs tick         |           |           |
     * IDE done        |           |           |
     * absolute (3)    3     2           1           0: TXDW
     * packet (2)      2     1     2     1     2     stopped
     * ICR read                                            |
     * non-IDE done                                               | TXDW at once
     * </pre>
     */
    @Test
    void transmitTimersForIdeDescriptors() {
        Script s = new Script().mask(1, Cause.TXDW.mask()).at(1, in -> {
            in.tidv = 2;
            in.tadv = 3;
        }).read(1300);
        for (long c : new long[] {1000, 1100, 1200}) s.at(c, in -> {
            in.txDescriptorDone = true;
            in.txIde = true;
        });
        s.at(1500, in -> in.txDescriptorDone = true);
        try (ModerationBench b = run(s, 2000)) {
            assertEquals(List.of("txAbsoluteArmed@1000", "txAbsoluteExpired@1279", "txInterrupt@1279", "txInterrupt@1500"),
                    pulses(b, "txAbsoluteArmed", "txAbsoluteExpired", "txPacketExpired", "txInterrupt"));
            assertEquals(List.of(1279L, 1500L), b.rises);
        }
    }

    /**
     * ITR = 10 (2.56 µs, 320 cycles at 125 MHz): a cause 20 cycles after the first interrupt is held
     * until 320 cycles after the first rise. At 50 MHz, ITR = 3 is 38.4 cycles: the floor is 39.
     * <pre>
     * cycle          1000   1010       1020              1320
     * LSC             |                 |
     * ICR read               |
     * line            rise   falls      held (throttled)  rise
     * </pre>
     */
    @Test
    void itrIsAFloorBetweenRises() {
        Script s = new Script().mask(1, Cause.LSC.mask()).at(1, in -> in.itr = 10).at(1000, in -> in.linkChange = true)
                .read(1010).at(1020, in -> in.linkChange = true);
        try (ModerationBench b = run(s, 2000)) {
            assertEquals(List.of(1000L, 1320L), b.rises);
            assertEquals(List.of("throttled@1020"), pulses(b, "throttled"));
        }
        Script slow = new Script().mask(1, Cause.LSC.mask()).at(1, in -> in.itr = 3).at(1000, in -> in.linkChange = true)
                .read(1001).at(1002, in -> in.linkChange = true);
        try (ModerationBench b = new ModerationBench(50_000_000L)) {
            b.run(1200, slow);
            assertEquals(List.of(1000L, 1039L), b.rises);
        }
    }

    /**
     * ICR: a read returns the causes with INT_ASSERTED and clears them, a cause raised in the cycle
     * of the read stays, a write of 1s clears those bits, ICS sets causes; IMC masks the line
     * without touching ICR.
     */
    @Test
    void icrReadClearsAndMasksGateTheLine() {
        long lsc = Cause.LSC.mask(), rxo = Cause.RXO.mask(), dma = Cause.DMAERR.mask(), asserted = Cause.INT_ASSERTED.mask();
        Script s = new Script().mask(1, lsc | rxo)
                .at(10, in -> in.linkChange = true)
                .at(20, in -> in.icrRead = true).at(20, in -> in.rxOverrun = true)
                .at(30, in -> { in.icsWrite = true; in.icsWriteData = dma | lsc | 1L << 3; })
                .at(40, in -> { in.icrWrite = true; in.icrWriteData = lsc; })
                .at(50, in -> { in.imcWrite = true; in.imcWriteData = rxo; });
        try (ModerationBench b = run(s, 60)) {
            long[] at11 = b.rows.get(11), at21 = b.rows.get(21), at31 = b.rows.get(31), at41 = b.rows.get(41), at51 = b.rows.get(51);
            assertEquals(lsc | asserted, at11[ModerationBench.ICR]);
            assertEquals(rxo | asserted, at21[ModerationBench.ICR], "the read cleared LSC; RXO of the same cycle stays");
            assertEquals(rxo | dma | lsc | asserted, at31[ModerationBench.ICR], "ICS sets causes; bit 3 is no cause");
            assertEquals(rxo | dma | asserted, at41[ModerationBench.ICR]);
            assertEquals(rxo | dma, at51[ModerationBench.ICR], "RXO masked, DMAERR never enabled: the line is low");
            assertEquals(lsc, at51[ModerationBench.IMS]);
            assertEquals(List.of(10L), b.rises);
        }
    }

    /**
     * AIM: SPARSE 4, FRAMES 8, MAXDELAY 10; frames of 1514 bytes every 1000 cycles from 1000 to
     * 9000, one more at 17000. Frames 1-4 are sparse (rate at most 4): RXT0 at once. Frames 5 and
     * 7 start the absolute timer with FRAMES x 128 / 4 = 256 ticks, capped to 10 (12 112 bytes by
     * frame 8: not busy). Frame 9 brings the window to 13 626 bytes, busy: the cap is lifted and
     * the delay is 8 x 128 / 8 = 128 ticks; the window ending at 16383 hands its bytes on, so the
     * wire stays busy and frame 10 does not end the batch early.
     * <pre>
     * cycle        1000..4000  5000  6271  7000  8191  9000            25343
     * rxFrameDone   | | | |     |  6000 |     |  8000 |     | 17000 (10th)
     * RXT0          at once     armed  exp.  armed exp.  armed 128     expires
     * aimDelay                   10          10          128
     * </pre>
     */
    @Test
    void adaptiveDelayIsCappedUntilTheWireIsBusy() {
        Script s = new Script().at(1, in -> in.aim = Aim.EN.of(1) | Aim.SPARSE.of(4) | Aim.FRAMES.of(8) | Aim.MAXDELAY.of(10));
        for (long c : new long[] {1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 17000}) {
            s.at(c, in -> {
                in.rxFrameDone = true;
                in.rxFrameLength = 1514;
            });
        }
        try (ModerationBench b = run(s, 30_000)) {
            assertEquals(List.of("rxInterrupt@1000", "rxInterrupt@2000", "rxInterrupt@3000", "rxInterrupt@4000",
                    "rxAbsoluteArmed@5000", "rxAbsoluteExpired@6271", "rxInterrupt@6271",
                    "rxAbsoluteArmed@7000", "rxAbsoluteExpired@8191", "rxInterrupt@8191",
                    "rxAbsoluteArmed@9000", "rxAbsoluteExpired@25343", "rxInterrupt@25343"),
                    pulses(b, "rxAbsoluteArmed", "rxAbsoluteExpired", "rxInterrupt", "rxCountReached"));
            int busy = List.of(ModerationBench.RECORDED).indexOf("aimBusy"), delay = List.of(ModerationBench.RECORDED).indexOf("aimDelay");
            assertEquals(List.of(0L, 10L), List.of(b.rows.get(8001)[busy], b.rows.get(8001)[delay]));
            assertEquals(List.of(1L, 128L), List.of(b.rows.get(9001)[busy], b.rows.get(9001)[delay]));
            assertEquals(1L, b.rows.get(17001)[busy]);
        }
    }
}

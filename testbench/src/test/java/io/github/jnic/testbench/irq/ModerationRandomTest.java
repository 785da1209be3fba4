package io.github.jnic.testbench.irq;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.spec.Registers;
import io.github.jnic.spec.Registers.Aim;
import io.github.jnic.testbench.irq.ModerationModel.Inputs;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The moderation RTL against the reference model, every output of every cycle, under seeded random
 * traffic (receive frames and transmit descriptors in bursts, sparse stretches and idle ones) and
 * random register writes at random moments: every timer, ITR, FPD flushes, RXFC, AIM, ICS, IMS,
 * IMC, ICR writes and reads (a driver reading ICR some time after the line rises, and reads at
 * arbitrary moments), at three system clocks (125 MHz, the board's 62.5 MHz, and 50 MHz where a
 * 256 ns tick is 12.8 cycles).
 */
class ModerationRandomTest {

    @ParameterizedTest
    @ValueSource(longs = {125_000_000L, 62_500_000L, 50_000_000L})
    void rtlMatchesTheModelCycleByCycle(long clockHz) {
        try (ModerationBench bench = new ModerationBench(clockHz)) {
            RandomTraffic traffic = new RandomTraffic(new Random(clockHz ^ 0x5EED));
            bench.run(800_000, traffic);
            // the run exercised what it claims to
            assertTrue(bench.rises.size() > 300, "interrupts: " + bench.rises.size());
            assertTrue(traffic.rxTimerExpiries > 20 && traffic.txTimerExpiries > 20 && traffic.counts > 20 && traffic.throttles > 20
                    && traffic.adaptiveDelayed > 20 && traffic.adaptiveAtOnce > 20 && traffic.busyUncapped > 20,
                    () -> traffic.toString());
        }
    }

    /** Segments of a few thousand cycles, each with its own traffic rates and register values. */
    static final class RandomTraffic implements ModerationBench.Stimulus {
        final Random random;
        long segmentEnd;
        double rxChance, txChance, ideChance;
        int frameLength;
        long readAt = -1;
        int rxTimerExpiries, txTimerExpiries, counts, throttles, adaptiveDelayed, adaptiveAtOnce, busyUncapped;

        RandomTraffic(Random random) {
            this.random = random;
        }

        @Override
        public void next(long cycle, ModerationModel model, Inputs in) {
            if (cycle >= segmentEnd) newSegment(cycle, in);
            // what the model did last cycle, to say what the run covered
            if (model.rxPacketExpired || model.rxAbsoluteExpired) rxTimerExpiries++;
            if (model.txPacketExpired || model.txAbsoluteExpired) txTimerExpiries++;
            if (model.rxCountReached) counts++;
            if (model.throttled) throttles++;
            if (Aim.EN.isSet(in.aim) && model.rxAbsoluteArmed) adaptiveDelayed++;
            if (Aim.EN.isSet(in.aim) && model.rxInterrupt && !model.rxCountReached && !model.rxAbsoluteExpired && !model.rxPacketExpired) adaptiveAtOnce++;

            long cap = Aim.MAXDELAY.get(in.aim);
            if (Aim.EN.isSet(in.aim) && model.rxAbsoluteArmed && model.aimBusy && cap != 0 && model.aimDelay > cap) busyUncapped++;

            in.rxFrameDone = random.nextDouble() < rxChance;
            // a length only counts with the frame; the others are junk the block must ignore
            in.rxFrameLength = in.rxFrameDone ? frameLength + random.nextInt(4) : random.nextInt(0x10000);
            in.txDescriptorDone = random.nextDouble() < txChance;
            in.txIde = in.txDescriptorDone && random.nextDouble() < ideChance;
            in.txQueueEmpty = rare(2e-4);
            in.linkChange = rare(5e-5);
            in.lowDescriptors = rare(2e-4);
            in.rxOverrun = rare(2e-4);
            in.dmaError = rare(5e-5);
            in.rxFlush = rare(3e-4);
            in.txFlush = rare(3e-4);
            // the driver: reads ICR a while after the line rises
            if (model.irq && readAt < 0) readAt = cycle + random.nextInt(400);
            if (cycle == readAt || rare(2e-4)) {
                in.icrRead = true;
                readAt = -1;
            }
            if (rare(2e-4)) write(in, 0);
            if (rare(3e-4)) write(in, 1);
            if (rare(3e-4)) write(in, 2);
            if (rare(1e-4)) write(in, 3);
            if (rare(1e-4)) changeRegister(in);
        }

        private void write(Inputs in, int which) {
            long v = random.nextInt(4) == 0 ? random.nextLong() & 0xFFFF_FFFFL : (1L << random.nextInt(32)) | (1L << random.nextInt(32));
            switch (which) {
                case 0 -> { in.icrWrite = true; in.icrWriteData = v; }
                case 1 -> { in.imsWrite = true; in.imsWriteData = random.nextBoolean() ? 0xFFFF_FFFFL : v; }
                case 2 -> { in.imcWrite = true; in.imcWriteData = v; }
                default -> { in.icsWrite = true; in.icsWriteData = v; }
            }
        }

        private boolean rare(double p) {
            return random.nextDouble() < p;
        }

        private void newSegment(long cycle, Inputs in) {
            segmentEnd = cycle + 2_000 + random.nextInt(20_000);
            switch (random.nextInt(5)) {
                case 0 -> rxChance = 0;
                case 1 -> rxChance = 0.0005;
                case 2 -> rxChance = 0.005;
                case 3 -> rxChance = 0.02;
                default -> rxChance = 0.2;
            }
            // lengths: minimum frames (never busy), full ones (busy when frequent), and huge (the byte counts saturate)
            frameLength = switch (random.nextInt(4)) {
                case 0 -> 60;
                case 1 -> 1514;
                case 2 -> 9014;
                default -> 0xFFF0;
            };
            txChance = random.nextInt(3) == 0 ? 0 : 0.002 * random.nextInt(10);
            ideChance = random.nextDouble();
            for (int i = random.nextInt(4); i >= 0; i--) changeRegister(in);
        }

        /** Small values, so timers expire within a segment: 1.024 µs is 51 to 128 cycles here. */
        private void changeRegister(Inputs in) {
            long junk = (long) random.nextInt(0x10000) << 16;  // reserved bits: ignored by the card
            switch (random.nextInt(7)) {
                case 0 -> in.itr = smallOrZero(40) | junk;
                case 1 -> in.rdtr = smallOrZero(12) | junk & 0x7FFF_0000L;
                case 2 -> in.radv = smallOrZero(30) | junk;
                case 3 -> in.tidv = smallOrZero(12) | junk & 0x7FFF_0000L;
                case 4 -> in.tadv = smallOrZero(30) | junk;
                case 5 -> in.rxfc = smallOrZero(8) | junk;
                default -> in.aim = random.nextInt(3) == 0 ? 0 : Aim.EN.of(1) | Aim.SPARSE.of(random.nextInt(4))
                        | Aim.FRAMES.of(random.nextInt(12)) | Aim.MAXDELAY.of(random.nextInt(4) == 0 ? 0 : random.nextInt(40));
            }
            if (Registers.RDTR.field("FPD").isSet(in.rdtr)) throw new AssertionError("FPD reaches the block as rxFlush, not in rdtr");
        }

        private long smallOrZero(int max) {
            return random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(max);
        }

        @Override
        public String toString() {
            return String.format("rx timer expiries %d, tx timer expiries %d, counts %d, throttles %d, adaptive delayed %d, adaptive at once %d, busy uncapped %d",
                    rxTimerExpiries, txTimerExpiries, counts, throttles, adaptiveDelayed, adaptiveAtOnce, busyUncapped);
        }
    }
}

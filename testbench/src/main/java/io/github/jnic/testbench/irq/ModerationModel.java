package io.github.jnic.testbench.irq;

import io.github.jnic.spec.Field;
import io.github.jnic.spec.Registers;
import io.github.jnic.spec.Registers.Aim;
import io.github.jnic.spec.Registers.Cause;
import java.math.BigInteger;

/**
 * The card's interrupt causes and moderation as docs/nic.md ("Interrupt moderation") states them,
 * cycle by cycle: a reference written from those rules (time as absolute cycle numbers and
 * deadlines, ticks from their closed form), not from the RTL, which counts down instead. Feed one
 * {@link Inputs} per system-clock cycle to {@link #step}; the fields of the model after the step
 * are what the RTL's registered outputs show in the next cycle.
 *
 * <p>Rules, for a clock of P256 = clockHz × 256 ns and P1024 = clockHz × 1.024 µs cycles per tick:
 * <ol>
 *   <li>The 1.024 µs ticks run free from reset: the k-th falls on cycle ceil(k × P1024) − 1.
 *   <li>A delay timer started with V in cycle t expires in the cycle of the V-th tick after t.
 *   <li>A frame written back in cycle t raises RXT0 at once when RDTR is 0 (AIM off) or the
 *       traffic is sparse (AIM on), or when it brings the frames since the last RXT0 to the
 *       threshold (RXFC; AIM's FRAMES); else it restarts the packet timer with RDTR (AIM off) and
 *       starts the absolute timer if it is not running, with RADV (if not 0; AIM off) or the
 *       adaptive delay (AIM on); the absolute timer counts from cycle t + 1 (a timer started
 *       there with V), and RXT0 in cycle t + 1 stops it as it would a running one.
 *   <li>RXT0 is also raised when a receive timer expires, or by FPD while frames are pending.
 *       Raising RXT0 stops both timers and forgets the pending frames; the frame of that cycle is
 *       part of the interrupt.
 *   <li>Transmit likewise: a descriptor without IDE, or with TIDV 0, raises TXDW at once; with IDE
 *       it restarts TIDV and starts TADV (if not 0 and not running); expiry or TIDV.FPD while
 *       pending raises TXDW and stops both.
 *   <li>ICR holds the causes; a read returns ICR and clears it, a write clears the 1s; a cause
 *       raised in the same cycle stays.
 *   <li>The line is high while ICR and IMS share a bit, but rises only when ITR allows: after a
 *       rise in cycle t, the next rise is not before cycle t + ceil(ITR × P256) (the ITR value of
 *       cycle t).
 *   <li>Adaptive: frames are counted per window of 128 ticks; rate = the larger of the last
 *       window's count and this window's (this frame included), each saturating at 255. Sparse:
 *       rate ≤ SPARSE. Delay = FRAMES × 128 / 2^floor(log2 rate) ticks (FRAMES 0 acts as 1),
 *       at most MAXDELAY when that is not 0 and the wire is not busy. Busy: the larger of the last
 *       window's bytes and this window's (frame lengths, each count saturating at 65 535) is at
 *       least BUSY_BYTES.
 * </ol>
 */
public final class ModerationModel {

    /** One cycle's inputs, named as the RTL's ports. Register values are whole 32-bit words. */
    public static final class Inputs {
        public boolean icrRead;
        public boolean icrWrite, icsWrite, imsWrite, imcWrite;
        public long icrWriteData, icsWriteData, imsWriteData, imcWriteData;
        public long itr, rdtr, radv, tidv, tadv, rxfc, aim;
        public boolean rxFlush, txFlush;
        /** With rxFrameDone: the frame's length as written back. */
        public int rxFrameLength;
        public boolean rxFrameDone, txDescriptorDone, txIde, txQueueEmpty, linkChange, lowDescriptors, rxOverrun, dmaError;

        /** Clears the pulses and writes, keeping the register values. */
        public void clearPulses() {
            icrRead = icrWrite = icsWrite = imsWrite = imcWrite = false;
            rxFlush = txFlush = false;
            rxFrameDone = txDescriptorDone = txIde = txQueueEmpty = linkChange = lowDescriptors = rxOverrun = dmaError = false;
        }
    }

    /** Cause bits ICR and IMS hold. */
    public static final long CAUSES;

    static {
        long m = 0;
        for (Field f : Cause.ALL) m |= f.mask();
        CAUSES = m;
    }

    private final long p256Num, p256Den, p1024Num, p1024Den;

    /** The cycle the next {@link #step} models (0 = the first after reset). */
    public long cycle;
    public long icr, ims;
    public boolean irq;

    // receive
    private long rxFrames;
    private long rxPacketDeadline = -1, rxAbsoluteDeadline = -1;
    private int windowFrames, lastWindowFrames, windowBytes, lastWindowBytes;
    // transmit
    private boolean txPending;
    private long txPacketDeadline = -1, txAbsoluteDeadline = -1;
    // the line
    private long nextRiseAllowed;
    private boolean holding;

    // observability, as the RTL's outputs of the same names
    public boolean rxPacketArmed, rxAbsoluteArmed, rxPacketExpired, rxAbsoluteExpired, rxCountReached, rxInterrupt;
    public boolean txPacketArmed, txAbsoluteArmed, txPacketExpired, txAbsoluteExpired, txInterrupt, throttled;
    public int aimRate;
    /** The adaptive delay worked out for the last frame written back. */
    public long aimDelay;
    public boolean aimBusy;

    public ModerationModel(long clockHz) {
        // cycles per tick as exact fractions: clockHz × ns / 10^9
        long[] a = reduce(clockHz * 256, 1_000_000_000L), b = reduce(clockHz * 1024, 1_000_000_000L);
        p256Num = a[0];
        p256Den = a[1];
        p1024Num = b[0];
        p1024Den = b[1];
    }

    private static long[] reduce(long num, long den) {
        long g = BigInteger.valueOf(num).gcd(BigInteger.valueOf(den)).longValueExact();
        return new long[] {num / g, den / g};
    }

    private static long ceilDiv(long a, long b) {
        return Math.floorDiv(a + b - 1, b);
    }

    /** Ticks of 1.024 µs up to and including cycle c (the k-th tick is on cycle ceil(k × P) − 1). */
    public long ticksThrough(long c) {
        return Math.floorDiv((c + 1) * p1024Den, p1024Num);
    }

    /** The cycle of the v-th 1.024 µs tick after cycle t. */
    public long vthTickAfter(long t, long v) {
        long k = ticksThrough(t) + v;
        return ceilDiv(k * p1024Num, p1024Den) - 1;
    }

    /** Cycles from an interrupt's rise to the earliest next one, for an ITR interval. */
    public long throttleCycles(long itr) {
        return ceilDiv(itr * p256Num, p256Den);
    }

    private static long field(long register, Field f) {
        return f.get(register);
    }

    /** Advances one cycle. */
    public void step(Inputs in) {
        long c = cycle;
        boolean tick = ticksThrough(c) > ticksThrough(c - 1);
        long set = 0;

        // ---- receive --------------------------------------------------------------------------
        boolean adaptive = Aim.EN.isSet(in.aim);
        long rdtr = field(in.rdtr, Registers.RDTR.field("DELAY"));
        long radv = field(in.radv, Registers.RADV.field("DELAY"));
        int framesNow = Math.min(255, windowFrames + (in.rxFrameDone ? 1 : 0));
        int rate = Math.max(lastWindowFrames, framesNow);
        boolean sparse = rate <= field(in.aim, Aim.SPARSE);
        long frames = Math.max(1, field(in.aim, Aim.FRAMES));
        long delay = frames * Aim.WINDOW_UNITS / Integer.highestOneBit(Math.max(rate, 1));
        int bytesNow = Math.min(0xFFFF, windowBytes + (in.rxFrameDone ? in.rxFrameLength : 0));
        boolean busy = Math.max(lastWindowBytes, bytesNow) >= Aim.BUSY_BYTES;
        long cap = field(in.aim, Aim.MAXDELAY);
        if (cap != 0 && !busy) delay = Math.min(delay, cap);
        if (tick && ticksThrough(c) % Aim.WINDOW_UNITS == 0) {
            lastWindowFrames = framesNow;
            windowFrames = 0;
            lastWindowBytes = bytesNow;
            windowBytes = 0;
        } else {
            windowFrames = framesNow;
            windowBytes = bytesNow;
        }

        boolean rxPacketRunning = rxPacketDeadline >= c, rxAbsoluteRunning = rxAbsoluteDeadline >= c;
        rxPacketExpired = rxPacketDeadline == c;
        rxAbsoluteExpired = rxAbsoluteDeadline == c;
        long pending = Math.min(0xFFFF, rxFrames + (in.rxFrameDone ? 1 : 0));
        long threshold = adaptive ? frames : field(in.rxfc, Registers.RXFC.field("FRAMES"));
        rxCountReached = in.rxFrameDone && threshold != 0 && pending >= threshold;
        boolean atOnce = in.rxFrameDone && (adaptive ? sparse : rdtr == 0);
        boolean flushed = in.rxFlush && pending != 0;
        rxInterrupt = rxPacketExpired || rxAbsoluteExpired || rxCountReached || atOnce || flushed;
        rxPacketArmed = rxAbsoluteArmed = false;
        if (rxInterrupt) {
            set |= Cause.RXT0.mask();
            rxFrames = 0;
            rxPacketDeadline = rxAbsoluteDeadline = -1;
        } else {
            rxFrames = pending;
            if (in.rxFrameDone) {
                if (!adaptive) {
                    rxPacketDeadline = vthTickAfter(c, rdtr);
                    rxPacketArmed = true;
                }
                long absolute = adaptive ? delay : radv;
                if (!rxAbsoluteRunning && absolute != 0) {
                    rxAbsoluteDeadline = vthTickAfter(c + 1, absolute);
                    rxAbsoluteArmed = true;
                }
            }
        }
        aimRate = lastWindowFrames;
        if (in.rxFrameDone) aimDelay = delay;
        aimBusy = busy;

        // ---- transmit -------------------------------------------------------------------------
        long tidv = field(in.tidv, Registers.TIDV.field("DELAY"));
        long tadv = field(in.tadv, Registers.TADV.field("DELAY"));
        boolean txAbsoluteRunning = txAbsoluteDeadline >= c;
        txPacketExpired = txPacketDeadline == c;
        txAbsoluteExpired = txAbsoluteDeadline == c;
        boolean txAtOnce = in.txDescriptorDone && (!in.txIde || tidv == 0);
        boolean txFlushed = in.txFlush && (txPending || in.txDescriptorDone);
        txInterrupt = txPacketExpired || txAbsoluteExpired || txAtOnce || txFlushed;
        txPacketArmed = txAbsoluteArmed = false;
        if (txInterrupt) {
            set |= Cause.TXDW.mask();
            txPending = false;
            txPacketDeadline = txAbsoluteDeadline = -1;
        } else if (in.txDescriptorDone) {
            txPending = true;
            txPacketDeadline = vthTickAfter(c, tidv);
            txPacketArmed = true;
            if (!txAbsoluteRunning && tadv != 0) {
                txAbsoluteDeadline = vthTickAfter(c, tadv);
                txAbsoluteArmed = true;
            }
        }

        // ---- the other causes, ICR and IMS --------------------------------------------------------
        if (in.txQueueEmpty) set |= Cause.TXQE.mask();
        if (in.linkChange) set |= Cause.LSC.mask();
        if (in.lowDescriptors) set |= Cause.RXDMT0.mask();
        if (in.rxOverrun) set |= Cause.RXO.mask();
        if (in.dmaError) set |= Cause.DMAERR.mask();
        if (in.icsWrite) set |= in.icsWriteData;
        long kept = icr;
        if (in.icrRead) kept = 0;
        if (in.icrWrite) kept &= ~in.icrWriteData;
        icr = (kept | set) & CAUSES;
        if (in.imsWrite) ims |= in.imsWriteData;
        if (in.imcWrite) ims &= ~in.imcWriteData;
        ims &= CAUSES;

        // ---- the line ---------------------------------------------------------------------------
        boolean wanted = (icr & ims) != 0;
        boolean mayRise = c >= nextRiseAllowed;
        boolean rise = wanted && !irq && mayRise;
        if (rise) {
            long itr = field(in.itr, Registers.ITR.field("INTERVAL"));
            nextRiseAllowed = c + throttleCycles(itr);
        }
        boolean held = wanted && !irq && !mayRise;
        throttled = held && !holding;
        holding = held;
        irq = wanted && (irq || rise);
        cycle++;
    }

    /** ICR as a read returns it: the causes and INT_ASSERTED. */
    public long icrRead() {
        return icr | (irq ? Cause.INT_ASSERTED.mask() : 0);
    }
}

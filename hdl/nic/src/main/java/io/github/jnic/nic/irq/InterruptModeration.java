package io.github.jnic.nic.irq;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.lib.Flow;
import io.github.jnic.spec.Field;
import io.github.jnic.spec.Registers;
import io.github.jnic.spec.Registers.Aim;
import io.github.jnic.spec.Registers.Cause;

/**
 * The card's interrupt causes and their moderation: it owns ICR and IMS, decides when RXT0 and
 * TXDW are raised (RDTR, RADV, RXFC, TIDV, TADV, the adaptive mode of AIM) and when the interrupt
 * line may rise (ITR). docs/nic.md, "Interrupt moderation", gives the rules with a timing diagram
 * per timer; this is their RTL, checked cycle by cycle against {@code ModerationModel} in the
 * testbench.
 *
 * <p>Ports (system clock domain; a pulse is high for one cycle):
 * <ul>
 *   <li>register accesses from the register file: {@code icrRead} (the cycle ICR is read: it
 *       returns {@code icr} and clears it), {@code icrWrite} (write 1s to clear), {@code icsWrite}
 *       (set causes), {@code imsWrite} (set mask bits), {@code imcWrite} (clear mask bits), each a
 *       {@code Flow} of the 32-bit value written ({@code _valid}, {@code _payload});
 *   <li>the registers' values as stored by the register file, whole 32-bit words: {@code itr},
 *       {@code rdtr}, {@code radv}, {@code tidv}, {@code tadv}, {@code rxfc}, {@code aim} (the
 *       fields are sliced here, from {@link Registers}); {@code rxFlush} and {@code txFlush}, the
 *       cycle RDTR or TIDV is written with FPD set;
 *   <li>event pulses: {@code rxFrameDone} (a frame's last descriptor written back,
 *       {@code rxFrameLength} its length),
 *       {@code txDescriptorDone} with {@code txIde} (the descriptor's IDE bit), {@code txQueueEmpty},
 *       {@code linkChange}, {@code lowDescriptors}, {@code rxOverrun}, {@code dmaError};
 *   <li>out: {@code icr} (the pending causes and INT_ASSERTED, what an ICR read returns),
 *       {@code ims} (the mask, what an IMS read returns), {@code irq} (the interrupt line, a level);
 *   <li>observability, registered so they line up with {@code icr}: pulses
 *       {@code rxPacketArmed}/{@code rxAbsoluteArmed}/{@code txPacketArmed}/{@code txAbsoluteArmed}
 *       (a timer started, or the packet timer restarted; the receive absolute timer counts from the
 *       cycle after), {@code rxPacketExpired} ...
 *       {@code txAbsoluteExpired}, {@code rxCountReached} (RXFC or the adaptive frame count),
 *       {@code rxInterrupt}/{@code txInterrupt} (RXT0/TXDW raised by the moderation),
 *       {@code throttled} (the first cycle ITR holds a wanted interrupt back); levels
 *       {@code aimRate} (frames in the last adaptive window) and {@code aimDelay} (the delay the
 *       adaptive mode chose for the last frame, 1.024 µs units), {@code aimBusy} (it finds the wire busy).
 * </ul>
 * Every output is a register (or two registers ORed): no combinational path from an input.
 * Events and register accesses of one cycle show in {@code icr}, {@code irq} and the pulses the
 * next cycle.
 */
public class InterruptModeration extends Module {
    // register accesses
    public final Bool icrRead = input(bool());
    public final Flow<UInt> icrWrite = input(Flow.of(uint(32)));
    public final Flow<UInt> icsWrite = input(Flow.of(uint(32)));
    public final Flow<UInt> imsWrite = input(Flow.of(uint(32)));
    public final Flow<UInt> imcWrite = input(Flow.of(uint(32)));
    // register values
    public final UInt itr = input(uint(32));
    public final UInt rdtr = input(uint(32));
    public final UInt radv = input(uint(32));
    public final UInt tidv = input(uint(32));
    public final UInt tadv = input(uint(32));
    public final UInt rxfc = input(uint(32));
    public final UInt aim = input(uint(32));
    public final Bool rxFlush = input(bool());
    public final Bool txFlush = input(bool());
    // events
    public final Bool rxFrameDone = input(bool());
    /** The frame's length as written back, with {@code rxFrameDone}. */
    public final UInt rxFrameLength = input(uint(16));
    public final Bool txDescriptorDone = input(bool());
    public final Bool txIde = input(bool());
    public final Bool txQueueEmpty = input(bool());
    public final Bool linkChange = input(bool());
    public final Bool lowDescriptors = input(bool());
    public final Bool rxOverrun = input(bool());
    public final Bool dmaError = input(bool());
    /** CTRL.RST: while high, ICR, IMS and the line are cleared and every timer stops. */
    public final Bool cardReset = input(bool());

    public final UInt icr = output(uint(32));
    public final UInt ims = output(reg(uint(32), 0));
    public final Bool irq = output(reg(bool(), false));

    public final Bool rxPacketArmed = output(reg(bool(), false));
    public final Bool rxAbsoluteArmed = output(reg(bool(), false));
    public final Bool rxPacketExpired = output(reg(bool(), false));
    public final Bool rxAbsoluteExpired = output(reg(bool(), false));
    public final Bool rxCountReached = output(reg(bool(), false));
    public final Bool rxInterrupt = output(reg(bool(), false));
    public final Bool txPacketArmed = output(reg(bool(), false));
    public final Bool txAbsoluteArmed = output(reg(bool(), false));
    public final Bool txPacketExpired = output(reg(bool(), false));
    public final Bool txAbsoluteExpired = output(reg(bool(), false));
    public final Bool txInterrupt = output(reg(bool(), false));
    public final Bool throttled = output(reg(bool(), false));
    public final UInt aimRate = output(reg(uint(8), 0));
    public final UInt aimDelay = output(reg(uint(16), 0));
    /** The adaptive mode finds the wire busy (Aim.BUSY_BYTES): MAXDELAY does not cap aimDelay. */
    public final Bool aimBusy = output(reg(bool(), false));
    /**
     * Time alone changes nothing: no moderation timer is running (RDTR, RADV, TIDV, TADV, ITR's
     * interval) and, in the adaptive mode, the rate window holds no frame.
     */
    public final Bool timersIdle = output(bool());

    /** The cause bits ICR, ICS, IMS and IMC hold. */
    public static final long CAUSES = Cause.ALL.stream().mapToLong(Field::mask).reduce(0, (a, b) -> a | b);

    /** 256 ns (ITR) and 1.024 µs (the delay timers, the adaptive window) from the system clock. */
    final TickGenerator itrTicks, delayTicks;
    final DelayTimer rxPacket = new DelayTimer(16), rxAbsolute = new DelayTimer(16);
    final DelayTimer txPacket = new DelayTimer(16), txAbsolute = new DelayTimer(16);
    final DelayTimer throttle = new DelayTimer(16);

    final UInt causes = reg(uint(32), 0);
    /** Frames written back since RXT0 was last raised by the moderation (saturating). */
    final UInt rxPending = reg(uint(16), 0);
    /** IDE descriptors written back since TXDW was last raised. */
    final Bool txPending = reg(bool(), false);
    final UInt windowTicks = reg(uint(7), 0);
    final UInt windowFrames = reg(uint(8), 0);
    final UInt windowBytes = reg(uint(16), 0), lastWindowBytes = reg(uint(16), 0);
    final Bool holding = reg(bool(), false);
    /** The absolute timer starts this cycle, with {@code absoluteLoad} (set by the frame of the cycle before). */
    final Bool absolutePending = reg(bool(), false);
    final UInt absoluteLoad = reg(uint(16), 0);

    /** @param sysClockHz the system clock's frequency (125 MHz in simulation, 62.5 MHz on the board target) */
    public InterruptModeration(long sysClockHz) {
        if (Aim.WINDOW_UNITS != 1 << windowTicks.width()) throw new IllegalStateException("the adaptive window is 2^" + windowTicks.width() + " units");
        itrTicks = new TickGenerator(sysClockHz, 256);
        delayTicks = new TickGenerator(sysClockHz, 1024);
        delayTicks.restart.assign(false);
        Bool tick = delayTicks.tick;
        for (DelayTimer t : new DelayTimer[] {rxPacket, rxAbsolute, txPacket, txAbsolute}) t.tick.assign(tick);

        icr.assign(causes.or(mux(irq, U(32, Cause.INT_ASSERTED.mask()), U(32, 0))));

        // ---- receive: RDTR/RADV/RXFC, or the adaptive mode -------------------------------------
        Bool adaptive = field(aim, Aim.EN).asBool();
        UInt rdtrDelay = field(rdtr, Registers.RDTR.field("DELAY"));
        UInt radvDelay = field(radv, Registers.RADV.field("DELAY"));
        // Each count as it stands if a frame ends this cycle ("with"): the arithmetic works from
        // registers alone, and rxFrameDone only chooses between a count and its successor.
        UInt pendingWith = mux(rxPending.andR(), rxPending, rxPending.plus(1)).named("pendingWith");
        UInt pendingNext = mux(rxFrameDone, pendingWith, rxPending).named("pendingNext");

        // the adaptive window: frames counted over WINDOW_UNITS ticks
        UInt framesWith = mux(windowFrames.andR(), windowFrames, windowFrames.plus(1)).named("framesWith");
        UInt framesNow = mux(rxFrameDone, framesWith, windowFrames).named("framesNow");
        Bool windowEnd = tick.and(windowTicks.andR()).named("windowEnd");
        when(tick, () -> windowTicks.next(windowTicks.plus(1)));
        UInt bytesSum = windowBytes.resize(17).plus(rxFrameLength.resize(17)).named("bytesSum");
        UInt bytesWith = mux(bytesSum.bit(16), U(16, 0xFFFF), bytesSum.slice(15, 0)).named("bytesWith");
        UInt bytesNow = mux(rxFrameDone, bytesWith, windowBytes).named("bytesNow");
        when(windowEnd, () -> {
            windowFrames.next(0);
            aimRate.next(framesNow);
            windowBytes.next(0);
            lastWindowBytes.next(bytesNow);
        }).otherwise(() -> {
            windowFrames.next(framesNow);
            windowBytes.next(bytesNow);
        });
        UInt busyBytes = U(16, Aim.BUSY_BYTES);
        Bool lastBusy = lastWindowBytes.ge(busyBytes);
        Bool busy = lastBusy.or(bytesNow.ge(busyBytes)).named("busy");
        Bool busyWith = lastBusy.or(bytesWith.ge(busyBytes)).named("busyWith");
        // sparse: max(aimRate, framesWith) <= SPARSE; SPARSE is at most 15, so framesWith's
        // saturation at 255 never matters and framesWith <= SPARSE is windowFrames < SPARSE
        UInt sparseLimit = field(aim, Aim.SPARSE).resize(8);
        Bool sparseWith = aimRate.le(sparseLimit).and(windowFrames.lt(sparseLimit)).named("sparseWith");
        UInt target = field(aim, Aim.FRAMES);
        UInt frames = mux(target.eq(0), U(8, 1), target).named("frames");
        // the time `frames` frames take at `rate` frames per window, rounded up to a power of two:
        // frames << (log2(window) - floor(log2(rate))), rate = max(aimRate, framesWith), whose
        // highest one is the highest one of aimRate | framesWith (bit 0 alone: rate 1, shift 7 as for 0)
        UInt rateBits = aimRate.slice(7, 1).or(framesWith.slice(7, 1)).named("rateBits");
        UInt shift = U(3, 7);
        for (int b = 1; b < 8; b++) shift = mux(rateBits.bit(b - 1), U(3, 7 - b), shift);
        UInt rateDelay = frames.resize(16).shiftLeft(shift.named("rateShift")).named("rateDelay");
        UInt cap = field(aim, Aim.MAXDELAY);
        UInt adaptiveDelay = mux(cap.ne(0).and(cap.lt(rateDelay)).and(busyWith.not()), cap, rateDelay).named("adaptiveDelay");
        when(rxFrameDone, () -> aimDelay.next(adaptiveDelay));
        aimBusy.next(busy);

        UInt threshold = mux(adaptive, frames.resize(16), field(rxfc, Registers.RXFC.field("FRAMES"))).named("threshold");
        Bool countReached = rxFrameDone.and(threshold.ne(0)).and(pendingWith.ge(threshold)).named("countReached");
        Bool rxAtOnce = rxFrameDone.and(mux(adaptive, sparseWith, rdtrDelay.eq(0))).named("rxAtOnce");
        Bool rxFlushed = rxFlush.and(rxPending.ne(0).or(rxFrameDone));
        Bool rxFire = rxPacket.expired.or(rxAbsolute.expired).or(countReached).or(rxAtOnce).or(rxFlushed).named("rxFire");
        Bool rxDelayed = rxFrameDone.and(rxFire.not()).named("rxDelayed");

        rxPacket.stop.assign(rxFire.or(cardReset));
        rxPacket.arm.assign(rxDelayed.and(adaptive.not()));
        rxPacket.load.assign(rdtrDelay);
        // the absolute timer starts the cycle after the frame, with the delay worked out in the
        // frame's cycle (a register between the arithmetic and the timer); RXT0 in that cycle stops it
        Bool absoluteStart = rxDelayed.and(rxAbsolute.running.or(absolutePending).not())
                .and(adaptive.or(radvDelay.ne(0))).named("absoluteStart");
        absolutePending.next(absoluteStart.and(cardReset.not()));
        absoluteLoad.next(mux(adaptive, adaptiveDelay, radvDelay));
        rxAbsolute.stop.assign(rxFire.or(cardReset));
        rxAbsolute.arm.assign(absolutePending);
        rxAbsolute.load.assign(absoluteLoad);
        rxPending.next(mux(rxFire.or(cardReset), U(16, 0), pendingNext));

        // ---- transmit: TIDV/TADV for IDE descriptors -------------------------------------------
        UInt tidvDelay = field(tidv, Registers.TIDV.field("DELAY"));
        UInt tadvDelay = field(tadv, Registers.TADV.field("DELAY"));
        Bool txAtOnce = txDescriptorDone.and(txIde.not().or(tidvDelay.eq(0)));
        Bool txFlushed = txFlush.and(txPending.or(txDescriptorDone));
        Bool txFire = txPacket.expired.or(txAbsolute.expired).or(txAtOnce).or(txFlushed).named("txFire");
        Bool txDelayed = txDescriptorDone.and(txFire.not()).named("txDelayed");
        txPacket.stop.assign(txFire.or(cardReset));
        txPacket.arm.assign(txDelayed);
        txPacket.load.assign(tidvDelay);
        txAbsolute.stop.assign(txFire.or(cardReset));
        txAbsolute.arm.assign(txDelayed.and(txAbsolute.running.not()).and(tadvDelay.ne(0)));
        txAbsolute.load.assign(tadvDelay);
        txPending.next(txDelayed.or(txPending.and(txFire.not())).and(cardReset.not()));

        // ---- ICR and IMS ------------------------------------------------------------------------
        UInt set = flowValue(icsWrite)
                .or(cause(Cause.TXDW, txFire))
                .or(cause(Cause.TXQE, txQueueEmpty))
                .or(cause(Cause.LSC, linkChange))
                .or(cause(Cause.RXDMT0, lowDescriptors))
                .or(cause(Cause.RXO, rxOverrun))
                .or(cause(Cause.RXT0, rxFire))
                .or(cause(Cause.DMAERR, dmaError)).named("set");
        // a read clears what it returned; causes arriving in the same cycle stay
        UInt clear = mux(icrRead, U(32, 0xFFFF_FFFFL), U(32, 0)).or(flowValue(icrWrite)).named("clear");
        UInt causesNext = causes.and(clear.not()).or(set).and(U(32, CAUSES)).named("causesNext");
        UInt imsNext = ims.or(flowValue(imsWrite)).and(flowValue(imcWrite).not()).and(U(32, CAUSES)).named("imsNext");
        causes.next(mux(cardReset, U(32, 0), causesNext));
        ims.next(mux(cardReset, U(32, 0), imsNext));

        // ---- the line and ITR: after each rise, no new rise for ITR x 256 ns ----------------------
        Bool wanted = causesNext.and(imsNext).orR().named("wanted");
        Bool free = throttle.running.not().or(throttle.expired).named("free");
        Bool rise = wanted.and(irq.not()).and(free).named("rise");
        UInt itrInterval = field(itr, Registers.ITR.field("INTERVAL"));
        itrTicks.restart.assign(rise);
        throttle.tick.assign(itrTicks.tick);
        throttle.arm.assign(rise.and(itrInterval.ne(0)));
        throttle.stop.assign(cardReset);
        throttle.load.assign(itrInterval);
        irq.next(wanted.and(irq.or(free)).and(cardReset.not()));
        Bool held = wanted.and(irq.not()).and(free.not()).named("held");
        holding.next(held);

        // ---- observability ------------------------------------------------------------------------
        rxPacketArmed.next(rxPacket.arm);
        rxAbsoluteArmed.next(absoluteStart);
        rxPacketExpired.next(rxPacket.expired);
        rxAbsoluteExpired.next(rxAbsolute.expired);
        rxCountReached.next(countReached);
        rxInterrupt.next(rxFire);
        txPacketArmed.next(txPacket.arm);
        txAbsoluteArmed.next(txAbsolute.arm);
        txPacketExpired.next(txPacket.expired);
        txAbsoluteExpired.next(txAbsolute.expired);
        txInterrupt.next(txFire);
        throttled.next(held.and(holding.not()));
        // the adaptive window's counts age with time too: idle once two windows passed without a frame
        Bool windowEmpty = adaptive.not().or(windowFrames.eq(0).and(aimRate.eq(0)));
        timersIdle.assign(rxPacket.running.or(rxAbsolute.running).or(absolutePending).or(txPacket.running).or(txAbsolute.running).or(throttle.running).not()
                .and(windowEmpty));
    }

    private static UInt field(UInt register, Field f) {
        return register.slice(f.msb(), f.lsb());
    }

    private static UInt cause(Field f, Bool when) {
        return mux(when, U(32, f.mask()), U(32, 0));
    }

    private static UInt flowValue(Flow<UInt> write) {
        return mux(write.valid, write.payload, U(32, 0));
    }
}

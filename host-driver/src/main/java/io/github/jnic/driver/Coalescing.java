package io.github.jnic.driver;

import io.github.jnic.spec.Registers.Aim;

/**
 * Interrupt coalescing as ethtool speaks of it ({@code ethtool -C rx-usecs N rx-frames N tx-usecs N
 * tx-frames N adaptive-rx on}), and how the driver maps it onto the card's registers, as e1000e and
 * igb map theirs:
 *
 * <ul>
 *   <li><b>rx-usecs</b> with rx-frames at most 1: e1000e's mapping, a floor on the interval between
 *       interrupts: {@code ITR = rx-usecs * 1000 / 256} (e1000e writes {@code 10^9 / (ints/s * 256)}
 *       with {@code ints/s = 10^6 / rx-usecs}); RDTR and RADV 0, so a frame after a quiet spell
 *       interrupts at once. 0 turns moderation off.
 *   <li><b>rx-frames</b> above 1: ethtool's rule, "interrupt when {@code rx-usecs} have passed since
 *       the first frame or {@code rx-frames} have arrived": RXFC = rx-frames, RADV = rx-usecs (the
 *       absolute timer, armed by the first frame), RDTR = rx-usecs (e1000 ignores RADV when RDTR is 0),
 *       ITR 0.
 *   <li><b>tx-usecs</b>: descriptors carry IDE and TIDV = tx-usecs, TADV = 4 × TIDV (e1000e's defaults,
 *       TxIntDelay 8 and TxAbsIntDelay 32, have that ratio); 0: no IDE, TXDW at once.
 *   <li><b>tx-frames</b>: RS (report status) on every tx-frames-th frame and on the last frame before
 *       each doorbell; 0 or 1: on every frame, as e1000e does.
 *   <li><b>adaptive-rx</b>: the card's adaptive mode (AIM.EN) chooses the receive delay itself, aiming
 *       at rx-frames per interrupt under load (AIM.FRAMES; 128 when rx-frames is 0 or 1), never
 *       delaying a frame more than rx-usecs (AIM.MAXDELAY) unless the wire is busy (then FRAMES
 *       ends each batch), and interrupting at once for every frame while traffic is sparse
 *       (AIM.SPARSE 4 frames a window); ITR is then 0.
 * </ul>
 * Timer registers count 1.024 µs; a non-zero microsecond value rounds up to at least one unit.
 */
public record Coalescing(int rxUsecs, int rxFrames, int txUsecs, int txFrames, boolean adaptiveRx) {

    /**
     * Adaptive mode: at or below this many frames per 131 µs window (about 30 000 frames/s) every
     * frame interrupts at once, so light traffic sees no moderation delay.
     */
    static final int ADAPTIVE_SPARSE = 4;
    /** Adaptive mode: frames per interrupt to aim at under load when rx-frames does not say (igb's ITR aims at about as many). */
    static final int ADAPTIVE_FRAMES = 128;

    public Coalescing {
        if (rxUsecs < 0 || rxFrames < 0 || txUsecs < 0 || txFrames < 0) throw new IllegalArgumentException(toString());
    }

    /** e1000e's defaults: 20 000 interrupts/s at most (rx-usecs 50), TIDV 8, TADV 32. */
    public static Coalescing defaults() { return new Coalescing(50, 1, 8, 1, false); }

    /** No moderation: an interrupt for every frame and every transmit completion. */
    public static Coalescing off() { return new Coalescing(0, 1, 0, 1, false); }

    /** What to write into ITR (256 ns units). */
    int itr() { return rxFrames > 1 || adaptiveRx ? 0 : clamp16((rxUsecs * 1000L + 255) / 256); }
    /** RDTR (1.024 µs units). */
    int rdtr() { return rxFrames > 1 ? units(rxUsecs) : 0; }
    /** RADV (1.024 µs units). */
    int radv() { return rxFrames > 1 ? units(rxUsecs) : 0; }
    /** RXFC (frames). */
    int rxfc() { return rxFrames > 1 ? clamp16(rxFrames) : 0; }
    /** TIDV (1.024 µs units). */
    int tidv() { return units(txUsecs); }
    /** TADV (1.024 µs units). */
    int tadv() { return clamp16(4L * units(txUsecs)); }
    /** AIM. */
    int aim() {
        if (!adaptiveRx) return 0;
        int frames = rxFrames > 1 ? Math.min(rxFrames, 255) : ADAPTIVE_FRAMES;
        return (int) (Aim.EN.of(1) | Aim.SPARSE.of(ADAPTIVE_SPARSE) | Aim.FRAMES.of(frames) | Aim.MAXDELAY.of(units(rxUsecs)));
    }
    /** Whether transmit descriptors carry IDE (their TXDW delayed by TIDV/TADV). */
    boolean txDelayed() { return txUsecs > 0; }
    /** RS on every how many frames. */
    int txReportEvery() { return Math.max(1, txFrames); }

    private static int units(long usecs) { return clamp16((usecs * 1000 + 1023) / 1024); }
    private static int clamp16(long v) { return (int) Math.min(v, 0xffff); }
}

package io.github.jnic.boards;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;

/**
 * One LED that tells a bring-up what it needs: a slow blink (1 Hz) while the link is down — the
 * bitstream runs and its clock with it —, steady on with the link up, and dark for about 50 ms after
 * each frame (activity).
 */
public class StatusLed extends Module {
    public final Bool linkUp = input(bool());
    /** One clock per frame. */
    public final Bool activity = input(bool());
    public final Bool on = output(bool());

    public StatusLed(long clockHz) {
        long half = clockHz / 2;
        long dark = clockHz / 20;
        int blinkBits = 64 - Long.numberOfLeadingZeros(half);
        int darkBits = 64 - Long.numberOfLeadingZeros(dark);
        UInt blink = reg(uint(blinkBits), 0).named("blink");
        Bool phase = reg(bool(), false).named("phase");
        UInt darkLeft = reg(uint(darkBits), 0).named("darkLeft");
        when(blink.ge(half - 1), () -> {
            blink.next(0);
            phase.next(phase.not());
        }).otherwise(() -> blink.next(blink.plus(1)));
        when(activity, () -> darkLeft.next(dark)).elseWhen(darkLeft.ne(0), () -> darkLeft.next(darkLeft.minus(1)));
        on.assign(mux(linkUp, darkLeft.eq(0), phase));
    }
}

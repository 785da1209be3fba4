package io.github.jnic.nic.mac;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.UInt;

/**
 * Receive statistics, fed by the {@code done} pulses of {@link MacRx}. Every bad frame counts once
 * in {@code badFrames} and once in exactly one reason counter (the precedence is MacRx's).
 */
public class RxStats extends Counters {
    public static final int FRAMES = 0, OCTETS = 1, BAD_FRAMES = 2, BAD_OCTETS = 3, FCS_ERRORS = 4, RUNTS = 5,
            OVERSIZE = 6, PHY_ERRORS = 7, ODD_NIBBLES = 8;
    public static final String[] NAMES = {"frames", "octets", "badFrames", "badOctets", "fcsErrors", "runts",
            "oversize", "phyErrors", "oddNibbles"};

    public final Bool done = input(bool());
    public final Bool doneBad = input(bool());
    public final Bool doneFcsError = input(bool());
    public final Bool doneRunt = input(bool());
    public final Bool doneOversize = input(bool());
    public final Bool donePhyError = input(bool());
    public final Bool doneOddNibble = input(bool());
    public final UInt doneOctets = input(uint(MacRx.LENGTH_BITS));

    public RxStats() {
        Bool good = done.and(doneBad.not());
        Bool bad = done.and(doneBad);
        counter(NAMES[FRAMES], good);
        counter(NAMES[OCTETS], good, doneOctets);
        counter(NAMES[BAD_FRAMES], bad);
        counter(NAMES[BAD_OCTETS], bad, doneOctets);
        counter(NAMES[FCS_ERRORS], done.and(doneFcsError));
        counter(NAMES[RUNTS], done.and(doneRunt));
        counter(NAMES[OVERSIZE], done.and(doneOversize));
        counter(NAMES[PHY_ERRORS], done.and(donePhyError));
        counter(NAMES[ODD_NIBBLES], done.and(doneOddNibble));
        finish();
    }

    /** Connects the status pulses of a receiver. */
    public void countFrom(MacRx rx) {
        done.assign(rx.done);
        doneBad.assign(rx.doneBad);
        doneFcsError.assign(rx.doneFcsError);
        doneRunt.assign(rx.doneRunt);
        doneOversize.assign(rx.doneOversize);
        donePhyError.assign(rx.donePhyError);
        doneOddNibble.assign(rx.doneOddNibble);
        doneOctets.assign(rx.doneOctets);
    }
}

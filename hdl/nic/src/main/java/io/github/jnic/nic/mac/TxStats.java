package io.github.jnic.nic.mac;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.UInt;

/**
 * Transmit statistics, fed by the {@code done} pulses of {@link MacTx}. Octets count a frame from
 * its first byte after the SFD to its last FCS byte.
 */
public class TxStats extends Counters {
    public static final int FRAMES = 0, OCTETS = 1, BAD_FRAMES = 2, BAD_OCTETS = 3, UNDERRUNS = 4;
    public static final String[] NAMES = {"frames", "octets", "badFrames", "badOctets", "underruns"};

    public final Bool done = input(bool());
    public final Bool doneBad = input(bool());
    public final Bool doneUnderrun = input(bool());
    public final UInt doneOctets = input(uint(MacTx.LENGTH_BITS));

    public TxStats() {
        Bool good = done.and(doneBad.not());
        Bool bad = done.and(doneBad);
        counter(NAMES[FRAMES], good);
        counter(NAMES[OCTETS], good, doneOctets);
        counter(NAMES[BAD_FRAMES], bad);
        counter(NAMES[BAD_OCTETS], bad, doneOctets);
        counter(NAMES[UNDERRUNS], done.and(doneUnderrun));
        finish();
    }

    /** Connects the status pulses of a transmitter. */
    public void countFrom(MacTx tx) {
        done.assign(tx.done);
        doneBad.assign(tx.doneBad);
        doneUnderrun.assign(tx.doneUnderrun);
        doneOctets.assign(tx.doneOctets);
    }
}

package io.github.jnic.nic.offload;

import static io.github.jnic.jhdl.Hdl.U;
import static io.github.jnic.jhdl.Hdl.cat;
import static io.github.jnic.jhdl.Hdl.mux;
import static io.github.jnic.jhdl.Hdl.uint;
import static io.github.jnic.jhdl.Hdl.wire;
import static io.github.jnic.nic.stream.Beat.lane;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Signal;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.nic.stream.Beat;

/**
 * Ones'-complement arithmetic on the card's 64-bit beats, shared by the receive and transmit
 * engines. A beat's byte lane {@code i} is the frame's byte {@code 8 * beat + i}; since the beat
 * starts at an even offset, lanes {@code 2j, 2j + 1} are one big-endian 16-bit word of the frame,
 * as the Internet checksum (RFC 1071) pairs them. A sum over a range starting at an odd offset is
 * taken in these frame-aligned words and byte-swapped at the end (RFC 1071's byte-order
 * independence: swapping every word swaps the sum).
 */
final class Sums {
    private Sums() {}

    /** Bits of a byte position in a frame (frames up to 64 KiB, as PAYLEN-sized inputs may be). */
    static final int POSITION_BITS = 16;
    /** Bits of a beat index: a position without its lane. */
    static final int BEAT_BITS = POSITION_BITS - 3;
    /** Bits of a beat's word sum: four 16-bit words. */
    static final int WORD_SUM_BITS = 18;

    /** The big-endian 16-bit word {@code j} (lanes 2j and 2j + 1) of a beat. */
    static UInt word(UInt data, int j) {
        return cat(lane(data, 2 * j), lane(data, 2 * j + 1)).asUInt();
    }

    /**
     * The sum of the beat's four words with the lanes outside {@code mask} taken as zero (18 bits, no
     * folding). Built from the beat's own lanes, with no masked beat of its own between: one
     * expression, which a register's update that alone reads it holds inside its enable, so the
     * simulation works it out only on the cycles that take it.
     */
    static UInt wordSum(UInt data, UInt mask) {
        UInt[] w = new UInt[Beat.BYTES / 2];
        for (int j = 0; j < w.length; j++)
            w[j] = cat(mux(mask.bit(2 * j), lane(data, 2 * j), U(8, 0)), mux(mask.bit(2 * j + 1), lane(data, 2 * j + 1), U(8, 0)))
                    .asUInt().resize(WORD_SUM_BITS);
        return w[0].plus(w[1]).plus(w[2].plus(w[3]));
    }

    /**
     * The lanes of beat number {@code beat} whose frame positions lie in {@code [start, end)}, or from
     * {@code start} on when {@code open} (null: never): compares beat indices once per bound and
     * decodes the lane inside the boundary beats. A bound narrower than a frame position (a header
     * offset) is compared in its own width, the beat's higher bits tested once.
     */
    static UInt laneRange(UInt beat, UInt start, UInt end, Bool open) {
        UInt startBeat = start.slice(start.width() - 1, 3), endBeat = end.slice(end.width() - 1, 3);
        UInt startLane = start.slice(2, 0), endLane = end.slice(2, 0);
        Bool afterStart = above(beat, startBeat), atStart = equal(beat, startBeat);
        Bool beforeEnd = above(beat, endBeat).or(equal(beat, endBeat)).not(), atEnd = equal(beat, endBeat);
        if (open != null) {
            beforeEnd = beforeEnd.or(open);
            atEnd = atEnd.and(open.not());
        }
        Signal[] bits = new Signal[Beat.BYTES];
        for (int i = 0; i < Beat.BYTES; i++) {
            Bool from = i == Beat.BYTES - 1 ? afterStart.or(atStart) : afterStart.or(atStart.and(startLane.le(i)));
            Bool to = i == Beat.BYTES - 1 ? beforeEnd : beforeEnd.or(atEnd.and(endLane.gt(i)));
            bits[Beat.BYTES - 1 - i] = from.and(to);
        }
        return cat(bits).asUInt();
    }

    /** {@code a > b}, for a {@code b} no wider than {@code a}: compared in b's width, a's higher bits tested once. */
    static Bool above(UInt a, UInt b) {
        if (b.width() >= a.width()) return a.resize(b.width()).gt(b);
        return a.slice(a.width() - 1, b.width()).orR().or(a.slice(b.width() - 1, 0).gt(b));
    }

    /** {@code a == b}, for a {@code b} no wider than {@code a}. */
    static Bool equal(UInt a, UInt b) {
        if (b.width() >= a.width()) return a.resize(b.width()).eq(b);
        return a.slice(a.width() - 1, b.width()).orR().not().and(a.slice(b.width() - 1, 0).eq(b));
    }

    /** {@code a >= b}, for a {@code b} no wider than {@code a}. */
    static Bool atLeast(UInt a, UInt b) {
        if (b.width() >= a.width()) return a.resize(b.width()).ge(b);
        return a.slice(a.width() - 1, b.width()).orR().or(a.slice(b.width() - 1, 0).ge(b));
    }

    /** A wide sum folded to 16 bits with end-around carries (inputs up to 32 bits). */
    static UInt fold(UInt sum) {
        if (sum.width() > 32) throw new IllegalArgumentException("fold takes at most 32 bits");
        UInt s = sum.resize(32);
        UInt once = s.slice(15, 0).resize(17).plus(s.slice(31, 16).resize(17));
        return once.slice(15, 0).plus(once.bit(16).asUInt().resize(16));
    }

    /** The ones'-complement sum of two 16-bit values. */
    static UInt add(UInt a, UInt b) {
        return fold(a.resize(17).plus(b.resize(17)));
    }

    /** The two bytes of a 16-bit value exchanged. */
    static UInt swap(UInt v) {
        return cat(v.slice(7, 0), v.slice(15, 8)).asUInt();
    }

    /** {@code value} through a wire of its own (so that a value read only in part is declared, and its unread bits listed as such). */
    static UInt held(UInt value, String name) {
        UInt w = wire(uint(value.width())).named(name);
        w.assign(value);
        return w;
    }

    /** The number of lanes set in a keep mask. */
    static UInt count(UInt keep) {
        UInt n = U(4, 0);
        for (int i = 0; i < keep.width(); i++) n = n.plus(keep.bit(i).asUInt().resize(4));
        return n;
    }
}

package io.github.jnic.net.tcp;

/**
 * The sender's record of what the peer has selectively acknowledged (RFC 2018), and the queries
 * of RFC 6675 loss recovery built on it: which unacknowledged bytes count as lost, how many bytes
 * are in the network ("pipe"), and where the next hole is. Ranges are sequence numbers, kept
 * sorted above SND.UNA, at most a fixed number (when full, the highest range is forgotten: the
 * sender just retransmits a little more).
 */
final class SackScoreboard {
    /** RFC 6675 DupThresh. */
    static final int DUP_THRESH = 3;

    private final int[] lefts;
    private final int[] rights;
    private int count;
    private long sackedBytes;

    SackScoreboard(int maxRanges) {
        lefts = new int[maxRanges];
        rights = new int[maxRanges];
    }

    void clear() {
        count = 0;
        sackedBytes = 0;
    }

    boolean isEmpty() { return count == 0; }
    int ranges() { return count; }
    long sackedBytes() { return sackedBytes; }
    /** Highest SACKed sequence number + 1, or {@code otherwise} when nothing is SACKed. */
    int highestSacked(int otherwise) { return count == 0 ? otherwise : rights[count - 1]; }

    /**
     * Records one SACK block; ignores blocks that are empty or not inside {@code (sndUna, sndMax]}.
     * Returns whether it was valid.
     */
    boolean add(int left, int right, int sndUna, int sndMax) {
        if (!Seq.lt(left, right) || Seq.lt(left, sndUna) || Seq.gt(right, sndMax)) return false;
        int lo = 0;
        while (lo < count && Seq.lt(rights[lo], left)) lo++;
        int hi = lo;
        while (hi < count && Seq.le(lefts[hi], right)) hi++;
        if (lo == hi) {
            if (count == lefts.length) {
                if (lo == count) return true; // above everything kept: forget it
                count--;
            }
            System.arraycopy(lefts, lo, lefts, lo + 1, count - lo);
            System.arraycopy(rights, lo, rights, lo + 1, count - lo);
            lefts[lo] = left;
            rights[lo] = right;
            count++;
        } else {
            lefts[lo] = Seq.min(left, lefts[lo]);
            rights[lo] = Seq.max(right, rights[hi - 1]);
            System.arraycopy(lefts, hi, lefts, lo + 1, count - hi);
            System.arraycopy(rights, hi, rights, lo + 1, count - hi);
            count -= hi - lo - 1;
        }
        recount();
        return true;
    }

    /** Forgets everything below the cumulative acknowledgment. */
    void advance(int sndUna) {
        int drop = 0;
        while (drop < count && Seq.le(rights[drop], sndUna)) drop++;
        if (drop > 0) {
            System.arraycopy(lefts, drop, lefts, 0, count - drop);
            System.arraycopy(rights, drop, rights, 0, count - drop);
            count -= drop;
        }
        if (count > 0 && Seq.lt(lefts[0], sndUna)) lefts[0] = sndUna;
        recount();
    }

    boolean isSacked(int seq) {
        for (int i = 0; i < count; i++) if (Seq.inRange(seq, lefts[i], rights[i])) return true;
        return false;
    }

    /** The first sequence number at or after {@code seq} that is not SACKed. */
    int nextUnsacked(int seq) {
        for (int i = 0; i < count; i++) {
            if (Seq.inRange(seq, lefts[i], rights[i])) seq = rights[i];
        }
        return seq;
    }

    /** Where the hole containing unSACKed {@code seq} ends: the next SACKed byte, or {@code limit}. */
    int holeEnd(int seq, int limit) {
        for (int i = 0; i < count; i++) if (Seq.gt(lefts[i], seq)) return Seq.min(lefts[i], limit);
        return limit;
    }

    /**
     * RFC 6675 IsLost as a boundary: unSACKed bytes below the returned sequence number are lost
     * (DupThresh SACKed segments, or more than (DupThresh - 1) * MSS SACKed bytes, lie above them).
     * Returns {@code sndUna} when nothing is lost.
     */
    int lossBoundary(int sndUna, int mss) {
        long bytes = 0;
        long segments = 0;
        for (int i = count - 1; i >= 0; i--) {
            int len = rights[i] - lefts[i];
            bytes += len;
            segments += (len + mss - 1) / mss;
            if (segments >= DUP_THRESH || bytes > (long) (DUP_THRESH - 1) * mss) return lefts[i];
        }
        return sndUna;
    }

    /**
     * RFC 6675 SetPipe over {@code [sndUna, highData)}: each unSACKed byte counts once unless it is
     * lost (below {@code lossBoundary}), and once more if it was retransmitted (below {@code highRxt}).
     */
    long pipe(int sndUna, int highData, int highRxt, int lossBoundary) {
        long pipe = 0;
        int holeStart = sndUna;
        for (int i = 0; i <= count; i++) {
            int holeEnd = i < count ? lefts[i] : highData;
            if (Seq.lt(holeStart, holeEnd)) {
                pipe += span(Seq.max(holeStart, lossBoundary), holeEnd);
                pipe += span(holeStart, Seq.min(holeEnd, highRxt));
            }
            if (i < count) holeStart = rights[i];
        }
        return pipe;
    }

    /** Copies the ranges for inspection. */
    int copy(int[] left, int[] right) {
        System.arraycopy(lefts, 0, left, 0, count);
        System.arraycopy(rights, 0, right, 0, count);
        return count;
    }

    private static long span(int from, int to) {
        return Seq.lt(from, to) ? to - from : 0;
    }

    private void recount() {
        long s = 0;
        for (int i = 0; i < count; i++) s += rights[i] - lefts[i];
        sackedBytes = s;
    }
}

package io.github.jnic.testbench.phy;

import java.util.Arrays;
import java.util.BitSet;

/**
 * One transmission on an Ethernet wire, independent of the PHY interface: the bytes from the first
 * preamble byte to the last FCS byte, the byte times that carried the error signal, whether half a
 * byte trailed at the end (MII and RMII), and the idle byte times before it.
 */
public record Burst(byte[] bytes, BitSet errors, boolean oddNibble, int idleBefore) {

    /** A clean burst. */
    public static Burst of(byte[] bytes, int idleBefore) {
        return new Burst(bytes, new BitSet(), false, idleBefore);
    }

    public boolean hasError() {
        return !errors.isEmpty();
    }

    /** The bytes after the start-of-frame delimiter, or null when the burst has no preamble and SFD. */
    public byte[] afterSfd() {
        int i = 0;
        while (i < bytes.length && bytes[i] == Ethernet.PREAMBLE) i++;
        if (i == bytes.length || bytes[i] != Ethernet.SFD) return null;
        return Arrays.copyOfRange(bytes, i + 1, bytes.length);
    }

    /** The number of preamble bytes before the SFD. */
    public int preambleLength() {
        int i = 0;
        while (i < bytes.length && bytes[i] == Ethernet.PREAMBLE) i++;
        return i;
    }

    /** A copy with an error flag on byte {@code index} (counting from the first preamble byte). */
    public Burst withError(int index) {
        BitSet e = (BitSet) errors.clone();
        e.set(index);
        return new Burst(bytes, e, oddNibble, idleBefore);
    }

    public Burst withOddNibble() {
        return new Burst(bytes, errors, true, idleBefore);
    }

    @Override
    public String toString() {
        return "Burst[" + bytes.length + " bytes, errors " + errors + (oddNibble ? ", odd nibble" : "") + ", idle " + idleBefore + "]";
    }
}

package io.github.jnic.testbench.sim;

import io.github.jnic.jhdl.verilog.VerilogDesign;

import java.math.BigInteger;

/**
 * A top-level port of a loaded design. Values are unsigned; a port up to 64 bits wide is read and
 * written as a long, any port as a BigInteger or as little-endian 32-bit words.
 */
public final class Port {
    private final Simulator sim;
    private final int index;
    private final VerilogDesign.Port info;

    Port(Simulator sim, int index, VerilogDesign.Port info) {
        this.sim = sim;
        this.index = index;
        this.info = info;
    }

    public String name() {
        return info.name();
    }

    public int width() {
        return info.width();
    }

    public boolean isInput() {
        return info.direction() == VerilogDesign.Direction.INPUT;
    }

    int index() {
        return index;
    }

    Simulator simulator() {
        return sim;
    }

    /** Sets an input of at most 64 bits; the value must fit in the width. */
    public void set(long value) {
        checkInput();
        if (width() > 64) {
            set(BigInteger.valueOf(value).and(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE)));
            return;
        }
        if (width() < 64 && (value >>> width()) != 0)
            throw new IllegalArgumentException(name() + " is " + width() + " bits wide; 0x" + Long.toHexString(value) + " does not fit");
        Native.poke(sim.handle(), index, value);
    }

    public void set(boolean value) {
        set(value ? 1 : 0);
    }

    /** Sets an input of any width; the value must be non-negative and fit in the width. */
    public void set(BigInteger value) {
        if (value.signum() < 0 || value.bitLength() > width())
            throw new IllegalArgumentException(name() + " is " + width() + " bits wide; " + value + " does not fit");
        int[] words = new int[words()];
        for (int i = 0; i < words.length; i++) words[i] = value.shiftRight(32 * i).intValue();
        set(words);
    }

    /** Sets an input of any width from little-endian 32-bit words (bits above the width are dropped). */
    public void set(int[] words) {
        checkInput();
        if (words.length != words())
            throw new IllegalArgumentException(name() + " takes " + words() + " words, not " + words.length);
        Native.pokeWords(sim.handle(), index, words);
    }

    /** The value of a port of at most 64 bits. */
    public long get() {
        if (width() > 64) throw new IllegalStateException(name() + " is " + width() + " bits wide: use getBig() or getWords()");
        return Native.peek(sim.handle(), index);
    }

    public boolean isHigh() {
        return get() != 0;
    }

    public BigInteger getBig() {
        int[] words = getWords();
        BigInteger v = BigInteger.ZERO;
        for (int i = words.length - 1; i >= 0; i--) v = v.shiftLeft(32).or(BigInteger.valueOf(words[i] & 0xffffffffL));
        return v;
    }

    public int[] getWords() {
        int[] words = new int[words()];
        Native.peekWords(sim.handle(), index, words);
        return words;
    }

    private int words() {
        return (width() + 31) / 32;
    }

    private void checkInput() {
        if (!isInput()) throw new IllegalStateException(name() + " is an output of " + sim.design().top());
    }

    @Override
    public String toString() {
        return name() + "[" + width() + "]";
    }
}

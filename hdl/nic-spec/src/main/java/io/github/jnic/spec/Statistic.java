package io.github.jnic.spec;

/**
 * A statistics counter of the card, cleared by reading it (as the 8254x's): one 32-bit register
 * ({@code high} null), or a 64-bit count read as a low and a high register (GORC, GOTC): reading
 * the low half latches the high half, so the pair read low first is one consistent count.
 */
public record Statistic(String name, Register low, Register high) {

    /** True for a 64-bit count (a low/high pair). */
    public boolean wide() {
        return high != null;
    }

    /** The count's width in bits. */
    public int width() {
        return wide() ? 64 : 32;
    }
}

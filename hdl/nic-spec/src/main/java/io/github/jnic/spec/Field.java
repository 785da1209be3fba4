package io.github.jnic.spec;

/**
 * A named run of bits inside a register or a descriptor: bits {@code lsb .. lsb + width - 1},
 * counted from bit 0 of the little-endian whole (a 32-bit register, or a 128-bit descriptor). The
 * RTL slices its signals with {@link #lsb} and {@link #width}; the driver reads and writes values
 * with {@link #get} and {@link #set}; the docs print {@link #range}.
 */
public record Field(String name, int lsb, int width, String doc) {

    public Field {
        if (width < 1 || width > 64 || lsb < 0) throw new IllegalArgumentException(name + ": bits " + lsb + " width " + width);
    }

    /** The highest bit. */
    public int msb() {
        return lsb + width - 1;
    }

    /** The field's bits in place: {@code mask() >>> lsb} is all ones of {@link #width}. */
    public long mask() {
        return (width == 64 ? -1L : (1L << width) - 1) << lsb;
    }

    /** The field's value in {@code word} (whose bit 0 is the whole's bit 0). */
    public long get(long word) {
        return (word & mask()) >>> lsb;
    }

    public boolean isSet(long word) {
        return get(word) != 0;
    }

    /** {@code word} with this field replaced by {@code value}; a value that does not fit is an error. */
    public long set(long word, long value) {
        long max = width == 64 ? -1L : (1L << width) - 1;
        if (width < 64 && (value & ~max) != 0) throw new IllegalArgumentException(name + " = " + value + " does not fit in " + width + " bits");
        return (word & ~mask()) | (value << lsb);
    }

    /** The field alone holding {@code value}. */
    public long of(long value) {
        return set(0, value);
    }

    /** The byte the field starts in, for fields of whole bytes in a descriptor. */
    public int byteOffset() {
        return lsb / 8;
    }

    /** "7" or "15:8", as datasheets write bit ranges. */
    public String range() {
        return width == 1 ? Integer.toString(lsb) : msb() + ":" + lsb;
    }

    static Field bit(String name, int bit, String doc) {
        return new Field(name, bit, 1, doc);
    }

    static Field bits(String name, int msb, int lsb, String doc) {
        return new Field(name, lsb, msb - lsb + 1, doc);
    }

    /** A field of whole bytes in a descriptor: {@code bytes} bytes from byte {@code offset}. */
    static Field bytes(String name, int offset, int bytes, String doc) {
        return new Field(name, offset * 8, bytes * 8, doc);
    }
}

package io.github.jnic.jhdl.lib;

import static io.github.jnic.jhdl.Hdl.FALSE;
import static io.github.jnic.jhdl.Hdl.U;
import static io.github.jnic.jhdl.Hdl.cat;

import io.github.jnic.jhdl.BitVector;
import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.UInt;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A CRC algorithm in the usual parameter model (width, polynomial, initial value, input and output
 * reflection, final XOR), with a bit-serial Java reference and a parallel hardware update.
 *
 * <p>The hardware keeps the shift register in the form the serial algorithm shifts it: as written
 * for an MSB-first CRC, bit-reversed for a reflected one (so both shift one way with no reversal in
 * the loop). {@link #masks(int)} runs that serial register symbolically over {@code dataWidth} data
 * bits when the design is built, giving for each next-state bit the state and data bits it is the
 * XOR of; {@link #next} turns them into a plain XOR network.
 *
 * <p>Order of the bits of a data word: a reflected CRC takes bit 0 first (bytes packed little-endian,
 * as an Ethernet byte stream), an MSB-first CRC takes the top bit first (bytes packed big-endian).
 *
 * @param name       catalogue name, for messages
 * @param width      1 to 64 bits
 * @param polynomial the generator without its top term, MSB-first (0x04C11DB7 for CRC-32)
 * @param init       initial register value, as the MSB-first algorithm writes it
 * @param reflectIn  data bytes are processed least significant bit first
 * @param reflectOut the register is bit-reversed before the final XOR
 * @param xorOut     XORed into the result
 */
public record Crc(String name, int width, long polynomial, long init, boolean reflectIn, boolean reflectOut, long xorOut) {
    /** Ethernet, zip, PNG: check value 0xCBF43926. */
    public static final Crc CRC32 = new Crc("CRC-32", 32, 0x04C11DB7L, 0xFFFFFFFFL, true, true, 0xFFFFFFFFL);
    /** Castagnoli (iSCSI, SCTP): check value 0xE3069283. */
    public static final Crc CRC32C = new Crc("CRC-32C", 32, 0x1EDC6F41L, 0xFFFFFFFFL, true, true, 0xFFFFFFFFL);
    /** CRC-16-CCITT, MSB first, initial 0xFFFF (also named CRC-16/IBM-3740): check value 0x29B1. */
    public static final Crc CRC16_CCITT = new Crc("CRC-16/CCITT-FALSE", 16, 0x1021, 0xFFFF, false, false, 0);
    /** CRC-16-CCITT, reflected, initial 0: check value 0x2189. */
    public static final Crc CRC16_KERMIT = new Crc("CRC-16/KERMIT", 16, 0x1021, 0, true, true, 0);
    /** CRC-8 with polynomial 0x07 (SMBus packet error code): check value 0xF4. */
    public static final Crc CRC8 = new Crc("CRC-8/SMBUS", 8, 0x07, 0, false, false, 0);
    /** CRC-64 of xz: check value 0x995DC9BBDF1939FA. */
    public static final Crc CRC64_XZ = new Crc("CRC-64/XZ", 64, 0x42F0E1EBA9EA3693L, -1L, true, true, -1L);

    public Crc {
        Objects.requireNonNull(name);
        if (width < 1 || width > 64) throw new IllegalArgumentException(name + ": width must be 1 to 64, not " + width);
        for (long v : new long[] {polynomial, init, xorOut}) {
            if ((v & ~mask(width)) != 0) throw new IllegalArgumentException(name + ": 0x" + Long.toHexString(v) + " does not fit in " + width + " bits");
        }
        if ((polynomial & 1) == 0) throw new IllegalArgumentException(name + ": a CRC polynomial has its constant term (bit 0) set");
    }

    private static long mask(int width) {
        return width == 64 ? -1L : (1L << width) - 1;
    }

    static long reflect(long value, int width) {
        return Long.reverse(value) >>> (64 - width);
    }

    // ---- Java reference --------------------------------------------------------------------------

    /** The CRC of {@code data}, computed bit by bit as the parameter model defines it. */
    public long compute(byte[] data) {
        long reg = init;
        long top = 1L << (width - 1);
        for (byte b : data) {
            int v = reflectIn ? Integer.reverse(b & 0xff) >>> 24 : b & 0xff;
            for (int i = 7; i >= 0; i--) {
                boolean feedback = ((reg & top) != 0) != ((v >> i & 1) != 0);
                reg = (reg << 1) & mask(width);
                if (feedback) reg ^= polynomial;
            }
        }
        if (reflectOut) reg = reflect(reg, width);
        return reg ^ xorOut;
    }

    /** The hardware register's value before any data. */
    public long initialRegister() {
        return reflectIn ? reflect(init, width) : init;
    }

    /** The hardware register after {@code dataWidth} bits of {@code data}, shifted in one at a time. */
    public long step(long register, long data, int dataWidth) {
        checkDataWidth(dataWidth);
        long reflectedPoly = reflect(polynomial, width);
        for (int k = 0; k < dataWidth; k++) {
            boolean bit = (data >>> (reflectIn ? k : dataWidth - 1 - k) & 1) != 0;
            if (reflectIn) {
                boolean feedback = ((register & 1) != 0) != bit;
                register >>>= 1;
                if (feedback) register ^= reflectedPoly;
            } else {
                boolean feedback = ((register >>> (width - 1) & 1) != 0) != bit;
                register = (register << 1) & mask(width);
                if (feedback) register ^= polynomial;
            }
        }
        return register;
    }

    /** The CRC (as {@link #compute} gives it) of the data that left the hardware register at {@code register}. */
    public long result(long register) {
        return (reflectIn != reflectOut ? reflect(register, width) : register) ^ xorOut;
    }

    // ---- parallel update -------------------------------------------------------------------------

    /**
     * The parallel update as XOR masks: bit {@code j} of the next register is the parity of
     * {@code register & state[j]} XOR the parity of {@code data & data[j]}.
     */
    public record Masks(long[] state, long[] data) {
        /** Applies the masks in Java (to check them against {@link Crc#step}). */
        public long apply(long register, long dataWord) {
            long next = 0;
            for (int j = 0; j < state.length; j++) {
                int parity = Long.bitCount(register & state[j]) + Long.bitCount(dataWord & data[j]);
                next |= (long) (parity & 1) << j;
            }
            return next;
        }
    }

    /** Runs the serial register symbolically over {@code dataWidth} data bits (1 to 64). */
    public Masks masks(int dataWidth) {
        checkDataWidth(dataWidth);
        long[] s = new long[width];
        long[] d = new long[width];
        for (int j = 0; j < width; j++) s[j] = 1L << j;
        long taps = reflectIn ? reflect(polynomial, width) : polynomial;
        for (int k = 0; k < dataWidth; k++) {
            long dataBit = 1L << (reflectIn ? k : dataWidth - 1 - k);
            int out = reflectIn ? 0 : width - 1;
            long feedbackState = s[out];
            long feedbackData = d[out] ^ dataBit;
            if (reflectIn) {
                System.arraycopy(s, 1, s, 0, width - 1);
                System.arraycopy(d, 1, d, 0, width - 1);
                s[width - 1] = 0;
                d[width - 1] = 0;
            } else {
                System.arraycopy(s, 0, s, 1, width - 1);
                System.arraycopy(d, 0, d, 1, width - 1);
                s[0] = 0;
                d[0] = 0;
            }
            for (int j = 0; j < width; j++) {
                if ((taps >>> j & 1) != 0) {
                    s[j] ^= feedbackState;
                    d[j] ^= feedbackData;
                }
            }
        }
        return new Masks(s, d);
    }

    private static void checkDataWidth(int dataWidth) {
        if (dataWidth < 1 || dataWidth > 64) throw new IllegalArgumentException("data width must be 1 to 64 bits, not " + dataWidth);
    }

    // ---- hardware --------------------------------------------------------------------------------

    /** The register's reset value, as a literal. */
    public UInt initialValue() {
        return literal(initialRegister());
    }

    private UInt literal(long value) {
        return U(width, new BigInteger(Long.toUnsignedString(value)));
    }

    /**
     * The next register after one word of {@code data} (its width is the bits per clock, 1 to 64):
     * one XOR of the needed state and data bits per register bit, built in the module under construction.
     */
    public UInt next(UInt register, BitVector<?> data) {
        if (register.width() != width) {
            throw new IllegalArgumentException(name + ": the register is " + register.width() + " bits, not " + width);
        }
        Masks m = masks(data.width());
        Bool[] bits = new Bool[width];
        for (int j = 0; j < width; j++) {
            List<Bool> terms = new ArrayList<>();
            for (int i = 0; i < width; i++) if ((m.state[j] >>> i & 1) != 0) terms.add(register.bit(i));
            for (int i = 0; i < data.width(); i++) if ((m.data[j] >>> i & 1) != 0) terms.add(data.bit(i));
            bits[width - 1 - j] = terms.isEmpty() ? FALSE : terms.size() == 1 ? terms.get(0)
                    : cat(terms.toArray(Bool[]::new)).xorR();
        }
        return width == 1 ? bits[0].asUInt() : cat(bits).asUInt();
    }

    /** The CRC of the data that left the register at {@code register} (reflection and final XOR applied). */
    public UInt result(UInt register) {
        UInt r = register;
        if (reflectIn != reflectOut && width > 1) {
            Bool[] bits = new Bool[width];
            for (int i = 0; i < width; i++) bits[i] = register.bit(i); // bit 0 lands at the top
            r = cat(bits).asUInt();
        }
        return xorOut == 0 ? r : r.xor(literal(xorOut));
    }
}

package io.github.jnic.jhdl.examples;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;
import java.util.BitSet;

/**
 * CRC-32 of Ethernet (reflected polynomial 0xEDB88320, initial value all ones), {@code dataWidth}
 * bits per clock, least significant bit first. The XOR equations of the parallel update are worked
 * out in Java when the module is built, by running the serial LFSR on symbols. After the last word,
 * {@code fcs} equals {@link java.util.zip.CRC32} of the bytes.
 */
public class Crc32 extends Module {
    public static final int POLYNOMIAL = 0xEDB88320;

    public final Bool clear = input(bool());
    public final Bool valid = input(bool());
    public final UInt data;
    public final UInt crc = output(reg(uint(32), 0xFFFFFFFFL));
    public final UInt fcs = output(uint(32));

    public Crc32(int dataWidth) {
        data = input(uint(dataWidth));
        BitSet[] equations = equations(dataWidth);
        Bool[] bits = new Bool[32];
        for (int j = 0; j < 32; j++) {
            Bool term = null;
            for (int v = equations[j].nextSetBit(0); v >= 0; v = equations[j].nextSetBit(v + 1)) {
                Bool b = v < 32 ? crc.bit(v) : data.bit(v - 32);
                term = term == null ? b : term.xor(b);
            }
            bits[31 - j] = term != null ? term : bool(false);
        }
        UInt next = cat(bits).asUInt().named("next");
        when(clear, () -> crc.next(0xFFFFFFFFL)).elseWhen(valid, () -> crc.next(next));
        fcs.assign(crc.not());
    }

    /**
     * For each bit of the next state, the set of variables it is the XOR of: variables 0..31 are the
     * current state, 32.. the data bits.
     */
    static BitSet[] equations(int dataWidth) {
        BitSet[] state = new BitSet[32];
        for (int j = 0; j < 32; j++) {
            state[j] = new BitSet();
            state[j].set(j);
        }
        for (int i = 0; i < dataWidth; i++) {
            BitSet feedback = (BitSet) state[0].clone();
            feedback.flip(32 + i);
            for (int j = 0; j < 31; j++) state[j] = state[j + 1];
            state[31] = new BitSet();
            for (int j = 0; j < 32; j++) {
                if ((POLYNOMIAL >>> j & 1) != 0) {
                    BitSet s = (BitSet) state[j].clone();
                    s.xor(feedback);
                    state[j] = s;
                }
            }
        }
        return state;
    }
}

package io.github.jnic.testbench.phy;

/**
 * The receiving end of a UART line, 8N1, {@code clocksPerBit} samples a bit, one sample a clock: a
 * falling edge starts a byte, each bit is taken in its middle, least significant first; a start bit
 * high in its middle was a glitch, a stop bit low a framing error.
 */
public final class UartReceiver {
    /** What {@link #sample} returns when no byte ended. */
    public static final int NONE = -1;
    /** What {@link #sample} returns for a byte whose stop bit was low. */
    public static final int FRAMING_ERROR = -2;

    private final int clocksPerBit;
    // the bit being sampled (-1: waiting for a start bit) and the clocks to its middle
    private int bit = -1, clocks, shift;

    public UartReceiver(int clocksPerBit) {
        this.clocksPerBit = clocksPerBit;
    }

    /** Takes the line's value for one clock; returns the byte it completes, {@link #NONE} or {@link #FRAMING_ERROR}. */
    public int sample(boolean line) {
        if (bit < 0) {
            if (!line) {
                bit = 0;
                clocks = clocksPerBit / 2;
            }
            return NONE;
        }
        if (--clocks != 0) return NONE;
        clocks = clocksPerBit;
        if (bit == 0 && line) {
            bit = -1;   // not a start bit after all
            return NONE;
        }
        if (bit == 9) {
            bit = -1;
            return line ? shift : FRAMING_ERROR;
        }
        if (bit > 0) shift = shift >> 1 | (line ? 0x80 : 0);
        bit++;
        return NONE;
    }

    /** Between bytes: waiting for a start bit. */
    public boolean idle() {
        return bit < 0;
    }

    /** The line's values, {@code clocksPerBit} a bit, for these bytes: start bit, eight bits least significant first, stop bit. */
    public static long[] encode(byte[] bytes, int clocksPerBit) {
        long[] v = new long[bytes.length * 10 * clocksPerBit];
        int at = 0;
        for (byte b : bytes) {
            int bits = (b & 0xFF) << 1 | 1 << 9;
            for (int i = 0; i < 10; i++) for (int c = 0; c < clocksPerBit; c++) v[at++] = bits >> i & 1;
        }
        return v;
    }
}

package io.github.jnic.testbench.phy;

import java.util.Arrays;
import java.util.zip.CRC32;

/** What the Ethernet standard says a frame looks like on the wire, computed independently of the RTL. */
public final class Ethernet {
    private Ethernet() {}

    public static final byte PREAMBLE = 0x55;
    public static final byte SFD = (byte) 0xD5;
    public static final int PREAMBLE_LENGTH = 7;
    public static final int MIN_FRAME = 64;
    public static final int FCS_LENGTH = 4;
    /** Byte times a frame costs beyond its own bytes: preamble, SFD and the minimum gap. */
    public static final int OVERHEAD = PREAMBLE_LENGTH + 1 + 12;

    /** The frame followed by its CRC-32 frame check sequence, least significant byte first. */
    public static byte[] withFcs(byte[] frame) {
        CRC32 crc = new CRC32();
        crc.update(frame);
        long v = crc.getValue();
        byte[] out = Arrays.copyOf(frame, frame.length + FCS_LENGTH);
        for (int i = 0; i < FCS_LENGTH; i++) out[frame.length + i] = (byte) (v >>> (8 * i));
        return out;
    }

    /** True when the last four bytes are the CRC-32 of the others. */
    public static boolean fcsGood(byte[] frameWithFcs) {
        if (frameWithFcs.length < FCS_LENGTH) return false;
        byte[] body = Arrays.copyOf(frameWithFcs, frameWithFcs.length - FCS_LENGTH);
        return Arrays.equals(withFcs(body), frameWithFcs);
    }

    /** Zero padding up to 60 bytes, then the FCS: a frame as a MAC must send it. */
    public static byte[] padAndFcs(byte[] frame) {
        return withFcs(frame.length >= MIN_FRAME - FCS_LENGTH ? frame : Arrays.copyOf(frame, MIN_FRAME - FCS_LENGTH));
    }

    /** {@code preambleLength} bytes of 0x55, the SFD, then the bytes. */
    public static byte[] onWire(byte[] frameWithFcs, int preambleLength) {
        byte[] out = new byte[preambleLength + 1 + frameWithFcs.length];
        Arrays.fill(out, 0, preambleLength, PREAMBLE);
        out[preambleLength] = SFD;
        System.arraycopy(frameWithFcs, 0, out, preambleLength + 1, frameWithFcs.length);
        return out;
    }
}

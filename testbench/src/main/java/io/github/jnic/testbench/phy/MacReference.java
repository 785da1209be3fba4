package io.github.jnic.testbench.phy;

import java.util.Arrays;

/**
 * What a MAC must do with each frame, worked out from the standard alone: the reference the
 * testbenches hold the RTL to. Receive-side reasons follow the MAC's documented precedence.
 */
public final class MacReference {
    private MacReference() {}

    /** Why a received frame is bad, in order of precedence. */
    public enum Reason { NONE, PHY_ERROR, ODD_NIBBLE, RUNT, OVERSIZE, FCS_ERROR }

    /**
     * The fate of a received burst.
     *
     * @param counted   whether the MAC saw a frame at all (a preamble and SFD)
     * @param delivered the bytes passed on (FCS removed), or null when none are
     * @param reason    NONE for a good frame
     * @param octets    bytes after the SFD, FCS included
     */
    public record Received(boolean counted, byte[] delivered, Reason reason, int octets) {
        public boolean bad() {
            return reason != Reason.NONE;
        }
    }

    /** {@code maxLength}: the longest good untagged frame, FCS included. */
    public static Received receive(Burst burst, int maxLength) {
        byte[] frame = burst.afterSfd();
        if (frame == null) return new Received(false, null, Reason.NONE, 0);
        int first = burst.preambleLength() + 1;
        Reason reason = burst.errors().nextSetBit(first) >= 0 ? Reason.PHY_ERROR
                : burst.oddNibble() ? Reason.ODD_NIBBLE
                : frame.length < Ethernet.MIN_FRAME ? Reason.RUNT
                : frame.length > maxLength + (qTagged(frame) ? 4 : 0) ? Reason.OVERSIZE
                : !Ethernet.fcsGood(frame) ? Reason.FCS_ERROR
                : Reason.NONE;
        byte[] delivered = frame.length > Ethernet.FCS_LENGTH ? Arrays.copyOf(frame, frame.length - Ethernet.FCS_LENGTH) : null;
        return new Received(true, delivered, reason, frame.length);
    }

    /**
     * Whether the frame's length/type field is the 802.1Q TPID: 802.3 allows such a frame four bytes
     * more (maxQTagFrameSize 1522 against maxUntaggedFrameSize 1518), and so four more with jumbo frames.
     */
    public static boolean qTagged(byte[] frame) {
        return frame.length >= 14 && (frame[12] & 0xFF) == 0x81 && frame[13] == 0;
    }

    /** The burst a MAC sends for {@code frame}: full preamble, SFD, padding, FCS, after the minimum gap. */
    public static Burst transmit(byte[] frame) {
        return Burst.of(Ethernet.onWire(Ethernet.padAndFcs(frame), Ethernet.PREAMBLE_LENGTH), 12);
    }
}

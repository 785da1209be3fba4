package io.github.jnic.nic.rx;

import io.github.jnic.jhdl.Bits;
import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.spec.Field;
import java.util.List;

/**
 * What travels beside a received frame in the system domain, as bits of its stream's {@code user}.
 *
 * <p>From {@link RxFilter} to {@link RxFrameBuffer} the stream is
 * {@code Stream.packets(new Beat(), VERDICT_WIDTH)}; the verdict is meaningful on a frame's last
 * beat (the others carry zeros). The receive checksum engine sits in this stream: it passes every
 * beat and the bits up to {@link #VLAN} through unchanged and fills {@link #CHECKED} ..
 * {@link #CSUM} on the last beat (a card without it leaves them 0, and the descriptor says IXSM).
 *
 * <p>From {@link RxFrameBuffer} to the DMA engine the stream is
 * {@code Stream.packets(new Beat(), META_WIDTH)}: every beat of a frame carries the whole
 * metadata, the verdict (with BAD and DROP 0: only good frames come out) and {@link #LENGTH}, so
 * the engine knows a frame's length on its first beat.
 */
public final class RxFrame {
    private RxFrame() {}

    /** The MAC found the frame bad (PHY error, odd nibble, runt, oversize, FCS error). */
    public static final Field BAD = new Field("BAD", 0, 1, "bad on the wire (the MAC counted why)");
    /** The address filter did not accept the frame. */
    public static final Field DROP = new Field("DROP", 1, 1, "not accepted by the address filter");
    /** An 802.1Q tag was stripped (CTRL.VME). */
    public static final Field VP = new Field("VP", 2, 1, "802.1Q tag stripped into VLAN");
    /** The stripped tag control information (PCP, DEI, VID), as it was on the wire. */
    public static final Field VLAN = new Field("VLAN", 3, 16, "tag control information");
    /** The checksum engine checked this frame (the descriptor's IXSM is its complement). */
    public static final Field CHECKED = new Field("CHECKED", 19, 1, "checksum engine verdict present");
    public static final Field IPCS = new Field("IPCS", 20, 1, "IPv4 header checksum checked");
    public static final Field TCPCS = new Field("TCPCS", 21, 1, "TCP checksum checked");
    public static final Field UDPCS = new Field("UDPCS", 22, 1, "UDP checksum checked");
    public static final Field IPE = new Field("IPE", 23, 1, "IPv4 header checksum wrong");
    public static final Field TCPE = new Field("TCPE", 24, 1, "TCP/UDP checksum wrong");
    /** The packet checksum for the descriptor's CSUM field. */
    public static final Field CSUM = new Field("CSUM", 25, 16, "packet checksum");
    public static final int VERDICT_WIDTH = 41;

    /** Bytes of the frame as delivered (FCS removed, a stripped tag not counted). */
    public static final Field LENGTH = new Field("LENGTH", 41, 16, "frame length in bytes");
    public static final int META_WIDTH = 57;

    public static final List<Field> FIELDS = List.of(BAD, DROP, VP, VLAN, CHECKED, IPCS, TCPCS, UDPCS, IPE, TCPE, CSUM, LENGTH);

    /** {@code field} of a user word. */
    public static UInt get(Bits user, Field field) {
        return user.slice(field.msb(), field.lsb()).asUInt();
    }

    /** A one-bit {@code field} of a user word. */
    public static Bool bit(Bits user, Field field) {
        return user.bit(field.lsb());
    }
}

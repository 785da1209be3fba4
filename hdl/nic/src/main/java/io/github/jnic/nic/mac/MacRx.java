package io.github.jnic.nic.mac;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.lib.Crc;
import io.github.jnic.jhdl.lib.CrcGenerator;
import io.github.jnic.jhdl.lib.Flow;

/**
 * The receive half of the MAC: bytes from the wire in, one per clock on which {@code ce} is high,
 * frames out. While {@code rxDv} is high the MAC skips preamble bytes (0x55, any number of them)
 * and starts the frame after the start-of-frame delimiter 0xD5; the frame ends on the first byte
 * time with {@code rxDv} low. The four FCS bytes are checked and not passed on: every byte is
 * held back five byte times, so the last byte of the frame can leave with its status.
 *
 * <p>A frame is bad, in this order of precedence, if the PHY flagged an error ({@code rxEr}), if
 * it ended on half a byte ({@code oddNibble}, from the MII and RMII adapters), if it is a runt
 * (under 64 bytes with FCS), if it is longer than {@code maxLength} (four bytes more when bytes 12-13
 * are the 802.1Q TPID 0x8100: 802.3's maxQTagFrameSize, 1522 against 1518), or if its FCS is wrong. Bad
 * frames leave with {@code error} on their last beat; the {@code done} pulse names the one reason
 * counted. A frame with no byte after its FCS has nothing to deliver and is only counted (a runt).
 * A preamble byte other than 0x55 or 0xD5 makes the MAC ignore the rest of the burst.
 */
public class MacRx extends Module {
    static final UInt IDLE = constant("IDLE", U(2, 0));
    static final UInt DATA = constant("DATA", U(2, 1));
    static final UInt SKIP = constant("SKIP", U(2, 2));

    /** The CRC ({@link CrcGenerator#value}) of any frame followed by its own FCS. */
    public static final long CRC_RESIDUE = 0x2144DF1CL;
    public static final int MIN_FRAME = 64;
    public static final int LENGTH_BITS = MacTx.LENGTH_BITS;

    /** One byte time. */
    public final Bool ce = input(bool());
    public final UInt rxd = input(uint(8));
    public final Bool rxDv = input(bool());
    public final Bool rxEr = input(bool());
    /** With the byte time that ends a frame: it stopped on half a byte. */
    public final Bool oddNibble = input(bool());
    /** The longest good untagged frame, FCS included (1518, or 9018 for jumbo frames); a tagged one may be four bytes longer. */
    public final UInt maxLength = input(uint(LENGTH_BITS));

    /** Frames received, a byte a beat, FCS removed; {@code user} on the last beat is the error flag. */
    public final Flow<UInt> out = output(Flow.packets(uint(8), 1));

    /** Pulses for one clock when a frame has ended, with its status and its reason if bad. */
    public final Bool done = output(reg(bool(), false));
    public final Bool doneBad = output(reg(bool(), false));
    public final Bool donePhyError = output(reg(bool(), false));
    public final Bool doneOddNibble = output(reg(bool(), false));
    public final Bool doneRunt = output(reg(bool(), false));
    public final Bool doneOversize = output(reg(bool(), false));
    public final Bool doneFcsError = output(reg(bool(), false));
    /** Octets of the frame, FCS included (meaningful with {@code done}). */
    public final UInt doneOctets = output(uint(LENGTH_BITS));

    final UInt state = reg(uint(2), IDLE);
    final UInt length = reg(uint(LENGTH_BITS), 0);
    /** The length counter is at its maximum and stays there (a flag, so no all-ones test sits in front of the increment's carry chain). */
    final Bool saturated = reg(bool(), false);
    final Bool phyError = reg(bool(), false);
    /** Length flags, set as the bytes arrive so that the verdict at the end is quick. */
    final Bool longEnough = reg(bool(), false);
    /** Bytes past maxLength so far, 1 to 5 (0: none): one makes an untagged frame oversize, five a tagged one. */
    final UInt over = reg(uint(3), 0);
    /** Bytes 12-13 are 0x8100: the frame carries an 802.1Q tag and may be four bytes longer. */
    final Bool qTagged = reg(bool(), false);
    /** The last five bytes received; delay[4] is the oldest, delivered when the next byte arrives. */
    final UInt[] delay = new UInt[5];
    final UInt held = reg(uint(3), 0);
    final CrcGenerator crc32 = new CrcGenerator(Crc.CRC32, 8);

    public MacRx() {
        for (int i = 0; i < delay.length; i++) delay[i] = reg(uint(8), 0);
        Bool byteIn = ce.and(rxDv).and(state.eq(DATA)).named("byteIn");
        Bool frameEnd = ce.and(rxDv.not()).and(state.eq(DATA)).named("frameEnd");
        crc32.clear.assign(ce.and(state.eq(IDLE)));
        crc32.enable.assign(byteIn);
        crc32.data.assign(rxd);

        Bool runt = longEnough.not().named("runt");
        // a count of the bytes past the limit rather than a second length compare: a few LUTs, not a 14-bit adder and mux
        Bool oversize = over.ne(0).and(qTagged.not().or(over.eq(5))).named("oversize");
        Bool fcsError = crc32.value.ne(CRC_RESIDUE).named("fcsError");
        Bool bad = phyError.or(oddNibble).or(runt).or(oversize).or(fcsError).named("bad");

        // the oldest byte leaves when a newer one arrives, or, as the last, when the frame ends
        out.valid.assign(held.eq(5).and(byteIn.or(frameEnd)));
        out.payload.assign(delay[4]);
        out.last.assign(frameEnd);
        out.user.assign(frameEnd.and(bad).asBits());
        // the length stays put until the next frame's first byte, so the pulse can show it
        doneOctets.assign(length);

        done.next(false);
        when(byteIn, () -> {
            // saturating: adding !saturated rides on the increment's carry chain, a mux costs a LUT a bit;
            // the flag is set a byte ahead from a compare that feeds only a flip-flop (the UP5K's 50 MHz path)
            length.next(length.plus(saturated.not().asUInt().resize(LENGTH_BITS)));
            when(length.eq((1 << LENGTH_BITS) - 2), () -> saturated.next(true));
            when(rxEr, () -> phyError.next(true));
            when(length.eq(MIN_FRAME - 1), () -> longEnough.next(true));
            when(length.eq(13), () -> qTagged.next(delay[0].eq(0x81).and(rxd.eq(0x00))));   // delay[0] is byte 12
            when(length.eq(maxLength), () -> over.next(1)).elseWhen(over.ne(0).and(over.ne(5)), () -> over.next(over.plus(1)));
            delay[0].next(rxd);
            for (int i = 1; i < delay.length; i++) delay[i].next(delay[i - 1]);
            when(held.ne(5), () -> held.next(held.plus(1)));
        });
        when(frameEnd, () -> {
            done.next(true);
            doneBad.next(bad);
            donePhyError.next(phyError);
            doneOddNibble.next(phyError.not().and(oddNibble));
            doneRunt.next(phyError.or(oddNibble).not().and(runt));
            doneOversize.next(phyError.or(oddNibble).or(runt).not().and(oversize));
            doneFcsError.next(phyError.or(oddNibble).or(runt).or(oversize).not().and(fcsError));
        });

        when(ce, () -> switchOn(state)
                .is(IDLE, () -> when(rxDv, () -> {
                    length.next(0);
                    saturated.next(false);
                    held.next(0);
                    phyError.next(false);
                    longEnough.next(false);
                    over.next(0);
                    qTagged.next(false);
                    when(rxd.eq(0xD5), () -> state.next(DATA)).elseWhen(rxd.ne(0x55), () -> state.next(SKIP));
                }))
                .is(DATA, () -> when(rxDv.not(), () -> state.next(IDLE)))
                .otherwise(() -> when(rxDv.not(), () -> state.next(IDLE))));
    }
}

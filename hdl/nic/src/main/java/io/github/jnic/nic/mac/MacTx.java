package io.github.jnic.nic.mac;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.lib.Crc;
import io.github.jnic.jhdl.lib.CrcGenerator;
import io.github.jnic.jhdl.lib.Stream;

/**
 * The transmit half of the MAC: frames in, bytes for the wire out, one byte per clock on which
 * {@code ce} is high (every clock for GMII and RGMII, every 2nd for MII, every 4th or 40th for RMII).
 *
 * <p>Each frame goes out as 7 × 0x55 and 0xD5 (preamble and start-of-frame delimiter), its bytes,
 * zero padding up to 60 bytes, the CRC-32 frame check sequence (least significant byte first),
 * then at least {@code ifg} idle byte times (values below 12 count as 12). A frame waiting at the
 * input starts in the byte time right after the gap, so back-to-back frames use the whole line.
 *
 * <p>A frame that goes bad — the input has no byte when one is due (underrun), or a beat carries
 * the error flag ({@code user}) — ends at once: that byte time carries {@code txEr} (the error symbol), the frame
 * check sequence is sent complemented with {@code txEr} held (so a peer without TX_ER, on RMII,
 * still sees a bad FCS), and the rest of the frame is taken from the input and dropped. Each
 * frame's end is reported by a one-clock {@code done} pulse with its status.
 */
public class MacTx extends Module {
    static final UInt IDLE = constant("IDLE", U(3, 0));
    static final UInt PREAMBLE = constant("PREAMBLE", U(3, 1));
    static final UInt DATA = constant("DATA", U(3, 2));
    static final UInt PAD = constant("PAD", U(3, 3));
    static final UInt FCS = constant("FCS", U(3, 4));
    static final UInt GAP = constant("GAP", U(3, 5));

    /** Bytes of a frame before its FCS, padding included, at least. */
    public static final int MIN_DATA = 60;
    /** The length counter saturates here (jumbo frames are 9018 bytes). */
    public static final int LENGTH_BITS = 14;

    /** One byte time. */
    public final Bool ce = input(bool());
    /** Frames to send, a byte a beat; {@code user} is the error flag. */
    public final Stream<UInt> in = input(Stream.packets(uint(8), 1));
    /** Inter-frame gap in byte times (12 is the standard's minimum, and the least this MAC keeps). */
    public final UInt ifg = input(uint(8));

    public final UInt txd = output(reg(uint(8), 0));
    public final Bool txEn = output(reg(bool(), false));
    public final Bool txEr = output(reg(bool(), false));

    /** Pulses for one clock when a frame has left, with its status. */
    public final Bool done = output(reg(bool(), false));
    public final Bool doneBad = output(reg(bool(), false));
    public final Bool doneUnderrun = output(reg(bool(), false));
    /** Octets of the frame that just left, padding and FCS included (meaningful with {@code done}). */
    public final UInt doneOctets = output(uint(LENGTH_BITS));

    final UInt state = reg(uint(3), IDLE);
    /** Position inside the preamble, the FCS or the gap (counted from 1 there). */
    final UInt step = reg(uint(8), 0);
    /** Bytes sent after the SFD (FCS included once sent), saturating. */
    final UInt length = reg(uint(LENGTH_BITS), 0);
    /** At least MIN_DATA - 1 bytes sent: with one more the frame needs no padding (kept as a flag, off the critical path). */
    final Bool longEnough = reg(bool(), false);
    final Bool bad = reg(bool(), false);
    final Bool underran = reg(bool(), false);
    /** Taking and dropping the rest of a frame that went bad. */
    final Bool dropping = reg(bool(), false);
    final CrcGenerator crc32 = new CrcGenerator(Crc.CRC32, 8);

    public MacTx() {
        Bool inData = state.eq(DATA);
        Bool inPad = state.eq(PAD);
        in.ready.assign(ce.and(inData.or(dropping)));

        crc32.clear.assign(ce.and(state.eq(PREAMBLE)));
        crc32.enable.assign(ce.and(inData.and(in.valid).or(inPad)));
        crc32.data.assign(mux(inPad, U(8, 0), in.payload));

        // the gap's length registered: ifg is a setting, and its comparison sat on the 125 MHz clock's longest path
        UInt gapLength = reg(uint(8), 12).named("gapLength");
        gapLength.next(mux(ifg.lt(12), U(8, 12), ifg));
        Bool gapDone = step.eq(gapLength).named("gapDone");
        UInt fcs = crc32.value;
        UInt fcsByte = mux(step.bit(1), mux(step.bit(0), fcs.slice(31, 24), fcs.slice(23, 16)),
                mux(step.bit(0), fcs.slice(15, 8), fcs.slice(7, 0))).named("fcsByte");
        // saturating with a mux after the increment, not MacRx's carry-in form: that puts the all-ones
        // test in front of the carry chain, on the RMII design's critical path (UP5K at 50 MHz)
        UInt lengthPlus1 = mux(length.andR(), length, length.plus(1)).named("lengthPlus1");
        doneOctets.assign(length);

        done.next(false);
        doneBad.next(false);
        doneUnderrun.next(false);
        when(ce.and(dropping).and(in.valid).and(in.last), () -> dropping.next(false));

        when(ce, () -> {
            txEr.next(false);
            switchOn(state)
                    .is(IDLE, () -> {
                        txEn.next(false);
                        // the counters and flags are cleared whether or not a frame starts (nothing reads them
                        // here): their enables then do not wait for the input's valid (the UP5K's 50 MHz path)
                        step.next(1);
                        length.next(0);
                        longEnough.next(false);
                        bad.next(false);
                        underran.next(false);
                        when(in.valid.and(dropping.not()), () -> {
                            txd.next(0x55);
                            txEn.next(true);
                            state.next(PREAMBLE);
                        });
                    })
                    .is(PREAMBLE, () -> {
                        Bool sfd = step.eq(7);
                        txd.next(mux(sfd, U(8, 0xD5), U(8, 0x55)));
                        step.next(step.plus(1));
                        when(sfd, () -> state.next(DATA));
                    })
                    .is(DATA, () -> {
                        step.next(0);
                        length.next(lengthPlus1);
                        when(length.eq(MIN_DATA - 2), () -> longEnough.next(true));
                        when(in.valid, () -> {
                            txd.next(in.payload);
                            when(in.user.bit(0), () -> {
                                txEr.next(true);
                                bad.next(true);
                                dropping.next(in.last.not());
                                state.next(FCS);
                            }).elseWhen(in.last, () -> state.next(mux(longEnough, FCS, PAD)));
                        }).otherwise(() -> {
                            txd.next(0);
                            txEr.next(true);
                            bad.next(true);
                            underran.next(true);
                            dropping.next(true);
                            state.next(FCS);
                        });
                    })
                    .is(PAD, () -> {
                        txd.next(0);
                        length.next(lengthPlus1);
                        when(length.eq(MIN_DATA - 2), () -> longEnough.next(true));
                        when(longEnough, () -> state.next(FCS));
                    })
                    .is(FCS, () -> {
                        // a bad frame's FCS goes out complemented
                        txd.next(fcsByte.xor(mux(bad, U(8, 0xFF), U(8, 0))));
                        txEr.next(bad);
                        length.next(lengthPlus1);
                        step.next(step.plus(1));
                        when(step.eq(3), () -> {
                            step.next(1);
                            state.next(GAP);
                            done.next(true);
                            doneBad.next(bad);
                            doneUnderrun.next(underran);
                        });
                    })
                    .is(GAP, () -> {
                        txEn.next(false);
                        step.next(step.plus(1));
                        when(gapDone, () -> state.next(IDLE));
                    })
                    .otherwise(() -> state.next(IDLE));
        });
    }
}

package io.github.jnic.nic.offload;

import static io.github.jnic.nic.offload.Sums.BEAT_BITS;
import static io.github.jnic.nic.offload.Sums.POSITION_BITS;
import static io.github.jnic.nic.offload.Sums.fold;
import static io.github.jnic.nic.offload.Sums.laneRange;
import static io.github.jnic.nic.offload.Sums.swap;
import static io.github.jnic.nic.offload.Sums.wordSum;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.lib.Stream;
import io.github.jnic.nic.stream.Beat;

/**
 * Transmit checksum insertion, streaming: each frame passes through (one register), its sums are
 * taken as it passes, and at its end one patch packet of two patches leaves on {@code patches}:
 * first the IPv4 header checksum (written at IPCSO), then the TCP/UDP checksum (at TUCSO), each
 * with {@code enable} only if asked for and possible.
 *
 * <p>A sum runs from its start to its end inclusive (an end of 0: to the frame's end), over the
 * frame as it is, so it includes the seed the driver left in the checksum field (for the IP header
 * the field should hold 0; for TCP/UDP the pseudo-header sum, Linux's CHECKSUM_PARTIAL). The patch
 * value is the complement of the folded sum; a start at an odd offset is handled by summing
 * frame-aligned words and swapping the result's bytes. A TCP/UDP result of 0 is sent as 0xFFFF
 * (for UDP, 0 would mean "no checksum"; for TCP both are the same in ones' complement, and 0xFFFF
 * is what the 8254x sends).
 *
 * <p>A request that does not fit the frame — start at or past the frame's end, the field's two
 * bytes not both inside it, or an end before the start or past the frame — leaves the frame
 * unmodified (that patch disabled) and pulses {@code unmodified} (unless the frame is marked drop).
 *
 * <p>The command inputs ({@code ipcss} ... {@code txsm}) must hold from the frame's first beat
 * until {@code frameDone} (the cycle its patch packet's last patch is taken).
 */
public class TxChecksum extends Module {
    public final Stream<Beat> in = input(Stream.packets(new Beat(), 1));
    public final Stream<Beat> out = output(Stream.packets(new Beat(), 1));
    public final Stream<Patch> patches = output(Stream.packets(new Patch()));

    public final UInt ipcss = input(uint(8));
    public final UInt ipcso = input(uint(8));
    public final UInt ipcse = input(uint(16));
    public final UInt tucss = input(uint(8));
    public final UInt tucso = input(uint(8));
    public final UInt tucse = input(uint(16));
    public final Bool ixsm = input(bool());
    public final Bool txsm = input(bool());

    /** Pulses when a frame's patch packet has been taken. */
    public final Bool frameDone = output(bool());
    /** Pulses (with frameDone) when a checksum asked for could not be inserted. */
    public final Bool unmodified = output(bool());

    static final int ACC_BITS = 32;

    public TxChecksum() {
        Bool outValid = reg(bool(), false).named("outValid");
        UInt outData = reg(uint(Beat.WIDTH)).named("outData");
        UInt outKeep = reg(uint(Beat.BYTES)).named("outKeep");
        Bool outLast = reg(bool()).named("outLast");
        Bool outUser = reg(bool()).named("outUser");
        // 0: taking beats; 1, 2: offering the IP patch, then the TCP/UDP one
        UInt phase = reg(uint(2), 0).named("phase");

        Bool outFree = outValid.not().or(out.ready).named("outFree");
        in.ready.assign(outFree.and(phase.eq(0)));
        Bool take = in.fire().named("take");
        out.valid.assign(outValid);
        out.payload.data.assign(outData);
        out.payload.keep.assign(outKeep);
        out.last.assign(outLast);
        out.user.assign(outUser.asBits());
        when(out.ready, () -> outValid.next(false));
        when(take, () -> {
            outValid.next(true);
            outData.next(in.payload.data);
            outKeep.next(in.payload.keep);
            outLast.next(in.last);
            outUser.next(in.user.bit(0));
        });

        UInt beat = reg(uint(BEAT_BITS), 0).named("beat");
        when(take, () -> beat.next(mux(in.last, U(BEAT_BITS, 0), mux(beat.andR(), beat, beat.plus(1)))));
        Bool first = beat.eq(0);
        UInt never = U(POSITION_BITS, (1 << POSITION_BITS) - 1);
        UInt ipStart = ipcss.resize(POSITION_BITS);
        UInt tuStart = tucss.resize(POSITION_BITS);
        UInt ipEnd = mux(ipcse.eq(0), never, ipcse.plus(1)).named("ipEnd");
        UInt tuEnd = mux(tucse.eq(0), never, tucse.plus(1)).named("tuEnd");
        UInt data = in.payload.data, keep = in.payload.keep;
        UInt ipSum = reg(uint(ACC_BITS)).named("ipSum");
        UInt tuSum = reg(uint(ACC_BITS)).named("tuSum");
        RxChecksum.accumulate(ipSum, take, first, wordSum(data, laneRange(beat, ipcss, ipEnd, null).and(keep)));
        RxChecksum.accumulate(tuSum, take, first, wordSum(data, laneRange(beat, tucss, tuEnd, null).and(keep)));
        UInt frameBytes = reg(uint(POSITION_BITS), 0).named("frameBytes");
        when(take.and(in.last), () -> {
            frameBytes.next(cat(beat, U(3, 0)).asUInt().plus(Sums.count(keep).resize(POSITION_BITS)));
            phase.next(1);
        });

        // ---- the patches --------------------------------------------------------------------------
        Bool ipFits = rangeFits(ipStart, ipcso.resize(POSITION_BITS), ipcse, frameBytes).named("ipFits");
        Bool tuFits = rangeFits(tuStart, tucso.resize(POSITION_BITS), tucse, frameBytes).named("tuFits");
        UInt ipFolded = fold(ipSum).not();
        UInt ipValue = mux(ipcss.bit(0), swap(ipFolded), ipFolded).named("ipValue");
        UInt tuFolded = fold(tuSum).not();
        UInt tuSwapped = mux(tucss.bit(0), swap(tuFolded), tuFolded);
        UInt tuValue = mux(tuSwapped.eq(0), U(16, 0xFFFF), tuSwapped).named("tuValue");
        Bool second = phase.eq(2);
        patches.valid.assign(phase.ne(0));
        patches.last.assign(second);
        patches.payload.enable.assign(mux(second, txsm.and(tuFits), ixsm.and(ipFits)));
        patches.payload.offset.assign(mux(second, tucso, ipcso).resize(Patch.OFFSET_BITS));
        patches.payload.value.assign(mux(second, tuValue, ipValue));
        when(patches.fire(), () -> phase.next(mux(second, U(2, 0), U(2, 2))));
        Bool done = patches.fire().and(second);
        frameDone.assign(done);
        // a frame marked drop (its last beat's user, still in the output register) counts nowhere
        unmodified.assign(done.and(outUser.not()).and(ixsm.and(ipFits.not()).or(txsm.and(tuFits.not()))));
    }

    /** A sum from {@code start} to {@code end} (inclusive, 0: the frame's end) written at {@code at}, inside a frame of {@code length} bytes. */
    static Bool rangeFits(UInt start, UInt at, UInt end, UInt length) {
        Bool endOk = end.eq(0).or(end.ge(start).and(end.lt(length)));
        return start.lt(length).and(at.plus(1).lt(length)).and(endOk);
    }
}

package io.github.jnic.nic.rx;

import io.github.jnic.jhdl.Bits;
import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Mem;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.lib.Stream;
import io.github.jnic.nic.stream.Beat;

/**
 * Store and forward for received frames: a frame is written into block RAM as it arrives and
 * released to the DMA engine only once its last beat has come and its verdict says it is good and
 * accepted. A bad frame (the MAC's BAD: FCS error, runt, oversize, PHY error), a frame the filter
 * did not accept (DROP), and a frame that finds no room (the RAM or the table of waiting frames
 * full) are dropped by moving the write pointer back to where the frame began; each drop is one
 * pulse, by reason in that order of precedence, so nothing is counted twice. A bad frame is
 * already counted by the MAC (CRCERRS, RUC, ROC...); {@code overflow} is a frame lost for want of
 * room (MPC, and the RXO cause).
 *
 * <p>Ports: {@code in} (beats with the {@link RxFrame} verdict, always ready: nothing upstream can
 * wait), {@code out} (good frames, each beat carrying the frame's {@link RxFrame} metadata with its
 * LENGTH from the first beat on), pulses {@code dropBad}, {@code dropFiltered}, {@code overflow}, and
 * {@code flush} (the card's reset: every stored frame is forgotten, a frame arriving is dropped to its
 * end without a pulse, and the output is empty on the next clock).
 *
 * <p>{@code depthBeats} (a power of two) beats of RAM, eight bytes each: at least one longest frame
 * (190 beats for 1518 bytes, 1127 for 9018). {@code frames} frames may wait at once.
 */
public class RxFrameBuffer extends Module {
    public final Stream<Beat> in = input(Stream.packets(new Beat(), RxFrame.VERDICT_WIDTH));
    public final Stream<Beat> out = output(Stream.packets(new Beat(), RxFrame.META_WIDTH));
    public final Bool flush = input(bool());
    public final Bool dropBad = output(reg(bool(), false));
    public final Bool dropFiltered = output(reg(bool(), false));
    public final Bool overflow = output(reg(bool(), false));

    final Mem<Bits> beats;
    final Mem<Bits> metas;

    public RxFrameBuffer(int depthBeats, int frames) {
        if (Integer.bitCount(depthBeats) != 1 || depthBeats < 2) throw new IllegalArgumentException("depth " + depthBeats + " is not a power of two");
        if (frames < 2) throw new IllegalArgumentException("frames " + frames);
        beats = mem(bits(Beat.WIDTH + Beat.BYTES + 1), depthBeats).named("beats");
        metas = mem(bits(RxFrame.META_WIDTH), frames).named("metas").style(Mem.Style.blockIfDeeperThanLutRam(frames));
        int aw = beats.addressWidth();
        int mw = widthFor(frames);
        // pointers one bit wider than the address: equal = empty, apart by the depth = full
        UInt write = reg(uint(aw + 1), 0).named("write");
        UInt frameStart = reg(uint(aw + 1), 0).named("frameStart");
        UInt read = reg(uint(aw + 1), 0).named("read");
        UInt metaWrite = reg(uint(metas.addressWidth()), 0).named("metaWrite");
        UInt metaRead = reg(uint(metas.addressWidth()), 0).named("metaRead");
        UInt metaStored = reg(uint(mw), 0).named("metaStored");
        UInt length = reg(uint(16), 0).named("length");
        Bool noRoom = reg(bool(), false).named("noRoom");
        Bool inFrame = reg(bool(), false).named("inFrame");
        Bool discarding = reg(bool(), false).named("discarding");

        in.ready.assign(true);
        dropBad.next(false);
        dropFiltered.next(false);
        overflow.next(false);

        // ---- write side ----
        Bool full = write.minus(read).eq(depthBeats).named("full");
        UInt keep = in.payload.keep;
        UInt bytes = U(4, 1);
        for (int b = 1; b < Beat.BYTES; b++) bytes = mux(keep.bit(b), U(4, b + 1), bytes);
        UInt frameLength = length.plus(bytes.resize(16)).named("frameLength");
        Bool bad = RxFrame.bit(in.user, RxFrame.BAD), drop = RxFrame.bit(in.user, RxFrame.DROP);
        Bool tableFull = metaStored.eq(frames).named("tableFull");
        Bool lost = noRoom.or(full).or(tableFull).named("lost");
        Bool commit = in.fire().and(in.last).and(discarding.not()).and(bad.not()).and(drop.not()).and(lost.not()).named("commit");
        Bits meta = cat(frameLength, in.user.slice(RxFrame.VERDICT_WIDTH - 1, RxFrame.VP.lsb()), U(2, 0)).named("meta");

        when(in.fire(), () -> {
            when(full.not().and(noRoom.not()), () -> {
                beats.write(write.resize(aw), cat(in.last, keep, in.payload.data));
                write.next(write.plus(1));
            });
            when(full, () -> noRoom.next(true));
            length.next(frameLength);
            inFrame.next(in.last.not());
            when(in.last, () -> {
                length.next(0);
                noRoom.next(false);
                discarding.next(false);
                when(commit, () -> {
                    frameStart.next(write.plus(1));
                    metas.write(metaWrite, meta);
                    metaWrite.next(advance(metaWrite, frames));
                }).otherwise(() -> write.next(frameStart));
                when(discarding.not(), () -> {
                    dropBad.next(bad);
                    dropFiltered.next(bad.not().and(drop));
                    overflow.next(bad.not().and(drop.not()).and(lost));
                });
            });
        });

        // ---- read side: the memories' read registers are the output registers ----
        Bool outValid = reg(bool(), false).named("outValid");
        Bool metaValid = reg(bool(), false).named("metaValid");
        Bool frameLeaves = out.fire().and(out.last).named("frameLeaves");
        Bool fetch = frameStart.ne(read).and(outValid.not().or(out.fire())).named("fetch");
        Bool fetchMeta = metaStored.ne(0).and(metaValid.not().or(frameLeaves)).named("fetchMeta");
        Bits[] word = new Bits[1];
        Bits[] head = new Bits[1];
        when(fetch, () -> {
            word[0] = beats.readSync(read.resize(aw));
            read.next(read.plus(1));
        });
        when(fetch, () -> outValid.next(true)).elseWhen(out.fire(), () -> outValid.next(false));
        when(fetchMeta, () -> {
            head[0] = metas.readSync(metaRead);
            metaRead.next(advance(metaRead, frames));
        });
        when(fetchMeta, () -> metaValid.next(true)).elseWhen(frameLeaves, () -> metaValid.next(false));
        when(commit.and(fetchMeta.not()), () -> metaStored.next(metaStored.plus(1)))
                .elseWhen(fetchMeta.and(commit.not()), () -> metaStored.next(metaStored.minus(1)));

        Bits w = word[0].named("word");
        out.valid.assign(outValid.and(metaValid));
        out.payload.data.assign(w.slice(Beat.WIDTH - 1, 0).asUInt());
        out.payload.keep.assign(w.slice(Beat.WIDTH + Beat.BYTES - 1, Beat.WIDTH).asUInt());
        out.last.assign(w.bit(Beat.WIDTH + Beat.BYTES));
        out.user.assign(head[0].named("metaHead"));

        // the card's reset: last, so it wins over everything above
        when(flush, () -> {
            write.next(0);
            frameStart.next(0);
            read.next(0);
            metaWrite.next(0);
            metaRead.next(0);
            metaStored.next(0);
            length.next(0);
            noRoom.next(false);
            outValid.next(false);
            metaValid.next(false);
            inFrame.next(false);
            discarding.next(inFrame.or(in.valid.and(in.last.not())));
            dropBad.next(false);
            dropFiltered.next(false);
            overflow.next(false);
        });
    }

    static UInt advance(UInt pointer, int depth) {
        if (depth == 1 << pointer.width()) return pointer.plus(1);
        return mux(pointer.eq(depth - 1), U(pointer.width(), 0), pointer.plus(1));
    }

    static int widthFor(int n) {
        return Math.max(1, 32 - Integer.numberOfLeadingZeros(n));
    }
}

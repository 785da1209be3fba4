package io.github.jnic.nic.tx;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Mem;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.Signal;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.lib.Stream;
import io.github.jnic.nic.offload.Patch;
import io.github.jnic.nic.stream.Beat;

/**
 * Store and forward for frames to send: each frame from {@link io.github.jnic.nic.offload.TxOffload}
 * is written into block RAM, its {@link Patch}es (the checksums) are written over it there, and only
 * then is it released to the MAC, whole, beat after beat: the MAC never waits for a byte inside a
 * frame. Released frames leave back to back.
 *
 * <p>Ports: {@code in} (frames, {@code user} with {@code last} set: drop this frame), {@code patches}
 * (one patch packet per frame of {@code in}, in the same order, before or after the frame's end;
 * see {@link Patch}), {@code out} (packed frames), {@code flush} (the card's reset), and the pulse
 * {@code oversize} (a frame longer than the whole buffer: discarded).
 *
 * <ul>
 *   <li>A frame marked "drop" is discarded by moving the write pointer back to where it began; its
 *       patch packet is still taken (and ignored), so frames and patches stay paired.</li>
 *   <li>A patch is applied only once its frame has ended here (so it is never overwritten by the
 *       frame's own beats), as one byte-enable write, or two when its bytes straddle two words; a
 *       patch with {@code enable} low, or not inside the frame, writes nothing. The write port is the
 *       patches' first: a frame's beat waits while a patch is written.</li>
 *   <li>Room: {@code in} waits while the RAM or the table of {@code frames} frames is full. A frame
 *       that fills the whole RAM by itself can never fit: the rest of it is discarded and it is
 *       dropped ({@code oversize}).</li>
 *   <li>{@code flush}: every frame held and the one arriving (if any) are dropped, by the same path
 *       as a "drop" frame (their patches still taken), so the blocks upstream need no reset of their
 *       own; while {@code flush} is high, whatever arrives is taken at once and dropped, room or not,
 *       so the frames already between the DMA engine and here are dropped too if the flush lasts
 *       as long as they take to arrive (a few dozen clocks; the card's reset lasts 128). A frame
 *       already leaving on {@code out} goes out whole (it is on the wire).</li>
 * </ul>
 *
 * <p>{@code depthBeats} (a power of two) beats of RAM, eight bytes each: 2048 for 16 KiB frames.
 */
public class TxFrameBuffer extends Module {
    public final Stream<Beat> in = input(Stream.packets(new Beat(), 1));
    public final Stream<Patch> patches = input(Stream.packets(new Patch()));
    public final Stream<Beat> out = output(Stream.packets(new Beat()));
    public final Bool flush = input(bool());
    public final Bool oversize = output(reg(bool(), false));

    final Mem<UInt> beats;
    final Mem<UInt> starts;
    final Mem<UInt> lengths;

    public TxFrameBuffer(int depthBeats, int frames) {
        if (Integer.bitCount(depthBeats) != 1 || depthBeats < 2) throw new IllegalArgumentException("depth " + depthBeats + " is not a power of two");
        if (Integer.bitCount(frames) != 1 || frames < 2) throw new IllegalArgumentException("frames " + frames + " is not a power of two");
        beats = mem(uint(Beat.WIDTH), depthBeats).named("beats");
        int aw = beats.addressWidth();
        int lengthBits = aw + 4;
        // per frame: its first beat's address and its length in bytes (0 for a frame dropped on arrival)
        starts = mem(uint(aw), frames).named("starts");
        lengths = mem(uint(lengthBits), frames).named("lengths");
        int tw = starts.addressWidth();

        // pointers one bit wider than the address: equal = empty, apart by the depth = full
        UInt write = reg(uint(aw + 1), 0).named("write");
        UInt frameStart = reg(uint(aw + 1), 0).named("frameStart");
        UInt read = reg(uint(aw + 1), 0).named("read");
        UInt length = reg(uint(lengthBits), 0).named("length");
        Bool inFrame = reg(bool(), false).named("inFrame");
        Bool discarding = reg(bool(), false).named("discarding");
        Bool flushMark = reg(bool(), false).named("flushMark");
        // table entries: written at a frame's end, released once its patches are in, then read out
        UInt entryWrite = reg(uint(tw + 1), 0).named("entryWrite");
        UInt entryPatch = reg(uint(tw + 1), 0).named("entryPatch");
        UInt entryRead = reg(uint(tw + 1), 0).named("entryRead");
        UInt dropped = reg(uint(frames), 0).named("dropped");

        // ---- the RAM's one write port ----
        Bool we = wire(bool()).named("we");
        UInt wAddr = wire(uint(aw)).named("wAddr");
        UInt wData = wire(uint(Beat.WIDTH)).named("wData");
        UInt wLanes = wire(uint(Beat.BYTES)).named("wLanes");
        we.assign(false);
        wAddr.assign(write.resize(aw));
        wData.assign(in.payload.data);
        wLanes.assign(0xFF);
        when(we, () -> beats.write(wAddr, wData, wLanes.asBits()));

        // ---- patches ----
        Bool entryEnded = entryPatch.ne(entryWrite).named("entryEnded");
        UInt patchStart = starts.readAsync(entryPatch.resize(tw)).named("patchStart");
        UInt patchLength = lengths.readAsync(entryPatch.resize(tw)).named("patchLength");
        Bool patchDropped = select(dropped, entryPatch.resize(tw)).named("patchDropped");
        Patch p = patches.payload;
        int cw = Math.max(lengthBits, Patch.OFFSET_BITS) + 1;
        Bool inside = p.offset.resize(cw).plus(1).lt(patchLength.resize(cw)).named("inside");
        Bool writes = p.enable.and(inside).and(patchDropped.not()).named("patchWrites");
        UInt lane = p.offset.slice(2, 0).named("lane");
        UInt word = patchStart.plus(aw + 3 <= Patch.OFFSET_BITS ? p.offset.slice(aw + 2, 3) : p.offset.slice(Patch.OFFSET_BITS - 1, 3).resize(aw)).named("patchWord");
        // the value's bytes in wire order, little-endian in the word: high byte at the lower lane. Only
        // lanes 'lane' and 'lane' + 1 (lane 0 of the next word for the second half of a straddling
        // patch) are written, so every lane of the parity of 'lane' may carry the high byte and every
        // other lane the low one: a choice per lane by the lane's parity, no shift
        Signal[] patchBytes = new Signal[Beat.BYTES];
        for (int k = 0; k < Beat.BYTES; k++) {
            Bool high = k % 2 == 0 ? lane.bit(0).not() : lane.bit(0);
            patchBytes[Beat.BYTES - 1 - k] = mux(high, p.value.slice(15, 8), p.value.slice(7, 0));
        }
        UInt patchData = cat(patchBytes).asUInt().named("patchData");
        Bool straddle = lane.eq(7).named("straddle");
        Bool secondHalf = reg(bool(), false).named("secondHalf");
        Bool patchWriting = patches.valid.and(entryEnded).and(writes).named("patchWriting");
        patches.ready.assign(entryEnded.and(writes.not().or(straddle.not()).or(secondHalf)));
        when(patchWriting, () -> {
            we.assign(true);
            wData.assign(patchData);
            when(secondHalf, () -> {
                wAddr.assign(word.plus(1));
                wLanes.assign(0x01);
            }).otherwise(() -> {
                wAddr.assign(word);
                wLanes.assign(U(Beat.BYTES, 3).shiftLeft(lane));
            });
        });
        when(patches.fire(), () -> secondHalf.next(false)).elseWhen(patchWriting.and(straddle), () -> secondHalf.next(true));
        when(patches.fire().and(patches.last), () -> entryPatch.next(entryPatch.plus(1)));

        // ---- frames arriving ----
        Bool full = write.minus(read).eq(depthBeats).named("full");
        Bool tableFull = entryWrite.minus(entryRead).eq(frames).named("tableFull");
        Bool tooLong = full.and(frameStart.eq(read)).named("tooLong");
        // while flushed, what arrives is thrown away at once: the pipeline upstream drains in that time
        Bool throwAway = discarding.or(flush).named("throwAway");
        in.ready.assign(tableFull.not().and(throwAway.or(full.not().and(patchWriting.not()))));
        UInt keep = in.payload.keep;
        UInt bytes = U(4, 1);
        for (int b = 1; b < Beat.BYTES; b++) bytes = mux(keep.bit(b), U(4, b + 1), bytes);
        UInt frameLength = length.plus(bytes.resize(lengthBits)).named("frameLength");
        Bool drop = in.user.bit(0).or(discarding).or(flushMark).or(flush).named("drop");
        oversize.next(false);
        when(in.valid.and(tooLong).and(throwAway.not()).and(tableFull.not()), () -> {
            discarding.next(true);
            write.next(frameStart);
            oversize.next(true);
        });
        when(in.fire(), () -> {
            when(throwAway.not(), () -> {
                we.assign(true);
                write.next(write.plus(1));
            });
            length.next(frameLength);
            inFrame.next(in.last.not());
            when(in.last, () -> {
                length.next(0);
                discarding.next(false);
                flushMark.next(false);
                starts.write(entryWrite.resize(tw), frameStart.resize(aw));
                lengths.write(entryWrite.resize(tw), mux(drop, U(lengthBits, 0), frameLength));
                entryWrite.next(entryWrite.plus(1));
                when(drop, () -> write.next(frameStart)).otherwise(() -> frameStart.next(write.plus(1)));
            });
        });

        // ---- frames leaving: the RAM's read register is the output register ----
        Bool released = entryRead.ne(entryPatch).named("released");
        UInt readLength = lengths.readAsync(entryRead.resize(tw)).named("readLength");
        Bool readDropped = select(dropped, entryRead.resize(tw)).named("readDropped");
        UInt readTail = readLength.slice(2, 0).named("readTail");
        UInt readBeats = readLength.slice(lengthBits - 1, 3).plus(readTail.orR().asUInt().resize(aw + 1)).named("readBeats");
        UInt beatsLeft = reg(uint(aw + 1), 0).named("beatsLeft");
        UInt tailKeep = reg(uint(Beat.BYTES), 0).named("tailKeep");
        Bool outValid = reg(bool(), false).named("outValid");
        UInt outKeep = reg(uint(Beat.BYTES), 0).named("outKeep");
        Bool outLast = reg(bool(), false).named("outLast");
        Bool fetch = beatsLeft.ne(0).and(outValid.not().or(out.ready)).named("fetch");
        // a frame's beats follow its predecessor's without a gap
        Bool start = released.and(readDropped.not()).and(beatsLeft.eq(0).or(beatsLeft.eq(1).and(fetch))).named("start");
        Bool skip = released.and(readDropped).and(beatsLeft.eq(0)).named("skip");
        UInt[] q = new UInt[1];
        when(fetch, () -> {
            q[0] = beats.readSync(read.resize(aw));
            read.next(read.plus(1));
            beatsLeft.next(beatsLeft.minus(1));
            outKeep.next(mux(beatsLeft.eq(1), tailKeep, U(Beat.BYTES, 0xFF)));
            outLast.next(beatsLeft.eq(1));
        });
        when(fetch, () -> outValid.next(true)).elseWhen(out.ready, () -> outValid.next(false));
        when(start, () -> {
            beatsLeft.next(readBeats);
            tailKeep.next(mux(readTail.eq(0), U(Beat.BYTES, 0xFF), U(Beat.BYTES, 0xFF).shiftLeft(readTail).not()));
            entryRead.next(entryRead.plus(1));
        });
        when(skip, () -> {
            read.next(read.plus(readBeats));
            entryRead.next(entryRead.plus(1));
        });
        out.valid.assign(outValid);
        out.payload.data.assign(q[0].named("word"));
        out.payload.keep.assign(outKeep);
        out.last.assign(outLast);

        // ---- drop marks: set at a frame's end, every one by the card's reset ----
        UInt entryBit = U(frames, 1).shiftLeft(entryWrite.resize(tw)).named("entryBit");
        when(in.fire().and(in.last), () -> dropped.next(mux(drop, dropped.or(entryBit), dropped.and(entryBit.not()))));
        when(flush, () -> {
            dropped.next(U(frames, 0).not());
            flushMark.next(mux(in.fire(), in.last.not(), inFrame));
        });
    }

    /** Bit {@code index} of {@code bits}. */
    static Bool select(UInt bits, UInt index) {
        Bool b = bits.bit(0);
        for (int i = 1; i < bits.width(); i++) b = mux(index.eq(i), bits.bit(i), b);
        return b;
    }
}

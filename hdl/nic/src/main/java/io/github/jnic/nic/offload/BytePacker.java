package io.github.jnic.nic.offload;

import static io.github.jnic.nic.offload.Sums.count;
import static io.github.jnic.nic.stream.Beat.lane;
import static io.github.jnic.nic.stream.Beat.firstLanes;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.Signal;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.lib.Stream;
import io.github.jnic.nic.stream.Beat;

/**
 * Packs pieces of beats into the card's packed frame beats: the byte shifter that realigns payload
 * lanes (TSO's segments start their payload wherever the header ended, and take it from wherever
 * the previous segment stopped).
 *
 * <p>{@code in}: {@code Stream.packets(new Beat(), 1)} whose {@code keep} is any run of
 * consecutive lanes (possibly empty), not necessarily from lane 0; {@code last} ends the output
 * frame, and {@code user} (valid with {@code last}) travels to the output frame's last beat.
 * {@code out}: the same bytes in order, packed (every beat full but the frame's last), registered.
 * A piece that ends a frame and does not fit in the beat being filled takes one more clock (the
 * input waits); otherwise one piece a clock.
 *
 * <p>How: up to 7 bytes wait in {@code held} (lanes 0..n-1). A piece whose first byte is in lane
 * {@code lo} is rotated by {@code n - lo} lanes (one 8-lane rotator), so its bytes continue the held
 * ones; lanes below {@code n} overflow into the next beat.
 */
public class BytePacker extends Module {
    public final Stream<Beat> in = input(Stream.packets(new Beat(), 1));
    public final Stream<Beat> out = output(Stream.packets(new Beat(), 1));

    public BytePacker() {
        UInt held = reg(uint(Beat.WIDTH)).named("held");
        UInt heldCount = reg(uint(3), 0).named("heldCount");
        // the output register
        Bool outValid = reg(bool(), false).named("outValid");
        UInt outData = reg(uint(Beat.WIDTH)).named("outData");
        UInt outKeep = reg(uint(Beat.BYTES)).named("outKeep");
        Bool outLast = reg(bool()).named("outLast");
        Bool outUser = reg(bool()).named("outUser");
        // a frame's final bytes that did not fit: they leave on the next clock
        Bool spill = reg(bool(), false).named("spill");
        UInt spillData = reg(uint(Beat.WIDTH)).named("spillData");
        UInt spillCount = reg(uint(3)).named("spillCount");
        Bool spillUser = reg(bool()).named("spillUser");

        Bool outFree = outValid.not().or(out.ready).named("outFree");
        in.ready.assign(outFree.and(spill.not()));
        Bool take = in.fire().named("take");

        UInt keep = in.payload.keep;
        UInt lo = lowestSet(keep).named("lo");
        UInt pieceCount = count(keep).named("pieceCount");
        UInt turn = heldCount.minus(lo).named("turn");
        UInt rotated = rotateLanes(in.payload.data, turn).named("rotated");
        // lane i of the beat being filled: a held byte below n, else the piece's
        Signal[] lowParts = new Signal[Beat.BYTES];
        for (int i = 0; i < Beat.BYTES; i++) {
            lowParts[Beat.BYTES - 1 - i] = i == Beat.BYTES - 1 ? lane(rotated, i) : mux(heldCount.gt(i), lane(held, i), lane(rotated, i));
        }
        UInt low = cat(lowParts).asUInt().named("low");
        UInt total = heldCount.resize(4).plus(pieceCount).named("total");
        Bool full = total.ge(8).named("full");
        UInt over = Sums.held(total.minus(8), "beyond").slice(2, 0);

        out.valid.assign(outValid);
        out.payload.data.assign(outData);
        out.payload.keep.assign(outKeep);
        out.last.assign(outLast);
        out.user.assign(outUser.asBits());

        when(out.ready, () -> outValid.next(false));
        when(spill.and(outFree), () -> {
            outValid.next(true);
            outData.next(spillData);
            outKeep.next(firstLanes(spillCount.resize(4)));
            outLast.next(true);
            outUser.next(spillUser);
            spill.next(false);
        });
        when(take, () -> {
            Bool ends = in.last;
            when(full.or(ends.and(total.ne(0))), () -> {
                outValid.next(true);
                outData.next(low);
                outKeep.next(mux(full, U(8, 0xFF), firstLanes(total)));
                outLast.next(ends.and(total.le(8)));
                outUser.next(in.user.bit(0));
            });
            when(ends, () -> {
                heldCount.next(0);
                when(total.gt(8), () -> {
                    spill.next(true);
                    spillData.next(rotated);
                    spillCount.next(over);
                    spillUser.next(in.user.bit(0));
                });
            }).otherwise(() -> {
                heldCount.next(mux(full, over, total.slice(2, 0)));
                held.next(mux(full, rotated, low));
            });
        });
    }

    /** The lowest lane set in {@code keep} (0 when none is). */
    static UInt lowestSet(UInt keep) {
        UInt lo = U(3, 0);
        for (int i = Beat.BYTES - 1; i >= 0; i--) lo = mux(keep.bit(i), U(3, i), lo);
        return lo;
    }

    /** {@code data} with lane i moved to lane (i + turn) mod 8. */
    static UInt rotateLanes(UInt data, UInt turn) {
        UInt r = data;
        for (int b = 0; b < 3; b++) {
            int by = 8 << b;
            UInt rotated = cat(r.slice(Beat.WIDTH - 1 - by, 0), r.slice(Beat.WIDTH - 1, Beat.WIDTH - by)).asUInt();
            r = mux(turn.bit(b), rotated, r);
        }
        return r;
    }
}

package io.github.jnic.nic.stream;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.lib.Stream;

/**
 * Unpacks frame {@link Beat}s into a byte stream (the MAC's transmit side, after its clock-crossing
 * FIFO): the inverse of {@link Upsizer}. A beat's bytes leave from lane 0 up, one a clock; the
 * frame's last byte carries {@code last}. The {@code user} bits of a beat travel on each of its bytes
 * (the MAC's error flag is per byte).
 *
 * <p>Full rate, no bubble of its own: the next beat is taken in the clock its predecessor's last byte
 * leaves, so a frame whose beats are there in time reaches the MAC without a gap (the MAC's
 * transmitter must never see one inside a frame). Packed input is expected ({@code keep} ones from
 * lane 0 up); a beat with no {@code keep} bit set counts as one byte, so {@code last} is never lost.
 *
 * <p>Ports: {@code in} ({@code in_valid}, {@code in_ready}, {@code in_payload_data[63:0]},
 * {@code in_payload_keep[7:0]}, {@code in_last}, {@code in_user}); {@code out} ({@code out_valid},
 * {@code out_ready}, {@code out_payload[7:0]}, {@code out_last}, {@code out_user}). The output is
 * registered.
 */
public class Downsizer extends Module {
    public final Stream<Beat> in;
    public final Stream<UInt> out;

    /** Beats with {@code userWidth} bits of user (0 for none) into bytes with the same user. */
    public Downsizer(int userWidth) {
        in = input(Stream.packets(new Beat(), userWidth));
        out = output(Stream.packets(uint(8), userWidth));
        UInt lanes = reg(uint(Beat.WIDTH), 0).named("lanes");
        // bytes of the held beat still to leave, the one in lanes 7:0 included
        UInt left = reg(uint(4), 0).named("left");
        Bool lastBeat = reg(bool(), false).named("lastBeat");

        Bool leaves = out.fire().named("leaves");
        in.ready.assign(left.eq(0).or(left.eq(1).and(out.ready)));
        out.valid.assign(left.ne(0));
        out.payload.assign(lanes.slice(7, 0));
        out.last.assign(lastBeat.and(left.eq(1)));
        if (userWidth > 0) {
            var user = reg(bits(userWidth), 0).named("user");
            out.user.assign(user);
            when(in.fire(), () -> user.next(in.user));
        }

        UInt keep = in.payload.keep;
        UInt bytes = U(4, 1);
        for (int b = 1; b < Beat.BYTES; b++) bytes = mux(keep.bit(b), U(4, b + 1), bytes);
        UInt count = bytes.named("count");
        when(in.fire(), () -> {
            lanes.next(in.payload.data);
            left.next(count);
            lastBeat.next(in.last);
        }).elseWhen(leaves, () -> {
            lanes.next(lanes.shiftRight(8));
            left.next(left.minus(1));
        });
    }
}

package io.github.jnic.nic.stream;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.lib.Stream;

/**
 * Packs a byte stream (the MAC's receive side, after its clock-crossing FIFO) into frame
 * {@link Beat}s: eight bytes a beat, the first byte in bits 7:0, every beat full but a frame's last,
 * whose {@code keep} says how many bytes it has. The {@code user} bits of a frame's last byte (the
 * MAC's error flag) travel on its last beat.
 *
 * <p>Ports: {@code in} ({@code in_valid}, {@code in_ready}, {@code in_payload[7:0]}, {@code in_last},
 * {@code in_user}); {@code out} ({@code out_valid}, {@code out_ready}, {@code out_payload_data[63:0]},
 * {@code out_payload_keep[7:0]}, {@code out_last}, {@code out_user}). The output is registered; a
 * byte is taken in every clock unless a finished beat waits on {@code out} (one byte a clock is eight
 * times what a frame of beats needs).
 */
public class Upsizer extends Module {
    public final Stream<UInt> in;
    public final Stream<Beat> out;

    final UInt lanes = reg(uint(Beat.WIDTH), 0);
    final UInt filled = reg(uint(3), 0);
    final Bool outValid = reg(bool(), false);
    final UInt outData = reg(uint(Beat.WIDTH), 0);
    final UInt outKeep = reg(uint(Beat.BYTES), 0);
    final Bool outLast = reg(bool(), false);

    /** A byte stream with {@code userWidth} bits of user (0 for none) into beats with the same user. */
    public Upsizer(int userWidth) {
        in = input(Stream.packets(uint(8), userWidth));
        out = output(Stream.packets(new Beat(), userWidth));
        Bool take = in.fire().named("take");
        // the beat with this byte in its lane: the lanes filled so far and the new byte at 'filled'
        UInt shifted = in.payload.resize(Beat.WIDTH).shiftLeft(filled.resize(6).shiftLeft(3)).named("shifted");
        UInt laneMask = U(Beat.WIDTH, 0xFF).shiftLeft(filled.resize(6).shiftLeft(3)).not();
        UInt merged = lanes.and(laneMask).or(shifted).named("merged");
        Bool complete = filled.eq(7).or(in.last).named("complete");

        in.ready.assign(outValid.not().or(out.ready));
        out.valid.assign(outValid);
        out.payload.data.assign(outData);
        out.payload.keep.assign(outKeep);
        out.last.assign(outLast);
        if (userWidth > 0) {
            var outUser = reg(bits(userWidth), 0).named("outUser");
            out.user.assign(outUser);
            when(take.and(complete), () -> outUser.next(in.user));
        }

        when(out.fire(), () -> outValid.next(false));
        when(take, () -> {
            when(complete, () -> {
                outValid.next(true);
                outData.next(merged);
                // keep: ones in lanes 0..filled
                outKeep.next(U(Beat.BYTES, 0xFE).shiftLeft(filled).not());
                outLast.next(in.last);
                filled.next(0);
                lanes.next(0);
            }).otherwise(() -> {
                lanes.next(merged);
                filled.next(filled.plus(1));
            });
        });
    }
}

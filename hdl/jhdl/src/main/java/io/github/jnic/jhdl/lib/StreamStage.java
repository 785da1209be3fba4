package io.github.jnic.jhdl.lib;

import io.github.jnic.jhdl.Bits;
import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Data;
import io.github.jnic.jhdl.Module;

/**
 * A registered pipeline stage for a stream (a skid buffer): {@code out}'s valid and beat and
 * {@code in}'s ready all come from registers, and a steady stream still moves one beat a clock.
 * When {@code out} stalls, the beat already accepted waits in a second register, so ready can be
 * registered without losing it.
 */
public class StreamStage<T extends Data> extends Module {
    public final Stream<T> in;
    public final Stream<T> out;

    public StreamStage(Stream<T> type) {
        in = input(type);
        out = output(type.cloneType());
        int width = in.beatWidth();
        Bool mainValid = reg(bool(), false).named("mainValid");
        Bits main = reg(bits(width)).named("main");
        Bool skidValid = reg(bool(), false).named("skidValid");
        Bits skid = reg(bits(width)).named("skid");

        in.ready.assign(skidValid.not());
        when(out.ready.or(mainValid.not()), () -> {
            // the output register is free this cycle: refill it, from the skid register first
            when(skidValid, () -> {
                main.next(skid);
                skidValid.next(false);
            }).otherwise(() -> main.next(in.packBeat()));
            mainValid.next(skidValid.or(in.valid));
        }).elseWhen(in.valid.and(skidValid.not()), () -> {
            skid.next(in.packBeat());
            skidValid.next(true);
        });
        out.valid.assign(mainValid);
        out.unpackBeat(main);
    }
}

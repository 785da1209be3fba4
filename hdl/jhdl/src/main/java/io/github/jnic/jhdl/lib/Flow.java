package io.github.jnic.jhdl.lib;

import static io.github.jnic.jhdl.Hdl.bits;
import static io.github.jnic.jhdl.Hdl.bool;
import static io.github.jnic.jhdl.Hdl.reg;
import static io.github.jnic.jhdl.Hdl.when;
import static io.github.jnic.jhdl.Hdl.wire;

import io.github.jnic.jhdl.Bits;
import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Bundle;
import io.github.jnic.jhdl.Data;
import io.github.jnic.jhdl.Signal;
import java.util.List;

/**
 * A stream without back-pressure: a beat moves in every cycle where {@code valid} is high, and the
 * receiver must take it. For data that cannot wait, such as bytes arriving from the wire. Fields as
 * in {@link Stream}, without {@code ready}.
 */
public class Flow<T extends Data> extends Bundle {
    public final Bool valid = bool();
    public final T payload;
    /** End of packet; null for a flow of independent beats. */
    public final Bool last;
    /** Side information of each beat; null when the flow has none. */
    public final Bits user;

    public Flow(T payload, boolean packets, int userWidth) {
        if (userWidth < 0) throw new IllegalArgumentException("user width " + userWidth);
        this.payload = payload;
        this.last = packets ? bool() : null;
        this.user = userWidth > 0 ? bits(userWidth) : null;
    }

    public static <T extends Data> Flow<T> of(T payload) {
        return new Flow<>(payload, false, 0);
    }

    public static <T extends Data> Flow<T> packets(T payload) {
        return new Flow<>(payload, true, 0);
    }

    public static <T extends Data> Flow<T> packets(T payload, int userWidth) {
        return new Flow<>(payload, true, userWidth);
    }

    public boolean hasLast() {
        return last != null;
    }

    public int userWidth() {
        return user == null ? 0 : user.width();
    }

    @Override
    @SuppressWarnings("unchecked")
    public Flow<T> cloneType() {
        return new Flow<>((T) payload.cloneType(), hasLast(), userWidth());
    }

    /** Drives {@code sink} from this flow. */
    public void connectTo(Flow<T> sink) {
        if (hasLast() != sink.hasLast() || userWidth() != sink.userWidth() || Stream.width(beatSignals()) != Stream.width(sink.beatSignals())) {
            throw new IllegalArgumentException("flows of different shapes");
        }
        sink.valid.assign(valid);
        Stream.drive(sink.beatSignals(), beatSignals());
    }

    /** This flow one clock later, through registers of the module being built. */
    public Flow<T> stage() {
        Flow<T> out = wire(cloneType());
        Bool v = reg(bool(), false).named("stagedValid");
        Bits beat = reg(bits(Stream.width(beatSignals()))).named("staged");
        v.next(valid);
        when(valid, () -> beat.next(Stream.pack(beatSignals())));
        out.valid.assign(v);
        Stream.unpack(out.beatSignals(), beat);
        return out;
    }

    List<Signal> beatSignals() {
        return Stream.beatSignals(payload, last, user);
    }
}

package io.github.jnic.jhdl.lib;

import static io.github.jnic.jhdl.Hdl.bits;
import static io.github.jnic.jhdl.Hdl.bool;
import static io.github.jnic.jhdl.Hdl.cat;
import static io.github.jnic.jhdl.Hdl.wire;

import io.github.jnic.jhdl.BitVector;
import io.github.jnic.jhdl.Bits;
import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Bundle;
import io.github.jnic.jhdl.Data;
import io.github.jnic.jhdl.SInt;
import io.github.jnic.jhdl.Signal;
import io.github.jnic.jhdl.UInt;
import java.util.ArrayList;
import java.util.List;

/**
 * A ready/valid stream: a beat ({@code payload}, and {@code last} and {@code user} when the stream
 * has them) moves when {@code valid} and {@code ready} are both high at a clock edge. The producer
 * holds a beat until it is taken; {@code ready} goes against the stream's direction.
 *
 * <pre>{@code
 * public final Stream<UInt> in = input(Stream.packets(uint(8)));     // in_valid, in_ready, in_payload, in_last
 * public final Stream<UInt> out = output(Stream.packets(uint(8)));
 * ...
 * in.fifo(512).stage().connectTo(out);
 * }</pre>
 *
 * {@code last} marks the final beat of a packet; {@code user} is side information travelling with
 * every beat (an error flag, a port number). A stream without them leaves the fields null.
 */
public class Stream<T extends Data> extends Bundle {
    public final Bool valid = bool();
    public final Bool ready = flip(bool());
    public final T payload;
    /** End of packet; null for a stream of independent beats. */
    public final Bool last;
    /** Side information of each beat; null when the stream has none. */
    public final Bits user;

    /** A stream of {@code payload}, with {@code last} if {@code packets}, and {@code user} if {@code userWidth > 0}. */
    public Stream(T payload, boolean packets, int userWidth) {
        if (userWidth < 0) throw new IllegalArgumentException("user width " + userWidth);
        this.payload = payload;
        this.last = packets ? bool() : null;
        this.user = userWidth > 0 ? bits(userWidth) : null;
    }

    /** Independent beats: valid, ready, payload. */
    public static <T extends Data> Stream<T> of(T payload) {
        return new Stream<>(payload, false, 0);
    }

    /** Packets: valid, ready, payload, last. */
    public static <T extends Data> Stream<T> packets(T payload) {
        return new Stream<>(payload, true, 0);
    }

    /** Packets with {@code userWidth} bits of user information on each beat. */
    public static <T extends Data> Stream<T> packets(T payload, int userWidth) {
        return new Stream<>(payload, true, userWidth);
    }

    public boolean hasLast() {
        return last != null;
    }

    public int userWidth() {
        return user == null ? 0 : user.width();
    }

    @Override
    @SuppressWarnings("unchecked")
    public Stream<T> cloneType() {
        return new Stream<>((T) payload.cloneType(), hasLast(), userWidth());
    }

    /** True in a cycle where a beat moves. */
    public Bool fire() {
        return valid.and(ready);
    }

    /** Drives {@code sink} from this stream (valid, payload, last, user forward; ready back). */
    public void connectTo(Stream<T> sink) {
        checkSameShape(sink);
        forwardTo(sink);
        ready.assignFrom(sink.ready);
    }

    /** This stream through a {@link StreamFifo} of {@code depth} words; returns the FIFO's output. */
    public Stream<T> fifo(int depth) {
        StreamFifo<T> f = new StreamFifo<>(cloneType(), depth);
        connectTo(f.in);
        return f.out;
    }

    /** This stream through a {@link StreamStage} (all signals registered, full throughput). */
    public Stream<T> stage() {
        StreamStage<T> s = new StreamStage<>(cloneType());
        connectTo(s.in);
        return s.out;
    }

    /** Takes every beat as it comes ({@code ready} held high): this stream seen as a {@link Flow}. */
    @SuppressWarnings("unchecked")
    public Flow<T> toFlow() {
        Flow<T> flow = wire(new Flow<>((T) payload.cloneType(), hasLast(), userWidth()));
        ready.assign(true);
        flow.valid.assign(valid);
        drive(flow.beatSignals(), beatSignals());
        return flow;
    }

    // ---- for the library's building blocks ---------------------------------------------------------

    /** What a beat carries, in declaration order: the payload's signals, then last and user. */
    List<Signal> beatSignals() {
        return beatSignals(payload, last, user);
    }

    /** The signals of a beat of a stream or flow: the payload's, then last and user if present. */
    static List<Signal> beatSignals(Data payload, Bool last, Bits user) {
        List<Signal> out = new ArrayList<>(payload.leaves());
        if (last != null) out.add(last);
        if (user != null) out.add(user);
        return out;
    }

    /** Drives each of {@code to} from the signal at the same place in {@code from} (lists of one shape). */
    static void drive(List<Signal> to, List<Signal> from) {
        for (int i = 0; i < from.size(); i++) to.get(i).assignFrom(from.get(i));
    }

    /** The bits of a beat packed into one word, first signal in the low bits (for memories). */
    Bits packBeat() {
        return pack(beatSignals());
    }

    int beatWidth() {
        return width(beatSignals());
    }

    static int width(List<Signal> signals) {
        int w = 0;
        for (Signal s : signals) w += s.width();
        return w;
    }

    /** Drives this stream's beat signals from a word made by {@link #packBeat}. */
    void unpackBeat(Bits word) {
        unpack(beatSignals(), word);
    }

    /** Drives the forward signals (valid and beat) of {@code sink} from this stream's. */
    void forwardTo(Stream<T> sink) {
        sink.valid.assign(valid);
        drive(sink.beatSignals(), beatSignals());
    }

    void checkSameShape(Stream<?> other) {
        if (hasLast() != other.hasLast() || userWidth() != other.userWidth() || beatWidth() != other.beatWidth()) {
            throw new IllegalArgumentException("streams of different shapes: " + describeShape() + " and " + other.describeShape());
        }
    }

    private String describeShape() {
        return "payload " + (beatWidth() - (hasLast() ? 1 : 0) - userWidth()) + " bits" + (hasLast() ? ", last" : "")
                + (user != null ? ", user " + userWidth() + " bits" : "");
    }

    // ---- packing ------------------------------------------------------------------------------------

    static Bits pack(List<Signal> signals) {
        Signal[] parts = new Signal[signals.size()];
        for (int i = 0; i < parts.length; i++) parts[parts.length - 1 - i] = signals.get(i); // cat is MSB first
        return parts.length == 1 ? asBits(parts[0]) : cat(parts);
    }

    static void unpack(List<Signal> signals, Bits word) {
        int at = 0;
        for (Signal s : signals) {
            s.assignFrom(as(s, word.slice(at + s.width() - 1, at)));
            at += s.width();
        }
    }

    static Bits asBits(Signal s) {
        return s instanceof Bool b ? b.asBits() : ((BitVector<?>) s).asBits();
    }

    /** {@code bits} seen as a signal of the same type as {@code like}. */
    static Signal as(Signal like, Bits bits) {
        if (like instanceof Bool) return bits.asBool();
        if (like instanceof UInt) return bits.asUInt();
        if (like instanceof SInt) return bits.asSInt();
        return bits;
    }
}

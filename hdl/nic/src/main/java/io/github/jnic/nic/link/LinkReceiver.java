package io.github.jnic.nic.link;

import static io.github.jnic.nic.stream.Beat.lane;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.Signal;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.lib.Fsm;
import io.github.jnic.jhdl.lib.Stream;
import io.github.jnic.nic.rx.RxFrame;
import io.github.jnic.nic.stream.Beat;
import io.github.jnic.spec.HostLink;

/**
 * The bridge's receive side: host-link messages out of the Ethernet frames the board's link port
 * receives. Frames come whole and good from a {@link io.github.jnic.nic.rx.RxFrameBuffer} (FCS
 * checked and removed, LENGTH known from the first beat), so a message is judged on its header
 * alone, before any of its data moves: what leaves is a message that will be complete.
 *
 * <p>A frame carries a message when its destination is {@code station} and its EtherType is
 * {@link HostLink#ETHERTYPE}; anything else is {@code foreign} (one pulse a frame, dropped: on a
 * shared segment that is normal traffic, not an error). A frame that does carry one is
 * {@code malformed} (one pulse, dropped) when it is too short for the header, its type is not one
 * the host sends ({@link HostLink.Type#fromHost}), its length is over {@link HostLink#MAX_DATA}, or
 * its data would run past the frame's end. Bytes after the data (Ethernet's padding) are dropped.
 *
 * <p>Ports: {@code in} (good frames, {@code Stream.packets(new Beat(), RxFrame.META_WIDTH)}),
 * {@code station} (the board's MAC address, first byte in bits 7:0), {@code header} (one
 * {@link LinkHeader} a message), {@code source} (its frame's source address), {@code data} (after its header, a message's data as a packet of
 * packed beats, its first byte in lane 0 of the first beat; none when the length is 0), and the
 * pulses {@code foreign} and {@code malformed}.
 */
public class LinkReceiver extends Module {
    public final Stream<Beat> in = input(Stream.packets(new Beat(), RxFrame.META_WIDTH));
    public final UInt station = input(uint(48));
    public final Stream<LinkHeader> header = output(Stream.of(new LinkHeader()));
    public final Stream<Beat> data = output(Stream.packets(new Beat()));
    /** The source address of the frame whose message is on {@code header}, first byte in bits 7:0. */
    public final UInt source = output(uint(48));
    public final Bool foreign = output(reg(bool(), false));
    public final Bool malformed = output(reg(bool(), false));

    static final int MESSAGE_AT = HostLink.FRAME_OFFSET;
    /** The beat holding the header's last bytes (frame bytes 32-33) and the data's first six. */
    static final int LAST_HEADER_BEAT = (MESSAGE_AT + HostLink.HEADER_BYTES - 1) / Beat.BYTES;
    /** Where the data starts in that beat. */
    static final int DATA_LANE = (MESSAGE_AT + HostLink.HEADER_BYTES) % Beat.BYTES;

    enum State { HEAD, DATA, DISCARD }

    final Fsm<State> state = new Fsm<>(State.HEAD);

    public LinkReceiver() {
        UInt beat = reg(uint(3), 0).named("beat");
        UInt word = in.payload.data;
        // the header bytes before its last beat, kept as they pass (frame bytes 14-31)
        UInt[] kept = new UInt[LAST_HEADER_BEAT];
        for (int b = 1; b < LAST_HEADER_BEAT; b++) kept[b] = reg(uint(Beat.WIDTH), 0).named("beat" + b);
        Bool toStation = reg(bool(), false).named("toStation");
        UInt sourceLow = reg(uint(16), 0).named("sourceLow");   // frame bytes 6-7, on beat 0
        Bool linkType = reg(bool(), false).named("linkType");
        // the data's bytes from the beat before, waiting for the next beat's first lanes
        int heldBytes = Beat.BYTES - DATA_LANE;
        UInt held = reg(uint(8 * heldBytes), 0).named("held");
        UInt left = reg(uint(HostLink.LENGTH.bits()), 0).named("left");
        Bool ended = reg(bool(), false).named("ended");
        foreign.next(false);
        malformed.next(false);

        // the frame's bytes 12-13, on beat 1
        Bool etherTypeNow = lane(word, 4).eq(HostLink.ETHERTYPE >> 8).and(lane(word, 5).eq(HostLink.ETHERTYPE & 0xFF));
        Bool toStationNow = word.slice(47, 0).eq(station);
        Bool mine = toStation.and(linkType).named("mine");

        // the header's fields, big-endian, from the kept beats and the beat now on the input
        source.assign(cat(kept[1].slice(31, 0), sourceLow).asUInt());   // bytes 8-11 on beat 1
        LinkHeader h = header.payload;
        for (HostLink.Part part : HostLink.HEADER) {
            Signal[] bytes = new Signal[part.bytes()];
            for (int j = 0; j < part.bytes(); j++) {
                int at = MESSAGE_AT + part.offset() + j;
                UInt from = at / Beat.BYTES == LAST_HEADER_BEAT ? word : kept[at / Beat.BYTES];
                bytes[j] = lane(from, at % Beat.BYTES);
            }
            h.field(part).assign(cat(bytes).asUInt());
        }
        Bool hostType = FALSE;
        for (HostLink.Type t : HostLink.Type.values()) if (t.fromHost) hostType = hostType.or(h.type.eq(t.code));
        UInt frameLength = in.user.asUInt().slice(RxFrame.LENGTH.lsb() + RxFrame.LENGTH.width() - 1, RxFrame.LENGTH.lsb());
        Bool fits = h.length.resize(17).plus(MESSAGE_AT + HostLink.HEADER_BYTES).le(frameLength.resize(17));
        Bool wellFormed = hostType.and(h.length.le(HostLink.MAX_DATA)).and(fits).named("wellFormed");

        header.valid.assign(false);
        data.valid.assign(false);
        data.payload.data.assign(cat(lane(word, 1), lane(word, 0), held).asUInt());
        data.payload.keep.assign(mux(left.ge(Beat.BYTES), U(Beat.BYTES, 0xFF), Beat.firstLanes(left.slice(3, 0))));
        data.last.assign(left.le(Beat.BYTES));
        in.ready.assign(false);

        // after the frame's last beat, the next frame; otherwise what is left of this one is dropped
        Runnable frameDone = () -> {
            beat.next(0);
            when(in.last, () -> state.goTo(State.HEAD)).otherwise(() -> state.goTo(State.DISCARD));
        };

        state.on(State.HEAD, () -> {
            when(beat.lt(LAST_HEADER_BEAT), () -> {
                in.ready.assign(true);
                when(in.valid, () -> {
                    beat.next(beat.plus(1));
                    when(beat.eq(0), () -> {
                        toStation.next(toStationNow);
                        sourceLow.next(word.slice(63, 48));
                    });
                    when(beat.eq(1), () -> linkType.next(etherTypeNow));
                    for (int b = 1; b < LAST_HEADER_BEAT; b++) {
                        int k = b;
                        when(beat.eq(k), () -> kept[k].next(word));
                    }
                    when(in.last, () -> {
                        // too short for a header: whose it was is known from beat 1 on
                        Bool ours = mux(beat.eq(0), FALSE, mux(beat.eq(1), toStation.and(etherTypeNow), mine));
                        when(ours, () -> malformed.next(true)).otherwise(() -> foreign.next(true));
                        beat.next(0);
                    });
                });
            }).otherwise(() -> {
                when(mine.not(), () -> {
                    in.ready.assign(true);
                    when(in.valid, () -> {
                        foreign.next(true);
                        frameDone.run();
                    });
                }).elseWhen(wellFormed.not(), () -> {
                    in.ready.assign(true);
                    when(in.valid, () -> {
                        malformed.next(true);
                        frameDone.run();
                    });
                }).otherwise(() -> {
                    header.valid.assign(in.valid);
                    in.ready.assign(header.ready);
                    when(header.fire(), () -> {
                        held.next(word.slice(Beat.WIDTH - 1, 8 * DATA_LANE));
                        left.next(h.length);
                        ended.next(in.last);
                        beat.next(0);
                        when(h.length.ne(0), () -> state.goTo(State.DATA))
                                .elseWhen(in.last.not(), () -> state.goTo(State.DISCARD));
                    });
                });
            });
        }).on(State.DATA, () -> {
            when(left.le(heldBytes), () -> {
                // the rest is all in the held bytes
                data.valid.assign(true);
                data.payload.data.assign(held.resize(Beat.WIDTH));
                when(data.fire(), () -> when(ended, () -> state.goTo(State.HEAD)).otherwise(() -> state.goTo(State.DISCARD)));
            }).otherwise(() -> {
                data.valid.assign(in.valid);
                in.ready.assign(data.ready);
                when(data.fire(), () -> {
                    held.next(word.slice(Beat.WIDTH - 1, 8 * DATA_LANE));
                    left.next(left.minus(Beat.BYTES));
                    ended.next(in.last);
                    when(left.le(Beat.BYTES), frameDone);
                });
            });
        }).on(State.DISCARD, () -> {
            in.ready.assign(true);
            when(in.fire().and(in.last), () -> state.goTo(State.HEAD));
        });
    }
}

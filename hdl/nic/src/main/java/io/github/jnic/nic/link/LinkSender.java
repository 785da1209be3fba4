package io.github.jnic.nic.link;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Mem;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.Signal;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.lib.Fsm;
import io.github.jnic.jhdl.lib.Stream;
import io.github.jnic.jhdl.lib.StreamFifo;
import io.github.jnic.nic.stream.Beat;
import io.github.jnic.spec.HostLink;

/**
 * The bridge's transmit side and the board's half of the link's go-back-N: sequenced messages
 * into Ethernet frames to the host, each kept in block RAM until the host acknowledges it, the
 * whole unacknowledged window sent again when the oldest has waited {@code timeoutCycles}. The
 * board keeps every frame because the card's DMA cannot be asked to repeat a write. It follows
 * the host's {@code LinkEndpoint} rule for rule: a window of {@code window} messages, cumulative
 * acks, an ack beyond what was sent ignored, the timer restarted when the window first fills and
 * whenever an ack frees part of it.
 *
 * <p>Ports: {@code header} and {@code data} (a message to send and then, when its length is not 0,
 * its data as a packet, first byte in lane 0; the message's seq and ack fields are ignored: the
 * sender numbers it and every frame carries {@code expected}), {@code ack}/{@code ackValid} (the
 * host's cumulative ack from a frame it sent), {@code expected} (the next seq this end expects from
 * the host), {@code ackDue} (a pulse: send an ack; one frame of any kind does), {@code station}
 * and {@code peer} (the board's and the host's MAC addresses, first byte in bits 7:0), {@code out}
 * (the frames, Ethernet header on, unpadded: the MAC pads), {@code inFlight} (messages sent and
 * not yet acknowledged), and the pulses {@code resent} (a frame sent again) and {@code refused} (a
 * message longer than a slot holds: dropped, its data with it; the bridge never makes one).
 */
public class LinkSender extends Module {
    public final Stream<LinkHeader> header = input(Stream.of(new LinkHeader()));
    public final Stream<Beat> data = input(Stream.packets(new Beat()));
    public final Bool ackValid = input(bool());
    public final UInt ack = input(uint(HostLink.ACK.bits()));
    public final UInt expected = input(uint(HostLink.SEQ.bits()));
    public final Bool ackDue = input(bool());
    public final UInt station = input(uint(48));
    public final UInt peer = input(uint(48));
    public final Stream<Beat> out = output(Stream.packets(new Beat()));
    public final UInt inFlight = output(uint(HostLink.SEQ.bits()));
    public final Bool resent = output(reg(bool(), false));
    public final Bool refused = output(reg(bool(), false));

    static final int MESSAGE_AT = HostLink.FRAME_OFFSET;
    static final int HEADER_END = MESSAGE_AT + HostLink.HEADER_BYTES;
    /** Beats before the one the length field ends in: written from the header alone. */
    static final int HEADER_BEATS = (HEADER_END - 2) / Beat.BYTES;
    /** Where the ack field lies in the frame: patched as a frame leaves (beat 2, lanes 2-3). */
    static final int ACK_AT = MESSAGE_AT + HostLink.ACK.offset();
    static final int FIFO_DEPTH = 4;

    enum Write { IDLE, HEAD, DATA, FLUSH, DONE, SKIP }

    enum Send { IDLE, SEND }

    final Fsm<Write> write = new Fsm<>(Write.IDLE);
    final Fsm<Send> send = new Fsm<>(Send.IDLE);

    public LinkSender(int window, int slotBeats, int timeoutCycles) {
        if (Integer.bitCount(window) != 1 || window < 2 || window > 1 << 14) throw new IllegalArgumentException("window " + window);
        if (Integer.bitCount(slotBeats) != 1 || slotBeats * Beat.BYTES < HEADER_END + 1) throw new IllegalArgumentException("slot of " + slotBeats + " beats");
        int slotBits = Integer.numberOfTrailingZeros(window), beatBits = Integer.numberOfTrailingZeros(slotBeats);
        int maxData = slotBeats * Beat.BYTES - HEADER_END;
        Mem<UInt> slots = mem(uint(Beat.WIDTH), window * slotBeats).named("slots");
        Mem<UInt> lengths = mem(uint(beatBits + 4), window).named("lengths");

        UInt nextSeq = reg(uint(16), 0).named("nextSeq");   // the next new message's seq
        UInt base = reg(uint(16), 0).named("base");         // the oldest not acknowledged
        UInt sendSeq = reg(uint(16), 0).named("sendSeq");   // the next to put on the wire
        UInt sentUpTo = reg(uint(16), 0).named("sentUpTo"); // one past the newest ever sent
        UInt count = nextSeq.minus(base).named("count");
        inFlight.assign(count);
        resent.next(false);
        refused.next(false);

        // ---- acks and the timer ------------------------------------------------------------
        UInt acked = ack.minus(base).named("acked");
        Bool ackGood = ackValid.and(acked.le(count)).named("ackGood");
        UInt timer = reg(uint(32 - Integer.numberOfLeadingZeros(timeoutCycles)), timeoutCycles).named("timer");
        Bool timeout = ackGood.not().and(count.ne(0)).and(timer.eq(0)).named("timeout");
        when(ackGood, () -> {
            base.next(ack);
            when(acked.ne(0), () -> timer.next(timeoutCycles));
        }).elseWhen(count.eq(0).or(timeout), () -> timer.next(timeoutCycles))
                .otherwise(() -> timer.next(timer.minus(1)));

        // ---- writing a message into its slot ------------------------------------------------
        LinkHeader h = header.payload;
        UInt wBeat = reg(uint(beatBits), 0).named("wBeat");
        UInt carry = reg(uint(16), 0).named("carry");
        UInt wSlot = nextSeq.slice(slotBits - 1, 0);
        UInt frameBytes = h.length.resize(beatBits + 4).plus(HEADER_END).named("frameBytes");
        Bool tooLong = h.length.gt(maxData).named("tooLong");
        // a slot is free unless its message is unacknowledged or still being read out
        UInt txSeq = reg(uint(16), 0).named("txSeq");
        Bool txData = reg(bool(), false).named("txData");   // a data frame is being read out (or its last read is pending)
        UInt oldest = mux(txData.and(base.minus(txSeq).minus(1).lt(window)), txSeq, base).named("oldest");
        Bool room = nextSeq.minus(oldest).lt(window).named("room");
        UInt[] headBytes = headerBytes(h.type, h.tag, nextSeq, expected, h.address, h.value, h.length);
        header.ready.assign(false);
        data.ready.assign(false);

        write.on(Write.IDLE, () -> {
            when(header.valid.and(tooLong), () -> {
                header.ready.assign(true);
                refused.next(true);
                when(h.length.ne(0), () -> write.goTo(Write.SKIP));
            }).elseWhen(header.valid.and(room), () -> {
                wBeat.next(0);
                write.goTo(Write.HEAD);
            });
        }).on(Write.HEAD, () -> {
            UInt beat = beatOf(headBytes, 0);
            for (int b = 1; b < HEADER_BEATS; b++) beat = mux(wBeat.eq(b), beatOf(headBytes, b), beat);
            slots.write(cat(wSlot, wBeat).asUInt(), beat);
            wBeat.next(wBeat.plus(1));
            when(wBeat.eq(HEADER_BEATS - 1), () -> {
                carry.next(cat(headBytes[HEADER_END - 1], headBytes[HEADER_END - 2]).asUInt());
                when(h.length.eq(0), () -> write.goTo(Write.FLUSH)).otherwise(() -> write.goTo(Write.DATA));
            });
        }).on(Write.DATA, () -> {
            data.ready.assign(true);
            when(data.valid, () -> {
                slots.write(cat(wSlot, wBeat).asUInt(), cat(data.payload.data.slice(47, 0), carry).asUInt());
                carry.next(data.payload.data.slice(63, 48));
                wBeat.next(wBeat.plus(1));
                // a last beat of more than six bytes leaves one or two for a beat of their own
                when(data.last, () -> when(data.payload.keep.bit(6), () -> write.goTo(Write.FLUSH))
                        .otherwise(() -> write.goTo(Write.DONE)));
            });
        }).on(Write.FLUSH, () -> {
            slots.write(cat(wSlot, wBeat).asUInt(), carry.resize(Beat.WIDTH));
            write.goTo(Write.DONE);
        }).on(Write.DONE, () -> {
            lengths.write(wSlot, frameBytes);
            nextSeq.next(nextSeq.plus(1));
            header.ready.assign(true);
            write.goTo(Write.IDLE);
        }).on(Write.SKIP, () -> {
            data.ready.assign(true);
            when(data.fire().and(data.last), () -> write.goTo(Write.IDLE));
        });

        // ---- reading frames out -------------------------------------------------------------
        StreamFifo<Beat> fifo = new StreamFifo<>(Stream.packets(new Beat()), FIFO_DEPTH).named("outFifo");
        fifo.out.connectTo(out);
        UInt rBeat = reg(uint(beatBits), 0).named("rBeat");
        UInt rLeft = reg(uint(beatBits + 1), 0).named("rLeft");
        UInt txLength = reg(uint(beatBits + 4), 0).named("txLength");
        Bool txAck = reg(bool(), false).named("txAck");
        Bool ackPending = reg(bool(), false).named("ackPending");
        Bool pending = reg(bool(), false).named("pending");        // a read issued last clock: its word enters the FIFO now
        UInt pendingBeat = reg(uint(beatBits), 0).named("pendingBeat");
        Bool pendingAck = reg(bool(), false).named("pendingAck");
        Bool pendingLast = reg(bool(), false).named("pendingLast");
        UInt pendingKeep = reg(uint(Beat.BYTES), 0).named("pendingKeep");
        UInt txSlot = txSeq.slice(slotBits - 1, 0);
        UInt startLength = lengths.readAsync(sendSeq.slice(slotBits - 1, 0)).named("startLength");
        UInt ackLength = U(beatBits + 4, HEADER_END);
        ackPending.next(ackPending.or(ackDue));
        pending.next(false);

        // room in the FIFO for this read, counting the one whose word arrives now
        Bool credit = fifo.count.resize(4).plus(pending.asUInt().resize(4)).lt(FIFO_DEPTH - 1).named("credit");
        Bool issue = send.is(Send.SEND).and(rLeft.ne(0)).and(credit).named("issue");
        UInt word = slots.readSync(cat(txSlot, rBeat).asUInt()).named("word");
        when(issue, () -> {
            pending.next(true);
            pendingBeat.next(rBeat);
            pendingAck.next(txAck);
            Bool lastBeat = rLeft.eq(1);
            pendingLast.next(lastBeat);
            UInt tail = txLength.slice(2, 0);
            pendingKeep.next(mux(lastBeat.and(tail.ne(0)), Beat.firstLanes(tail.resize(4)), U(Beat.BYTES, 0xFF)));
            rBeat.next(rBeat.plus(1));
            rLeft.next(rLeft.minus(1));
            when(lastBeat, () -> send.goTo(Send.IDLE));
        });
        when(pending.not().and(send.is(Send.IDLE)), () -> txData.next(false));

        // only what is in the window is ever read: base <= sendSeq < nextSeq
        UInt ahead = sendSeq.minus(base).named("ahead");
        Bool startData = send.is(Send.IDLE).and(ahead.lt(count)).named("startData");
        UInt afterStart = mux(startData, sendSeq.plus(1), sendSeq);
        // an ack skips what the host already has (afterStart - base < acked); a timeout goes back to
        // the oldest (go-back-N). The skip is worked out for both afterStart beside startData, from
        // registers and the ack: ahead < acked, and (ahead + 1 mod 2^16) < acked, which is ack != base
        // and (ahead = 0xFFFF or ahead < acked - 1 = ack + ~base)
        Bool skipNow = ahead.lt(acked).named("skipNow");
        Bool skipNext = ack.ne(base).and(ahead.eq(0xFFFF).or(ahead.lt(ack.plus(base.not())))).named("skipNext");
        Bool skip = startData.and(skipNext).or(startData.not().and(skipNow)).named("skip");
        sendSeq.next(mux(ackGood, mux(skip, ack, afterStart), mux(timeout, base, afterStart)));
        send.on(Send.IDLE, () -> {
            Runnable started = () -> {
                rBeat.next(0);
                ackPending.next(ackDue);   // every frame carries the ack
                send.goTo(Send.SEND);
            };
            when(startData, () -> {
                txSeq.next(sendSeq);
                txData.next(true);
                txAck.next(false);
                txLength.next(startLength);
                rLeft.next(startLength.slice(beatBits + 3, 3).plus(startLength.slice(2, 0).orR().asUInt().resize(beatBits + 1)));
                when(sendSeq.minus(sentUpTo).ge(1 << 15), () -> resent.next(true)).otherwise(() -> sentUpTo.next(sendSeq.plus(1)));
                started.run();
            }).elseWhen(ackPending, () -> {
                txAck.next(true);
                txLength.next(ackLength);
                rLeft.next(U(beatBits + 1, (HEADER_END + Beat.BYTES - 1) / Beat.BYTES));
                started.run();
            });
        });

        // the word read, with the ack this end expects now; or an ack frame's beat, made here
        UInt[] ackBytes = headerBytes(U(8, HostLink.Type.ACK.code), U(8, 0), U(16, 0), expected, U(64, 0), U(32, 0), U(16, 0));
        UInt ackBeat = beatOf(ackBytes, 0);
        for (int b = 1; b * Beat.BYTES < HEADER_END; b++) ackBeat = mux(pendingBeat.eq(b), beatOf(ackBytes, b), ackBeat);
        int ackLane = ACK_AT % Beat.BYTES;
        UInt patched = mux(pendingBeat.eq(ACK_AT / Beat.BYTES),
                cat(word.slice(63, 8 * (ackLane + 2)), expected.slice(7, 0), expected.slice(15, 8), word.slice(8 * ackLane - 1, 0)).asUInt(),
                word);
        fifo.in.valid.assign(pending);
        fifo.in.payload.data.assign(mux(pendingAck, ackBeat, patched));
        fifo.in.payload.keep.assign(pendingKeep);
        fifo.in.last.assign(pendingLast);
    }

    /** A frame's first bytes (Ethernet header and message header, to the end of its beat) for these fields. */
    private UInt[] headerBytes(UInt type, UInt tag, UInt seq, UInt ackField, UInt address, UInt value, UInt length) {
        int n = (HEADER_END + Beat.BYTES - 1) / Beat.BYTES * Beat.BYTES;
        UInt[] bytes = new UInt[n];
        for (int i = 0; i < n; i++) bytes[i] = U(8, 0);
        for (int i = 0; i < 6; i++) {
            bytes[i] = peer.slice(8 * i + 7, 8 * i);
            bytes[6 + i] = station.slice(8 * i + 7, 8 * i);
        }
        bytes[12] = U(8, HostLink.ETHERTYPE >> 8);
        bytes[13] = U(8, HostLink.ETHERTYPE & 0xFF);
        UInt[] fields = {type, tag, seq, ackField, address, value, length};
        for (int k = 0; k < HostLink.HEADER.size(); k++) {
            HostLink.Part part = HostLink.HEADER.get(k);
            for (int j = 0; j < part.bytes(); j++) {
                int hi = 8 * (part.bytes() - 1 - j) + 7;
                bytes[MESSAGE_AT + part.offset() + j] = fields[k].slice(hi, hi - 7);
            }
        }
        return bytes;
    }

    /** Beat {@code b} of a frame's bytes: its first byte in lane 0. */
    private static UInt beatOf(UInt[] bytes, int b) {
        Signal[] lanes = new Signal[Beat.BYTES];
        for (int i = 0; i < Beat.BYTES; i++) lanes[Beat.BYTES - 1 - i] = bytes[Beat.BYTES * b + i];
        return cat(lanes).asUInt();
    }
}

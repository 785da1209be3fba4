package io.github.jnic.nic.offload;

import static io.github.jnic.nic.offload.Sums.count;
import static io.github.jnic.nic.stream.Beat.lane;
import static io.github.jnic.nic.stream.Beat.firstLanes;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Mem;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.Signal;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.lib.Fsm;
import io.github.jnic.jhdl.lib.Stream;
import io.github.jnic.nic.stream.Beat;

/**
 * Transmit offload: TCP segmentation (TSO) and checksum insertion, streaming (no frame buffer; TSO
 * keeps only the header, in a 32 × 64-bit RAM).
 *
 * <p>Ports (system clock domain):
 * <ul>
 * <li>{@code cmd}: one {@link TxCommand} per frame, taken before the frame's first beat (when the
 *     engine is idle and the previous command's frames have left).</li>
 * <li>{@code in}: the frame, {@code Stream.packets(new Beat(), 1)} (packed); {@code user} (valid with
 *     {@code last}) set means the DMA engine lost part of it (a bus error, the card's reset): it
 *     leaves marked "drop" (TSO: the segment it ends in, {@code tsoFailed}).</li>
 * <li>{@code out}: frames to send, {@code Stream.packets(new Beat(), 1)}: a TSO request gives one
 *     frame per segment, anything else its frame unchanged. {@code user} (valid with {@code last})
 *     set means "drop this frame": the frame buffer discards it instead of sending it.</li>
 * <li>{@code patches}: one {@link Patch} packet per frame on {@code out}, in order (two patches:
 *     the IPv4 header checksum, then the TCP/UDP checksum, each possibly disabled).</li>
 * <li>pulses {@code tsoContext} (a TSO request segmented and sent whole: TSCTC), {@code tsoFailed}
 *     (a TSO request refused or cut short: TSCTFC), {@code checksumUnmodified} (a checksum asked for
 *     could not be inserted; that frame left unmodified; a frame marked drop is not counted).</li>
 * </ul>
 *
 * <p>TSO (TSE): the first HDRLEN bytes are the header, captured into the header RAM; then PAYLEN
 * bytes of payload follow. Each segment is the header replayed with its fields rewritten, then the
 * next min(MSS, what is left) payload bytes. Per segment k (from 0) of n: IPv4 total length =
 * HDRLEN - IPCSS + its payload, IPv4 ID = ID + k; IPv6 payload length = HDRLEN - IPCSS - 40 + its
 * payload; TCP sequence = seq + k × MSS; FIN and PSH kept only on the last segment, CWR only on the
 * first; the TCP checksum field = its seed (the pseudo-header sum without the length, as the
 * driver leaves it) + this segment's TCP length (HDRLEN - TUCSS + its payload), so the checksum
 * engine's sum from TUCSS to the end gives the segment's checksum. The IPv4 header checksum
 * (IPCSS..IPCSE at IPCSO, the field left 0 by the driver) and the TCP checksum (TUCSS to the
 * segment's end, TUCSE ignored) are inserted on every segment whatever IXSM/TXSM say (IPv6: no
 * header checksum).
 *
 * <p>The fields are rewritten in the header RAM itself: once per send the bytes of the ID, the
 * sequence number, the flags and the seed are read out of it ({@code FETCH}, a byte a clock), and
 * before each segment its field bytes are written into it ({@code PATCH}, a byte-lane write a
 * clock, {@link #STEPS}); the replay then reads the RAM as it is.
 *
 * <p>Bad requests, one behaviour each (never a hang; other frames untouched):
 * <ul>
 * <li>TSO with MSS 0, PAYLEN 0, HDRLEN 0, UDP (TUCMD.TCP = 0), segments larger than the frame
 *     buffer (HDRLEN + MSS > 16 KiB), or offsets outside the header (IPCSS + 20 (IPv4) or + 40
 *     (IPv6) > TUCSS, TUCSS + 20 > HDRLEN, TUCSO + 2 > HDRLEN; IPv4: IPCSO + 2 > HDRLEN, IPCSE
 *     before IPCSS + 19 or at TUCSS or later): the frame is dropped whole (nothing leaves),
 *     {@code tsoFailed}.</li>
 * <li>TSO with a frame no longer than HDRLEN: dropped whole, {@code tsoFailed}.</li>
 * <li>TSO with fewer payload bytes than PAYLEN: the segments already complete leave; the one the
 *     data ends in leaves marked "drop"; {@code tsoFailed}.</li>
 * <li>TSO with more payload bytes than PAYLEN: the PAYLEN bytes' segments leave but the last is
 *     marked "drop", the rest of the frame is discarded; {@code tsoFailed}.</li>
 * <li>Checksum offload whose start, end or field lies outside the frame (or whose end is before
 *     its start): that checksum is not inserted (the frame leaves as it came),
 *     {@code checksumUnmodified}.</li>
 * </ul>
 */
public class TxOffload extends Module {
    public final Stream<TxCommand> cmd = input(Stream.of(new TxCommand()));
    public final Stream<Beat> in = input(Stream.packets(new Beat(), 1));
    public final Stream<Beat> out = output(Stream.packets(new Beat(), 1));
    public final Stream<Patch> patches = output(Stream.packets(new Patch()));
    public final Bool tsoContext = output(reg(bool(), false));
    public final Bool tsoFailed = output(reg(bool(), false));
    public final Bool checksumUnmodified = output(bool());

    /** TCP flags (byte 13 of the TCP header). */
    static final int FIN = 0x01, PSH = 0x08, CWR = 0x80;
    /** Header RAM words: HDRLEN is at most 255 bytes. */
    static final int HEADER_WORDS = 32;
    /** The largest segment (HDRLEN + MSS) TSO makes: what a patch can reach and the frame buffer holds. */
    static final int MAX_SEGMENT_FRAME = 1 << Patch.OFFSET_BITS;

    enum Seg { IDLE, PASS, DISCARD, CAPTURE, FETCH, SEGMENT, PATCH, REPLAY, PAYLOAD }

    /**
     * The field bytes TSO reads from the captured header and writes into it, one a clock, in this
     * order: {@code (base, offset)} with base 0 IPCSS, 1 TUCSS, 2 TUCSO. Steps 0-3 are the IPv4 total
     * length and ID (the IPv6 payload length at 2-3), 4-7 the TCP sequence number, 8 the TCP flags,
     * 9-10 the TCP checksum field. The fetch reads steps 2-10 (ID, sequence, flags, seed) once per
     * send; the patch writes steps 0-10 before each segment's header is replayed (the last write to
     * a byte wins, so overlapping fields end as the field written last).
     */
    static final int[][] STEPS = {{0, 2}, {0, 3}, {0, 4}, {0, 5}, {1, 4}, {1, 5}, {1, 6}, {1, 7}, {1, 13}, {2, 0}, {2, 1}};
    static final int FETCH_FIRST = 2, LAST_STEP = STEPS.length - 1;

    final Fsm<Seg> seg = new Fsm<>(Seg.IDLE);

    public TxOffload() {
        TxCommand c = reg(new TxCommand()).named("c");
        // the segments on their way to the checksum engine: a new command waits until they are done
        UInt inFlight = reg(uint(4), 0).named("inFlight");
        UInt word = reg(uint(5), 0).named("word");
        UInt lo = reg(uint(3), 0).named("lo");
        UInt payloadLeft = reg(uint(c.paylen.width())).named("payloadLeft");
        UInt segLeft = reg(uint(16)).named("segLeft");
        UInt seq = reg(uint(32)).named("seq");
        UInt ipId = reg(uint(16)).named("ipId");
        UInt flags = reg(uint(8)).named("flags");
        UInt seed = reg(uint(16)).named("seed");
        Bool segFirst = reg(bool()).named("segFirst");
        Bool segLast = reg(bool()).named("segLast");
        // the IPv4 total length or the IPv6 payload length of the segment
        UInt ipLength = reg(uint(16)).named("ipLength");
        UInt tcpField = reg(uint(16)).named("tcpField");
        UInt step = reg(uint(4), 0).named("step");
        Mem<UInt> header = mem(uint(Beat.WIDTH), HEADER_WORDS).named("header");

        // ---- the pieces stream: header replays and payload pieces, packed by the BytePacker -------
        Stream<Beat> pieces = wire(Stream.packets(new Beat(), 1)).named("pieces");
        Stream<Beat> staged = pieces.stage();
        BytePacker packer = new BytePacker();
        staged.connectTo(packer.in);
        TxChecksum sums = new TxChecksum();
        packer.out.connectTo(sums.in);
        sums.out.connectTo(out);
        sums.patches.connectTo(patches);
        sums.ipcss.assign(c.ipcss);
        sums.ipcso.assign(c.ipcso);
        sums.ipcse.assign(c.ipcse);
        sums.tucss.assign(c.tucss);
        sums.tucso.assign(c.tucso);
        // a segment's TCP checksum runs to its end, whatever TUCSE says
        sums.tucse.assign(mux(c.tse, U(16, 0), c.tucse));
        sums.ixsm.assign(mux(c.tse, c.ipv4, c.ixsm));
        sums.txsm.assign(c.txsm.or(c.tse));
        checksumUnmodified.assign(sums.unmodified);

        Bool pieceEnds = pieces.fire().and(pieces.last).named("pieceEnds");
        inFlight.next(inFlight.plus(pieceEnds.asUInt().resize(4)).minus(sums.frameDone.asUInt().resize(4)));

        // ---- defaults --------------------------------------------------------------------------
        cmd.ready.assign(false);
        in.ready.assign(false);
        pieces.valid.assign(false);
        pieces.payload.data.assign(in.payload.data);
        pieces.payload.keep.assign(in.payload.keep);
        pieces.last.assign(in.last);
        pieces.user.assign(U(1, 0).asBits());
        tsoContext.next(false);
        tsoFailed.next(false);

        // ---- the request's checks ------------------------------------------------------------------
        TxCommand n = cmd.payload;
        UInt hdr10 = n.hdrlen.resize(10);
        Bool refused = n.mss.eq(0).or(n.paylen.eq(0)).or(n.hdrlen.eq(0)).or(n.tcp.not())
                .or(n.ipcss.resize(10).plus(mux(n.ipv4, U(10, 20), U(10, 40))).gt(n.tucss.resize(10)))
                .or(n.tucss.resize(10).plus(20).gt(hdr10))
                .or(n.tucso.resize(10).plus(2).gt(hdr10))
                .or(n.ipv4.and(n.ipcso.resize(10).plus(2).gt(hdr10)
                        .or(n.ipcse.lt(n.ipcss.resize(16).plus(19))).or(n.ipcse.ge(n.tucss.resize(16)))))
                .or(n.hdrlen.resize(17).plus(n.mss.resize(17)).gt(MAX_SEGMENT_FRAME)).named("refused");

        // ---- where the current beat stands -------------------------------------------------------
        UInt keepCount = count(in.payload.keep).named("keepCount");
        UInt wordEnd = cat(word.resize(6).plus(1), U(3, 0)).asUInt().named("wordEnd"); // 9 bits: (word + 1) * 8
        UInt hdr9 = c.hdrlen.resize(9);
        Bool headerEndsHere = wordEnd.ge(hdr9).named("headerEndsHere");
        UInt beatEnd = cat(word, U(3, 0)).asUInt().resize(9).plus(keepCount.resize(9)).named("beatEnd");
        UInt headerTail = c.hdrlen.slice(2, 0);

        // payload pieces
        UInt avail = keepCount.minus(lo.resize(4)).named("avail");
        Bool segFits = segLeft.le(avail.resize(16)).named("segFits");
        UInt takeCount = mux(segFits, segLeft.slice(3, 0), avail).named("takeCount");
        UInt pieceEnd = lo.resize(4).plus(takeCount).named("pieceEnd");
        Bool wholeBeat = pieceEnd.eq(keepCount).named("wholeBeat");
        Bool inEnds = wholeBeat.and(in.last).named("inEnds");
        UInt payloadAfter = payloadLeft.minus(takeCount.resize(payloadLeft.width())).named("payloadAfter");
        Bool allDone = payloadAfter.eq(0).named("allDone");
        Bool mismatch = allDone.and(inEnds.not()).or(allDone.not().and(inEnds)).named("mismatch");
        // the frame came marked drop, or its payload does not match PAYLEN: this segment is dropped
        Bool failed = mismatch.or(inEnds.and(in.user.bit(0))).named("failed");

        // ---- the field bytes: where step's byte lies; the header RAM's one read and one write port ---
        UInt base = mux(step.lt(4), c.ipcss, mux(step.lt(9), c.tucss, c.tucso));
        UInt[] offsets = new UInt[STEPS.length];
        for (int k = 0; k < STEPS.length; k++) offsets[k] = U(4, STEPS[k][1]);
        UInt offset = byStep(step, offsets);
        UInt fieldAt = base.plus(offset.resize(8)).named("fieldAt");
        Bool patching = seg.is(Seg.PATCH).named("patching");
        Bool byField = patching.or(seg.is(Seg.FETCH)).named("byField");
        UInt address = mux(byField, fieldAt.slice(7, 3), word).named("headerAddress");
        UInt stored = header.readAsync(address).named("stored");
        UInt fieldByte = patchByte(step, c.ipv4, ipLength, ipId, seq, flags, segFirst, segLast, tcpField);
        Signal[] fieldLane = new Signal[Beat.BYTES];
        Signal[] fieldData = new Signal[Beat.BYTES];
        for (int i = 0; i < Beat.BYTES; i++) {
            fieldLane[Beat.BYTES - 1 - i] = fieldAt.slice(2, 0).eq(i);
            fieldData[i] = fieldByte;
        }
        // IPv6 has no total length: its steps write nothing
        Bool patchWrites = patching.and(c.ipv4.or(step.ge(2))).named("patchWrites");
        UInt laneMask = Sums.held(mux(patching, cat(fieldLane).asUInt(), U(8, 0xFF)), "laneMask");
        when(seg.is(Seg.CAPTURE).and(in.valid).or(patchWrites),
                () -> header.write(address, mux(patching, cat(fieldData).asUInt(), in.payload.data), laneMask.asBits()));

        seg.on(Seg.IDLE, () -> {
            cmd.ready.assign(inFlight.eq(0));
            when(cmd.fire(), () -> {
                nextCommand(c, n);
                word.next(0);
                lo.next(0);
                payloadLeft.next(n.paylen);
                segFirst.next(true);
                when(n.tse.not(), () -> seg.goTo(Seg.PASS))
                        .elseWhen(refused, () -> {
                            tsoFailed.next(true);
                            seg.goTo(Seg.DISCARD);
                        })
                        .otherwise(() -> seg.goTo(Seg.CAPTURE));
            });
        }).on(Seg.PASS, () -> {
            pieces.valid.assign(in.valid);
            pieces.user.assign(in.user);
            in.ready.assign(pieces.ready);
            when(in.fire().and(in.last), () -> seg.goTo(Seg.IDLE));
        }).on(Seg.DISCARD, () -> {
            in.ready.assign(true);
            when(in.fire().and(in.last), () -> seg.goTo(Seg.IDLE));
        }).on(Seg.CAPTURE, () -> {
            when(in.valid, () -> {
                when(in.last.and(beatEnd.le(hdr9)), () -> {
                    // the frame ends inside the header: nothing to send
                    in.ready.assign(true);
                    tsoFailed.next(true);
                    seg.goTo(Seg.IDLE);
                }).elseWhen(headerEndsHere, () -> {
                    // a beat holding payload too stays for the payload state
                    in.ready.assign(wordEnd.eq(hdr9));
                    lo.next(headerTail);
                    step.next(FETCH_FIRST);
                    seg.goTo(Seg.FETCH);
                }).otherwise(() -> {
                    in.ready.assign(true);
                    word.next(word.plus(1));
                });
            });
        }).on(Seg.FETCH, () -> {
            // the ID, sequence, flags and seed bytes in order, shifted in from the bottom
            ipId.next(cat(ipId.slice(7, 0), seq.slice(31, 24)).asUInt());
            seq.next(cat(seq.slice(23, 0), flags).asUInt());
            flags.next(seed.slice(15, 8));
            seed.next(cat(seed.slice(7, 0), laneAt(stored, fieldAt.slice(2, 0))).asUInt());
            step.next(step.plus(1));
            when(step.eq(LAST_STEP), () -> seg.goTo(Seg.SEGMENT));
        }).on(Seg.SEGMENT, () -> {
            Bool lastOne = payloadLeft.le(c.mss.resize(payloadLeft.width()));
            UInt size = mux(lastOne, payloadLeft.slice(15, 0), c.mss);
            UInt fromIp = c.hdrlen.resize(16).minus(c.ipcss.resize(16));
            segLeft.next(size);
            segLast.next(lastOne);
            ipLength.next(mux(c.ipv4, fromIp, fromIp.minus(40)).plus(size));
            tcpField.next(Sums.add(seed, c.hdrlen.resize(16).minus(c.tucss.resize(16)).plus(size)));
            word.next(0);
            step.next(0);
            seg.goTo(Seg.PATCH);
        }).on(Seg.PATCH, () -> {
            // the segment's fields written into the header, a byte a clock
            step.next(step.plus(1));
            when(step.eq(LAST_STEP), () -> seg.goTo(Seg.REPLAY));
        }).on(Seg.REPLAY, () -> {
            pieces.valid.assign(true);
            pieces.payload.data.assign(stored);
            pieces.payload.keep.assign(mux(wordEnd.le(hdr9), U(8, 0xFF), firstLanes(headerTail.resize(4))));
            pieces.last.assign(false);
            when(pieces.fire(), () -> {
                word.next(word.plus(1));
                when(headerEndsHere, () -> seg.goTo(Seg.PAYLOAD));
            });
        }).on(Seg.PAYLOAD, () -> {
            pieces.valid.assign(in.valid);
            pieces.payload.keep.assign(firstLanes(pieceEnd).and(firstLanes(lo.resize(4)).not()));
            pieces.last.assign(segFits.or(inEnds));
            pieces.user.assign(failed.asBits());
            in.ready.assign(pieces.ready.and(wholeBeat));
            when(pieces.fire(), () -> {
                segLeft.next(segLeft.minus(takeCount.resize(16)));
                payloadLeft.next(payloadAfter);
                lo.next(mux(wholeBeat, U(3, 0), pieceEnd.slice(2, 0)));
                when(failed, () -> {
                    tsoFailed.next(true);
                    // what is left of a frame too long is discarded
                    when(inEnds, () -> seg.goTo(Seg.IDLE)).otherwise(() -> seg.goTo(Seg.DISCARD));
                }).elseWhen(allDone, () -> {
                    tsoContext.next(true);
                    seg.goTo(Seg.IDLE);
                }).elseWhen(segFits, () -> {
                    seq.next(seq.plus(c.mss.resize(32)));
                    ipId.next(ipId.plus(1));
                    segFirst.next(false);
                    seg.goTo(Seg.SEGMENT);
                });
            });
        });
    }

    static void nextCommand(TxCommand c, TxCommand n) {
        c.ipcss.next(n.ipcss);
        c.ipcso.next(n.ipcso);
        c.ipcse.next(n.ipcse);
        c.tucss.next(n.tucss);
        c.tucso.next(n.tucso);
        c.tucse.next(n.tucse);
        c.paylen.next(n.paylen);
        c.hdrlen.next(n.hdrlen);
        c.mss.next(n.mss);
        c.tse.next(n.tse);
        c.tcp.next(n.tcp);
        c.ipv4.next(n.ipv4);
        c.ixsm.next(n.ixsm);
        c.txsm.next(n.txsm);
    }

    /** Lane {@code sel} of a beat: a balanced tree of 2-to-1 selects. */
    static UInt laneAt(UInt data, UInt sel) {
        UInt[] level = new UInt[Beat.BYTES];
        for (int i = 0; i < Beat.BYTES; i++) level[i] = lane(data, i);
        for (int b = 0, n = Beat.BYTES; n > 1; b++, n /= 2) {
            UInt[] next = new UInt[n / 2];
            for (int k = 0; k < n / 2; k++) next[k] = mux(sel.bit(b), level[2 * k + 1], level[2 * k]);
            level = next;
        }
        return level[0];
    }

    /** The byte patch step {@code step} writes (see {@link #STEPS}). */
    static UInt patchByte(UInt step, Bool ipv4, UInt ipLength, UInt ipId, UInt seq, UInt flags, Bool segFirst, Bool segLast,
            UInt tcpField) {
        UInt keepFlags = U(8, 0xFF).and(mux(segLast, U(8, 0xFF), U(8, ~(FIN | PSH) & 0xFF)))
                .and(mux(segFirst, U(8, 0xFF), U(8, ~CWR & 0xFF)));
        UInt ipWord = mux(ipv4, ipId, ipLength);
        UInt[] bytes = {ipLength.slice(15, 8), ipLength.slice(7, 0), ipWord.slice(15, 8), ipWord.slice(7, 0),
                seq.slice(31, 24), seq.slice(23, 16), seq.slice(15, 8), seq.slice(7, 0), flags.and(keepFlags),
                tcpField.slice(15, 8), tcpField.slice(7, 0)};
        return byStep(step, bytes);
    }

    /** {@code values[step]}, one value a step ({@link #STEPS}), the last one past them. */
    static UInt byStep(UInt step, UInt[] values) {
        UInt v = values[LAST_STEP];
        for (int k = LAST_STEP - 1; k >= 0; k--) v = mux(step.eq(k), values[k], v);
        return v;
    }
}

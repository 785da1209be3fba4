package io.github.jnic.nic.link;

import io.github.jnic.jhdl.Bits;
import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Mem;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.lib.Crc;
import io.github.jnic.jhdl.lib.CrcGenerator;
import io.github.jnic.jhdl.lib.Fsm;
import io.github.jnic.jhdl.lib.Stream;
import io.github.jnic.nic.rx.RxFrame;
import io.github.jnic.nic.rx.RxFrameBuffer;
import io.github.jnic.nic.stream.Beat;
import io.github.jnic.spec.HostLink;

/**
 * The host link on a UART (the iCEBreaker's FTDI serial port): between the UART's pins and the
 * {@link LinkBridge}'s Ethernet-frame streams, as the host's {@code StreamFraming} frames messages
 * on a byte stream (each message followed by its CRC-16/CCITT-FALSE, big-endian, COBS-encoded, a
 * 0x00 after it).
 *
 * <p>Receiving: bytes from the {@link UartRx} are COBS-decoded as they come (a block's implied zero
 * is given when the next block's code arrives, so the last block's is never given) and run through
 * the CRC; a frame's decoded bytes less its last two (the CRC) follow the 14-byte Ethernet header
 * {@link LinkReceiver} wants (destination {@code station}, source {@code peer}, EtherType
 * {@link HostLink#ETHERTYPE}), packed into beats, into an {@link RxFrameBuffer} of
 * {@value #RX_BEATS} beats. At the 0x00 the frame's last beat carries its verdict: BAD, so the
 * buffer drops it, when the CRC over its bytes (the CRC's own included) is not zero, the COBS is cut
 * short, a byte of it had a framing error, it has fewer than three bytes or more than a message
 * ({@value #MAX_DECODED} with the CRC; beats past that are not written). Each such frame is one
 * pulse of {@code corrupt} and counts in {@code corruptFrames}; the host's go-back-N sends it again.
 * A 0x00 outside a frame is ignored.
 *
 * <p>Transmitting: a frame from {@code tx} (the sender's, at most {@value #TX_BYTES} bytes in all)
 * is taken a byte a clock, its Ethernet header dropped, and COBS-encoded in place into a
 * {@value #TX_BYTES}-byte block RAM as it comes (a block's code byte is written where the block
 * began once its end is known: at a zero, after 254 bytes, or at the frame's end), its CRC after
 * it, then the 0x00; the encoded frame then leaves through the {@link UartTx}, and the next frame is
 * taken once it is gone. COBS needs to see up to 254 bytes ahead before it can write a block's
 * first byte; holding the whole frame gives that.
 *
 * <p>Ports: {@code rxd}, {@code txd} (the UART's pins, idle high), {@code rx} (good frames, for
 * {@code LinkBridge.rx}), {@code tx} (frames from {@code LinkBridge.tx}), {@code station},
 * {@code peer}, pulses {@code corrupt}, {@code framingError}, {@code overflow} (a good frame the
 * receive buffer had no room for), and the counts {@code corruptFrames} and {@code framingErrors}
 * (16 bits, wrapping).
 */
public class UartLink extends Module {
    public final Bool rxd = input(bool());
    public final Bool txd = output(bool());
    public final Stream<Beat> rx = output(Stream.packets(new Beat(), RxFrame.META_WIDTH));
    public final Stream<Beat> tx = input(Stream.packets(new Beat()));
    public final UInt station = input(uint(48));
    public final UInt peer = input(uint(48));
    public final Bool corrupt = output(reg(bool(), false));
    public final Bool framingError = output(bool());
    public final Bool overflow = output(bool());
    public final UInt corruptFrames = output(reg(uint(16), 0));
    public final UInt framingErrors = output(reg(uint(16), 0));

    /** Beats of the receive frame buffer: one longest DMA_DATA (133 beats) and more. */
    public static final int RX_BEATS = 256;
    /** Frames the receive buffer holds at once. */
    public static final int RX_FRAMES = 4;
    /** The most decoded bytes a received frame may have: a message with {@link HostLink#MAX_DATA} bytes and its CRC. */
    public static final int MAX_DECODED = HostLink.HEADER_BYTES + HostLink.MAX_DATA + 2;
    /** The transmit buffer's bytes: the longest frame the sender makes (512 bytes) encodes into fewer. */
    public static final int TX_BYTES = 512;

    enum TxState { LOAD, CRC_HIGH, CRC_LOW, CODE, DELIMIT, READ, SEND }

    final Fsm<TxState> send = new Fsm<>(TxState.LOAD);

    /** A link whose UART runs at the clock over {@code clocksPerBit} baud. */
    public UartLink(int clocksPerBit) {
        UartRx uartRx = new UartRx(clocksPerBit).named("uartRx");
        UartTx uartTx = new UartTx(clocksPerBit).named("uartTx");
        uartRx.rxd.assign(rxd);
        txd.assign(uartTx.txd);
        framingError.assign(uartRx.framingError);
        corrupt.next(false);
        when(uartRx.framingError, () -> framingErrors.next(framingErrors.plus(1)));
        receive(uartRx);
        transmit(uartTx);
    }

    private void receive(UartRx uartRx) {
        RxFrameBuffer buffer = new RxFrameBuffer(RX_BEATS, RX_FRAMES).named("frames");
        buffer.flush.assign(false);
        rx.connectFrom(buffer.out);
        overflow.assign(buffer.overflow);

        Bool got = uartRx.out.valid;
        UInt b = uartRx.out.payload;
        Bool inFrame = reg(bool(), false).named("inFrame");   // a code byte came since the last 0x00
        UInt left = reg(uint(8), 0).named("left");            // data bytes still to come in this block
        Bool zeroNext = reg(bool(), false).named("zeroNext"); // this block's code is under 255: a zero follows it, unless it is the last
        Bool bad = reg(bool(), false).named("bad");           // a framing error, or too long
        UInt decoded = reg(uint(11), 0).named("decoded");     // bytes decoded in this frame (stops at MAX_DECODED + 1)
        UInt held = reg(uint(16), 0).named("held");           // the last two decoded bytes (the CRC, at the end), newest in 7:0
        UInt heldCount = reg(uint(2), 0).named("heldCount");
        UInt acc = reg(uint(Beat.WIDTH), 0).named("acc");     // the beat being packed
        UInt accBytes = reg(uint(4), 0).named("accBytes");
        CrcGenerator crc = new CrcGenerator(Crc.CRC16_CCITT, 8).named("rxCrc");

        // the beat to the frame buffer, a register
        Bool outValid = reg(bool(), false).named("outValid");
        UInt outData = reg(uint(Beat.WIDTH), 0).named("outData");
        UInt outKeep = reg(uint(Beat.BYTES), 0).named("outKeep");
        Bool outLast = reg(bool(), false).named("outLast");
        Bool outBad = reg(bool(), false).named("outBad");
        outValid.next(false);
        buffer.in.valid.assign(outValid);
        buffer.in.payload.data.assign(outData);
        buffer.in.payload.keep.assign(outKeep);
        buffer.in.last.assign(outLast);
        Bits verdict = outBad.asBits().resize(RxFrame.VERDICT_WIDTH);
        buffer.in.user.assign(verdict);

        // a decoded byte: a data byte, or a block's implied zero when the next block's code comes
        Bool code = got.and(b.ne(0)).and(left.eq(0)).named("code");
        Bool dataByte = got.and(b.ne(0)).and(left.ne(0)).and(inFrame).named("dataByte");
        Bool dec = dataByte.or(code.and(inFrame).and(zeroNext)).named("dec");
        UInt decByte = mux(dataByte, b, U(8, 0)).named("decByte");
        crc.enable.assign(dec);
        crc.data.assign(decByte);
        crc.clear.assign(code.and(inFrame.not()));

        Bool overlong = decoded.gt(MAX_DECODED).named("overlong");
        Runnable emitFull = () -> {
            outValid.next(true);
            outData.next(acc);
            outKeep.next(0xFF);
            outLast.next(false);
            outBad.next(false);
        };

        when(code, () -> {
            left.next(b.minus(1));
            zeroNext.next(b.ne(0xFF));
            when(inFrame.not(), () -> {
                // a frame starts: the Ethernet header's first beat out, the rest of it packed
                inFrame.next(true);
                decoded.next(0);
                heldCount.next(0);
                outValid.next(true);
                outData.next(cat(peer.slice(15, 0), station).asUInt());
                outKeep.next(0xFF);
                outLast.next(false);
                outBad.next(false);
                acc.next(cat(U(8, HostLink.ETHERTYPE & 0xFF), U(8, HostLink.ETHERTYPE >> 8), peer.slice(47, 16)).asUInt().resize(Beat.WIDTH));
                accBytes.next(HostLink.FRAME_OFFSET - Beat.BYTES);
            });
        });
        when(dataByte, () -> left.next(left.minus(1)));
        when(dec, () -> {
            when(overlong.not(), () -> decoded.next(decoded.plus(1)));
            held.next(cat(held.slice(7, 0), decByte).asUInt());
            when(heldCount.ne(2), () -> heldCount.next(heldCount.plus(1)));
            // the byte two back is not the CRC: it is packed
            when(heldCount.eq(2).and(decoded.lt(MAX_DECODED)), () -> {
                UInt p = held.slice(15, 8);
                when(accBytes.eq(Beat.BYTES), () -> {
                    emitFull.run();
                    acc.next(p.resize(Beat.WIDTH));
                    accBytes.next(1);
                }).otherwise(() -> {
                    acc.next(acc.or(p.resize(Beat.WIDTH).shiftLeft(cat(accBytes.slice(2, 0), U(3, 0)).asUInt())));
                    accBytes.next(accBytes.plus(1));
                });
            });
        });
        when(uartRx.framingError, () -> bad.next(true));
        when(got.and(b.eq(0)), () -> {
            bad.next(false);
            inFrame.next(false);
            left.next(0);
            when(inFrame, () -> {
                Bool wrong = bad.or(left.ne(0)).or(crc.value.ne(0)).or(decoded.lt(3)).or(overlong).named("wrong");
                outValid.next(true);
                outData.next(acc);
                outKeep.next(Beat.firstLanes(accBytes));
                outLast.next(true);
                outBad.next(wrong);
                when(wrong, () -> {
                    corrupt.next(true);
                    corruptFrames.next(corruptFrames.plus(1));
                });
            });
        });
    }

    private void transmit(UartTx uartTx) {
        Mem<UInt> encoded = mem(uint(8), TX_BYTES).named("encoded");
        int aw = encoded.addressWidth();
        UInt out = reg(uint(aw + 1), 1).named("out");         // where the next byte goes
        UInt codeAt = reg(uint(aw + 1), 0).named("codeAt");   // where this block's code goes
        UInt lane = reg(uint(3), 0).named("lane");            // the byte of the beat on tx
        UInt skip = reg(uint(4), 0).named("skip");            // Ethernet header bytes dropped so far
        UInt rd = reg(uint(aw + 1), 0).named("rd");
        CrcGenerator crc = new CrcGenerator(Crc.CRC16_CCITT, 8).named("txCrc");

        UInt data = tx.payload.data;
        UInt byteAt = Beat.lane(data, 0);
        Bool endAt = tx.payload.keep.bit(1).not();   // packed beats: the beat ends where the next lane is not kept
        for (int i = 1; i < Beat.BYTES; i++) {
            byteAt = mux(lane.eq(i), Beat.lane(data, i), byteAt);
            endAt = mux(lane.eq(i), i == Beat.BYTES - 1 ? TRUE : tx.payload.keep.bit(i + 1).not(), endAt);
        }
        UInt here = byteAt.named("here");
        Bool lastInBeat = endAt.named("lastInBeat");
        Bool header = skip.lt(HostLink.FRAME_OFFSET).named("header");
        Bool loading = send.is(TxState.LOAD).and(tx.valid).named("loading");
        // the byte to encode now: the message's, then the CRC's two
        UInt byteNow = mux(send.is(TxState.CRC_HIGH), crc.value.slice(15, 8), mux(send.is(TxState.CRC_LOW), crc.value.slice(7, 0), here)).named("byteNow");
        Bool encoding = loading.and(header.not()).or(send.is(TxState.CRC_HIGH)).or(send.is(TxState.CRC_LOW)).named("encoding");
        UInt run = out.minus(codeAt).named("run");
        Bool full = run.eq(255).named("full");                // 254 bytes since the code: the block ends here
        // a byte is consumed unless a full block's code is written first
        Bool consumed = loading.and(header).or(encoding.and(full.not())).named("consumed");

        Bool write = wire(bool()).named("write");
        UInt wAddress = wire(uint(aw + 1)).named("wAddress");
        UInt wData = wire(uint(8)).named("wData");
        write.assign(false);
        wAddress.assign(out);
        wData.assign(byteNow);
        when(write, () -> encoded.write(wAddress.resize(aw), wData));
        Runnable closeBlock = () -> {
            write.assign(true);
            wAddress.assign(codeAt);
            wData.assign(run.resize(8));
            codeAt.next(out);
            out.next(out.plus(1));
        };

        crc.clear.assign(send.is(TxState.SEND));
        crc.enable.assign(loading.and(header.not()).and(consumed));
        crc.data.assign(here);
        tx.ready.assign(consumed.and(send.is(TxState.LOAD)).and(lastInBeat));

        when(encoding, () -> {
            when(full.or(byteNow.eq(0)), closeBlock).otherwise(() -> {
                write.assign(true);
                out.next(out.plus(1));
            });
        });
        when(consumed, () -> {
            when(header, () -> skip.next(skip.plus(1)));
            when(send.is(TxState.LOAD), () -> lane.next(mux(lastInBeat, U(3, 0), lane.plus(1))));
        });

        uartTx.in.valid.assign(send.is(TxState.SEND));
        UInt word = encoded.readSync(rd.resize(aw)).named("word");
        uartTx.in.payload.assign(word);
        send.on(TxState.LOAD, () -> when(consumed.and(lastInBeat).and(tx.last), () -> send.goTo(TxState.CRC_HIGH)))
                .on(TxState.CRC_HIGH, () -> when(consumed, () -> send.goTo(TxState.CRC_LOW)))
                .on(TxState.CRC_LOW, () -> when(consumed, () -> send.goTo(TxState.CODE)))
                .on(TxState.CODE, () -> {
                    // the last block's code (255 if it is full: no block after it)
                    write.assign(true);
                    wAddress.assign(codeAt);
                    wData.assign(run.resize(8));
                    send.goTo(TxState.DELIMIT);
                }).on(TxState.DELIMIT, () -> {
                    write.assign(true);
                    wData.assign(0);
                    out.next(out.plus(1));
                    rd.next(0);
                    send.goTo(TxState.READ);
                }).on(TxState.READ, () -> send.goTo(TxState.SEND))   // the word at rd arrives
                .on(TxState.SEND, () -> when(uartTx.in.fire(), () -> {
                    rd.next(rd.plus(1));
                    when(rd.plus(1).eq(out), () -> {
                        out.next(1);
                        codeAt.next(0);
                        skip.next(0);
                        send.goTo(TxState.LOAD);
                    }).otherwise(() -> send.goTo(TxState.READ));
                }));
    }
}

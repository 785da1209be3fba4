package io.github.jnic.nic.link;

import static io.github.jnic.jhdl.Hdl.bool;
import static io.github.jnic.jhdl.Hdl.uint;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Bundle;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.lib.Fsm;
import io.github.jnic.jhdl.lib.Stream;
import io.github.jnic.jhdl.lib.StreamFifo;
import io.github.jnic.jhdl.lib.axi.Axi4;
import io.github.jnic.jhdl.lib.axi.Axi4Lite;
import io.github.jnic.nic.regs.RegisterFile;
import io.github.jnic.nic.rx.RxFrame;
import io.github.jnic.nic.stream.Beat;
import io.github.jnic.spec.HostLink;

/**
 * The board's end of the host link, between the link port's frames and the card's host side: the
 * {@link LinkReceiver}, the receive half of go-back-N (only the next message in sequence is taken;
 * every message's ack goes to the sender, every sequenced one asks for an ack back), the register
 * executor, the DMA executors and the interrupt line, and the {@link LinkSender}.
 *
 * <p>Registers: REG_WRITE and REG_READ are queued ({@value #QUEUE} deep) and carried out one at a
 * time, in the order the host sent them, on the AXI4-Lite master {@code regs}; one that finds the
 * queue full is not taken ({@code busy}) and the host's go-back-N sends it again: a message's
 * header is never held, so the acks in the frames behind it are never held either; a read's value goes back as REG_DATA with its tag
 * (the response code is not carried: the card's register file answers every address).
 *
 * <p>DMA, on the AXI4 slave {@code dma} (the card's master), as PCIe carries memory requests: a
 * read burst goes to the host as DMA_READ (a tag, its first beat's address, its bytes) and comes
 * back as R beats from the DMA_DATA with that tag, its value the response; up to {@value #READS}
 * reads wait for their data at once, answered in the order asked (AXI allows that across IDs and
 * requires it within one). A read is accepted only when the {@value #READ_BUFFER_BEATS}-beat read
 * buffer has room for all its data, so a DMA_DATA is always taken whole however slowly the card
 * takes its R beats: the receiver's stream, and the acks in it, never wait for the card. A write
 * burst goes as one DMA_WRITE (its beats with their strobes, {@link HostLink.Type#DMA_WRITE}),
 * and its B (OKAY) is given once the sender holds it: posted, as on PCIe, and because everything
 * the board sends is delivered in order, an IRQ sent after a write's B reaches the host after the
 * write. Bursts the link cannot carry in one message (reads over {@value #MAX_READ_BEATS} beats,
 * writes over {@value #MAX_WRITE_BEATS}) are answered SLVERR without going to the host. A DMA_DATA
 * that is not the answer the oldest read waits for is dropped and counted {@code unexpected}; one
 * with its tag but the wrong length answers it with SLVERR (and zeros), so a host's mistake never
 * leaves the card waiting.
 *
 * <p>The interrupt: whenever {@code irq} differs from the level last reported, an IRQ message
 * reports it. What the board sends is chosen among register answers, interrupt reports, writes
 * and reads (those two in turn), and held until the sender has taken it.
 *
 * <p>The host's MAC address is the source of the last message taken in sequence (the broadcast
 * address until one is): the host may be any port, and nothing on the board names it.
 *
 * <p>Ports: {@code rx} (good frames from the link port's frame buffer), {@code tx} (frames to
 * send), {@code station} (the board's MAC address, first byte in bits 7:0), {@code regs},
 * {@code dma}, {@code irq}, and pulses {@code foreign}, {@code malformed} (from the receiver),
 * {@code outOfOrder} (a sequenced message not the next one: dropped, acknowledged again),
 * {@code unexpected}, {@code busy} and {@code resent} (from the sender).
 */
public class LinkBridge extends Module {
    public final Stream<Beat> rx = input(Stream.packets(new Beat(), RxFrame.META_WIDTH));
    public final Stream<Beat> tx = output(Stream.packets(new Beat()));
    public final UInt station = input(uint(48));
    public final Axi4Lite regs = output(new Axi4Lite(RegisterFile.ADDRESS_BITS));
    public final Axi4 dma;
    public final Bool irq = input(bool());
    public final Bool foreign = output(bool());
    public final Bool malformed = output(bool());
    public final Bool outOfOrder = output(reg(bool(), false));
    public final Bool unexpected = output(reg(bool(), false));
    public final Bool busy = output(reg(bool(), false));
    public final Bool resent = output(bool());

    /** Register accesses taken but not yet carried out. */
    static final int QUEUE = 16;
    /** Reads waiting for their data or being answered, at most. */
    public static final int READS = 16;
    /** Beats of read data the bridge holds for the card (two DP16KD on ECP5). */
    public static final int READ_BUFFER_BEATS = 512;
    /** The longest read one DMA_READ carries. */
    public static final int MAX_READ_BEATS = HostLink.MAX_DATA / 8;
    /** The longest write one DMA_WRITE carries in a sender slot; the card's bursts are at most 32 beats. */
    public static final int MAX_WRITE_BEATS = 32;
    static final int SLOT_BEATS = 64;

    /** A register access waiting for the executor. */
    public static class RegisterAccess extends Bundle {
        public final Bool read = bool();
        public final UInt tag = uint(HostLink.TAG.bits());
        public final UInt address = uint(RegisterFile.ADDRESS_BITS);
        public final UInt value = uint(HostLink.VALUE.bits());
    }

    /** A read burst accepted, waiting for its DMA_DATA ({@code fail}: too long for the link, answered SLVERR here). */
    public static class ReadRequest extends Bundle {
        public final UInt tag = uint(HostLink.TAG.bits());
        public final UInt id;
        public final UInt beats = uint(9);
        public final Bool fail = bool();
        private final int idWidth;

        public ReadRequest(int idWidth) {
            this.idWidth = idWidth;
            id = uint(idWidth);
        }

        @Override
        public ReadRequest cloneType() { return new ReadRequest(idWidth); }
    }

    /** A read burst answered: its R beats come from the read buffer, or are zeros when {@code zeros}. */
    public static class ReadAnswer extends Bundle {
        public final UInt id;
        public final UInt beats = uint(9);
        public final UInt resp = uint(2);
        public final Bool zeros = bool();
        private final int idWidth;

        public ReadAnswer(int idWidth) {
            this.idWidth = idWidth;
            id = uint(idWidth);
        }

        @Override
        public ReadAnswer cloneType() { return new ReadAnswer(idWidth); }
    }

    /** One beat of read data. */
    public static class ReadBeat extends Bundle {
        public final UInt data = uint(Beat.WIDTH);
    }

    enum Take { IDLE, FILL, DRAIN }

    enum Reg { IDLE, WRITE, WAIT_B, READ, WAIT_R, ANSWER }

    enum Offer { IDLE, ANSWER, IRQ, DMA_READ, DMA_WRITE, SKIP_W, B }

    final Fsm<Take> take = new Fsm<>(Take.IDLE);
    final Fsm<Reg> access = new Fsm<>(Reg.IDLE);
    final Fsm<Offer> offer = new Fsm<>(Offer.IDLE);

    /**
     * The board's window: 8 messages of up to 478 data bytes, resent after {@code timeoutCycles}
     * without an ack; {@code dma} with IDs of {@code dmaIdWidth} bits.
     */
    public LinkBridge(int timeoutCycles, int dmaIdWidth) {
        dma = input(new Axi4(dmaIdWidth, 64, 64));
        if (HostLink.dmaWriteLength(MAX_WRITE_BEATS) > SLOT_BEATS * Beat.BYTES - LinkSender.HEADER_END) throw new AssertionError("slot");
        LinkReceiver receiver = new LinkReceiver().named("receiver");
        LinkSender sender = new LinkSender(8, SLOT_BEATS, timeoutCycles).named("sender");
        rx.connectTo(receiver.in);
        sender.out.connectTo(tx);
        receiver.station.assign(station);
        sender.station.assign(station);
        // the host's address: learned from its messages, broadcast until the first arrives
        UInt peer = reg(uint(48), 0xFFFF_FFFF_FFFFL).named("peer");
        sender.peer.assign(peer);
        foreign.assign(receiver.foreign);
        malformed.assign(receiver.malformed);
        resent.assign(sender.resent);
        outOfOrder.next(false);
        unexpected.next(false);
        busy.next(false);

        // ---- taking messages in sequence --------------------------------------------------------
        LinkHeader h = receiver.header.payload;
        UInt expected = reg(uint(HostLink.SEQ.bits()), 0).named("expected");
        sender.expected.assign(expected);
        sender.ack.assign(h.ack);
        sender.ackValid.assign(receiver.header.fire());
        Bool isAck = h.type.eq(HostLink.Type.ACK.code);
        Bool inSequence = h.seq.eq(expected).named("inSequence");
        Bool isRegister = h.type.eq(HostLink.Type.REG_READ.code).or(h.type.eq(HostLink.Type.REG_WRITE.code));
        Bool isDmaData = h.type.eq(HostLink.Type.DMA_DATA.code);
        sender.ackDue.assign(receiver.header.fire().and(isAck.not()));
        when(receiver.header.fire().and(inSequence).and(isAck.not()), () -> peer.next(receiver.source));

        // the register accesses taken, in order, waiting for the executor
        StreamFifo<RegisterAccess> queue = new StreamFifo<>(Stream.of(new RegisterAccess()), QUEUE).named("queue");
        queue.in.valid.assign(false);
        queue.in.payload.read.assign(h.type.eq(HostLink.Type.REG_READ.code));
        queue.in.payload.tag.assign(h.tag);
        queue.in.payload.address.assign(h.address.resize(RegisterFile.ADDRESS_BITS));
        queue.in.payload.value.assign(h.value);
        UInt regTag = reg(uint(8), 0).named("regTag");
        UInt regAddress = reg(uint(RegisterFile.ADDRESS_BITS), 0).named("regAddress");
        UInt regValue = reg(uint(32), 0).named("regValue");
        receiver.header.ready.assign(false);
        receiver.data.ready.assign(false);

        // the reads: asked (waiting for DMA_DATA), answered (their R beats to go), and their data
        StreamFifo<ReadRequest> asked = new StreamFifo<>(Stream.of(new ReadRequest(dmaIdWidth)), READS).named("asked");
        StreamFifo<ReadAnswer> answered = new StreamFifo<>(Stream.of(new ReadAnswer(dmaIdWidth)), READS).named("answered");
        StreamFifo<ReadBeat> readData = new StreamFifo<>(Stream.of(new ReadBeat()), READ_BUFFER_BEATS).named("readData");
        ReadRequest oldest = asked.out.payload;
        asked.out.ready.assign(false);
        answered.in.valid.assign(false);
        answered.in.payload.id.assign(oldest.id);
        answered.in.payload.beats.assign(oldest.beats);
        answered.in.payload.resp.assign(Axi4.RESP_SLVERR);
        answered.in.payload.zeros.assign(true);
        readData.in.valid.assign(false);
        readData.in.payload.data.assign(receiver.data.payload.data);
        // a read too long for the link is answered as soon as it is the oldest
        Bool failing = asked.out.valid.and(oldest.fail).named("failing");
        when(failing, () -> {
            asked.out.ready.assign(true);
            answered.in.valid.assign(true);
        });

        take.on(Take.IDLE, () -> {
            // a failing read is answered first (one clock), so the DMA_DATA behind it finds its own read
            when(receiver.header.valid.and(failing.not()), () -> {
                receiver.header.ready.assign(true);
                // an ACK only acknowledges (the sender has its ack field already)
                when(isAck.not().and(inSequence.not()), () -> {
                            outOfOrder.next(true);
                            when(h.length.ne(0), () -> take.goTo(Take.DRAIN));
                        })
                        .elseWhen(isRegister, () -> {
                            // taken if the queue has room; if not, dropped and left to the host to
                            // resend: a header is never held, or the acks behind it would wait too
                            when(queue.in.ready, () -> {
                                queue.in.valid.assign(true);
                                expected.next(expected.plus(1));
                            }).otherwise(() -> busy.next(true));
                            when(h.length.ne(0), () -> take.goTo(Take.DRAIN));
                        })
                        .elseWhen(isDmaData, () -> {
                            expected.next(expected.plus(1));
                            Bool ours = asked.out.valid.and(oldest.tag.eq(h.tag)).named("ours");
                            Bool whole = h.length.eq(oldest.beats.resize(16).shiftLeft(3)).named("whole");
                            when(ours, () -> {
                                asked.out.ready.assign(true);
                                answered.in.valid.assign(true);
                                when(whole, () -> {
                                    answered.in.payload.resp.assign(h.value.slice(1, 0));
                                    answered.in.payload.zeros.assign(false);
                                    take.goTo(Take.FILL);
                                }).otherwise(() -> {
                                    unexpected.next(true);
                                    when(h.length.ne(0), () -> take.goTo(Take.DRAIN));
                                });
                            }).otherwise(() -> {
                                unexpected.next(true);
                                when(h.length.ne(0), () -> take.goTo(Take.DRAIN));
                            });
                        })
                        .elseWhen(isAck.not(), () -> {
                            expected.next(expected.plus(1));
                            unexpected.next(true);
                            when(h.length.ne(0), () -> take.goTo(Take.DRAIN));
                        });
            });
        }).on(Take.FILL, () -> {
            // the buffer has room: it was reserved when the read was accepted
            readData.in.valid.assign(receiver.data.valid);
            receiver.data.ready.assign(readData.in.ready);
            when(receiver.data.fire().and(receiver.data.last), () -> take.goTo(Take.IDLE));
        }).on(Take.DRAIN, () -> {
            receiver.data.ready.assign(true);
            when(receiver.data.fire().and(receiver.data.last), () -> take.goTo(Take.IDLE));
        });

        // ---- the register executor --------------------------------------------------------------
        Bool awDone = reg(bool(), false).named("awDone");
        Bool wDone = reg(bool(), false).named("wDone");
        UInt answer = reg(uint(32), 0).named("answer");
        regs.aw.valid.assign(access.is(Reg.WRITE).and(awDone.not()));
        regs.aw.payload.assign(regAddress);
        regs.w.valid.assign(access.is(Reg.WRITE).and(wDone.not()));
        regs.w.payload.data.assign(regValue);
        regs.w.payload.strb.assign(U(4, 0xF));
        regs.b.ready.assign(access.is(Reg.WAIT_B));
        regs.ar.valid.assign(access.is(Reg.READ));
        regs.ar.payload.assign(regAddress);
        regs.r.ready.assign(access.is(Reg.WAIT_R));
        queue.out.ready.assign(access.is(Reg.IDLE));
        access.on(Reg.IDLE, () -> when(queue.out.valid, () -> {
            RegisterAccess next = queue.out.payload;
            regTag.next(next.tag);
            regAddress.next(next.address);
            regValue.next(next.value);
            when(next.read, () -> access.goTo(Reg.READ)).otherwise(() -> access.goTo(Reg.WRITE));
        })).on(Reg.WRITE, () -> {
            Bool awNow = awDone.or(regs.aw.fire()), wNow = wDone.or(regs.w.fire());
            awDone.next(awNow);
            wDone.next(wNow);
            when(awNow.and(wNow), () -> {
                awDone.next(false);
                wDone.next(false);
                access.goTo(Reg.WAIT_B);
            });
        }).on(Reg.WAIT_B, () -> when(regs.b.fire(), () -> access.goTo(Reg.IDLE)))
                .on(Reg.READ, () -> when(regs.ar.fire(), () -> access.goTo(Reg.WAIT_R)))
                .on(Reg.WAIT_R, () -> when(regs.r.fire(), () -> {
                    answer.next(regs.r.payload.data);
                    access.goTo(Reg.ANSWER);
                }));

        // ---- R beats to the card, from the answered reads in order -------------------------------
        ReadAnswer now = answered.out.payload;
        UInt rBeat = reg(uint(9), 0).named("rBeat");
        Bool rLast = rBeat.eq(now.beats.minus(1)).named("rLast");
        dma.r.valid.assign(answered.out.valid.and(now.zeros.or(readData.out.valid)));
        dma.r.payload.id.assign(now.id);
        dma.r.payload.data.assign(mux(now.zeros, U(Beat.WIDTH, 0), readData.out.payload.data));
        dma.r.payload.resp.assign(now.resp);
        dma.r.last.assign(rLast);
        readData.out.ready.assign(dma.r.ready.and(answered.out.valid).and(now.zeros.not()));
        answered.out.ready.assign(dma.r.fire().and(rLast));
        when(dma.r.fire(), () -> rBeat.next(mux(rLast, U(9, 0), rBeat.plus(1))));

        // every accepted read holds room in the buffer for its beats until they leave as R beats
        UInt reserved = reg(uint(10), 0).named("reserved");
        UInt readsOut = reg(uint(5), 0).named("readsOut");
        // each in one carry chain from the AR's len: reserved + len + 1 <= 512 is reserved + len < 512
        // (no more than 767 in 10 bits), and the next count is picked by the handshake between two sums
        // worked out beside it, reserved + len + 1 - rfire and reserved - rfire
        UInt arLen = dma.ar.payload.len;   // the port keeps its name: a model drives it by name
        UInt arBeats = arLen.resize(9).plus(1).named("arBeats");
        Bool arTake = dma.ar.fire();
        Bool rTaken = dma.r.fire();
        reserved.next(mux(arTake,
                reserved.plus(arLen.resize(10)).plus(rTaken.not().asUInt().resize(10)),
                reserved.minus(rTaken.asUInt().resize(10))));
        readsOut.next(readsOut.plus(arTake.asUInt().resize(5)).minus(answered.out.ready.asUInt().resize(5)));
        Bool readRoom = readsOut.lt(READS).and(reserved.plus(arLen.resize(10)).lt(READ_BUFFER_BEATS)).named("readRoom");
        // len + 1 > MAX_READ_BEATS is len >= MAX_READ_BEATS
        Bool arTooLong = arLen.ge(MAX_READ_BEATS).named("arTooLong");
        asked.in.valid.assign(arTake);
        UInt readTag = reg(uint(8), 0).named("readTag");
        asked.in.payload.tag.assign(readTag);
        asked.in.payload.id.assign(dma.ar.payload.id);
        asked.in.payload.beats.assign(arBeats);
        asked.in.payload.fail.assign(arTooLong);

        // ---- what the board sends ---------------------------------------------------------------
        Bool irqReported = reg(bool(), false).named("irqReported");
        Bool irqLevel = reg(bool(), false).named("irqLevel");
        Bool readsNext = reg(bool(), false).named("readsNext");   // a read goes before the next write
        UInt dmaId = reg(uint(dmaIdWidth), 0).named("dmaId");
        UInt dmaTag = reg(uint(8), 0).named("dmaTag");
        UInt dmaAddress = reg(uint(64), 0).named("dmaAddress");
        UInt dmaBeats = reg(uint(9), 0).named("dmaBeats");
        UInt bResp = reg(uint(2), 0).named("bResp");
        UInt wLeft = reg(uint(9), 0).named("wLeft");          // write beats still to come from the card
        UInt inGroup = reg(uint(4), 0).named("inGroup");      // of them, in the group being sent
        UInt strobes = reg(uint(64), 0).named("strobes");     // the group's strobes so far
        Bool strobeWord = reg(bool(), false).named("strobeWord");   // the group's strobe word goes next
        UInt awBeats = dma.aw.payload.len.resize(9).plus(1).named("awBeats");
        Bool reading = dma.ar.valid.and(readRoom).and(readsNext.or(dma.aw.valid.not())).named("reading");
        dma.ar.ready.assign(false);
        dma.aw.ready.assign(false);
        dma.w.ready.assign(false);
        dma.b.valid.assign(offer.is(Offer.B));
        dma.b.payload.id.assign(dmaId);
        dma.b.payload.resp.assign(bResp);

        offer.on(Offer.IDLE, () -> {
            when(access.is(Reg.ANSWER), () -> offer.goTo(Offer.ANSWER))
                    .elseWhen(irq.ne(irqReported), () -> {
                        irqLevel.next(irq);
                        offer.goTo(Offer.IRQ);
                    })
                    .elseWhen(reading, () -> {
                        dma.ar.ready.assign(true);
                        readsNext.next(false);
                        dmaAddress.next(cat(dma.ar.payload.addr.slice(63, 3), U(3, 0)).asUInt());
                        dmaBeats.next(arBeats);
                        readTag.next(readTag.plus(1));
                        dmaTag.next(readTag);
                        // a read too long for the link waits in order with the rest, never sent
                        when(arTooLong.not(), () -> offer.goTo(Offer.DMA_READ));
                    })
                    .elseWhen(dma.aw.valid, () -> {
                        dma.aw.ready.assign(true);
                        readsNext.next(true);
                        dmaId.next(dma.aw.payload.id);
                        dmaAddress.next(cat(dma.aw.payload.addr.slice(63, 3), U(3, 0)).asUInt());
                        dmaBeats.next(awBeats);
                        wLeft.next(awBeats);
                        inGroup.next(0);
                        strobes.next(0);
                        strobeWord.next(false);
                        when(awBeats.le(MAX_WRITE_BEATS), () -> {
                            bResp.next(Axi4.RESP_OKAY);
                            offer.goTo(Offer.DMA_WRITE);
                        }).otherwise(() -> {
                            bResp.next(Axi4.RESP_SLVERR);
                            offer.goTo(Offer.SKIP_W);
                        });
                    });
        }).on(Offer.DMA_WRITE, () -> {
            // the card's beats as they come, a word of their strobes after every group of eight
            when(strobeWord.not(), () -> {
                dma.w.ready.assign(sender.data.ready.and(wLeft.ne(0)));
                when(dma.w.fire(), () -> {
                    strobes.next(strobes.or(dma.w.payload.strb.resize(64).shiftLeft(inGroup.resize(6).shiftLeft(3))));
                    inGroup.next(inGroup.plus(1));
                    wLeft.next(wLeft.minus(1));
                    when(inGroup.eq(HostLink.STROBE_GROUP - 1).or(wLeft.eq(1)), () -> strobeWord.next(true));
                });
            }).otherwise(() -> when(sender.data.fire(), () -> {
                strobeWord.next(false);
                inGroup.next(0);
                strobes.next(0);
            }));
        }).on(Offer.SKIP_W, () -> {
            dma.w.ready.assign(true);
            when(dma.w.fire(), () -> {
                wLeft.next(wLeft.minus(1));
                when(wLeft.eq(1), () -> offer.goTo(Offer.B));
            });
        }).on(Offer.B, () -> when(dma.b.fire(), () -> offer.goTo(Offer.IDLE)));

        LinkHeader s = sender.header.payload;
        Bool isWrite = offer.is(Offer.DMA_WRITE);
        sender.header.valid.assign(offer.is(Offer.ANSWER).or(offer.is(Offer.IRQ)).or(offer.is(Offer.DMA_READ)).or(isWrite));
        s.type.assign(mux(offer.is(Offer.ANSWER), U(8, HostLink.Type.REG_DATA.code),
                mux(offer.is(Offer.IRQ), U(8, HostLink.Type.IRQ.code),
                        mux(isWrite, U(8, HostLink.Type.DMA_WRITE.code), U(8, HostLink.Type.DMA_READ.code)))));
        s.tag.assign(mux(offer.is(Offer.ANSWER), regTag, mux(offer.is(Offer.DMA_READ), dmaTag, U(8, 0))));
        s.seq.assign(0);
        s.ack.assign(0);
        s.address.assign(mux(offer.is(Offer.DMA_READ).or(isWrite), dmaAddress, U(64, 0)));
        UInt groups = dmaBeats.plus(HostLink.STROBE_GROUP - 1).shiftRight(3).named("groups");
        s.value.assign(mux(offer.is(Offer.ANSWER), answer,
                mux(offer.is(Offer.IRQ), irqLevel.asUInt().resize(32),
                        mux(offer.is(Offer.DMA_READ), dmaBeats.resize(32).shiftLeft(3), U(32, 0)))));
        s.length.assign(mux(isWrite, dmaBeats.plus(groups).resize(16).shiftLeft(3), U(16, 0)));
        sender.data.valid.assign(isWrite.and(strobeWord.or(dma.w.valid.and(wLeft.ne(0)))));
        sender.data.payload.data.assign(mux(strobeWord, strobes, dma.w.payload.data));
        sender.data.payload.keep.assign(U(Beat.BYTES, 0xFF));
        sender.data.last.assign(strobeWord.and(wLeft.eq(0)));
        when(sender.header.fire(), () -> {
            when(offer.is(Offer.ANSWER), () -> access.goTo(Reg.IDLE));
            when(offer.is(Offer.IRQ), () -> irqReported.next(irqLevel));
            when(isWrite, () -> offer.goTo(Offer.B)).otherwise(() -> offer.goTo(Offer.IDLE));
        });
    }
}

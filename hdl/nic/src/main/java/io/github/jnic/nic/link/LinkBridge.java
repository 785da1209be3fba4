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
import io.github.jnic.jhdl.lib.axi.Axi4Lite;
import io.github.jnic.nic.regs.RegisterFile;
import io.github.jnic.nic.rx.RxFrame;
import io.github.jnic.nic.stream.Beat;
import io.github.jnic.spec.HostLink;

/**
 * The board's end of the host link, between the link port's frames and the card's host side: the
 * {@link LinkReceiver}, the receive half of go-back-N (only the next message in sequence is taken;
 * every message's ack goes to the sender, every sequenced one asks for an ack back), the register
 * executor and the interrupt line, and the {@link LinkSender}.
 *
 * <p>Registers: REG_WRITE and REG_READ are queued ({@value #QUEUE} deep) and carried out one at a
 * time, in the order the host sent them, on the AXI4-Lite master {@code regs}; one that finds the
 * queue full is not taken ({@code busy}) and the host's go-back-N sends it again: a message's
 * header is never held, so the acks in the frames behind it are never held either; a read's value goes back as REG_DATA with its tag
 * (the response code is not carried: the card's register file answers every address). The
 * interrupt: whenever {@code irq} differs from the level last reported, an IRQ message reports it.
 * The card's DMA does not go over this bridge yet: a DMA_DATA is taken in sequence, dropped and
 * counted ({@code unexpected}).
 *
 * <p>Ports: {@code rx} (good frames from the link port's frame buffer), {@code tx} (frames to
 * send), {@code station} and {@code peer} (the board's and the host's MAC addresses), {@code regs},
 * {@code irq}, and pulses {@code foreign}, {@code malformed} (from the receiver), {@code outOfOrder}
 * (a sequenced message not the next one: dropped, acknowledged again), {@code unexpected},
 * {@code busy} and {@code resent} (from the sender).
 */
public class LinkBridge extends Module {
    public final Stream<Beat> rx = input(Stream.packets(new Beat(), RxFrame.META_WIDTH));
    public final Stream<Beat> tx = output(Stream.packets(new Beat()));
    public final UInt station = input(uint(48));
    public final UInt peer = input(uint(48));
    public final Axi4Lite regs = output(new Axi4Lite(RegisterFile.ADDRESS_BITS));
    public final Bool irq = input(bool());
    public final Bool foreign = output(bool());
    public final Bool malformed = output(bool());
    public final Bool outOfOrder = output(reg(bool(), false));
    public final Bool unexpected = output(reg(bool(), false));
    public final Bool busy = output(reg(bool(), false));

    /** Register accesses taken but not yet carried out. */
    static final int QUEUE = 16;

    /** A register access waiting for the executor. */
    public static class RegisterAccess extends Bundle {
        public final Bool read = bool();
        public final UInt tag = uint(HostLink.TAG.bits());
        public final UInt address = uint(RegisterFile.ADDRESS_BITS);
        public final UInt value = uint(HostLink.VALUE.bits());
    }
    public final Bool resent = output(bool());

    enum Take { IDLE, DRAIN }

    enum Reg { IDLE, WRITE, WAIT_B, READ, WAIT_R, ANSWER }

    final Fsm<Take> take = new Fsm<>(Take.IDLE);
    final Fsm<Reg> access = new Fsm<>(Reg.IDLE);

    /** A window of 8 messages of up to 478 data bytes; resent after {@code timeoutCycles} without an ack. */
    public LinkBridge(int timeoutCycles) {
        LinkReceiver receiver = new LinkReceiver().named("receiver");
        LinkSender sender = new LinkSender(8, 64, timeoutCycles).named("sender");
        rx.connectTo(receiver.in);
        sender.out.connectTo(tx);
        receiver.station.assign(station);
        sender.station.assign(station);
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
        sender.ackDue.assign(receiver.header.fire().and(isAck.not()));

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

        take.on(Take.IDLE, () -> {
            when(receiver.header.valid, () -> {
                when(isAck, () -> receiver.header.ready.assign(true))
                        .elseWhen(inSequence.not(), () -> {
                            receiver.header.ready.assign(true);
                            outOfOrder.next(true);
                            when(h.length.ne(0), () -> take.goTo(Take.DRAIN));
                        })
                        .elseWhen(isRegister, () -> {
                            // taken if the queue has room; if not, dropped and left to the host to
                            // resend: a header is never held, or the acks behind it would wait too
                            receiver.header.ready.assign(true);
                            when(queue.in.ready, () -> {
                                queue.in.valid.assign(true);
                                expected.next(expected.plus(1));
                            }).otherwise(() -> busy.next(true));
                            when(h.length.ne(0), () -> take.goTo(Take.DRAIN));
                        })
                        .otherwise(() -> {
                            receiver.header.ready.assign(true);
                            expected.next(expected.plus(1));
                            unexpected.next(true);
                            when(h.length.ne(0), () -> take.goTo(Take.DRAIN));
                        });
            });
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

        // ---- what the board sends: register answers first, then the interrupt line's changes ----
        // the choice is held until the sender takes it: a message's fields never change under it
        Bool irqReported = reg(bool(), false).named("irqReported");
        Bool offerAnswer = reg(bool(), false).named("offerAnswer");
        Bool offerIrq = reg(bool(), false).named("offerIrq");
        Bool irqLevel = reg(bool(), false).named("irqLevel");
        Bool offering = offerAnswer.or(offerIrq);
        when(offering.not(), () -> {
            when(access.is(Reg.ANSWER), () -> offerAnswer.next(true))
                    .elseWhen(irq.ne(irqReported), () -> {
                        offerIrq.next(true);
                        irqLevel.next(irq);
                    });
        });
        LinkHeader s = sender.header.payload;
        sender.header.valid.assign(offering);
        s.type.assign(mux(offerAnswer, U(8, HostLink.Type.REG_DATA.code), U(8, HostLink.Type.IRQ.code)));
        s.tag.assign(mux(offerAnswer, regTag, U(8, 0)));
        s.seq.assign(0);
        s.ack.assign(0);
        s.address.assign(0);
        s.value.assign(mux(offerAnswer, answer, irqLevel.asUInt().resize(32)));
        s.length.assign(0);
        when(sender.header.fire(), () -> {
            offerAnswer.next(false);
            offerIrq.next(false);
            when(offerAnswer, () -> access.goTo(Reg.IDLE)).otherwise(() -> irqReported.next(irqLevel));
        });
        sender.data.valid.assign(false);
        sender.data.payload.data.assign(0);
        sender.data.payload.keep.assign(0);
        sender.data.last.assign(false);
    }
}

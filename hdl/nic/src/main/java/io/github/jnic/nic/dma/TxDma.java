package io.github.jnic.nic.dma;

import static io.github.jnic.nic.dma.RxDma.distance;
import static io.github.jnic.nic.dma.RxDma.increment;
import static io.github.jnic.nic.dma.RxDma.width;
import static io.github.jnic.nic.dma.RxDma.wrap;

import io.github.jnic.jhdl.Bits;
import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Mem;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.lib.Flow;
import io.github.jnic.jhdl.lib.Fsm;
import io.github.jnic.jhdl.lib.Stream;
import io.github.jnic.jhdl.lib.StreamFifo;
import io.github.jnic.jhdl.lib.axi.Axi4;
import io.github.jnic.nic.offload.BytePacker;
import io.github.jnic.nic.offload.TxCommand;
import io.github.jnic.nic.stream.Beat;
import io.github.jnic.spec.Descriptors;
import io.github.jnic.spec.Descriptors.TxCmd;
import io.github.jnic.spec.Descriptors.TxContext;
import io.github.jnic.spec.Descriptors.TxData;
import io.github.jnic.spec.Descriptors.TxLegacy;
import io.github.jnic.spec.Field;

/**
 * The transmit DMA engine: reads the host's transmit ring (e1000 legacy, context and data
 * descriptors) and the buffers it points to over an AXI4 master, and hands each frame to
 * {@link io.github.jnic.nic.offload.TxOffload}: a {@link TxCommand} on {@code cmd}, then the frame's
 * bytes, packed, on {@code frames}.
 *
 * <h2>Ring rules (e1000)</h2>
 * The ring is {@code ringBytes / 16} descriptors at {@code ringBase} (bits 3:0 ignored); the card
 * owns those from {@code head} (TDH) up to {@code tail} (TDT, the doorbell) less one. Descriptors
 * are taken in order:
 * <ul>
 *   <li>a context descriptor (DEXT, DTYP 0) sets the offload parameters for the frames after it
 *       (they stay until the next one);</li>
 *   <li>a data (DEXT, DTYP not 0) or legacy descriptor adds its buffer to the frame; the frame's
 *       first one gives its command (data: POPTS.IXSM/TXSM and DCMD.TSE with the context's fields;
 *       legacy: CMD.IC gives a TCP/UDP checksum from CSS into CSO, {@code tucse} 0), and the one with
 *       EOP ends it. A frame whose EOP is not yet queued waits for the driver to queue the rest (the
 *       frame buffer after the offload engine holds it, so the wire never sees it early).</li>
 * </ul>
 * A descriptor is done when all of its buffer (and every descriptor's before it) has been read:
 * {@code head} moves past it then, and {@code queueEmpty} pulses when head reaches the tail (TXQE).
 * A done descriptor with RS is written back: its STATUS byte becomes DD (one byte strobed, the rest
 * of the descriptor left as the driver wrote it); {@code descriptorDone} pulses with that write's B
 * response, with {@code ide} its IDE bit (TXDW, through TIDV/TADV when set). So a driver that sees
 * DD may reuse that buffer and every one before it. IFCS is implied (the MAC always appends the FCS);
 * VLE is not supported (the tag is not inserted).
 *
 * <h2>Bus</h2>
 * <ul>
 *   <li>Descriptors are read ahead in bursts of up to {@value #FETCH_BURST} (two beats each), several
 *       in flight, up to {@value #CACHE} held; never past the tail, the ring's end or a 4 KiB page.</li>
 *   <li>Buffers are read in INCR bursts of up to {@value #MAX_BURST_BEATS} beats, never across a
 *       4 KiB boundary, from any byte address (a burst starts at the 8-byte word holding its first byte; the bytes
 *       outside the buffer are dropped); bursts are
 *       issued only into room in the {@value #DATA_BEATS}-beat read buffer, so R is always ready and
 *       a slow offload engine never holds the shared read channel.</li>
 *   <li>IDs: {@code firstId} for every read (so descriptors and data come back in order),
 *       {@code firstId + 1} for the write-backs (one beat at descriptor + 8, the W beat after its AW).</li>
 * </ul>
 *
 * <h2>Faults and driver mistakes (each one behaviour, each counted)</h2>
 * The ring stops ({@code stopped} rises) in the order the driver queued things: what came before
 * the fault completes as usual (frames sent, DD written), the frame the fault is in and everything
 * after it is dropped, no descriptor from there on is marked done, {@code head} stays at the first
 * one not done, and every transaction already on the bus completes (no hung transaction). Restart:
 * clear {@code enable} (the engine forgets its prefetched descriptors and resumes at {@code head})
 * or the card's reset.
 * <ul>
 *   <li>A read or write answered other than OKAY (SLVERR, DECERR: also what an address where no
 *       memory is gets): {@code busError}, {@code busErrorAddress} = the burst's start address (or
 *       the descriptor word's). After a write-back's error nothing more is written.</li>
 *   <li>A ring whose length is 0 or not a multiple of 128, or a tail or head past the ring, while
 *       enabled: {@code ringError}, {@code busErrorAddress} = the ring's base.</li>
 *   <li>A data or legacy descriptor with length 0 or buffer address 0, or a frame longer than
 *       {@value #MAX_FRAME} bytes (a missing EOP): {@code badDescriptor} (DMAES.BAD_DESCRIPTOR),
 *       {@code busErrorAddress} = the descriptor's address. (The card cannot tell where host memory
 *       is; an address where there is none is a bus error.)</li>
 * </ul>
 * A frame already begun on {@code frames} when it is dropped is ended at once with {@code user}
 * set (drop), so the streams downstream stay whole and paired: every command taken is followed by
 * exactly one frame.
 *
 * <h2>Reset</h2>
 * {@code cardReset} (CTRL.RST; synchronous, any length, at any moment): the engine stops asking for
 * anything new, finishes what the bus has already seen (an address handshake in progress, a write
 * beat after its address with no strobes, every R and B), discards the data it holds, ends a frame
 * begun with "drop" (and gives each command it had queued its one dropped frame), then clears
 * itself: head 0, nothing cached, not stopped. The offload engine and the frame buffer need no
 * reset of their own for this (the frame buffer's {@code flush} drops what it holds). The module's
 * own {@code reset} is the power-on reset and is not for use with the bus live.
 *
 * <h2>Other ports</h2>
 * {@code enable} (TCTL.EN: while low nothing new is read; once the engine is idle it forgets its
 * prefetched descriptors, drops a frame left open, and a {@code headWrite} (TDH written) sets head).
 */
public class TxDma extends Module {
    public static final int CACHE = 16;
    public static final int FETCH_BURST = 8;
    public static final int MAX_BURST_BEATS = 16;
    public static final int DATA_BEATS = 128;
    /** The longest frame gathered (TSO: 64 KiB of payload and its headers). */
    public static final int MAX_FRAME = 0x10000 + 64;
    static final int TAGS = 16;
    static final int WRITE_BACKS = 8;
    static final int MAX_WRITE_BACKS_OUT = 4;
    /** Commands queued ahead of the offload engine: frames in flight at 2 µs of memory latency. */
    static final int COMMANDS = 16;

    public final Bool enable = input(bool());
    public final UInt ringBase = input(uint(64));
    public final UInt ringBytes = input(uint(20));
    public final UInt tail = input(uint(16));
    public final Flow<UInt> headWrite = input(Flow.of(uint(16)));
    public final Bool cardReset = input(bool());

    public final Stream<TxCommand> cmd = output(Stream.of(new TxCommand()));
    public final Stream<Beat> frames = output(Stream.packets(new Beat(), 1));
    public final UInt head = output(reg(uint(16), 0));
    public final Bool descriptorDone = output(reg(bool(), false));
    public final Bool ide = output(reg(bool(), false));
    public final Bool queueEmpty = output(reg(bool(), false));
    public final Bool badDescriptor = output(reg(bool(), false));
    public final Bool ringError = output(reg(bool(), false));
    public final Bool busError = output(reg(bool(), false));
    public final UInt busErrorAddress = output(reg(uint(64), 0));
    public final Bool stopped = output(bool());
    /** Nothing in progress or pending (see the end of the constructor): a simulator may skip time. */
    public final Bool idle = output(bool());
    public final Axi4 axi;

    enum State { IDLE, BURST, DRAIN, ABORT, STOPPED, RESET }

    /** What the read at the head of the tag queue is (markers are descriptors done without a read). */
    static final int DESC = 0, DATA = 1, MARK = 2, BAD = 3;

    final Fsm<State> fsm = new Fsm<>(State.IDLE);

    /** An engine whose AXI IDs are {@code idWidth} bits wide, using {@code firstId} and {@code firstId + 1}. */
    public TxDma(int idWidth, int firstId) {
        if (firstId + 1 >= 1 << idWidth) throw new IllegalArgumentException("IDs " + firstId + ".." + (firstId + 1) + " in " + idWidth + " bits");
        axi = output(new Axi4(idWidth, 64, 64));
        final int readId = firstId, wbId = firstId + 1;

        // ---- ring geometry ----
        UInt count = ringBytes.slice(19, 4).named("ringCount");
        UInt base = ringBase.slice(63, 4).resize(64).shiftLeft(4).named("base");
        Bool ringOk = ringBytes.slice(6, 0).eq(0).and(ringBytes.ne(0)).and(tail.lt(count)).and(head.lt(count)).named("ringOk");

        Bool halted = reg(bool(), false).named("halted");
        Bool resetting = reg(bool(), false).named("resetting");
        Bool abort = halted.or(resetting).named("abort");
        when(cardReset, () -> resetting.next(true));
        stopped.assign(fsm.is(State.STOPPED));

        UInt issue = reg(uint(16), 0).named("issue");
        UInt fetch = reg(uint(16), 0).named("fetch");

        // ---- descriptor cache: descriptors issue, issue + 1, ... (STATUS, byte 12, is not kept) ----
        Mem<UInt> cacheLo = mem(uint(64), CACHE).named("cacheLo");
        Mem<UInt> cacheHi = mem(uint(56), CACHE).named("cacheHi");
        UInt cacheWrite = reg(uint(cacheLo.addressWidth()), 0).named("cacheWrite");
        UInt cacheRead = reg(uint(cacheLo.addressWidth()), 0).named("cacheRead");
        UInt cached = reg(uint(width(CACHE)), 0).named("cached");
        UInt inflight = reg(uint(width(CACHE)), 0).named("inflight");
        UInt arriving = reg(uint(16), 0).named("arriving");
        Bool secondHalf = reg(bool(), false).named("secondHalf");

        // ---- the read address channel: descriptor fetches and buffer reads ----
        Bool arValid = reg(bool(), false).named("arValid");
        UInt arAddr = reg(uint(64), 0).named("arAddr");
        UInt arLen = reg(uint(8), 0).named("arLen");
        when(axi.ar.fire(), () -> arValid.next(false));
        axi.ar.valid.assign(arValid);
        axi.ar.payload.id.assign(readId);
        axi.ar.payload.addr.assign(arAddr);
        axi.ar.payload.len.assign(arLen);
        axi.ar.payload.size.assign(3);
        axi.ar.payload.burst.assign(Axi4.BURST_INCR);

        // ---- tags: one per read issued (in order: one ID) and per descriptor done without a read ----
        // kind (2), last beat (4), first lane (3), last lane (3), done (1), eop (1), rs (1), ide (1), address (64)
        Mem<Bits> tags = mem(bits(80), TAGS).named("tags");
        UInt tagWrite = reg(uint(tags.addressWidth()), 0).named("tagWrite");
        UInt tagRead = reg(uint(tags.addressWidth()), 0).named("tagRead");
        UInt tagCount = reg(uint(width(TAGS)), 0).named("tagCount");
        Bool tagRoom = tagCount.lt(TAGS).named("tagRoom");
        Bool pushTag = wire(bool()).named("pushTag");
        UInt newKind = wire(uint(2)).named("newKind");
        UInt newLastBeat = wire(uint(4)).named("newLastBeat");
        UInt newLo = wire(uint(3)).named("newLo");
        UInt newHi = wire(uint(3)).named("newHi");
        Bool newDone = wire(bool()).named("newDone");
        Bool newEop = wire(bool()).named("newEop");
        Bool newRs = wire(bool()).named("newRs");
        Bool newIde = wire(bool()).named("newIde");
        UInt newAddr = wire(uint(64)).named("newAddr");
        pushTag.assign(false);
        newKind.assign(DESC);
        newLastBeat.assign(0);
        newLo.assign(0);
        newHi.assign(7);
        newDone.assign(false);
        newEop.assign(false);
        newRs.assign(false);
        newIde.assign(false);
        newAddr.assign(arAddr);
        when(pushTag, () -> {
            tags.write(tagWrite, cat(newAddr, newIde, newRs, newEop, newDone, newHi, newLo, newLastBeat, newKind));
            tagWrite.next(tagWrite.plus(1));
        });
        Bits headTag = wire(bits(80)).named("headTag");
        headTag.assign(tags.readAsync(tagRead));
        UInt tagKind = headTag.slice(1, 0).asUInt().named("tagKind");
        UInt tagLastBeat = headTag.slice(5, 2).asUInt().named("tagLastBeat");
        UInt tagLo = headTag.slice(8, 6).asUInt().named("tagLo");
        UInt tagHi = headTag.slice(11, 9).asUInt().named("tagHi");
        Bool tagDone = headTag.bit(12).named("tagDone");
        Bool tagEop = headTag.bit(13).named("tagEop");
        Bool tagRs = headTag.bit(14).named("tagRs");
        Bool tagIde = headTag.bit(15).named("tagIde");
        UInt tagAddr = headTag.slice(79, 16).asUInt().named("tagAddr");
        Bool popTag = wire(bool()).named("popTag");
        popTag.assign(false);
        when(popTag, () -> tagRead.next(tagRead.plus(1)));
        when(pushTag.and(popTag.not()), () -> tagCount.next(tagCount.plus(1))).elseWhen(popTag.and(pushTag.not()), () -> tagCount.next(tagCount.minus(1)));

        // ---- the read buffer and the packer: read beats become the packed frame ----
        StreamFifo<Beat> buffer = new StreamFifo<>(Stream.packets(new Beat()), DATA_BEATS).named("buffer");
        BytePacker packer = new BytePacker().named("packer");
        packer.out.connectTo(frames);
        // beats of buffer reads issued and not yet out of the buffer: a burst is issued only into room
        UInt committed = reg(uint(width(DATA_BEATS)), 0).named("committed");
        Bool returned = wire(bool()).named("returned");
        returned.assign(false);
        UInt issuedBeats = wire(uint(width(DATA_BEATS))).named("issuedBeats");
        issuedBeats.assign(0);
        committed.next(committed.plus(issuedBeats).minus(buffer.out.fire().asUInt().resize(committed.width())).minus(returned.asUInt().resize(committed.width())));
        // frames whose command was queued, and frames ended on the packer's input (8 bits, modulo)
        UInt opened = reg(uint(8), 0).named("opened");
        UInt closed = reg(uint(8), 0).named("closed");
        when(packer.in.fire().and(packer.in.last), () -> closed.next(closed.plus(1)));
        packer.in.valid.assign(buffer.out.valid.and(resetting.not()));
        packer.in.payload.data.assign(buffer.out.payload.data);
        packer.in.payload.keep.assign(buffer.out.payload.keep);
        packer.in.last.assign(buffer.out.last);
        packer.in.user.assign(U(1, 0).asBits());
        // under reset, what the buffer holds is thrown away
        buffer.out.ready.assign(packer.in.ready.or(resetting));

        // ---- commands ----
        StreamFifo<TxCommand> commands = new StreamFifo<>(Stream.of(new TxCommand()), COMMANDS).named("commands");
        commands.out.connectTo(cmd);
        commands.in.valid.assign(false);

        // ---- write-backs: done RS descriptors waiting, and in flight ----
        Mem<Bits> wbQueue = mem(bits(17), WRITE_BACKS).named("wbQueue");
        UInt wbWrite = reg(uint(wbQueue.addressWidth()), 0).named("wbWrite");
        UInt wbRead = reg(uint(wbQueue.addressWidth()), 0).named("wbRead");
        UInt wbQueued = reg(uint(width(WRITE_BACKS)), 0).named("wbQueued");
        // RS descriptors issued whose write-back has not left the queue: the queue never overflows
        UInt wbReserved = reg(uint(width(WRITE_BACKS)), 0).named("wbReserved");
        Bool wbPush = wire(bool()).named("wbPush");
        wbPush.assign(false);
        Bool wbPop = wire(bool()).named("wbPop");
        wbPop.assign(false);
        Bool reserveWb = wire(bool()).named("reserveWb");
        reserveWb.assign(false);
        when(wbPush, () -> {
            wbQueue.write(wbWrite, cat(tagIde, head));
            wbWrite.next(wbWrite.plus(1));
        });
        when(wbPop, () -> wbRead.next(wbRead.plus(1)));
        when(wbPush.and(wbPop.not()), () -> wbQueued.next(wbQueued.plus(1))).elseWhen(wbPop.and(wbPush.not()), () -> wbQueued.next(wbQueued.minus(1)));
        when(reserveWb.and(wbPop.not()), () -> wbReserved.next(wbReserved.plus(1))).elseWhen(wbPop.and(reserveWb.not()), () -> wbReserved.next(wbReserved.minus(1)));
        Bool wbFree = wbReserved.lt(WRITE_BACKS).named("wbFree");

        // ---- errors ----
        Bool errorNow = wire(bool()).named("errorNow");
        UInt errorAddr = wire(uint(64)).named("errorAddr");
        errorNow.assign(false);
        errorAddr.assign(0);

        descriptorDone.next(false);
        ide.next(false);
        queueEmpty.next(false);
        badDescriptor.next(false);
        ringError.next(false);
        busError.next(false);

        // ---- the read data channel, in the order the reads were issued ----
        Bool rFire = axi.r.fire().named("rFire");
        Bool rOk = axi.r.payload.resp.eq(Axi4.RESP_OKAY).named("rOk");
        UInt rBeat = reg(uint(4), 0).named("rBeat");
        Bool lastOfTag = rBeat.eq(tagLastBeat).named("lastOfTag");
        Runnable complete = () -> {
            UInt next = increment(head, count);
            head.next(next);
            when(next.eq(tail), () -> queueEmpty.next(true));
            when(tagRs, () -> wbPush.assign(true));
        };
        buffer.in.valid.assign(false);
        buffer.in.payload.data.assign(axi.r.payload.data);
        buffer.in.payload.keep.assign(0);
        buffer.in.last.assign(false);
        when(rFire, () -> {
            rBeat.next(mux(lastOfTag, U(4, 0), rBeat.plus(1)));
            when(lastOfTag, () -> popTag.assign(true));
            when(rOk.not(), () -> {
                errorNow.assign(true);
                errorAddr.assign(mux(tagKind.eq(DESC), base.plus(arriving.resize(64).shiftLeft(4)).plus(mux(secondHalf, U(64, 8), U(64, 0))), tagAddr));
            });
            when(tagKind.eq(DESC), () -> {
                secondHalf.next(secondHalf.not());
                when(secondHalf.not(), () -> cacheLo.write(cacheWrite, axi.r.payload.data)).otherwise(() -> {
                    cacheHi.write(cacheWrite, cat(axi.r.payload.data.slice(63, 40), axi.r.payload.data.slice(31, 0)).asUInt());
                    cacheWrite.next(cacheWrite.plus(1));
                    arriving.next(increment(arriving, count));
                });
            }).otherwise(() -> {
                // the buffer's bytes in this beat: from the first lane on its first beat, to the last lane on its last
                UInt from = mux(rBeat.eq(0), tagLo, U(3, 0));
                UInt to = mux(lastOfTag, tagHi, U(3, 7));
                UInt keep = U(8, 0xFF).shiftLeft(from).and(U(8, 0xFF).shiftRight(U(3, 7).minus(to))).named("keep");
                when(abort.or(rOk.not()), () -> returned.assign(true)).otherwise(() -> {
                    buffer.in.valid.assign(true);
                    buffer.in.payload.keep.assign(keep);
                    buffer.in.last.assign(tagEop.and(lastOfTag));
                    when(lastOfTag.and(tagDone), complete);
                });
            });
        });
        // descriptors done without a read: taken while R waits a clock
        Bool atMark = tagCount.ne(0).and(tagKind.ge(MARK)).named("atMark");
        axi.r.ready.assign(atMark.not());
        when(atMark, () -> {
            popTag.assign(true);
            when(abort.not(), () -> when(tagKind.eq(BAD), () -> {
                badDescriptor.next(true);
                halted.next(true);
                busErrorAddress.next(base.plus(head.resize(64).shiftLeft(4)));
            }).otherwise(complete));
        });
        Bool pushCache = rFire.and(tagKind.eq(DESC)).and(secondHalf);
        Bool popCache = wire(bool()).named("popCache");
        popCache.assign(false);
        when(pushCache.and(popCache.not()), () -> cached.next(cached.plus(1))).elseWhen(popCache.and(pushCache.not()), () -> cached.next(cached.minus(1)));
        when(popCache, () -> {
            cacheRead.next(cacheRead.plus(1));
            issue.next(increment(issue, count));
        });

        // ---- fetch: as many descriptors as the tail, the ring's end, the 4 KiB page and the cache allow ----
        UInt fetchAddr = base.plus(fetch.resize(64).shiftLeft(4)).named("fetchAddr");
        UInt used = cached.resize(16).plus(inflight.resize(16)).named("used");
        UInt room = mux(used.ge(CACHE), U(16, 0), U(16, CACHE).minus(used)).named("room");
        RxDma.Fetch plan = RxDma.fetchCount(fetch, tail, count, base, room, FETCH_BURST);
        UInt fetchCount = plan.count();
        Bool fsmPush = wire(bool()).named("fsmPush");
        fsmPush.assign(false);
        Bool fetching = enable.and(ringOk).and(abort.not()).and(arValid.not()).and(tagRoom).and(plan.fresh()).and(fetchCount.ne(0)).and(fsmPush.not())
                .and(fsm.is(State.IDLE).or(fsm.is(State.BURST))).named("fetching");
        Bool arrived = rFire.and(tagKind.eq(DESC)).and(secondHalf);
        when(fetching, () -> {
            arValid.next(true);
            arAddr.next(fetchAddr);
            arLen.next(fetchCount.resize(8).shiftLeft(1).minus(1));
            fetch.next(wrap(fetch.plus(fetchCount), count));
            pushTag.assign(true);
            newKind.assign(DESC);
            newLastBeat.assign(fetchCount.resize(4).shiftLeft(1).minus(1));
            newAddr.assign(fetchAddr);
        });
        when(fetching.and(arrived), () -> inflight.next(inflight.plus(fetchCount.resize(inflight.width())).minus(1)))
                .elseWhen(fetching, () -> inflight.next(inflight.plus(fetchCount.resize(inflight.width()))))
                .elseWhen(arrived, () -> inflight.next(inflight.minus(1)));

        // ---- the descriptor at the cache's head ----
        UInt lo = wire(uint(64)).named("descLo");
        lo.assign(cacheLo.readAsync(cacheRead));
        UInt hi56 = wire(uint(56)).named("descHi");
        hi56.assign(cacheHi.readAsync(cacheRead));
        // the upper half with STATUS back as 0, so fields are sliced where Descriptors puts them
        UInt hi = held(cat(hi56.slice(55, 32), U(8, 0), hi56.slice(31, 0)).asUInt(), "descHiWord");
        UInt command = held(get(lo, hi, TxLegacy.CMD), "command");
        Bool dext = bitOf(command, TxCmd.DEXT).named("dext");
        Bool isContext = dext.and(get(lo, hi, TxData.DTYP).eq(Descriptors.DTYP_CONTEXT)).named("isContext");
        UInt length = mux(dext, get(lo, hi, TxData.DTALEN), get(lo, hi, TxLegacy.LENGTH).resize(20)).named("length");
        UInt address = get(lo, hi, TxLegacy.ADDRESS).named("address");
        Bool rs = bitOf(command, TxCmd.RS).named("rs");
        Bool ideBit = bitOf(command, TxCmd.IDE).named("ideBit");
        Bool eop = bitOf(command, TxCmd.EOP).named("eop");
        // the bytes the frame may still gather (MAX_FRAME less its buffers so far): one comparison with
        // the descriptor's length, not a sum and then a comparison
        UInt frameRoom = reg(uint(17), MAX_FRAME).named("frameRoom");
        Bool tooLong = length.gt(frameRoom.resize(20)).named("tooLong");
        Bool bad = address.eq(0).or(length.eq(0)).or(tooLong).named("bad");
        Bool inFrame = reg(bool(), false).named("inFrame");

        // the context in force
        UInt ctxLo = reg(uint(64), 0).named("ctxLo");
        UInt ctxPaylen = reg(uint(TxContext.PAYLEN.width()), 0).named("ctxPaylen");
        UInt ctxHdrlen = reg(uint(8), 0).named("ctxHdrlen");
        UInt ctxMss = reg(uint(16), 0).named("ctxMss");
        Bool ctxTcp = reg(bool(), false).named("ctxTcp");
        Bool ctxIpv4 = reg(bool(), false).named("ctxIpv4");
        UInt tucmd = held(get(lo, hi, TxContext.TUCMD), "tucmd");
        TxCommand c = commands.in.payload;
        c.ipcss.assign(get(ctxLo, hi, TxContext.IPCSS));
        c.ipcso.assign(get(ctxLo, hi, TxContext.IPCSO));
        c.ipcse.assign(get(ctxLo, hi, TxContext.IPCSE));
        c.tucss.assign(mux(dext, get(ctxLo, hi, TxContext.TUCSS), get(lo, hi, TxLegacy.CSS)));
        c.tucso.assign(mux(dext, get(ctxLo, hi, TxContext.TUCSO), get(lo, hi, TxLegacy.CSO)));
        c.tucse.assign(mux(dext, get(ctxLo, hi, TxContext.TUCSE), U(16, 0)));
        c.paylen.assign(ctxPaylen);
        c.hdrlen.assign(ctxHdrlen);
        c.mss.assign(ctxMss);
        c.tcp.assign(ctxTcp);
        c.ipv4.assign(ctxIpv4);
        UInt popts = held(get(lo, hi, TxData.POPTS), "popts");
        c.ixsm.assign(dext.and(bitOf(popts, TxData.IXSM)));
        c.txsm.assign(mux(dext, bitOf(popts, TxData.TXSM), bitOf(command, TxCmd.IC)));
        c.tse.assign(dext.and(bitOf(command, TxCmd.TSE)));

        // ---- the buffer being read ----
        UInt bufAddr = reg(uint(64), 0).named("bufAddr");
        UInt bufLeft = reg(uint(20), 0).named("bufLeft");
        Bool bufEop = reg(bool(), false).named("bufEop");
        Bool bufRs = reg(bool(), false).named("bufRs");
        Bool bufIde = reg(bool(), false).named("bufIde");
        UInt firstLane = bufAddr.slice(2, 0).named("firstLane");
        UInt burstAddr = cat(bufAddr.slice(63, 3), U(3, 0)).asUInt().named("burstAddr");
        // the next burst's plan in the few bits a burst needs and one short carry chain (the wide
        // version, then a chain of five narrow ones, was the system clock's longest path, ECP5 at 62.5
        // MHz). A burst reads at most the MAX_BURST_BEATS words from its first, or up to the page's end
        // when that is nearer (only in the page's last MAX_BURST_BEATS words): a window of at most 128
        // bytes ending at offset 128 of the words from the window's start. The buffer starts at
        // windowOffset in it and fits when windowOffset + bufLeft <= 128; then the burst is the words the
        // buffer spans and its bytes the buffer's, else the window's words and the bytes to its end
        int k = Integer.numberOfTrailingZeros(MAX_BURST_BEATS);
        int window = MAX_BURST_BEATS * 8;
        UInt pageWord = bufAddr.slice(11, 3).named("pageWord");
        Bool nearPageEnd = pageWord.slice(8, k).andR().named("nearPageEnd");
        UInt windowOffset = mux(nearPageEnd, bufAddr.slice(k + 2, 0), firstLane.resize(k + 3)).named("windowOffset");
        UInt windowEnd = windowOffset.resize(9).plus(bufLeft.slice(7, 0).resize(9)).named("windowEnd");
        Bool fitsBurst = bufLeft.slice(19, 8).orR().not().and(windowEnd.bit(8).not())
                .and(windowEnd.bit(7).not().or(windowEnd.slice(6, 0).eq(0))).named("fitsBurst");
        UInt span = firstLane.resize(8).plus(bufLeft.slice(7, 0)).named("span");
        UInt spanBeats = span.slice(7, 3).plus(span.slice(2, 0).orR().asUInt().resize(5)).named("spanBeats");
        UInt byPage = mux(nearPageEnd, U(k + 1, MAX_BURST_BEATS).minus(pageWord.slice(k - 1, 0).resize(k + 1)),
                U(k + 1, MAX_BURST_BEATS)).named("byPage");
        UInt planBeatsNow = mux(fitsBurst, spanBeats.resize(k + 1), byPage).named("planBeatsNow");
        UInt planBytesNow = mux(fitsBurst, bufLeft.slice(7, 0), U(8, window).minus(windowOffset.resize(8))).named("planBytesNow");
        // the plan, registered: a clock old, so a burst is issued only when the buffer's address and
        // length held still since
        UInt planBeats = reg(uint(k + 1), 0).named("planBeats");
        UInt planBytes = reg(uint(8), 0).named("planBytes");
        UInt planRoom = reg(uint(width(DATA_BEATS)), DATA_BEATS).named("planRoom");
        Bool lastOfBuffer = reg(bool(), false).named("lastOfBuffer");
        UInt lastLane = reg(uint(3), 0).named("lastLane");
        UInt planAddrWas = reg(uint(12), 0).named("planAddrWas");
        UInt planLeftWas = reg(uint(20), 0).named("planLeftWas");
        planBeats.next(planBeatsNow);
        planBytes.next(planBytesNow);
        planRoom.next(U(width(DATA_BEATS), DATA_BEATS).minus(planBeatsNow.resize(width(DATA_BEATS))));
        lastOfBuffer.next(fitsBurst);
        lastLane.next(bufAddr.slice(2, 0).plus(bufLeft.slice(2, 0)).minus(1));
        planAddrWas.next(bufAddr.slice(11, 0));
        planLeftWas.next(bufLeft);
        Bool planFresh = bufAddr.slice(11, 0).eq(planAddrWas).and(bufLeft.eq(planLeftWas)).named("planFresh");
        // room for the burst in the read buffer: committed + planBeats <= DATA_BEATS, the difference registered with the plan
        Bool credit = committed.le(planRoom).named("credit");

        Bool quiet = arValid.not().and(tagCount.eq(0)).and(buffer.count.eq(0)).and(wbQueued.eq(0)).named("quiet");
        Bool wbStop = reg(bool(), false).named("wbStop");
        UInt wbOut = reg(uint(4), 0).named("wbOut");
        Bool wbIdle = wire(bool()).named("wbIdle");

        fsm.on(State.IDLE, () -> {
            when(resetting.or(halted), () -> fsm.goTo(State.DRAIN))
                    .elseWhen(enable.and(ringOk.not()), () -> {
                        ringError.next(true);
                        halted.next(true);
                        busErrorAddress.next(base);
                        fsm.goTo(State.DRAIN);
                    })
                    .elseWhen(enable.and(cached.ne(0)).and(tagRoom), () -> {
                        when(isContext, () -> when(rs.not().or(wbFree), () -> {
                            fsmPush.assign(true);
                            pushTag.assign(true);
                            newKind.assign(MARK);
                            newRs.assign(rs);
                            newIde.assign(ideBit);
                            reserveWb.assign(rs);
                            popCache.assign(true);
                            ctxLo.next(lo);
                            ctxPaylen.next(get(lo, hi, TxContext.PAYLEN));
                            ctxHdrlen.next(get(lo, hi, TxContext.HDRLEN));
                            ctxMss.next(get(lo, hi, TxContext.MSS));
                            ctxTcp.next(bitOf(tucmd, TxContext.TCP));
                            ctxIpv4.next(bitOf(tucmd, TxContext.IP));
                        })).elseWhen(bad, () -> {
                            // in order: what was issued before completes first, then the ring stops here
                            fsmPush.assign(true);
                            pushTag.assign(true);
                            newKind.assign(BAD);
                            fsm.goTo(State.DRAIN);
                        }).elseWhen(inFrame.or(commands.in.ready).and(rs.not().or(wbFree)), () -> {
                            when(inFrame.not(), () -> {
                                commands.in.valid.assign(true);
                                opened.next(opened.plus(1));
                                inFrame.next(true);
                            });
                            popCache.assign(true);
                            reserveWb.assign(rs);
                            frameRoom.next(frameRoom.minus(length.resize(17)));
                            bufAddr.next(address);
                            bufLeft.next(length);
                            bufEop.next(eop);
                            bufRs.next(rs);
                            bufIde.next(ideBit);
                            fsm.goTo(State.BURST);
                        });
                    });
            // disabled and quiet: forget what was prefetched, drop a frame left open, take a new head
            when(enable.not().and(quiet).and(wbIdle), () -> {
                cacheRead.next(cacheWrite);
                cached.next(0);
                fetch.next(issue);
                arriving.next(issue);
                secondHalf.next(false);
                when(opened.ne(closed).or(inFrame), () -> fsm.goTo(State.ABORT)).elseWhen(headWrite.valid, () -> {
                    head.next(headWrite.payload);
                    issue.next(headWrite.payload);
                    fetch.next(headWrite.payload);
                    arriving.next(headWrite.payload);
                });
            });
        }).on(State.BURST, () -> {
            when(abort, () -> fsm.goTo(State.DRAIN)).elseWhen(arValid.not().and(tagRoom).and(planFresh).and(credit), () -> {
                fsmPush.assign(true);
                pushTag.assign(true);
                newKind.assign(DATA);
                newLastBeat.assign(planBeats.resize(4).minus(1));
                newLo.assign(firstLane);
                newHi.assign(mux(lastOfBuffer, lastLane, U(3, 7)));
                newDone.assign(lastOfBuffer);
                newEop.assign(lastOfBuffer.and(bufEop));
                newRs.assign(bufRs);
                newIde.assign(bufIde);
                newAddr.assign(burstAddr);
                issuedBeats.assign(planBeats.resize(issuedBeats.width()));
                arValid.next(true);
                arAddr.next(burstAddr);
                arLen.next(planBeats.resize(8).minus(1));
                bufAddr.next(bufAddr.plus(planBytes.resize(64)));
                bufLeft.next(bufLeft.minus(planBytes.resize(20)));
                when(lastOfBuffer, () -> {
                    when(bufEop, () -> {
                        inFrame.next(false);
                        frameRoom.next(MAX_FRAME);
                    });
                    fsm.goTo(State.IDLE);
                });
            });
        }).on(State.DRAIN, () -> {
            // a halted ring still sends what came before the fault; a reset throws it away
            Bool drained = arValid.not().and(tagCount.eq(0)).and(buffer.count.eq(0)).and(wbIdle)
                    .and(wbQueued.eq(0).or(resetting).or(wbStop)).named("drained");
            when(drained, () -> fsm.goTo(State.ABORT));
        }).on(State.ABORT, () -> {
            // one dropped ending per frame begun: the frame cut short, and each command queued after it
            packer.in.valid.assign(opened.ne(closed));
            packer.in.payload.keep.assign(1);
            packer.in.last.assign(true);
            packer.in.user.assign(U(1, 1).asBits());
            when(opened.eq(closed), () -> {
                // the bus is quiet: what was prefetched is forgotten (a stopped ring waits for the driver)
                cacheRead.next(cacheWrite);
                cached.next(0);
                inFrame.next(false);
                frameRoom.next(MAX_FRAME);
                wbReserved.next(0);
                wbRead.next(wbWrite);
                wbQueued.next(0);
                when(resetting, () -> fsm.goTo(State.RESET)).elseWhen(halted, () -> fsm.goTo(State.STOPPED)).otherwise(() -> fsm.goTo(State.IDLE));
            });
        }).on(State.STOPPED, () -> {
            when(resetting, () -> fsm.goTo(State.RESET)).elseWhen(enable.not(), () -> {
                halted.next(false);
                wbStop.next(false);
                cacheRead.next(cacheWrite);
                cached.next(0);
                issue.next(head);
                fetch.next(head);
                arriving.next(head);
                secondHalf.next(false);
                rBeat.next(0);
                fsm.goTo(State.IDLE);
            });
        }).on(State.RESET, () -> {
            head.next(0);
            issue.next(0);
            fetch.next(0);
            arriving.next(0);
            secondHalf.next(false);
            rBeat.next(0);
            cacheRead.next(0);
            cacheWrite.next(0);
            cached.next(0);
            committed.next(0);
            halted.next(false);
            wbStop.next(false);
            busErrorAddress.next(0);
            ctxLo.next(0);
            ctxPaylen.next(0);
            ctxHdrlen.next(0);
            ctxMss.next(0);
            ctxTcp.next(false);
            ctxIpv4.next(false);
            when(cardReset.not(), () -> {
                resetting.next(false);
                fsm.goTo(State.IDLE);
            });
        });

        // ---- write-back channel: AW, then its one W beat ----
        UInt wbState = reg(uint(2), 0).named("wbState");
        Bool awValid = reg(bool(), false).named("awValid");
        UInt awAddr = reg(uint(64), 0).named("awAddr");
        Bool wbIdeNow = reg(bool(), false).named("wbIdeNow");
        Bits wbHead = wire(bits(17)).named("wbHead");
        wbHead.assign(wbQueue.readAsync(wbRead));
        wbIdle.assign(wbState.eq(0).and(wbOut.eq(0)));
        axi.aw.valid.assign(awValid);
        axi.aw.payload.id.assign(wbId);
        axi.aw.payload.addr.assign(awAddr);
        axi.aw.payload.len.assign(0);
        axi.aw.payload.size.assign(3);
        axi.aw.payload.burst.assign(Axi4.BURST_INCR);
        int statusByte = TxLegacy.STATUS.lsb() / 8 - 8;
        axi.w.valid.assign(wbState.eq(2));
        axi.w.payload.data.assign(U(64, Descriptors.TX_DD.mask()).shiftLeft(8 * statusByte));
        axi.w.payload.strb.assign(mux(resetting, U(8, 0), U(8, 1L << statusByte)));
        axi.w.last.assign(true);
        axi.b.ready.assign(true);
        // per write-back in flight: its IDE bit, really written (not a strobe-less beat), its descriptor address
        Mem<Bits> wbFlight = mem(bits(66), MAX_WRITE_BACKS_OUT).named("wbFlight");
        UInt wbIssued = reg(uint(wbFlight.addressWidth()), 0).named("wbIssued");
        UInt wbDone = reg(uint(wbFlight.addressWidth()), 0).named("wbDone");
        Bool wbGo = wbState.eq(0).and(wbQueued.ne(0)).and(wbOut.lt(MAX_WRITE_BACKS_OUT)).and(resetting.not()).and(wbStop.not())
                .and(fsm.is(State.ABORT).not()).named("wbGo");
        when(wbGo, () -> {
            wbPop.assign(true);
            awValid.next(true);
            awAddr.next(base.plus(wbHead.slice(15, 0).asUInt().resize(64).shiftLeft(4)).plus(8));
            wbIdeNow.next(wbHead.bit(16));
            wbState.next(1);
        });
        when(axi.aw.fire(), () -> {
            awValid.next(false);
            wbState.next(2);
        });
        Bool bFire = axi.b.fire().named("bFire");
        when(axi.w.fire(), () -> {
            wbFlight.write(wbIssued, cat(awAddr, resetting.not(), wbIdeNow));
            wbIssued.next(wbIssued.plus(1));
            wbState.next(0);
        });
        when(axi.w.fire().and(bFire.not()), () -> wbOut.next(wbOut.plus(1))).elseWhen(bFire.and(axi.w.fire().not()), () -> wbOut.next(wbOut.minus(1)));
        Bits flight = wire(bits(66)).named("flight");
        flight.assign(wbFlight.readAsync(wbDone));
        when(bFire, () -> {
            wbDone.next(wbDone.plus(1));
            when(axi.b.payload.resp.ne(Axi4.RESP_OKAY), () -> {
                errorNow.assign(true);
                errorAddr.assign(flight.slice(65, 2).asUInt());
                wbStop.next(true);
            }).elseWhen(flight.bit(1), () -> {
                descriptorDone.next(true);
                ide.next(flight.bit(0));
            });
        });

        when(errorNow.and(abort.not()), () -> {
            halted.next(true);
            busError.next(true);
            busErrorAddress.next(errorAddr);
        });

        Bool movesByItself = fsm.is(State.IDLE).and(halted.or(enable.and(ringOk.not())).or(enable.not().and(opened.ne(closed).or(inFrame))))
                .or(fsm.is(State.STOPPED).and(enable.not())).named("movesByItself");
        // nothing in progress or pending: no read or write-back in flight or about to be issued, no
        // descriptor held, no beat held or offered, no pulse pending (a frame waiting for its EOP
        // descriptor from the driver is idle: only the driver can move it on). Also not idle: a write-back
        // between its AW and its W (wbIdle), the packer's spilled last bytes (in.ready low while frames
        // is not valid), and the moves IDLE makes by itself: a ring error, a frame dropped once disabled.
        idle.assign(fsm.is(State.IDLE).or(fsm.is(State.STOPPED)).and(resetting.not()).and(fetching.not()).and(plan.settled()).and(arValid.not())
                .and(inflight.eq(0)).and(cached.eq(0)).and(tagCount.eq(0)).and(committed.eq(0)).and(wbQueued.eq(0)).and(wbIdle)
                .and(cmd.valid.not()).and(frames.valid.not()).and(packer.in.ready).and(descriptorDone.not()).and(queueEmpty.not()).and(busError.not())
                .and(movesByItself.not()));
    }

    /** The engine with 4-bit IDs 2 and 3 (the receive engine's are 0 and 1). */
    public TxDma() {
        this(4, 2);
    }

    /** {@code value} on a wire named {@code name} (a descriptor byte of which only some bits mean something here). */
    UInt held(UInt value, String name) {
        UInt w = wire(uint(value.width())).named(name);
        w.assign(value);
        return w;
    }

    /** {@code field} of the descriptor whose halves are {@code lo} (bytes 0..7) and {@code hi} (bytes 8..15). */
    static UInt get(UInt lo, UInt hi, Field field) {
        return field.lsb() >= 64 ? hi.slice(field.msb() - 64, field.lsb() - 64) : lo.slice(field.msb(), field.lsb());
    }

    /** Bit {@code b} of a command, options or status byte. */
    static Bool bitOf(UInt value, Field b) {
        return value.bit(b.lsb());
    }
}

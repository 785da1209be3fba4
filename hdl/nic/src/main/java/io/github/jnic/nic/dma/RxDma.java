package io.github.jnic.nic.dma;

import io.github.jnic.jhdl.Bits;
import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Mem;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.lib.Flow;
import io.github.jnic.jhdl.lib.Fsm;
import io.github.jnic.jhdl.lib.Stream;
import io.github.jnic.jhdl.lib.axi.Axi4;
import io.github.jnic.nic.rx.RxFrame;
import io.github.jnic.nic.stream.Beat;
import io.github.jnic.spec.Descriptors;
import io.github.jnic.spec.Field;

/**
 * The receive DMA engine: takes good frames from {@link io.github.jnic.nic.rx.RxFrameBuffer} and
 * puts them into the host's receive ring (e1000 legacy descriptors) over an AXI4 master.
 *
 * <h2>Ring rules (e1000)</h2>
 * The ring is {@code ringBytes / 16} descriptors at {@code ringBase} (bits 3:0 ignored). The card owns
 * the descriptors from {@code head} (RDH) up to {@code tail} (RDT) less one; head == tail means it owns
 * none. Each frame needs {@code ceil(length / bufferBytes)} descriptors: when fewer are free from the
 * next one to fill up to the tail, the whole frame is dropped and {@code noBuffer} pulses (RNBC, MPC,
 * and the RXO cause); the next frame is looked at afresh, so reception resumes as soon as the driver
 * advances the tail (the count of free descriptors is a register: a frame that finds the tail, the
 * ring's length or the next descriptor to fill changed on the clock before waits one clock more). A frame's buffers are filled in order, each with up to {@code bufferBytes}; the
 * last descriptor gets EOP, and it alone carries VP, the VLAN tag, the checksum verdict (IXSM when no
 * checksum engine checked the frame) and CSUM.
 *
 * <h2>Bus</h2>
 * <ul>
 *   <li>Descriptors are read ahead in bursts of up to {@value #FETCH_BURST} (two beats each; only the
 *       buffer address is kept), several bursts in flight, up to {@value #CACHE} held.</li>
 *   <li>Buffers are written in INCR bursts of up to {@value #MAX_BURST_BEATS} beats, never across a
 *       4 KiB boundary; only the frame's bytes are strobed. Up to {@value #MAX_DATA_BURSTS} data bursts
 *       are in flight.</li>
 *   <li>A descriptor is written back as one beat, its upper half (LENGTH, CSUM, STATUS with DD,
 *       ERRORS, SPECIAL) at descriptor + 8 with all strobes, issued only after the B responses of all
 *       the data written into its buffer: a driver that reads DD reads the rest and the data. The
 *       buffer address half is left as the driver wrote it.</li>
 *   <li>IDs: {@code firstId} for buffer writes and descriptor reads, {@code firstId + 1} for
 *       write-backs (B responses of the two may come back in any order).</li>
 * </ul>
 *
 * <h2>Faults and driver mistakes (each one behaviour, each counted)</h2>
 * <ul>
 *   <li>An AXI response other than OKAY (SLVERR, DECERR: also what an address where no memory is
 *       gets): {@code busError} pulses with {@code busErrorAddress} (the burst's start address, or
 *       the descriptor's), the ring stops: nothing more is written (beats of a burst already started
 *       go out with no strobes), outstanding transactions complete, the frame in progress is
 *       dropped, and {@code stopped} rises. Frames arriving while stopped are dropped
 *       ({@code droppedStopped}, MPC). Restart: clear {@code enable} (the engine forgets its
 *       prefetched descriptors and resumes at {@code head}) or the card's reset.</li>
 *   <li>A ring whose length is 0 or not a multiple of 128, or a tail or head past the ring, while
 *       enabled: {@code ringError} pulses and the ring stops as above.</li>
 *   <li>A descriptor whose buffer address is 0 or not 8-byte aligned: nothing is written into it; it is
 *       written back with length 0, DD, EOP and RXE; the rest of its frame is dropped;
 *       {@code badDescriptor} pulses (and {@code frameDone} with the write-back, as for any EOP).</li>
 * </ul>
 *
 * <h2>Reset</h2>
 * {@code cardReset} (CTRL.RST; synchronous, any length, at any moment): the engine stops asking for
 * anything new, finishes what the bus has already seen (an address handshake in progress, the beats
 * of a write burst whose address was taken, with no strobes, every B and R response), then clears
 * itself: head 0, nothing cached, not stopped. The frame buffer is expected to be flushed by the same
 * reset. The module's own {@code reset} is the power-on reset and is not for use with the bus live.
 *
 * <h2>Other ports</h2>
 * {@code enable} (RCTL.EN: while low, arriving frames are dropped silently and, once idle, a
 * {@code headWrite} (RDH written) sets head), {@code bufferBytes} (256 .. 16384, a power of two, from
 * BSIZE/BSEX), {@code rdmts} (RCTL.RDMTS), pulses {@code frameDone} (a frame's EOP descriptor written
 * back and acknowledged: the RXT0 moderation event; {@code doneLength} its length, 0 for a frame a
 * bad descriptor ended, since it was not delivered) and
 * {@code lowDescriptors} (with frameDone, when the descriptors the card owns are at most
 * RDLEN / 2^(RDMTS+1): RXDMT0).
 */
public class RxDma extends Module {
    public static final int CACHE = 16;
    public static final int FETCH_BURST = 8;
    public static final int MAX_BURST_BEATS = 32;
    public static final int MAX_DATA_BURSTS = 8;
    static final int WRITE_BACKS = 8;
    static final int MAX_WRITE_BACKS_OUT = 8;

    public final Bool enable = input(bool());
    public final UInt ringBase = input(uint(64));
    public final UInt ringBytes = input(uint(20));
    public final UInt tail = input(uint(16));
    public final Flow<UInt> headWrite = input(Flow.of(uint(16)));
    public final UInt bufferBytes = input(uint(15));
    public final UInt rdmts = input(uint(2));
    public final Bool cardReset = input(bool());
    public final Stream<Beat> frames = input(Stream.packets(new Beat(), RxFrame.META_WIDTH));

    public final UInt head = output(reg(uint(16), 0));
    public final Bool frameDone = output(reg(bool(), false));
    public final UInt doneLength = output(reg(uint(16), 0));
    public final Bool lowDescriptors = output(bool());
    public final Bool noBuffer = output(reg(bool(), false));
    public final Bool droppedStopped = output(reg(bool(), false));
    public final Bool badDescriptor = output(reg(bool(), false));
    public final Bool ringError = output(reg(bool(), false));
    public final Bool busError = output(reg(bool(), false));
    public final UInt busErrorAddress = output(reg(uint(64), 0));
    public final Bool stopped = output(bool());
    /** Nothing in progress or pending: no frame offered or begun, no transaction in flight or about to be issued. */
    public final Bool idle = output(bool());
    public final Axi4 axi;

    enum State { IDLE, DESC, PLAN, AW, W, CHUNK, DISCARD, WB_AW, WB_W, DRAIN, STOPPED, RESET }

    final Fsm<State> fsm = new Fsm<>(State.IDLE);

    /** An engine whose AXI IDs are {@code idWidth} bits wide, using {@code firstId} and {@code firstId + 1}. */
    public RxDma(int idWidth, int firstId) {
        if (firstId + 1 >= 1 << idWidth) throw new IllegalArgumentException("IDs " + firstId + ".." + (firstId + 1) + " in " + idWidth + " bits");
        axi = output(new Axi4(idWidth, 64, 64));
        final int dataId = firstId, wbId = firstId + 1;

        // ---- ring geometry ----
        UInt count = ringBytes.slice(19, 4).named("ringCount");
        UInt base = ringBase.slice(63, 4).resize(64).shiftLeft(4).named("base");
        Bool ringOk = ringBytes.slice(6, 0).eq(0).and(ringBytes.ne(0)).and(tail.lt(count)).and(head.lt(count)).named("ringOk");

        Bool halted = reg(bool(), false).named("halted");
        Bool resetting = reg(bool(), false).named("resetting");
        Bool abort = halted.or(resetting).named("abort");
        when(cardReset, () -> resetting.next(true));
        stopped.assign(fsm.is(State.STOPPED));

        UInt fill = reg(uint(16), 0).named("fill");
        UInt fetch = reg(uint(16), 0).named("fetch");

        // ---- descriptor cache: buffer addresses of descriptors fill, fill + 1, ... ----
        Mem<UInt> cache = mem(uint(64), CACHE).named("cache");
        UInt cacheWrite = reg(uint(cache.addressWidth()), 0).named("cacheWrite");
        UInt cacheRead = reg(uint(cache.addressWidth()), 0).named("cacheRead");
        UInt cached = reg(uint(width(CACHE)), 0).named("cached");
        UInt inflight = reg(uint(width(CACHE)), 0).named("inflight");
        UInt arriving = reg(uint(16), 0).named("arriving");
        Bool secondHalf = reg(bool(), false).named("secondHalf");
        Bool arValid = reg(bool(), false).named("arValid");
        UInt arAddr = reg(uint(64), 0).named("arAddr");
        UInt arLen = reg(uint(8), 0).named("arLen");

        // ---- fetch: as many descriptors as the tail, the ring's end, the 4 KiB page and the cache allow ----
        UInt fetchAddr = base.plus(fetch.resize(64).shiftLeft(4)).named("fetchAddr");
        // a descriptor is counted in both for the clock between its two beats: saturate
        UInt used = cached.resize(16).plus(inflight.resize(16)).named("used");
        UInt room = mux(used.ge(CACHE), U(16, 0), U(16, CACHE).minus(used)).named("room");
        Fetch plan = fetchCount(fetch, tail, count, base, room, FETCH_BURST);
        UInt fetchCount = plan.count();
        Bool fetchFresh = plan.fresh();
        // disabled, the engine still fetches for a frame it has begun
        Bool midFrame = fsm.is(State.DESC).or(fsm.is(State.PLAN)).or(fsm.is(State.AW)).or(fsm.is(State.W)).or(fsm.is(State.CHUNK)).named("midFrame");
        Bool fetching = enable.or(midFrame).and(ringOk).and(abort.not()).and(arValid.not()).and(fetchFresh).and(fetchCount.ne(0))
                .and(fsm.is(State.DRAIN).or(fsm.is(State.STOPPED)).or(fsm.is(State.RESET)).not()).named("fetching");
        when(fetching, () -> {
            arValid.next(true);
            arAddr.next(fetchAddr);
            arLen.next(fetchCount.resize(8).shiftLeft(1).minus(1));
            fetch.next(wrap(fetch.plus(fetchCount), count));
        });
        when(axi.ar.fire(), () -> arValid.next(false));
        axi.ar.valid.assign(arValid);
        axi.ar.payload.id.assign(dataId);
        axi.ar.payload.addr.assign(arAddr);
        axi.ar.payload.len.assign(arLen);
        axi.ar.payload.size.assign(3);
        axi.ar.payload.burst.assign(Axi4.BURST_INCR);
        axi.r.ready.assign(true);

        Bool pop = wire(bool()).named("pop");
        pop.assign(false);
        Bool rFire = axi.r.fire().named("rFire");
        when(rFire, () -> {
            secondHalf.next(secondHalf.not());
            when(secondHalf.not(), () -> {
                cache.write(cacheWrite, axi.r.payload.data);
                cacheWrite.next(cacheWrite.plus(1));
            }).otherwise(() -> arriving.next(increment(arriving, count)));
        });
        Bool pushCache = rFire.and(secondHalf.not());
        when(pushCache.and(pop.not()), () -> cached.next(cached.plus(1))).elseWhen(pop.and(pushCache.not()), () -> cached.next(cached.minus(1)));
        when(fetching.and(rFire.and(secondHalf)), () -> inflight.next(inflight.plus(fetchCount.resize(inflight.width())).minus(1)))
                .elseWhen(fetching, () -> inflight.next(inflight.plus(fetchCount.resize(inflight.width()))))
                .elseWhen(rFire.and(secondHalf), () -> inflight.next(inflight.minus(1)));
        when(pop, () -> cacheRead.next(cacheRead.plus(1)));
        UInt bufferAddr = cache.readAsync(cacheRead).named("bufferAddr");

        // ---- errors seen on the bus ----
        Bool errorNow = wire(bool()).named("errorNow");
        UInt errorAddr = wire(uint(64)).named("errorAddr");
        errorNow.assign(false);
        errorAddr.assign(0);
        when(rFire.and(axi.r.payload.resp.ne(Axi4.RESP_OKAY)), () -> {
            errorNow.assign(true);
            errorAddr.assign(base.plus(arriving.resize(64).shiftLeft(4)).plus(mux(secondHalf, U(64, 8), U(64, 0))));
        });

        // ---- data bursts in flight: their start addresses, for an error's address ----
        Mem<UInt> burstAddrs = mem(uint(64), MAX_DATA_BURSTS).named("burstAddrs");
        UInt dataIssued = reg(uint(16), 0).named("dataIssued");
        UInt dataDone = reg(uint(16), 0).named("dataDone");
        UInt dataOut = dataIssued.minus(dataDone).named("dataOut");

        // ---- write-backs waiting for their data, and in flight ----
        // an entry: the descriptor's upper half (64), its index (16), the data bursts issued before it (16), EOP (1), length (16)
        Mem<Bits> wbQueue = mem(bits(64 + 16 + 16 + 1 + 16), WRITE_BACKS).named("wbQueue");
        UInt wbWrite = reg(uint(wbQueue.addressWidth()), 0).named("wbWrite");
        UInt wbRead = reg(uint(wbQueue.addressWidth()), 0).named("wbRead");
        UInt wbQueued = reg(uint(width(WRITE_BACKS)), 0).named("wbQueued");
        Bits wbHead = wbQueue.readAsync(wbRead).named("wbHead");
        UInt wbWord = wbHead.slice(63, 0).asUInt().named("wbWord");
        UInt wbIndex = wbHead.slice(79, 64).asUInt().named("wbIndex");
        UInt wbTag = wbHead.slice(95, 80).asUInt().named("wbTag");
        Bool wbEop = wbHead.bit(96).named("wbEop");
        UInt wbLength = wbHead.slice(112, 97).asUInt().named("wbLength");
        // the entry's data is all acknowledged when no more bursts are out than were issued after it
        Bool wbReady = wbQueued.ne(0).and(dataOut.le(dataIssued.minus(wbTag))).named("wbReady");
        UInt wbIssued = reg(uint(8), 0).named("wbIssued");
        UInt wbDone = reg(uint(8), 0).named("wbDone");
        Bool wbRoom = wbIssued.minus(wbDone).lt(MAX_WRITE_BACKS_OUT).named("wbRoom");
        Bool wbServe = wbReady.and(wbRoom).named("wbServe");
        // per write-back in flight: EOP, really written (not a strobe-less beat), and the frame length
        Mem<Bits> wbFlight = mem(bits(18), MAX_WRITE_BACKS_OUT).named("wbFlight");
        Bool wbResumeChunk = reg(bool(), false).named("wbResumeChunk");

        // ---- the frame in progress ----
        Bits meta = frames.user;
        UInt frameLength = wire(uint(16)).named("frameLength");
        frameLength.assign(RxFrame.get(meta, RxFrame.LENGTH));
        Bits frameMeta = reg(bits(RxFrame.META_WIDTH), 0).named("frameMeta");
        UInt frameLeft = reg(uint(16), 0).named("frameLeft");
        UInt chunkLeft = reg(uint(16), 0).named("chunkLeft");
        UInt chunkLength = reg(uint(16), 0).named("chunkLength");
        UInt descIndex = reg(uint(16), 0).named("descIndex");
        Bool badBuffer = reg(bool(), false).named("badBuffer");
        Bool frameEnded = reg(bool(), false).named("frameEnded");
        UInt writeAddr = reg(uint(64), 0).named("writeAddr");
        UInt burstBeats = reg(uint(9), 0).named("burstBeats");
        UInt burstBytes = reg(uint(16), 0).named("burstBytes");
        UInt beat = reg(uint(9), 0).named("beat");
        Bool awValid = reg(bool(), false).named("awValid");
        UInt awAddr = reg(uint(64), 0).named("awAddr");
        UInt awLen = reg(uint(8), 0).named("awLen");
        UInt awId = reg(uint(idWidth), 0).named("awId");

        // the descriptors free from fill up to the tail, registered: a clock old, so a frame is looked
        // at only while fill, the tail and the ring's length held still since (a clock's wait after
        // each change). Then whether the frame needs more than that, with buffers of 2^k bytes, is
        // length > free * 2^k, one narrow comparison per buffer size side by side (dividing the
        // length first, then comparing, was the system clock's longest path, ECP5 at 62.5 MHz)
        UInt free = reg(uint(16), 0).named("freeDescriptors");
        free.next(distance(fill, tail, count));
        Bool freeFresh = heldStill("free", fill, tail, count);
        UInt bufSize = U(16, 2048);
        Bool tooMany = needsMore(frameLength, free, 11);
        for (int k = 8; k <= 14; k++) {
            tooMany = mux(bufferBytes.bit(k), needsMore(frameLength, free, k), tooMany);
            bufSize = mux(bufferBytes.bit(k), U(16, 1 << k), bufSize);
        }
        UInt bufferSize = bufSize.named("bufferSize");
        Bool needsMoreThanFree = tooMany.named("needsMoreThanFree");

        // the next data burst: the chunk's beats, at most MAX_BURST_BEATS, not across 4 KiB. As TxDma's
        // plan, in the bits a burst needs (four 16-bit carry chains one after another before): the burst
        // is at most the MAX_BURST_BEATS words from writeAddr, or up to the page's end when that is
        // nearer, a window ending at offset MAX_BURST_BEATS * 8 of the words from its start; the chunk
        // fits when windowOffset + chunkLeft reaches no further (chunkLeft is at most 16 KiB)
        int k = Integer.numberOfTrailingZeros(MAX_BURST_BEATS);
        int window = MAX_BURST_BEATS * 8;
        UInt pageWord = writeAddr.slice(11, 3).named("pageWord");
        Bool nearPageEnd = pageWord.slice(8, k).andR().named("nearPageEnd");
        UInt windowOffset = mux(nearPageEnd, cat(pageWord.slice(k - 1, 0), U(3, 0)).asUInt(), U(k + 3, 0)).named("windowOffset");
        UInt windowEnd = windowOffset.resize(k + 5).plus(chunkLeft.slice(k + 3, 0).resize(k + 5)).named("windowEnd");
        Bool fitsBurst = chunkLeft.slice(15, k + 4).orR().not().and(windowEnd.bit(k + 4).not())
                .and(windowEnd.bit(k + 3).not().or(windowEnd.slice(k + 2, 0).eq(0))).named("fitsBurst");
        UInt chunkBeats = chunkLeft.slice(k + 3, 3).plus(chunkLeft.slice(2, 0).orR().asUInt().resize(k + 1)).named("chunkBeats");
        UInt byPage = mux(nearPageEnd, U(k + 1, MAX_BURST_BEATS).minus(pageWord.slice(k - 1, 0).resize(k + 1)), U(k + 1, MAX_BURST_BEATS)).named("byPage");
        UInt planBeats = mux(fitsBurst, chunkBeats, byPage).named("planBeats");
        UInt planBytes = mux(fitsBurst, chunkLeft, U(16, window).minus(windowOffset.resize(16))).named("planBytes");

        // ---- AXI write channels ----
        axi.aw.valid.assign(awValid);
        axi.aw.payload.id.assign(awId);
        axi.aw.payload.addr.assign(awAddr);
        axi.aw.payload.len.assign(awLen);
        axi.aw.payload.size.assign(3);
        axi.aw.payload.burst.assign(Axi4.BURST_INCR);
        axi.b.ready.assign(true);
        axi.w.valid.assign(false);
        axi.w.payload.data.assign(frames.payload.data);
        axi.w.payload.strb.assign(0);
        axi.w.last.assign(false);
        frames.ready.assign(false);
        when(axi.aw.fire(), () -> awValid.next(false));

        noBuffer.next(false);
        droppedStopped.next(false);
        badDescriptor.next(false);
        ringError.next(false);
        busError.next(false);
        frameDone.next(false);

        Bool wbPush = wire(bool()).named("wbPush");
        wbPush.assign(false);
        Bool wbPop = wire(bool()).named("wbPop");
        wbPop.assign(false);

        Runnable serveWriteBack = () -> {
            awValid.next(true);
            awId.next(wbId);
            awAddr.next(base.plus(wbIndex.resize(64).shiftLeft(4)).plus(8));
            awLen.next(0);
            fsm.goTo(State.WB_AW);
        };
        Runnable toDrainOrDiscard = () -> {
            // a halted ring drops the rest of its frame first (the stream must stay whole); a reset does not wait
            when(resetting.or(frameEnded), () -> fsm.goTo(State.DRAIN)).otherwise(() -> fsm.goTo(State.DISCARD));
        };

        fsm.on(State.IDLE, () -> {
            frameEnded.next(false);
            when(resetting, () -> fsm.goTo(State.DRAIN))
                    .elseWhen(halted, () -> fsm.goTo(State.DRAIN))
                    .elseWhen(enable.and(ringOk.not()), () -> {
                        ringError.next(true);
                        halted.next(true);
                        fsm.goTo(State.DRAIN);
                    })
                    .elseWhen(wbServe, () -> {
                        wbResumeChunk.next(false);
                        serveWriteBack.run();
                    })
                    .elseWhen(frames.valid.and(enable.not()), () -> fsm.goTo(State.DISCARD))
                    .elseWhen(frames.valid.and(freeFresh).and(needsMoreThanFree), () -> {
                        noBuffer.next(true);
                        fsm.goTo(State.DISCARD);
                    })
                    .elseWhen(frames.valid.and(freeFresh), () -> {
                        frameMeta.next(meta);
                        frameLeft.next(frameLength);
                        fsm.goTo(State.DESC);
                    });
            // disabled and quiet: forget what was prefetched, take a new head from the driver
            Bool quiet = enable.not().and(inflight.eq(0)).and(arValid.not()).and(wbQueued.eq(0)).and(wbIssued.eq(wbDone)).named("quiet");
            when(quiet, () -> {
                cacheRead.next(cacheWrite);
                cached.next(0);
                fetch.next(fill);
                arriving.next(fill);
                secondHalf.next(false);
                when(headWrite.valid, () -> {
                    head.next(headWrite.payload);
                    fill.next(headWrite.payload);
                    fetch.next(headWrite.payload);
                    arriving.next(headWrite.payload);
                });
            });
        }).on(State.DESC, () -> {
            when(abort, toDrainOrDiscard).elseWhen(ringOk.not(), () -> {
                // the driver changed the ring under a frame: as in IDLE, a ring error
                ringError.next(true);
                halted.next(true);
            }).elseWhen(cached.ne(0), () -> {
                pop.assign(true);
                descIndex.next(fill);
                fill.next(increment(fill, count));
                UInt chunk = min(frameLeft, bufferSize);
                chunkLeft.next(chunk);
                chunkLength.next(chunk);
                writeAddr.next(bufferAddr);
                Bool bad = bufferAddr.eq(0).or(bufferAddr.slice(2, 0).ne(0));
                badBuffer.next(bad);
                when(bad, () -> {
                    chunkLength.next(0);
                    fsm.goTo(State.CHUNK);
                }).otherwise(() -> fsm.goTo(State.PLAN));
            });
        }).on(State.PLAN, () -> {
            when(abort, toDrainOrDiscard).elseWhen(dataOut.lt(MAX_DATA_BURSTS), () -> {
                awValid.next(true);
                awId.next(dataId);
                awAddr.next(writeAddr);
                awLen.next(planBeats.resize(8).minus(1));
                burstBeats.next(planBeats.resize(9));
                burstBytes.next(planBytes);
                beat.next(0);
                fsm.goTo(State.AW);
            });
        }).on(State.AW, () -> when(axi.aw.fire(), () -> fsm.goTo(State.W))).on(State.W, () -> {
            Bool lastOfBurst = beat.eq(burstBeats.minus(1)).named("lastOfBurst");
            axi.w.valid.assign(abort.or(frames.valid));
            axi.w.payload.strb.assign(mux(abort, U(8, 0), frames.payload.keep));
            axi.w.last.assign(lastOfBurst);
            frames.ready.assign(abort.not().and(axi.w.ready));
            when(frames.fire().and(frames.last), () -> frameEnded.next(true));
            when(axi.w.fire(), () -> {
                beat.next(beat.plus(1));
                when(lastOfBurst, () -> {
                    chunkLeft.next(chunkLeft.minus(burstBytes));
                    frameLeft.next(frameLeft.minus(burstBytes));
                    writeAddr.next(writeAddr.plus(burstBeats.resize(64).shiftLeft(3)));
                    when(abort, () -> when(resetting.or(frameEnded).or(frames.fire().and(frames.last)), () -> fsm.goTo(State.DRAIN))
                                    .otherwise(() -> fsm.goTo(State.DISCARD)))
                            .elseWhen(chunkLeft.eq(burstBytes), () -> fsm.goTo(State.CHUNK))
                            .otherwise(() -> fsm.goTo(State.PLAN));
                });
            });
        }).on(State.CHUNK, () -> {
            when(abort, toDrainOrDiscard).elseWhen(wbQueued.ne(WRITE_BACKS), () -> {
                wbPush.assign(true);
                when(badBuffer, () -> {
                    badDescriptor.next(true);
                    fsm.goTo(State.DISCARD);
                }).elseWhen(frameLeft.eq(0), () -> fsm.goTo(State.IDLE)).otherwise(() -> fsm.goTo(State.DESC));
            }).elseWhen(wbServe, () -> {
                wbResumeChunk.next(true);
                serveWriteBack.run();
            });
        }).on(State.DISCARD, () -> {
            frames.ready.assign(true);
            when(resetting, () -> fsm.goTo(State.DRAIN))
                    .elseWhen(frames.fire().and(frames.last), () -> when(halted, () -> fsm.goTo(State.DRAIN)).otherwise(() -> fsm.goTo(State.IDLE)));
        }).on(State.WB_AW, () -> when(axi.aw.fire(), () -> fsm.goTo(State.WB_W))).on(State.WB_W, () -> {
            axi.w.valid.assign(true);
            axi.w.payload.data.assign(wbWord);
            axi.w.payload.strb.assign(mux(abort, U(8, 0), U(8, 0xFF)));
            axi.w.last.assign(true);
            when(axi.w.fire(), () -> {
                wbPop.assign(true);
                // between frames (from IDLE) there is no frame to drop
                when(abort, () -> when(wbResumeChunk, toDrainOrDiscard).otherwise(() -> fsm.goTo(State.DRAIN)))
                        .elseWhen(wbResumeChunk, () -> fsm.goTo(State.CHUNK)).otherwise(() -> fsm.goTo(State.IDLE));
            });
        }).on(State.DRAIN, () -> {
            Bool drained = arValid.not().and(awValid.not()).and(inflight.eq(0)).and(dataOut.eq(0)).and(wbIssued.eq(wbDone)).named("drained");
            when(drained, () -> when(resetting, () -> fsm.goTo(State.RESET)).otherwise(() -> fsm.goTo(State.STOPPED)));
        }).on(State.STOPPED, () -> {
            // the stream is at a frame boundary here: drop whole frames as they come
            frames.ready.assign(true);
            when(frames.fire().and(frames.last), () -> droppedStopped.next(true));
            when(resetting, () -> fsm.goTo(State.RESET)).elseWhen(enable.not(), () -> {
                halted.next(false);
                cacheRead.next(cacheWrite);
                cached.next(0);
                fill.next(head);
                fetch.next(head);
                arriving.next(head);
                secondHalf.next(false);
                wbRead.next(wbWrite);
                wbQueued.next(0);
                fsm.goTo(State.IDLE);
            });
        }).on(State.RESET, () -> {
            head.next(0);
            fill.next(0);
            fetch.next(0);
            arriving.next(0);
            secondHalf.next(false);
            cacheRead.next(0);
            cacheWrite.next(0);
            cached.next(0);
            wbRead.next(0);
            wbWrite.next(0);
            wbQueued.next(0);
            halted.next(false);
            busErrorAddress.next(0);
            frameEnded.next(false);
            when(cardReset.not(), () -> {
                resetting.next(false);
                fsm.goTo(State.IDLE);
            });
        });

        // ---- the write-back queue ----
        Bool eop = frameLeft.eq(0).or(badBuffer).named("eop");
        UInt word = descriptorUpperHalf(eop, badBuffer, chunkLength, frameMeta).named("writeBack");
        when(wbPush, () -> {
            // a frame a bad descriptor ended was not delivered: it counts no bytes
            UInt delivered = mux(badBuffer, U(16, 0), RxFrame.get(frameMeta, RxFrame.LENGTH));
            wbQueue.write(wbWrite, cat(delivered, eop, dataIssued, descIndex, word));
            wbWrite.next(wbWrite.plus(1));
        });
        when(wbPop, () -> wbRead.next(wbRead.plus(1)));
        when(wbPush.and(wbPop.not()), () -> wbQueued.next(wbQueued.plus(1))).elseWhen(wbPop.and(wbPush.not()), () -> wbQueued.next(wbQueued.minus(1)));

        // ---- AW bookkeeping ----
        when(axi.aw.fire().and(awId.eq(dataId)), () -> {
            burstAddrs.write(dataIssued.resize(burstAddrs.addressWidth()), awAddr);
            dataIssued.next(dataIssued.plus(1));
        });
        when(axi.w.fire().and(fsm.is(State.WB_W)), () -> {
            wbFlight.write(wbIssued.resize(wbFlight.addressWidth()), cat(wbLength, abort.not(), wbEop));
            wbIssued.next(wbIssued.plus(1));
        });

        // ---- B responses ----
        Bool bFire = axi.b.fire().named("bFire");
        Bool bError = axi.b.payload.resp.ne(Axi4.RESP_OKAY);
        Bits flight = wbFlight.readAsync(wbDone.resize(wbFlight.addressWidth())).named("flight");
        when(bFire.and(axi.b.payload.id.eq(dataId)), () -> {
            dataDone.next(dataDone.plus(1));
            when(bError, () -> {
                errorNow.assign(true);
                errorAddr.assign(burstAddrs.readAsync(dataDone.resize(burstAddrs.addressWidth())));
            });
        });
        when(bFire.and(axi.b.payload.id.eq(wbId)), () -> {
            wbDone.next(wbDone.plus(1));
            when(bError, () -> {
                errorNow.assign(true);
                errorAddr.assign(base.plus(head.resize(64).shiftLeft(4)).plus(8));
            }).elseWhen(flight.bit(1), () -> {
                head.next(increment(head, count));
                when(flight.bit(0), () -> {
                    frameDone.next(true);
                    doneLength.next(flight.slice(17, 2).asUInt());
                });
            });
        });
        when(errorNow.and(resetting.not()).and(halted.not()), () -> {
            halted.next(true);
            busError.next(true);
            busErrorAddress.next(errorAddr);
        });

        // RXDMT0: after a frame, the descriptors the card still owns are at most the threshold
        UInt owned = distance(head, tail, count).resize(20).shiftLeft(4);
        UInt threshold = ringBytes.shiftRight(1);
        for (int t = 1; t <= 3; t++) threshold = mux(rdmts.eq(t), ringBytes.shiftRight(t + 1), threshold);
        lowDescriptors.assign(frameDone.and(owned.le(threshold)));

        // nothing on the bus, nothing about to go on it, no frame begun, no pulse pending
        idle.assign(fsm.is(State.IDLE).or(fsm.is(State.STOPPED)).and(fetching.not()).and(plan.settled()).and(arValid.not()).and(awValid.not())
                .and(inflight.eq(0)).and(dataOut.eq(0)).and(wbQueued.eq(0)).and(wbIssued.eq(wbDone)).and(resetting.not())
                .and(frames.valid.not()).and(frameDone.not()).and(noBuffer.not()).and(busError.not()));
    }

    /** The engine with 4-bit IDs 0 and 1. */
    public RxDma() {
        this(4, 0);
    }

    /** Bytes 8..15 of a written-back receive descriptor, fields placed by {@link Descriptors.Rx}. */
    static UInt descriptorUpperHalf(Bool eop, Bool badBuffer, UInt length, Bits meta) {
        Bool checked = RxFrame.bit(meta, RxFrame.CHECKED).and(badBuffer.not());
        Bool vp = RxFrame.bit(meta, RxFrame.VP).and(eop).and(badBuffer.not());
        UInt status = bit(Descriptors.Rx.DD, TRUE)
                .or(bit(Descriptors.Rx.EOP, eop))
                .or(bit(Descriptors.Rx.IXSM, checked.not()))
                .or(bit(Descriptors.Rx.VP, vp))
                .or(bit(Descriptors.Rx.IPCS, RxFrame.bit(meta, RxFrame.IPCS).and(eop).and(checked)))
                .or(bit(Descriptors.Rx.TCPCS, RxFrame.bit(meta, RxFrame.TCPCS).and(eop).and(checked)))
                .or(bit(Descriptors.Rx.UDPCS, RxFrame.bit(meta, RxFrame.UDPCS).and(eop).and(checked)));
        UInt errors = bit(Descriptors.Rx.RXE, badBuffer)
                .or(bit(Descriptors.Rx.IPE, RxFrame.bit(meta, RxFrame.IPE).and(eop).and(checked)))
                .or(bit(Descriptors.Rx.TCPE, RxFrame.bit(meta, RxFrame.TCPE).and(eop).and(checked)));
        UInt csum = mux(eop.and(checked), RxFrame.get(meta, RxFrame.CSUM), U(16, 0));
        UInt vlan = mux(vp, RxFrame.get(meta, RxFrame.VLAN), U(16, 0));
        return place(Descriptors.Rx.LENGTH, length)
                .or(place(Descriptors.Rx.CSUM, csum))
                .or(place(Descriptors.Rx.STATUS, status))
                .or(place(Descriptors.Rx.ERRORS, errors))
                .or(place(Descriptors.Rx.SPECIAL, vlan));
    }

    /** An 8-bit status or errors byte with {@code b} (a bit of that byte) set to {@code value}. */
    private static UInt bit(Field b, Bool value) {
        return value.asUInt().resize(8).shiftLeft(b.lsb());
    }

    /** {@code value} at the place of {@code field} in the descriptor's upper 64 bits. */
    private static UInt place(Field field, UInt value) {
        int at = field.lsb() - 64;
        if (at < 0 || field.msb() >= 128 || value.width() != field.width()) throw new IllegalArgumentException(field.name());
        UInt wide = value.resize(64);
        return at == 0 ? wide : wide.shiftLeft(at);
    }

    /** (to - from) mod count, for indices below count. */
    static UInt distance(UInt from, UInt to, UInt count) {
        return mux(to.ge(from), to.minus(from), to.plus(count).minus(from));
    }

    static UInt increment(UInt index, UInt count) {
        return mux(index.plus(1).ge(count), U(16, 0), index.plus(1));
    }

    /**
     * Descriptors to fetch from {@code fetch} (as many as the tail, the ring's end, the 4 KiB page,
     * {@code room} and {@code burst} allow), registered: those four bounds were the system clock's
     * longest path (ECP5 at 62.5 MHz). The count is a clock old, so it may be used only while
     * {@code fresh}: nothing it was computed from has changed since but the room, which callers only
     * let grow or stay between a fetch's clocks (a descriptor counted in both the cache and in flight
     * for a clock is the same room). {@code settled}: fresh and the count will not change on the next
     * clock either (for {@code idle}).
     */
    record Fetch(UInt count, Bool fresh, Bool settled) {}

    static Fetch fetchCount(UInt fetch, UInt tail, UInt count, UInt base, UInt room, int burst) {
        UInt page = base.slice(11, 4).plus(fetch.slice(7, 0)).named("fetchPage");
        // each bound saturated at the burst, then the least of them: side by side, not one after another
        UInt a = atMost(distance(fetch, tail, count), burst), b = atMost(count.minus(fetch), burst);
        UInt c = atMost(U(16, 256).minus(page.resize(16)), burst), d = atMost(room, burst);
        UInt now = min(min(a, b), min(c, d)).resize(16).named("fetchCountNow");
        UInt registered = reg(uint(16), 0).named("fetchCount");
        registered.next(now);
        Bool fresh = heldStill("fetch", fetch, tail, count, base.slice(11, 4));
        return new Fetch(registered, fresh, fresh.and(registered.eq(now)).named("fetchSettled"));
    }

    /** Whether each of {@code values} is what it was a clock ago (one register each, {@code name}Was0, 1...). */
    static Bool heldStill(String name, UInt... values) {
        Bool still = TRUE;
        for (int i = 0; i < values.length; i++) {
            UInt was = reg(uint(values[i].width()), 0).named(name + "Was" + i);
            was.next(values[i]);
            still = still.and(values[i].eq(was));
        }
        return still.named(name + "Fresh");
    }

    /** min(x, limit) for a power of two, in as few bits as the limit needs (no comparison's carry chain). */
    static UInt atMost(UInt x, int limit) {
        int k = Integer.numberOfTrailingZeros(limit);
        if (Integer.bitCount(limit) != 1 || k == 0 || x.width() <= k) throw new IllegalArgumentException("limit " + limit + " for " + x.width() + " bits");
        return mux(x.slice(x.width() - 1, k).orR(), U(k + 1, limit), x.slice(k - 1, 0).resize(k + 1));
    }

    /** {@code index} (at most count) taken modulo count. */
    static UInt wrap(UInt index, UInt count) {
        return mux(index.ge(count), index.minus(count), index);
    }

    static UInt min(UInt a, UInt b) {
        return mux(a.lt(b), a, b);
    }

    /**
     * ceil(length / 2^k) > free, as length > free * 2^k: free's top k bits clear and length's bits
     * from k up, with a 1 below them when any of its low k bits is set, above free's low bits.
     */
    static Bool needsMore(UInt length, UInt free, int k) {
        int w = length.width();
        UInt ours = cat(length.slice(w - 1, k), length.slice(k - 1, 0).orR()).asUInt();
        UInt theirs = cat(free.slice(w - 1 - k, 0), FALSE).asUInt();
        return free.slice(w - 1, w - k).orR().not().and(ours.gt(theirs));
    }

    static int width(int n) {
        return Math.max(1, 32 - Integer.numberOfLeadingZeros(n));
    }
}

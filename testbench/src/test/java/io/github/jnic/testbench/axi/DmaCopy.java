package io.github.jnic.testbench.axi;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Mem;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.lib.axi.Axi4;
import io.github.jnic.jhdl.lib.axi.Axi4Lite;

/**
 * A small DMA copy engine, the test design of the AXI host models: software writes a source, a
 * destination and a length (whole 8-byte words, 8-byte aligned) over {@code regs} and starts it;
 * the engine reads the source in bursts of up to 16 beats that never cross 4 KiB, with up to four
 * reads in flight under IDs 0-3, and writes each burst to its place as its data comes back, in
 * whatever order the memory answers. {@code irq} rises when the copy is done (with or without
 * an error response on the way); reading STATUS clears it.
 *
 * <p>Registers: 0x00/0x04 source low/high, 0x08/0x0C destination low/high, 0x10 length in bytes,
 * 0x14 write 1 to start, 0x18 STATUS (bit 0 busy, bit 1 done, bit 2 error; read to clear bits 1-2),
 * 0x1C read bursts issued. Other addresses read 0 and answer SLVERR.
 */
public class DmaCopy extends Module {
    static final int SRC_LO = 0x00, SRC_HI = 0x04, DST_LO = 0x08, DST_HI = 0x0C, LENGTH = 0x10, START = 0x14, STATUS = 0x18, BURSTS = 0x1C;

    public final Axi4Lite regs = input(new Axi4Lite(8));
    public final Axi4 dma = output(new Axi4(2, 64, 64));
    public final Bool irq = output(bool());

    final UInt src = reg(uint(64), 0);
    final UInt dst = reg(uint(64), 0);
    final UInt length = reg(uint(32), 0);
    final Bool busy = reg(bool(), false);
    final Bool done = reg(bool(), false);
    final Bool error = reg(bool(), false);
    final UInt bursts = reg(uint(32), 0);

    public DmaCopy() {
        registers();
        UInt readsInFlight = reg(uint(3), 0).named("readsInFlight");
        UInt writesInFlight = reg(uint(3), 0).named("writesInFlight");

        // ---- reads: the next chunk, at most 128 bytes, within the 4 KiB pages of source and destination
        UInt nextId = reg(uint(2), 0).named("nextId");
        UInt srcRoom = U(13, 4096).minus(src.slice(11, 0).asUInt().resize(13)).named("srcRoom");
        UInt dstRoom = U(13, 4096).minus(dst.slice(11, 0).asUInt().resize(13)).named("dstRoom");
        UInt chunk = wire(uint(13)).named("chunk");
        chunk.assign(U(13, 128));
        when(srcRoom.lt(U(13, 128)), () -> chunk.assign(srcRoom));
        UInt afterSrc = wire(uint(13)).named("afterSrc");
        afterSrc.assign(chunk);
        when(dstRoom.lt(chunk), () -> afterSrc.assign(dstRoom));
        UInt bytes = wire(uint(13)).named("bytes");
        bytes.assign(afterSrc);
        when(length.lt(afterSrc.resize(32)), () -> bytes.assign(length.resize(13)));

        Mem<UInt> chunkDst = mem(uint(64), 4);
        Mem<UInt> chunkLen = mem(uint(8), 4);
        UInt idBusy = reg(uint(4), 0).named("idBusy");  // IDs whose read burst is still coming back
        UInt issuedBit = U(4, 1).shiftLeft(nextId.resize(4)).named("issuedBit");
        Bool issue = busy.and(length.ne(0)).and(idBusy.and(issuedBit).orR().not()).named("issue");
        dma.ar.valid.assign(issue);
        dma.ar.payload.id.assign(nextId);
        dma.ar.payload.addr.assign(src);
        UInt len = bytes.slice(10, 3).asUInt().minus(1).named("len");
        dma.ar.payload.len.assign(len);
        dma.ar.payload.size.assign(3);
        dma.ar.payload.burst.assign(Axi4.BURST_INCR);
        when(dma.ar.fire(), () -> {
            chunkDst.write(nextId, dst);
            chunkLen.write(nextId, len);
            src.next(src.plus(bytes.resize(64)));
            dst.next(dst.plus(bytes.resize(64)));
            length.next(length.minus(bytes.resize(32)));
            nextId.next(nextId.plus(1));
            bursts.next(bursts.plus(1));
        });

        // ---- writes: each read burst, as it comes back, becomes a write burst of the same ID
        Bool inBurst = reg(bool(), false).named("inBurst");
        dma.aw.valid.assign(dma.r.valid.and(inBurst.not()).and(writesInFlight.lt(4)));
        dma.aw.payload.id.assign(dma.r.payload.id);
        dma.aw.payload.addr.assign(chunkDst.readAsync(dma.r.payload.id));
        dma.aw.payload.len.assign(chunkLen.readAsync(dma.r.payload.id));
        dma.aw.payload.size.assign(3);
        dma.aw.payload.burst.assign(Axi4.BURST_INCR);
        when(dma.aw.fire(), () -> inBurst.next(true));
        dma.w.valid.assign(dma.r.valid.and(inBurst));
        dma.w.payload.data.assign(dma.r.payload.data);
        dma.w.payload.strb.assign(0xFF);
        dma.w.last.assign(dma.r.last);
        dma.r.ready.assign(inBurst.and(dma.w.ready));
        Bool readEnds = dma.r.fire().and(dma.r.last).named("readEnds");
        when(readEnds, () -> inBurst.next(false));
        when(dma.r.fire().and(dma.r.payload.resp.ne(0)), () -> error.next(true));
        dma.b.ready.assign(true);
        when(dma.b.fire().and(dma.b.payload.resp.ne(0)), () -> error.next(true));

        Bool readIssued = dma.ar.fire();
        UInt endedBit = U(4, 1).shiftLeft(dma.r.payload.id.resize(4)).named("endedBit");
        idBusy.next(idBusy.or(mux(readIssued, issuedBit, U(4, 0))).and(mux(readEnds, endedBit.not(), U(4, 15))));
        readsInFlight.next(readsInFlight.plus(mux(readIssued, U(3, 1), U(3, 0))).minus(mux(readEnds, U(3, 1), U(3, 0))));
        Bool writeIssued = dma.aw.fire();
        Bool writeEnds = dma.b.fire();
        writesInFlight.next(writesInFlight.plus(mux(writeIssued, U(3, 1), U(3, 0))).minus(mux(writeEnds, U(3, 1), U(3, 0))));
        when(busy.and(length.eq(0)).and(readsInFlight.eq(0)).and(writesInFlight.eq(0)).and(inBurst.not()), () -> {
            busy.next(false);
            done.next(true);
        });
        irq.assign(done);
    }

    /** The AXI4-Lite slave: a write takes its address and data together; one access at a time. */
    private void registers() {
        Bool bPending = reg(bool(), false).named("bPending");
        UInt bResp = reg(uint(2), 0).named("bResp");
        Bool takeWrite = regs.aw.valid.and(regs.w.valid).and(bPending.not()).named("takeWrite");
        regs.aw.ready.assign(takeWrite);
        regs.w.ready.assign(takeWrite);
        regs.b.valid.assign(bPending);
        regs.b.payload.assign(bResp);
        when(regs.b.fire(), () -> bPending.next(false));
        UInt wa = regs.aw.payload;
        UInt wd = regs.w.payload.data;
        when(takeWrite, () -> {
            bPending.next(true);
            bResp.next(0);
            switchOn(wa)
                .is(SRC_LO, () -> src.next(cat(src.slice(63, 32), wd).asUInt()))
                .is(SRC_HI, () -> src.next(cat(wd, src.slice(31, 0)).asUInt()))
                .is(DST_LO, () -> dst.next(cat(dst.slice(63, 32), wd).asUInt()))
                .is(DST_HI, () -> dst.next(cat(wd, dst.slice(31, 0)).asUInt()))
                .is(LENGTH, () -> length.next(wd))
                .is(START, () -> when(wd.bit(0), () -> busy.next(true)))
                .otherwise(() -> bResp.next(Axi4.RESP_SLVERR));
        });

        Bool rPending = reg(bool(), false).named("rPending");
        UInt rData = reg(uint(32), 0).named("rData");
        UInt rResp = reg(uint(2), 0).named("rResp");
        regs.ar.ready.assign(rPending.not());
        regs.r.valid.assign(rPending);
        regs.r.payload.data.assign(rData);
        regs.r.payload.resp.assign(rResp);
        when(regs.r.fire(), () -> rPending.next(false));
        when(regs.ar.fire(), () -> {
            rPending.next(true);
            rResp.next(0);
            rData.next(0);
            switchOn(regs.ar.payload)
                .is(SRC_LO, () -> rData.next(src.slice(31, 0).asUInt()))
                .is(SRC_HI, () -> rData.next(src.slice(63, 32).asUInt()))
                .is(DST_LO, () -> rData.next(dst.slice(31, 0).asUInt()))
                .is(DST_HI, () -> rData.next(dst.slice(63, 32).asUInt()))
                .is(LENGTH, () -> rData.next(length))
                .is(STATUS, () -> {
                    rData.next(cat(error, done, busy).asUInt().resize(32));
                    done.next(false);
                    error.next(false);
                })
                .is(BURSTS, () -> rData.next(bursts))
                .otherwise(() -> rResp.next(Axi4.RESP_SLVERR));
        });
    }
}

package io.github.jnic.testbench.card;

import io.github.jnic.driver.DmaArena;
import io.github.jnic.driver.DmaMemory;
import io.github.jnic.driver.HostBus;
import io.github.jnic.net.wire.Checksum;
import io.github.jnic.spec.Descriptors;
import io.github.jnic.spec.Descriptors.Rx;
import io.github.jnic.spec.Descriptors.TxCmd;
import io.github.jnic.spec.Descriptors.TxContext;
import io.github.jnic.spec.Descriptors.TxData;
import io.github.jnic.spec.Descriptors.TxLegacy;
import io.github.jnic.spec.Field;
import io.github.jnic.spec.Register;
import io.github.jnic.spec.Registers;
import io.github.jnic.spec.Registers.Aim;
import io.github.jnic.spec.Registers.Cause;
import io.github.jnic.spec.Registers.Ctrl;
import io.github.jnic.spec.Registers.Dmaes;
import io.github.jnic.spec.Registers.Rctl;
import io.github.jnic.spec.Registers.Status;
import io.github.jnic.spec.Registers.Tctl;
import java.nio.ByteBuffer;
import java.util.function.LongSupplier;

/**
 * A Java reference model of the card as the host sees it, written from the e1000 semantics
 * (/work/shared/NIC.md and the 8254x's programming model) and the register map in
 * {@code io.github.jnic.spec}, not from the RTL: registers, both descriptor rings, the receive
 * filter, checksum offload and TSO, statistics, and the interrupt moderation timers, all on the
 * clock it is given. It implements {@link HostBus} over plain Java memory, so the driver runs on it
 * before (and beside) the simulated RTL card; two models joined with {@link #connect} pass frames at
 * line rate.
 *
 * <p>Time: the model is event-driven. Every bus call first brings it to the clock's present time,
 * processing in time order what fell due: frames arriving from the peer (at their last byte), the
 * transmit engine starting the next frame (when the wire is free), moderation timers, the end of an
 * ITR interval. The card's own work takes no time beyond the wire's.
 *
 * <p>Documented choices where e1000 leaves room: a received frame that needs more descriptors than
 * the card holds is dropped whole (MPC, RNBC, RXO); a transmit descriptor is written back (DD) when
 * its frame starts on the wire; RXFC counts frames since the last receive interrupt; AIM adapts as
 * the RTL's (rate windows counted from reset, not tick-aligned). Not modelled: the
 * MAC's own errors (CRC, symbol), jumbo frames beyond 16 KiB, flow control.
 *
 * <p>Faults and driver mistakes, as the RTL answers them (docs/nic.md, "Faults and driver
 * mistakes"): a DMA address where no host memory is stops that ring with DMAERR, DMAES.BUS_ERROR,
 * DMAEA and DMAEC; a ring of length 0 or a head or tail past it while enabled stops it with
 * DMAES.BAD_RING (DMAEA the ring's base on transmit, left alone on receive) and DDEC; a transmit
 * descriptor of length 0 or address 0, or a frame without EOP over 64 KiB + 64 bytes, stops the
 * transmit ring with DMAES.BAD_DESCRIPTOR and DDEC; a stopped ring stays so (received frames
 * dropped, MPC) until it is disabled and enabled again or the card is reset. A receive descriptor
 * whose buffer address is 0 or not 8-byte aligned is written back with length 0, DD, EOP and RXE,
 * nothing written into it and the rest of its frame dropped (DDEC; the ring goes on); a frame to
 * send longer than the card's 16 KiB frame buffer is dropped (DDEC; the ring goes on). A ring
 * where no memory is fails as soon as the tail hands the card descriptors, when the RTL would
 * fetch them.
 *
 * <p>Not thread-safe: the driver's stack thread (and the test driving the clock) call it.
 */
public final class CardModel implements HostBus {
    /** Where host memory starts on the bus (above 4 GiB, so both halves of every address register matter). */
    public static final long BUS_BASE = 0x1_0000_0000L;
    private static final long NEVER = Long.MAX_VALUE;
    private static final int REGISTER_SPACE = 0x6000;
    private static final int MAX_FRAME = 16384;
    private static final int WIRE_SLOTS = 256;
    private static final int FCS = 4, PREAMBLE_AND_GAP = 8 + 12, MIN_FRAME = 60;

    // Fields looked up once (the data path allocates nothing, so the driver's allocation can be measured over the model).
    private static final Register[] AT = new Register[REGISTER_SPACE / 4];
    private static final Field ITR_INTERVAL = Registers.ITR.field("INTERVAL");
    private static final Field RDTR_DELAY = Registers.RDTR.field("DELAY"), RDTR_FPD = Registers.RDTR.field("FPD");
    private static final Field RADV_DELAY = Registers.RADV.field("DELAY");
    private static final Field RXFC_FRAMES = Registers.RXFC.field("FRAMES");
    private static final Field TIDV_DELAY = Registers.TIDV.field("DELAY"), TIDV_FPD = Registers.TIDV.field("FPD");
    private static final Field TADV_DELAY = Registers.TADV.field("DELAY");
    private static final Field PCSS = Registers.RXCSUM.field("PCSS"), IPOFLD = Registers.RXCSUM.field("IPOFLD"), TUOFLD = Registers.RXCSUM.field("TUOFLD");

    static {
        for (Register r : Registers.all()) if (r.offset() < REGISTER_SPACE) AT[r.offset() / 4] = r;
    }

    private final LongSupplier clock;
    private final ByteBuffer memory;
    private final DmaArena arena;
    private final long bitsPerSecond;
    private final int[] regs = new int[REGISTER_SPACE / 4];
    private final long[] writable = new long[REGISTER_SPACE / 4];
    private long now;

    // The cable: frames on their way to this card (a ring of preallocated slots), and the peer.
    private CardModel peer;
    private boolean cableUp = true;
    private final byte[][] wire = new byte[WIRE_SLOTS][MAX_FRAME];
    private final int[] wireLength = new int[WIRE_SLOTS];
    private final long[] wireArrival = new long[WIRE_SLOTS];
    private int wireHead, wireCount;
    private long wireOverflows;

    // Transmit engine.
    private long txFreeAt;                 // when the wire is free for the next frame
    private boolean txStopped, rxStopped;
    private boolean txIncomplete;          // the descriptors up to TDT end without EOP: wait for more
    private final byte[] txFrame = new byte[0x10000 + 64];
    private final byte[] segment = new byte[MAX_FRAME];
    private int ctxIpcss, ctxIpcso, ctxIpcse, ctxTucss, ctxTucso, ctxTucse, ctxPaylen, ctxHdrlen, ctxMss;
    private long ctxTucmd;

    // Interrupt moderation.
    private long rdtrAt = NEVER, radvAt = NEVER, tidvAt = NEVER, tadvAt = NEVER;
    private int framesSinceInterrupt;
    /** The adaptive mode's windows: the current one's index from power-on (CTRL.RST leaves them, as the RTL's), its counts and the last one's. */
    private long aimWindow, resetAt;
    private int aimFrames, aimLastFrames, aimBytes, aimLastBytes;
    private boolean line;                  // the interrupt line's level
    private long lastRise = Long.MIN_VALUE / 2;
    private boolean lowDescriptors;        // RXDMT0 raised and not yet cleared by the ring refilling

    /** A card on {@code clock} with {@code memoryBytes} of host memory and a 1 Gb/s wire. */
    public CardModel(LongSupplier clock, int memoryBytes) {
        this(clock, memoryBytes, 1_000_000_000L);
    }

    public CardModel(LongSupplier clock, int memoryBytes, long bitsPerSecond) {
        this.clock = clock;
        this.memory = ByteBuffer.allocateDirect(memoryBytes);
        this.arena = new DmaArena(memory, BUS_BASE);
        this.bitsPerSecond = bitsPerSecond;
        for (Register r : Registers.all()) {
            long mask = 0;
            for (Field f : r.fields()) mask |= f.mask();
            writable[r.offset() / 4] = mask;
        }
        now = clock.getAsLong();
        resetAt = now;
        reset();
    }

    /** Joins two cards' PHYs with a cable; both see the link come up (LSC). */
    public static void connect(CardModel a, CardModel b) {
        a.advance();
        b.advance();
        a.peer = b;
        b.peer = a;
        a.raise(Cause.LSC);
        b.raise(Cause.LSC);
    }

    /** Plugs or unplugs the cable: both ends see LSC, and frames sent while it is out are lost. */
    public void setCableUp(boolean up) {
        advance();
        if (peer != null) peer.advance();
        cableUp = up;
        if (peer != null) peer.cableUp = up;
        raise(Cause.LSC);
        if (peer != null) peer.raise(Cause.LSC);
    }

    private boolean linkUp() {
        return peer != null && cableUp;
    }

    // ---- HostBus -------------------------------------------------------------------------------

    @Override public int read(int offset) {
        advance();
        if (offset < 0 || offset >= REGISTER_SPACE || (offset & 3) != 0) return 0;
        Register r = AT[offset / 4];
        if (r == null) return 0;
        if (r == Registers.ICR) {
            int v = regs[offset / 4] | (line ? (int) Cause.INT_ASSERTED.mask() : 0);
            regs[offset / 4] = 0;
            updateLine();
            return v;
        }
        if (r == Registers.STATUS) {
            long s = Status.FD.mask() | Status.SPEED.of(2) | (linkUp() ? Status.LU.mask() : 0);
            return (int) s;
        }
        int v = regs[offset / 4];
        switch (r.access()) {
            case RC -> regs[offset / 4] = 0;
            case WO -> v = 0;
            default -> { }
        }
        return v;
    }

    @Override public void write(int offset, int value) {
        advance();
        if (offset < 0 || offset >= REGISTER_SPACE || (offset & 3) != 0) return;
        Register r = AT[offset / 4];
        if (r == null || r.access() == Register.Access.RO || (r.access() == Register.Access.RC && r != Registers.ICR)) return;   // ICR: write 1s to clear
        int i = offset / 4;
        int v = (int) (value & writable[i]);
        if (r == Registers.CTRL && Ctrl.RST.isSet(v)) {
            reset();   // self-clearing: reads back 0 at once
        } else if (r == Registers.ICR) {
            regs[i] &= ~v;
        } else if (r == Registers.ICS) {
            regs[Registers.ICR.offset() / 4] |= v;
        } else if (r == Registers.IMS) {
            regs[i] |= v;
        } else if (r == Registers.IMC) {
            regs[Registers.IMS.offset() / 4] &= ~v;
        } else if (r == Registers.RDTR || r == Registers.TIDV) {
            Field fpd = r == Registers.RDTR ? RDTR_FPD : TIDV_FPD;
            regs[i] = (int) (v & ~fpd.mask());
            if (fpd.isSet(v)) {
                if (r == Registers.RDTR && (rdtrAt != NEVER || radvAt != NEVER)) fireRx();
                if (r == Registers.TIDV && (tidvAt != NEVER || tadvAt != NEVER)) fireTx();
            }
        } else if ((r == Registers.RDH && rxEnabled()) || (r == Registers.TDH && txEnabled())) {
            return;   // the head is the card's while the ring runs
        } else if (r == Registers.RCTL) {
            if (Rctl.EN.isSet(v) && !rxEnabled()) clearStopped(Dmaes.RX_STOPPED);
            regs[i] = v;
        } else if (r == Registers.TCTL) {
            if (Tctl.EN.isSet(v) && !txEnabled()) clearStopped(Dmaes.TX_STOPPED);
            regs[i] = v;
        } else {
            regs[i] = v;
        }
        if (r == Registers.TDT) txIncomplete = false;
        if (r == Registers.TCTL || r == Registers.TDLEN || r == Registers.TDH || r == Registers.TDT) checkRing(true);
        if (r == Registers.RCTL || r == Registers.RDLEN || r == Registers.RDH || r == Registers.RDT) checkRing(false);
        updateLine();
    }

    @Override public DmaMemory allocate(int bytes, int alignment) {
        return arena.allocate(bytes, alignment);
    }

    @Override public boolean interruptAsserted() {
        advance();
        return line;
    }

    @Override public long nextInterruptCheck() {
        advance();
        return line ? now : nextEvent();
    }

    /** The model's host memory, as the bus sees it: for tests that inspect or corrupt it. */
    public DmaMemory memory() { return arena.block(); }

    /** Frames lost because this card's receive side of the cable was full (a model limit, never expected). */
    public long wireOverflows() { return wireOverflows; }

    // ---- time ----------------------------------------------------------------------------------

    /**
     * Processes everything due up to the clock's present time, in time order, on both ends of the
     * cable: whichever card's next event is earlier goes first, so a frame one sends reaches the
     * other at the right moment though only one of them was asked.
     */
    private void advance() {
        long target = clock.getAsLong();
        CardModel other = peer;
        while (true) {
            long mine = nextEvent(), theirs = other == null ? NEVER : other.nextEvent();
            if (Math.min(mine, theirs) > target) break;
            if (mine <= theirs) {
                now = Math.max(now, mine);
                step();
            } else {
                other.now = Math.max(other.now, theirs);
                other.step();
            }
        }
        now = Math.max(now, target);
        if (other != null) other.now = Math.max(other.now, target);
    }

    /** The earliest moment something happens without the host: an arrival, a transmit, a timer, the line. */
    private long nextEvent() {
        long t = NEVER;
        if (wireCount > 0) t = Math.min(t, wireArrival[wireHead]);
        if (txPending()) t = Math.min(t, Math.max(now, txFreeAt));
        t = Math.min(t, Math.min(Math.min(rdtrAt, radvAt), Math.min(tidvAt, tadvAt)));
        if (!line && pending()) t = Math.min(t, Math.max(now, lastRise + itrNanos()));
        return t;
    }

    /** Does the one thing due at {@link #now}. */
    private void step() {
        if (wireCount > 0 && wireArrival[wireHead] <= now) {
            receive(wire[wireHead], wireLength[wireHead]);
            wireHead = (wireHead + 1) % WIRE_SLOTS;
            wireCount--;
        } else if (txPending() && txFreeAt <= now) {
            transmitNext();
        } else if (rdtrAt <= now || radvAt <= now) {
            fireRx();
        } else if (tidvAt <= now || tadvAt <= now) {
            fireTx();
        }
        updateLine();
    }

    // ---- reset ---------------------------------------------------------------------------------

    private void reset() {
        for (int i = 0; i < regs.length; i++) regs[i] = 0;
        for (Register r : Registers.all()) regs[r.offset() / 4] = (int) r.reset();
        rdtrAt = radvAt = tidvAt = tadvAt = NEVER;
        framesSinceInterrupt = 0;
        txStopped = rxStopped = txIncomplete = false;
        lowDescriptors = false;
        txFreeAt = now;
        ctxTucmd = 0;
        line = false;
    }

    // ---- registers -----------------------------------------------------------------------------

    private int reg(Register r) { return regs[r.offset() / 4]; }
    private void set(Register r, int v) { regs[r.offset() / 4] = v; }
    private long field(Register r, Field f) { return f.get(reg(r)); }

    private boolean rxEnabled() { return Rctl.EN.isSet(reg(Registers.RCTL)); }
    private boolean txEnabled() { return Tctl.EN.isSet(reg(Registers.TCTL)); }

    private void count(Register stat) { count(stat, 1); }

    private void count(Register stat, long n) {
        set(stat, (int) Math.min(0xffffffffL, (reg(stat) & 0xffffffffL) + n));
    }

    /** A 64-bit low/high counter pair (GORC, GOTC). */
    private void count64(Register low, Register high, long n) {
        long v = (reg(low) & 0xffffffffL) + ((long) reg(high) << 32) + n;
        set(low, (int) v);
        set(high, (int) (v >>> 32));
    }

    private void raise(Field cause) {
        regs[Registers.ICR.offset() / 4] |= (int) cause.mask();
        updateLine();
    }

    // ---- the interrupt line and ITR -------------------------------------------------------------

    private boolean pending() {
        return (reg(Registers.ICR) & reg(Registers.IMS)) != 0;
    }

    private long itrNanos() {
        return field(Registers.ITR, ITR_INTERVAL) * 256;
    }

    /** The line follows ICR & IMS, but rises no sooner than ITR after it last rose. */
    private void updateLine() {
        if (!pending()) {
            line = false;
        } else if (!line && now >= lastRise + itrNanos()) {
            line = true;
            lastRise = now;
        }
    }

    // ---- receive moderation (RDTR, RADV, RXFC) --------------------------------------------------

    /** A frame of {@code length} bytes was written back: RXT0 now, or when the packet timer, the absolute timer or the count says. */
    private void rxFrameDone(int length) {
        long aim = reg(Registers.AIM) & 0xffffffffL;
        if (Aim.EN.isSet(aim)) {
            adaptiveFrameDone(aim, length);
            return;
        }
        long rdtr = field(Registers.RDTR, RDTR_DELAY), radv = field(Registers.RADV, RADV_DELAY), rxfc = field(Registers.RXFC, RXFC_FRAMES);
        if (rdtr == 0) {   // as e1000: no packet timer, no delay (RADV only counts with RDTR)
            fireRx();
            return;
        }
        rdtrAt = now + rdtr * 1024;
        if (radvAt == NEVER && radv != 0) radvAt = now + radv * 1024;
        if (rxfc != 0 && ++framesSinceInterrupt >= rxfc) fireRx();
    }

    /**
     * The adaptive mode (docs/nic.md): windows of 128 × 1.024 µs from reset count frames and bytes;
     * rate and bytes are the larger of the last window's and this one's. Sparse (rate at most
     * SPARSE): RXT0 at once; else FRAMES frames end the batch, or the absolute timer started by its
     * first frame with FRAMES × 128 / 2^floor(log2 rate) units, capped by MAXDELAY unless the bytes
     * reach Aim.BUSY_BYTES.
     */
    private void adaptiveFrameDone(long aim, int length) {
        long window = (now - resetAt) / (Aim.WINDOW_UNITS * 1024L);
        if (window != aimWindow) {
            boolean next = window == aimWindow + 1;
            aimLastFrames = next ? aimFrames : 0;
            aimLastBytes = next ? aimBytes : 0;
            aimFrames = aimBytes = 0;
            aimWindow = window;
        }
        aimFrames = Math.min(255, aimFrames + 1);
        aimBytes = Math.min(0xFFFF, aimBytes + length);
        int rate = Math.max(aimLastFrames, aimFrames);
        boolean busy = Math.max(aimLastBytes, aimBytes) >= Aim.BUSY_BYTES;
        long frames = Math.max(1, Aim.FRAMES.get(aim)), cap = Aim.MAXDELAY.get(aim);
        long delay = frames * Aim.WINDOW_UNITS / Integer.highestOneBit(rate);
        if (cap != 0 && !busy) delay = Math.min(delay, cap);
        if (rate <= Aim.SPARSE.get(aim) || ++framesSinceInterrupt >= frames) {
            fireRx();
            return;
        }
        if (radvAt == NEVER) radvAt = now + delay * 1024;
    }

    private void fireRx() {
        rdtrAt = radvAt = NEVER;
        framesSinceInterrupt = 0;
        raise(Cause.RXT0);
    }

    // ---- transmit moderation (TIDV, TADV) -------------------------------------------------------

    /** An RS descriptor was written back: TXDW now, or through TIDV/TADV when it carries IDE. */
    private void txDescriptorDone(boolean ide) {
        long tidv = field(Registers.TIDV, TIDV_DELAY), tadv = field(Registers.TADV, TADV_DELAY);
        if (!ide || tidv == 0) {
            fireTx();
            return;
        }
        tidvAt = now + tidv * 1024;
        if (tadvAt == NEVER && tadv != 0) tadvAt = now + tadv * 1024;
    }

    private void fireTx() {
        tidvAt = tadvAt = NEVER;
        raise(Cause.TXDW);
    }

    // ---- DMA -----------------------------------------------------------------------------------

    private boolean inMemory(long address, long length) {
        return address >= BUS_BASE && length >= 0 && address + length <= BUS_BASE + memory.capacity();
    }

    private int index(long address) {
        return (int) (address - BUS_BASE);
    }

    /** No address for DMAEA: the receive ring's rule errors leave it as it was (as the RTL). */
    private static final long NO_ADDRESS = -1;

    /** A ring stops on a bus error or a broken ring rule, and tells the host (DMAERR). */
    private void stop(boolean rx, Field why, long address) {
        if (rx) rxStopped = true;
        else txStopped = true;
        int es = reg(Registers.DMAES);
        if (es == 0 && address != NO_ADDRESS) {
            set(Registers.DMAEAL, (int) address);
            set(Registers.DMAEAH, (int) (address >>> 32));
        }
        set(Registers.DMAES, (int) (es | why.mask() | (rx ? Dmaes.RX_STOPPED : Dmaes.TX_STOPPED).mask()));
        count(why == Dmaes.BUS_ERROR ? Registers.DMAEC : Registers.DDEC);
        raise(Cause.DMAERR);
    }

    private void clearStopped(Field which) {
        if (which == Dmaes.RX_STOPPED) rxStopped = false;
        else txStopped = false;
        int es = reg(Registers.DMAES) & ~(int) which.mask();
        if ((es & (Dmaes.RX_STOPPED.mask() | Dmaes.TX_STOPPED.mask())) == 0) es = 0;
        set(Registers.DMAES, es);
    }

    /**
     * While a ring is enabled, a length of 0 or a head or tail past its end is a driver mistake: it
     * stops. A ring where no memory is stops with a bus error once the tail hands the card descriptors.
     */
    private void checkRing(boolean tx) {
        int size = ringSize(tx);
        int tail = reg(tx ? Registers.TDT : Registers.RDT), head = reg(tx ? Registers.TDH : Registers.RDH);
        boolean enabled = tx ? txEnabled() : rxEnabled();
        if (!enabled || (tx ? txStopped : rxStopped)) return;
        if (size == 0 || tail >= size || head >= size) {
            stop(!tx, Dmaes.BAD_RING, tx ? ringBase(true) : NO_ADDRESS);
        } else if (tail != head && !inMemory(ringBase(tx), (long) size * Descriptors.SIZE)) {
            // the RTL fetches descriptors as soon as the tail gives it some: the read fails then
            stop(!tx, Dmaes.BUS_ERROR, ringBase(tx) + (long) head * Descriptors.SIZE);
        }
    }

    private int ringSize(boolean tx) {
        return reg(tx ? Registers.TDLEN : Registers.RDLEN) / Descriptors.SIZE;
    }

    private long ringBase(boolean tx) {
        Register lo = tx ? Registers.TDBAL : Registers.RDBAL, hi = tx ? Registers.TDBAH : Registers.RDBAH;
        return (reg(lo) & 0xffffffffL & ~15L) | ((long) reg(hi) << 32);
    }

    // ---- transmit --------------------------------------------------------------------------------

    private boolean txPending() {
        return txEnabled() && !txStopped && !txIncomplete && ringSize(true) > 0 && reg(Registers.TDH) != reg(Registers.TDT)
                && reg(Registers.TDT) < ringSize(true);
    }

    /**
     * The transmit engine takes the next frame from TDH: context descriptors set the offload
     * parameters, data and legacy descriptors are gathered up to EOP, each RS descriptor is written
     * back, and the frame (or its TSO segments) goes on the wire.
     */
    private void transmitNext() {
        int size = ringSize(true);
        long base = ringBase(true);
        int head = reg(Registers.TDH), tail = reg(Registers.TDT);
        if (!inMemory(base, (long) size * Descriptors.SIZE)) { stop(false, Dmaes.BUS_ERROR, base + (long) head * Descriptors.SIZE); return; }
        // A frame leaves only when all its descriptors are queued: look for its EOP first.
        int scan = head, len = 0;
        boolean eopFound = false;
        while (scan != tail) {
            int d = index(base) + scan * Descriptors.SIZE;
            long cmd = Descriptors.get(memory, d, TxLegacy.CMD);
            boolean context = TxCmd.DEXT.isSet(cmd) && Descriptors.get(memory, d, TxData.DTYP) == Descriptors.DTYP_CONTEXT;
            scan = (scan + 1) % size;
            if (!context && TxCmd.EOP.isSet(cmd)) { eopFound = true; break; }
        }
        if (!eopFound) { txIncomplete = true; return; }   // wait for the rest of the frame (the next TDT write)
        boolean ixsm = false, txsm = false, tse = false, legacyIc = false, vle = false;
        int css = 0, cso = 0, vlan = 0;
        boolean first = true;
        while (head != scan) {
            int d = index(base) + head * Descriptors.SIZE;
            long cmd = Descriptors.get(memory, d, TxLegacy.CMD);
            boolean dext = TxCmd.DEXT.isSet(cmd);
            boolean context = dext && Descriptors.get(memory, d, TxData.DTYP) == Descriptors.DTYP_CONTEXT;
            if (context) {
                ctxIpcss = (int) Descriptors.get(memory, d, TxContext.IPCSS);
                ctxIpcso = (int) Descriptors.get(memory, d, TxContext.IPCSO);
                ctxIpcse = (int) Descriptors.get(memory, d, TxContext.IPCSE);
                ctxTucss = (int) Descriptors.get(memory, d, TxContext.TUCSS);
                ctxTucso = (int) Descriptors.get(memory, d, TxContext.TUCSO);
                ctxTucse = (int) Descriptors.get(memory, d, TxContext.TUCSE);
                ctxPaylen = (int) Descriptors.get(memory, d, TxContext.PAYLEN);
                ctxHdrlen = (int) Descriptors.get(memory, d, TxContext.HDRLEN);
                ctxMss = (int) Descriptors.get(memory, d, TxContext.MSS);
                ctxTucmd = Descriptors.get(memory, d, TxContext.TUCMD);
            } else {
                long address = Descriptors.get(memory, d, TxLegacy.ADDRESS);
                int n = (int) (dext ? Descriptors.get(memory, d, TxData.DTALEN) : Descriptors.get(memory, d, TxLegacy.LENGTH));
                if (n == 0 || address == 0 || len + n > txFrame.length) {
                    stop(false, Dmaes.BAD_DESCRIPTOR, base + (long) head * Descriptors.SIZE);
                    return;
                }
                if (!inMemory(address, n)) { stop(false, Dmaes.BUS_ERROR, address & ~7L); return; }   // the burst's first word
                memory.get(index(address), txFrame, len, n);
                len += n;
                if (first) {
                    if (dext) {
                        long popts = Descriptors.get(memory, d, TxData.POPTS);
                        ixsm = TxData.IXSM.isSet(popts);
                        txsm = TxData.TXSM.isSet(popts);
                        tse = TxCmd.TSE.isSet(cmd);
                    } else if (TxCmd.IC.isSet(cmd)) {
                        legacyIc = true;
                        css = (int) Descriptors.get(memory, d, TxLegacy.CSS);
                        cso = (int) Descriptors.get(memory, d, TxLegacy.CSO);
                    }
                    first = false;
                }
                if (TxCmd.EOP.isSet(cmd)) {
                    vle = TxCmd.VLE.isSet(cmd);
                    vlan = (int) Descriptors.get(memory, d, TxLegacy.SPECIAL);
                }
            }
            if (TxCmd.RS.isSet(cmd)) {
                Descriptors.put(memory, d, TxLegacy.STATUS, Descriptors.TX_DD.mask());
                txDescriptorDone(TxCmd.IDE.isSet(cmd));
            }
            head = (head + 1) % size;
        }
        set(Registers.TDH, head);
        long wireTime;
        if (tse) {
            wireTime = segmentAndSend(len, ixsm, txsm, vle, vlan);
        } else if (len > MAX_FRAME) {
            count(Registers.DDEC);   // longer than the frame buffer: dropped there, the ring goes on
            wireTime = 0;
        } else {
            if (legacyIc) insertChecksum(txFrame, css, 0, cso, len, false);
            if (ixsm) insertChecksum(txFrame, ctxIpcss, ctxIpcse, ctxIpcso, len, false);
            if (txsm) insertChecksum(txFrame, ctxTucss, ctxTucse, ctxTucso, len, !TxContext.TCP.isSet(ctxTucmd));
            wireTime = send(txFrame, len, vle, vlan);
        }
        txFreeAt = now + wireTime;
        if (reg(Registers.TDH) == reg(Registers.TDT)) raise(Cause.TXQE);
    }

    /** Sums {@code [start, end]} ({@code end} 0: to the frame's end) and stores the folded, inverted sum at {@code at}. */
    private static void insertChecksum(byte[] f, int start, int end, int at, int len, boolean udp) {
        int last = end == 0 ? len - 1 : Math.min(end, len - 1);
        if (start > last || at + 2 > len) return;
        int sum = Checksum.finish(Checksum.add(0, f, start, last - start + 1));
        if (udp && sum == 0) sum = 0xffff;
        f[at] = (byte) (sum >>> 8);
        f[at + 1] = (byte) sum;
    }

    /**
     * TSO as e1000 does it: the header replayed before each MSS of payload, with the IPv4 total
     * length and ID (+1 per segment) and the TCP sequence number advanced, FIN and PSH kept for the
     * last segment and CWR for the first, and each segment's checksums (the TCP seed holds the
     * pseudo-header without the length; the card adds each segment's TCP length).
     */
    private long segmentAndSend(int len, boolean ixsm, boolean txsm, boolean vle, int vlan) {
        int hdr = ctxHdrlen, mss = ctxMss, payload = ctxPaylen;
        if (mss == 0 || hdr == 0 || hdr + payload != len || hdr + mss > MAX_FRAME || ctxTucss + 20 > hdr) {
            count(Registers.TSCTFC);
            return 0;
        }
        count(Registers.TSCTC);
        boolean ipv4 = TxContext.IP.isSet(ctxTucmd);
        int id = ipv4 ? get16(txFrame, ctxIpcss + 4) : 0;
        int seq = get32(txFrame, ctxTucss + 4);
        int flags = txFrame[ctxTucss + 13] & 0xff;
        int seed = get16(txFrame, ctxTucso);
        long time = 0;
        for (int off = 0, k = 0; off < payload; off += mss, k++) {
            int n = Math.min(mss, payload - off);
            boolean firstSeg = off == 0, lastSeg = off + n >= payload;
            System.arraycopy(txFrame, 0, segment, 0, hdr);
            System.arraycopy(txFrame, hdr + off, segment, hdr, n);
            if (ipv4) {
                put16(segment, ctxIpcss + 2, hdr - ctxIpcss + n);
                put16(segment, ctxIpcss + 4, id + k);
            }
            put32(segment, ctxTucss + 4, seq + off);
            int f = flags;
            if (!lastSeg) f &= ~(0x01 | 0x08);
            if (!firstSeg) f &= ~0x80;
            segment[ctxTucss + 13] = (byte) f;
            put16(segment, ctxTucso, Checksum.fold(seed + (long) (hdr - ctxTucss + n)));
            if (ipv4 && ixsm) insertChecksum(segment, ctxIpcss, ctxIpcse, ctxIpcso, hdr + n, false);
            if (txsm) insertChecksum(segment, ctxTucss, 0, ctxTucso, hdr + n, false);
            time += send(segment, hdr + n, vle, vlan);
        }
        return time;
    }

    /** One frame onto the wire (padded, tagged when asked); returns how long it occupies the wire. */
    private long send(byte[] f, int len, boolean vle, int vlan) {
        if (vle && len + 4 <= f.length) {
            System.arraycopy(f, 12, f, 16, len - 12);
            put16(f, 12, reg(Registers.VET) & 0xffff);
            put16(f, 14, vlan);
            len += 4;
        }
        if (Registers.Tctl.PSP.isSet(reg(Registers.TCTL)) && len < MIN_FRAME) {
            for (int i = len; i < MIN_FRAME; i++) f[i] = 0;
            len = MIN_FRAME;
        }
        long nanos = (len + FCS + PREAMBLE_AND_GAP) * 8L * 1_000_000_000L / bitsPerSecond;
        count(Registers.TPT);
        count(Registers.GPTC);
        count64(Registers.GOTCL, Registers.GOTCH, len + FCS);
        if (f[0] == (byte) 0xff && f[1] == (byte) 0xff && f[2] == (byte) 0xff && f[3] == (byte) 0xff && f[4] == (byte) 0xff && f[5] == (byte) 0xff) count(Registers.BPTC);
        else if ((f[0] & 1) != 0) count(Registers.MPTC);
        if (linkUp()) peer.arrive(f, len, now + nanos);
        return nanos;
    }

    /**
     * A frame whose last byte reaches this card now, as if a peer had sent it (its FCS not
     * included; the bytes are copied): for benchmarks that play the far end of the cable themselves.
     */
    public void arrive(byte[] frame, int length) {
        advance();
        arrive(frame, length, now);
    }

    /** A frame's last byte reaches this card at {@code at}. */
    private void arrive(byte[] f, int len, long at) {
        if (wireCount == WIRE_SLOTS) { wireOverflows++; return; }
        int slot = (wireHead + wireCount) % WIRE_SLOTS;
        System.arraycopy(f, 0, wire[slot], 0, len);
        wireLength[slot] = len;
        wireArrival[slot] = at;
        wireCount++;
    }

    // ---- receive ---------------------------------------------------------------------------------

    /**
     * A frame from the wire: counted, filtered, its tag stripped when CTRL.VME, its checksums
     * checked when RXCSUM asks, then written into as many descriptors' buffers as it needs, each
     * written back with DD last and EOP on the last one. No room for it: dropped, MPC, RNBC, RXO.
     */
    private void receive(byte[] f, int len) {
        count(Registers.TPR);
        if (!rxEnabled()) return;
        if (rxStopped) { count(Registers.MPC); return; }
        int rctl = reg(Registers.RCTL);
        boolean tagged = len >= 14 && get16(f, 12) == (reg(Registers.VET) & 0xffff);
        // 802.3's maxQTagFrameSize: a tagged frame may be four bytes longer, a jumbo one too (MTU 9000 under a VLAN)
        int max = (Rctl.LPE.isSet(rctl) ? 9018 : 1518) + (tagged ? 4 : 0);
        if (len + FCS > max) { count(Registers.ROC); return; }
        if (len + FCS < 64) { count(Registers.RUC); return; }
        if (!accepted(f, rctl)) { count(Registers.RFILT); return; }
        boolean broadcast = isBroadcast(f), multicast = !broadcast && (f[0] & 1) != 0;
        int status = 0, vlan = 0;
        if (tagged && Ctrl.VME.isSet(reg(Registers.CTRL))) {
            vlan = get16(f, 14);
            System.arraycopy(f, 16, f, 12, len - 16);
            len -= 4;
            status |= (int) Rx.VP.mask();
        }
        int errors = 0;
        int[] verdict = checksums(f, len);
        status |= verdict[0];
        errors |= verdict[1];
        int pcss = (int) field(Registers.RXCSUM, PCSS);
        int csum = pcss < len ? Checksum.fold(Checksum.add(0, f, pcss, len - pcss)) : 0;

        int size = ringSize(false);
        long base = ringBase(false);
        int bufferSize = bufferSize(rctl);
        int need = (len + bufferSize - 1) / bufferSize;
        int head = reg(Registers.RDH), tail = reg(Registers.RDT);
        int free = size == 0 ? 0 : Math.floorMod(tail - head, size);
        if (need > free) {
            count(Registers.MPC);
            count(Registers.RNBC);
            raise(Cause.RXO);
            return;
        }
        if (!inMemory(base, (long) size * Descriptors.SIZE)) { stop(true, Dmaes.BUS_ERROR, base + (long) head * Descriptors.SIZE); return; }
        int delivered = len;
        for (int k = 0, off = 0; k < need; k++, off += bufferSize) {
            int d = index(base) + head * Descriptors.SIZE;
            long address = Descriptors.get(memory, d, Rx.ADDRESS);
            int n = Math.min(bufferSize, len - off);
            if (address == 0 || (address & 7) != 0) {
                // no usable buffer: nothing written, the descriptor ends the frame with RXE, the rest is dropped
                Descriptors.put(memory, d, Rx.LENGTH, 0);
                Descriptors.put(memory, d, Rx.CSUM, 0);
                Descriptors.put(memory, d, Rx.ERRORS, Rx.RXE.mask());
                Descriptors.put(memory, d, Rx.SPECIAL, 0);
                Descriptors.put(memory, d, Rx.STATUS, Rx.DD.mask() | Rx.EOP.mask());
                head = (head + 1) % size;
                count(Registers.DDEC);
                delivered = 0;
                break;
            }
            if (!inMemory(address, n)) { stop(true, Dmaes.BUS_ERROR, address); return; }
            memory.put(index(address), f, off, n);
            boolean last = k == need - 1;
            Descriptors.put(memory, d, Rx.LENGTH, n);
            Descriptors.put(memory, d, Rx.CSUM, last ? csum : 0);
            Descriptors.put(memory, d, Rx.ERRORS, last ? errors : 0);
            Descriptors.put(memory, d, Rx.SPECIAL, last ? vlan : 0);
            long st = Rx.DD.mask() | (last ? Rx.EOP.mask() | status : 0);
            Descriptors.put(memory, d, Rx.STATUS, st);   // DD last
            head = (head + 1) % size;
        }
        set(Registers.RDH, head);
        count(Registers.GPRC);   // as the RTL: every frame its EOP descriptor ends, its octets if delivered
        count64(Registers.GORCL, Registers.GORCH, delivered == 0 ? 0 : delivered + FCS);
        if (broadcast) count(Registers.BPRC);
        if (multicast) count(Registers.MPRC);
        lowDescriptorCheck(size, Math.floorMod(tail - head, size));
        rxFrameDone(delivered);
    }

    /** RXDMT0 when the free descriptors fall below RCTL.RDMTS's fraction of the ring (once per crossing). */
    private void lowDescriptorCheck(int size, int free) {
        int threshold = size >> (Rctl.RDMTS.get(reg(Registers.RCTL)) + 1);
        if (free < threshold && !lowDescriptors) {
            lowDescriptors = true;
            raise(Cause.RXDMT0);
        } else if (free >= threshold) {
            lowDescriptors = false;
        }
    }

    private static int bufferSize(int rctl) {
        int bsize = (int) Rctl.BSIZE.get(rctl);
        int bytes = 2048 >> bsize;
        return Rctl.BSEX.isSet(rctl) && bsize != 0 ? bytes * 16 : bytes;
    }

    private static boolean isBroadcast(byte[] f) {
        for (int i = 0; i < 6; i++) if (f[i] != (byte) 0xff) return false;
        return true;
    }

    /** Whether the address filter passes {@code frame} (its first six bytes) under the registers as they are now. */
    public boolean accepts(byte[] frame) {
        return accepted(frame, reg(Registers.RCTL));
    }

    /**
     * The address filter, as the 8254x's (and RxFilter's): an exact entry (RAL/RAH with AV) passes any
     * address; a unicast passes with UPE, the broadcast with BAM or MPE, another multicast with MPE or
     * its bit of the multicast table, indexed by the 12 address bits RCTL.MO names (47:36, 46:35,
     * 45:34, 43:32, as e1000's e1000_hash_mc_addr).
     */
    private boolean accepted(byte[] f, int rctl) {
        int low = (f[0] & 0xff) | (f[1] & 0xff) << 8 | (f[2] & 0xff) << 16 | (f[3] & 0xff) << 24;
        int high = (f[4] & 0xff) | (f[5] & 0xff) << 8;
        for (int n = 0; n < Registers.RECEIVE_ADDRESSES; n++) {
            int rah = regs[Registers.rah(n) / 4];
            if (Registers.Rah.AV.isSet(rah) && regs[Registers.ral(n) / 4] == low && Registers.Rah.RAH.get(rah) == high) return true;
        }
        if ((f[0] & 1) == 0) return Rctl.UPE.isSet(rctl);
        if (isBroadcast(f)) return Rctl.BAM.isSet(rctl) || Rctl.MPE.isSet(rctl);
        if (Rctl.MPE.isSet(rctl)) return true;
        int mo = (int) Rctl.MO.get(rctl);
        int bits = mo == 3 ? high : high >> (4 - mo);
        int hash = bits & 0xfff;
        return (regs[(Registers.MTA + 4 * (hash >>> 5)) / 4] >>> (hash & 31) & 1) != 0;
    }

    private final int[] verdict = new int[2];

    /** RXCSUM: IPv4 header (IPCS, IPE) and TCP/UDP (TCPCS or UDPCS, TCPE); IXSM when nothing was checked. */
    private int[] checksums(byte[] f, int len) {
        int rxcsum = reg(Registers.RXCSUM);
        boolean ipOn = IPOFLD.isSet(rxcsum), l4On = TUOFLD.isSet(rxcsum);
        int status = 0, errors = 0;
        boolean checked = false;
        if ((ipOn || l4On) && len >= 34 && get16(f, 12) == 0x0800 && (f[14] >> 4) == 4) {
            int ihl = (f[14] & 0xf) * 4;
            int total = get16(f, 16);
            if (ihl >= 20 && 14 + total <= len && total >= ihl) {
                if (ipOn) {
                    checked = true;
                    status |= (int) Rx.IPCS.mask();
                    if (Checksum.fold(Checksum.add(0, f, 14, ihl)) != 0xffff) errors |= (int) Rx.IPE.mask();
                }
                int proto = f[23] & 0xff;
                boolean fragment = (get16(f, 20) & 0x3fff) != 0;
                int l4 = 14 + ihl, l4len = total - ihl;
                boolean udpNoSum = proto == 17 && l4len >= 8 && get16(f, l4 + 6) == 0;
                if (l4On && !fragment && !udpNoSum && ((proto == 6 && l4len >= 20) || (proto == 17 && l4len >= 8))) {
                    checked = true;
                    status |= (int) (proto == 6 ? Rx.TCPCS.mask() : Rx.UDPCS.mask());
                    int src = get32(f, 26), dst = get32(f, 30);
                    long sum = Checksum.add(Checksum.pseudoHeader(src, dst, proto, l4len), f, l4, l4len);
                    if (Checksum.fold(sum) != 0xffff) errors |= (int) Rx.TCPE.mask();
                }
            }
        }
        if (!checked) status |= (int) Rx.IXSM.mask();
        verdict[0] = status;
        verdict[1] = errors;
        return verdict;
    }

    // ---- bytes ---------------------------------------------------------------------------------

    private static int get16(byte[] b, int at) { return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff); }
    private static int get32(byte[] b, int at) { return get16(b, at) << 16 | get16(b, at + 2); }
    private static void put16(byte[] b, int at, int v) { b[at] = (byte) (v >>> 8); b[at + 1] = (byte) v; }
    private static void put32(byte[] b, int at, int v) { put16(b, at, v >>> 16); put16(b, at + 2, v); }
}

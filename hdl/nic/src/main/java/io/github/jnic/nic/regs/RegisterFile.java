package io.github.jnic.nic.regs;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Mem;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.Signal;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.lib.Flow;
import io.github.jnic.jhdl.lib.axi.Axi4Lite;
import io.github.jnic.nic.irq.InterruptModeration;
import io.github.jnic.nic.mdio.PhyMonitor;
import io.github.jnic.spec.Field;
import io.github.jnic.spec.Register;
import io.github.jnic.spec.Registers;
import io.github.jnic.spec.Registers.Ctrl;
import io.github.jnic.spec.Registers.Mdic;
import io.github.jnic.spec.Registers.Status;
import io.github.jnic.spec.Statistic;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The card's registers behind its AXI4-Lite slave, built from {@link Registers}: every register
 * there is answered here, with its offset, reset value, access kind and the bits its fields
 * define. docs/nic.md, "Registers and descriptors", has the table and the behaviours below.
 *
 * <ul>
 *   <li>Read-write registers are stored here (the bits of {@link Registers#storedBits}) and are
 *       outputs named after the register in lower case ({@code ctrl}, {@code rctl}, {@code ral0}
 *       ..., see {@link #value}); byte strobes are honoured. Exceptions, forwarded to the block
 *       that owns the state: IMS (reads {@code ims}, writes {@code imsWrite}), RDH and TDH (reads
 *       {@code rdh}/{@code tdh}, writes {@code rdhWrite}/{@code tdhWrite}), the MTA (writes
 *       {@code mtaWrite}/{@code mtaIndex}/{@code mtaData}; reads come from a copy kept here in
 *       block RAM) and MDIC (below).</li>
 *   <li>ICR reads {@code icr} and pulses {@code icrRead} in the cycle its value is taken; writes to
 *       ICR, ICS and IMC go out as {@code icrWrite}, {@code icsWrite}, {@code imcWrite}; a write of
 *       RDTR or TIDV with FPD pulses {@code rxFlush} or {@code txFlush} (FPD itself reads 0).</li>
 *   <li>STATUS is made of {@code linkUp}, {@code speed} (PhyMonitor's encoding is STATUS.SPEED's),
 *       {@code fullDuplex} and {@code txOff}; JNICID is its reset value; every other read-only
 *       register reads the input named after it ({@code dmaes}, {@code dmaeal}, {@code dmaeah}).</li>
 *   <li>Statistics ({@link Registers#statistics}) are counted here: each has an input
 *       ({@link #count}, {@code <name>Add}, {@value #INCREMENT_BITS} bits, or one bit for a 32-bit
 *       statistic that counts events, {@link #RegisterFile(boolean)}) added every cycle. A read
 *       returns the count and clears it (what is added in that cycle is kept). 32-bit counts stick
 *       at 0xFFFFFFFF, as the 8254x's; the 64-bit GORC and GOTC wrap. Reading the low half of a
 *       64-bit count latches its high half for the read of the high register. The counts are words of
 *       {@code statCounts}, visited by a scanner one a cycle; a read waits for its statistic's visit
 *       (up to {@value #SCAN_PERIOD} cycles).</li>
 *   <li>MDIC: a write with OP = read or write starts that access on PhyMonitor's command port
 *       ({@code commandStart} ... {@code commandResult}) and clears R; when it is done R is set
 *       and, for a read, DATA is the value read. A write with another OP stores the fields and sets
 *       R. Writes while an access is in progress are ignored.</li>
 *   <li>CTRL.RST: {@code cardReset} is high for {@value #RESET_CYCLES} cycles from the cycle after
 *       the write (and after power-on); meanwhile every register holds its reset value, writes are
 *       ignored, CTRL reads with RST set, and the MTA (the copy and RxFilter's) is cleared a word a
 *       cycle. Then RST reads 0.</li>
 *   <li>Offsets no register has (and unaligned ones): reads return 0, writes are ignored, OKAY.</li>
 * </ul>
 *
 * <p>The bus takes one access at a time: a write when AW and W are both valid, otherwise a read;
 * its effects happen in the cycle after the handshake, and B or R follows in the next (a statistic's
 * R at the visit of that statistic, later).
 */
public class RegisterFile extends Module {
    /** The register space is 128 KiB, as the 8254x's memory BAR. */
    public static final int ADDRESS_BITS = 17;
    /** Width of a statistic's increment input. */
    public static final int INCREMENT_BITS = 16;
    /** Length of the card reset: one cycle per MTA word, which is cleared meanwhile. */
    public static final int RESET_CYCLES = Registers.MTA_WORDS;
    /** The statistics' scanner visits one a cycle: each is visited every this many cycles. */
    public static final int SCAN_PERIOD = Registers.statistics().size();
    /**
     * Width of a statistic's pending adds: what a scan period brings ({@value #SCAN_PERIOD} increments
     * of {@value #INCREMENT_BITS} bits) fits, so the difference from the last visit is exact.
     */
    public static final int PENDING_BITS = pendingBits(INCREMENT_BITS);

    public final Axi4Lite host = input(new Axi4Lite(ADDRESS_BITS));

    private final Map<Register, UInt> stored = storedRegisters();
    private final Map<Register, UInt> shown = readOnlyInputs();
    /** Each 32-bit statistic counts events: its increment is one bit (the card's are; see {@link #RegisterFile(boolean)}). */
    private final boolean eventCounts;
    private final Map<Statistic, UInt> increments;

    // read-write registers, as stored (whole words; the other blocks slice their fields)
    public final UInt ctrl = value(Registers.CTRL);
    public final UInt vet = value(Registers.VET);
    public final UInt itr = value(Registers.ITR);
    public final UInt rctl = value(Registers.RCTL);
    public final UInt tctl = value(Registers.TCTL);
    public final UInt tipg = value(Registers.TIPG);
    public final UInt rdbal = value(Registers.RDBAL);
    public final UInt rdbah = value(Registers.RDBAH);
    public final UInt rdlen = value(Registers.RDLEN);
    public final UInt rdt = value(Registers.RDT);
    public final UInt rdtr = value(Registers.RDTR);
    public final UInt radv = value(Registers.RADV);
    public final UInt tdbal = value(Registers.TDBAL);
    public final UInt tdbah = value(Registers.TDBAH);
    public final UInt tdlen = value(Registers.TDLEN);
    public final UInt tdt = value(Registers.TDT);
    public final UInt tidv = value(Registers.TIDV);
    public final UInt tadv = value(Registers.TADV);
    public final UInt rxcsum = value(Registers.RXCSUM);
    public final UInt rxfc = value(Registers.RXFC);
    public final UInt aim = value(Registers.AIM);
    public final UInt[] ral = new UInt[Registers.RECEIVE_ADDRESSES];
    public final UInt[] rah = new UInt[Registers.RECEIVE_ADDRESSES];

    // to and from InterruptModeration
    public final Bool icrRead = output(bool());
    public final Flow<UInt> icrWrite = output(Flow.of(uint(32)));
    public final Flow<UInt> icsWrite = output(Flow.of(uint(32)));
    public final Flow<UInt> imsWrite = output(Flow.of(uint(32)));
    public final Flow<UInt> imcWrite = output(Flow.of(uint(32)));
    public final Bool rxFlush = output(bool());
    public final Bool txFlush = output(bool());
    public final UInt icr = input(uint(32));
    public final UInt ims = input(uint(32));

    // ring heads, kept by the DMA engines
    public final UInt rdh = input(uint(16));
    public final UInt tdh = input(uint(16));
    public final Flow<UInt> rdhWrite = output(Flow.of(uint(16)));
    public final Flow<UInt> tdhWrite = output(Flow.of(uint(16)));

    // the multicast table, kept by RxFilter
    public final Bool mtaWrite = output(bool());
    public final UInt mtaIndex = output(uint(7));
    public final UInt mtaData = output(uint(32));

    // STATUS
    public final Bool linkUp = input(bool());
    public final UInt speed = input(uint(2));
    public final Bool fullDuplex = input(bool());
    public final Bool txOff = input(bool());

    // read-only registers shown as they come
    public final UInt dmaes = shown.get(Registers.DMAES);
    public final UInt dmaeal = shown.get(Registers.DMAEAL);
    public final UInt dmaeah = shown.get(Registers.DMAEAH);

    // MDIC to PhyMonitor's command port (same names there)
    public final Bool commandStart = output(bool());
    public final Bool commandWrite = output(bool());
    public final UInt commandPhy = output(uint(5));
    public final UInt commandRegister = output(uint(5));
    public final UInt commandData = output(uint(16));
    public final Bool commandBusy = input(bool());
    public final UInt commandResult = input(uint(16));

    /** CTRL.RST: high for {@link #RESET_CYCLES} cycles; resets the DMA engines, buffers and moderation. */
    public final Bool cardReset = output(reg(bool(), true));

    final Mem<UInt> mtaCopy = mem(uint(32), Registers.MTA_WORDS);
    /**
     * The statistics' counts, a word each in {@link Registers#statistics}' order: the count (the low
     * half of a 64-bit one) and, above it, the statistic's pending adds as they were at the last visit.
     */
    final Mem<UInt> statCounts = mem(uint(32 + PENDING_BITS), SCAN_PERIOD).style(Mem.Style.blockIfDeeperThanLutRam(SCAN_PERIOD));
    /** The statistic whose word is read this cycle / whose word is here and is updated this cycle. */
    final UInt scan = reg(uint(statCounts.addressWidth()), 0), visit = reg(uint(statCounts.addressWidth()), 0);
    /** A read of a statistic (of a 64-bit one's low half) waits for the visit of {@code statSlot}. */
    final Bool statWait = reg(bool(), false);
    final UInt statSlot = reg(uint(statCounts.addressWidth()), 0);

    // the access in progress
    final Bool writing = reg(bool(), false);
    final Bool reading = reg(bool(), false);
    final Bool bValid = reg(bool(), false);
    final Bool rValid = reg(bool(), false);
    final UInt address = reg(uint(ADDRESS_BITS), 0);
    final UInt writeData = reg(uint(32), 0);
    final UInt writeStrobes = reg(uint(4), 0);
    final UInt readData = reg(uint(32), 0);

    final UInt mdic = reg(uint(32), Registers.MDIC.reset());
    /** MDIC's access offered to PhyMonitor / taken by it and not yet done. */
    final Bool mdicRequest = reg(bool(), false), mdicRunning = reg(bool(), false);
    /** The access was offered while PhyMonitor was free last cycle: busy now means it took it. */
    final Bool mdicOffered = reg(bool(), false);
    final UInt clearIndex = reg(uint(7), 0);

    /** The register file with {@value #INCREMENT_BITS}-bit increments for every statistic. */
    public RegisterFile() {
        this(false);
    }

    /**
     * With {@code eventCounts}, each 32-bit statistic's increment input is one bit, an event a cycle
     * (the card counts nothing else in them), and its pending sum is {@link #pendingBits} of it wide
     * instead of {@value #PENDING_BITS}; the 64-bit octet counts keep {@value #INCREMENT_BITS} bits.
     */
    public RegisterFile(boolean eventCounts) {
        this.eventCounts = eventCounts;
        increments = statisticInputs(eventCounts);
        if (RESET_CYCLES < 2 * SCAN_PERIOD) throw new IllegalStateException("the card reset must see every statistic's word written twice");
        if (Registers.MTA % (4 * Registers.MTA_WORDS) != 0 || Registers.MTA_WORDS != 1 << mtaIndex.width()) {
            throw new IllegalStateException("the MTA is indexed by address bits 8:2");
        }
        for (int n = 0; n < Registers.RECEIVE_ADDRESSES; n++) {
            ral[n] = value(Registers.at(Registers.ral(n)));
            rah[n] = value(Registers.at(Registers.rah(n)));
        }

        // ---- the bus ------------------------------------------------------------------------------
        Bool idle = writing.or(reading).or(statWait).or(bValid).or(rValid).not().named("idle");
        Bool writeGo = idle.and(host.aw.valid).and(host.w.valid).named("writeGo");
        Bool readGo = idle.and(writeGo.not()).and(host.ar.valid).named("readGo");
        host.aw.ready.assign(writeGo);
        host.w.ready.assign(writeGo);
        host.ar.ready.assign(readGo);
        host.b.valid.assign(bValid);
        host.b.payload.assign(0);
        host.r.valid.assign(rValid);
        host.r.payload.data.assign(readData);
        host.r.payload.resp.assign(0);
        writing.next(writeGo);
        reading.next(readGo);
        when(writeGo, () -> {
            address.next(host.aw.payload);
            writeData.next(host.w.payload.data);
            writeStrobes.next(host.w.payload.strb);
        });
        when(readGo, () -> address.next(host.ar.payload));
        when(writing, () -> bValid.next(true)).elseWhen(host.b.fire(), () -> bValid.next(false));
        // a statistic's read (of a 64-bit one's low half) is answered at the statistic's visit
        List<Statistic> stats = Registers.statistics();
        int slotBits = statCounts.addressWidth();
        Bool isStatRead = FALSE;
        UInt slotRead = U(slotBits, 0);
        for (int i = 0; i < stats.size(); i++) {
            isStatRead = isStatRead.or(at(stats.get(i).low()));
            slotRead = slotRead.or(mux(at(stats.get(i).low()), U(slotBits, i), U(slotBits, 0)));
        }
        UInt statIndex = slotRead.named("statIndex");
        Bool statRead = isStatRead.named("statRead");
        Bool statServed = statWait.and(visit.eq(statSlot)).named("statServed");
        Bool answers = reading.and(statRead.not()).or(statServed).named("answers");
        when(answers, () -> rValid.next(true)).elseWhen(host.r.fire(), () -> rValid.next(false));

        Bool writes = writing.and(cardReset.not()).named("writes");

        // the MTA copy: the word of the access is read at the handshake, for a read or a merge
        UInt[] mtaWord = new UInt[1];
        when(writeGo.or(readGo), () -> mtaWord[0] = mtaCopy.readSync(mux(writeGo, host.aw.payload.slice(8, 2), host.ar.payload.slice(8, 2))));
        Bool isMta = address.slice(ADDRESS_BITS - 1, 9).eq(Registers.MTA >> 9).and(aligned()).named("isMta");
        mtaWrite.assign(cardReset.or(writes.and(isMta)));
        mtaIndex.assign(mux(cardReset, clearIndex, address.slice(8, 2)));
        mtaData.assign(mux(cardReset, U(32, 0), merged(mtaWord[0])));
        when(mtaWrite, () -> mtaCopy.write(mtaIndex, mtaData));

        // ---- stored registers ---------------------------------------------------------------------
        for (Map.Entry<Register, UInt> e : stored.entrySet()) {
            Register r = e.getKey();
            UInt v = e.getValue();
            when(writes.and(at(r)), () -> v.next(merged(v).and(U(32, Registers.storedBits(r)))));
        }

        // ---- forwarded accesses -------------------------------------------------------------------
        icrRead.assign(reading.and(at(Registers.ICR)));
        forward(icrWrite, writes.and(at(Registers.ICR)));
        forward(icsWrite, writes.and(at(Registers.ICS)));
        forward(imsWrite, writes.and(at(Registers.IMS)));
        forward(imcWrite, writes.and(at(Registers.IMC)));
        rxFlush.assign(writes.and(at(Registers.RDTR)).and(written(Registers.RDTR.field("FPD"))));
        txFlush.assign(writes.and(at(Registers.TIDV)).and(written(Registers.TIDV.field("FPD"))));
        rdhWrite.valid.assign(writes.and(at(Registers.RDH)));
        rdhWrite.payload.assign(merged(rdh));
        tdhWrite.valid.assign(writes.and(at(Registers.TDH)));
        tdhWrite.payload.assign(merged(tdh));

        // ---- MDIC -----------------------------------------------------------------------------------
        Bool mdicBusy = mdicRequest.or(mdicRunning);
        UInt mdicWritten = merged(mdic).and(U(32, Registers.storedBits(Registers.MDIC))).named("mdicWritten");
        UInt op = field(mdicWritten, Mdic.OP);
        Bool mdicGo = op.eq(Mdic.OP_WRITE).or(op.eq(Mdic.OP_READ)).named("mdicGo");
        when(writes.and(at(Registers.MDIC)).and(mdicBusy.not()), () -> {
            mdic.next(mux(mdicGo, mdicWritten, mdicWritten.or(U(32, Mdic.R.mask()))));
            mdicRequest.next(mdicGo);
        });
        commandStart.assign(mdicRequest);
        commandWrite.assign(field(mdic, Mdic.OP).eq(Mdic.OP_WRITE));
        commandPhy.assign(field(mdic, Mdic.PHYADD));
        commandRegister.assign(field(mdic, Mdic.REGADD));
        commandData.assign(field(mdic, Mdic.DATA));
        mdicOffered.next(mdicRequest.and(commandBusy.not()));
        when(mdicRequest.and(mdicOffered).and(commandBusy), () -> {
            mdicRequest.next(false);
            mdicRunning.next(true);
        });
        when(mdicRunning.and(commandBusy.not()), () -> {
            mdicRunning.next(false);
            UInt data = mux(commandWrite, field(mdic, Mdic.DATA), commandResult);
            mdic.next(mdic.and(U(32, ~Mdic.DATA.mask() & 0xFFFF_FFFFL)).or(place(data, Mdic.DATA)).or(U(32, Mdic.R.mask())));
        });

        // ---- statistics -----------------------------------------------------------------------------
        // Each statistic adds its input to a pending sum in flip-flops, which is never cleared (it wraps);
        // its count lives in statCounts with the pending sum as it was at the last visit. The scanner
        // reads a statistic's word a cycle (scan) and, the cycle after (visit), adds to the count what
        // the pending sum gained since, and stores the sum it has now: what comes in that cycle is added
        // to the pending sum and counted at the next visit. A read of the count is answered at its
        // visit (count + what is pending), and the count written is 0.
        scan.next(mux(scan.eq(SCAN_PERIOD - 1), U(slotBits, 0), scan.plus(1)));
        visit.next(scan);
        UInt word = statCounts.readSync(scan);
        UInt[] pending = new UInt[stats.size()];
        Bool visitWide = FALSE, visitNarrow = FALSE;
        int narrowBits = pendingBits(1);
        for (int i = 0; i < stats.size(); i++) {
            Statistic s = stats.get(i);
            int bits = pendingBits(increments.get(s).width());
            UInt p = reg(uint(bits), 0).named(s.name().toLowerCase(Locale.ROOT) + "Pending");
            p.next(mux(cardReset, U(bits, 0), p.plus(increments.get(s).resize(bits))));
            pending[i] = p.resize(PENDING_BITS);
            if (s.wide()) visitWide = visitWide.or(visit.eq(i));
            if (bits < PENDING_BITS) {
                if (bits != narrowBits) throw new IllegalStateException("one width of narrow pending sums");
                visitNarrow = visitNarrow.or(visit.eq(i));
            }
        }
        UInt pendingNow = pick(pending, visit).named("pendingNow");
        UInt difference = pendingNow.minus(word.slice(32 + PENDING_BITS - 1, 32)).named("statDifference");
        // a narrow pending sum wraps at its own width: the difference modulo that
        UInt gained = eventCounts ? mux(visitNarrow, difference.slice(narrowBits - 1, 0).resize(PENDING_BITS), difference).named("statGained")
                : difference.named("statGained");
        UInt sum = word.slice(31, 0).resize(33).plus(gained.resize(33)).named("statSum");
        Bool carry = sum.bit(32);
        Bool wideVisit = visitWide.named("wideVisit");
        UInt statValue = mux(wideVisit.not().and(carry), U(32, 0xFFFF_FFFFL), sum.slice(31, 0)).named("statValue");
        // during CTRL.RST every word is written 0 (twice at least: pending sums are 0 by the second time)
        UInt counted = mux(statServed.or(cardReset), U(32, 0), statValue);
        statCounts.write(visit, cat(pendingNow, counted).asUInt());
        when(reading.and(statRead), () -> {
            statWait.next(true);
            statSlot.next(statIndex);
        });
        when(statServed, () -> {
            statWait.next(false);
            readData.next(mux(cardReset, U(32, 0), statValue));
        });

        Map<Register, UInt> statValues = new LinkedHashMap<>();
        for (int i = 0; i < stats.size(); i++) {
            Statistic s = stats.get(i);
            if (!s.wide()) continue;
            String name = s.name().toLowerCase(Locale.ROOT);
            UInt high = reg(uint(32), 0).named(name + "High");
            UInt highRead = reg(uint(32), 0).named(name + "HighRead");
            Bool visited = visit.eq(i);
            UInt highSum = high.plus(carry.asUInt().resize(32));
            when(visited, () -> high.next(mux(statServed, U(32, 0), highSum)));
            when(visited.and(statServed), () -> highRead.next(highSum))
                    .elseWhen(reading.and(at(s.high())), () -> highRead.next(0));
            when(cardReset, () -> {
                high.next(0);
                highRead.next(0);
            });
            statValues.put(s.high(), highRead);
        }

        // ---- reads ----------------------------------------------------------------------------------
        UInt status = place(linkUp.asUInt(), Status.LU).or(place(fullDuplex.asUInt(), Status.FD))
                .or(place(txOff.asUInt(), Status.TXOFF)).or(place(speed, Status.SPEED)).named("status");
        UInt read = U(32, 0);
        for (Register r : Registers.all()) {
            UInt v;
            if (isMtaWord(r)) continue;
            if (r == Registers.CTRL) v = ctrl.or(mux(cardReset, U(32, Ctrl.RST.mask()), U(32, 0)));
            else if (stored.containsKey(r)) v = stored.get(r);
            else if (shown.containsKey(r)) v = shown.get(r).and(U(32, fieldBits(r)));
            else if (statValues.containsKey(r)) v = statValues.get(r);
            else if (Registers.statistic(r) != null) continue;   // the low halves: at their visit
            else if (r == Registers.STATUS) v = status;
            else if (r == Registers.JNICID) v = U(32, r.reset());
            else if (r == Registers.ICR) v = icr;
            else if (r == Registers.IMS) v = ims;
            else if (r == Registers.RDH) v = rdh.resize(32);
            else if (r == Registers.TDH) v = tdh.resize(32);
            else if (r == Registers.MDIC) v = mdic;
            else if (r.access() == Register.Access.WO) continue;
            else throw new IllegalStateException("no read value for " + r.name());
            read = read.or(mux(at(r), v, U(32, 0)));
        }
        UInt readValue = mux(isMta, mtaWord[0], read).named("readValue");
        when(reading.and(statRead.not()), () -> readData.next(readValue));

        // ---- CTRL.RST ---------------------------------------------------------------------------------
        when(writes.and(at(Registers.CTRL)).and(written(Ctrl.RST)), () -> {
            cardReset.next(true);
            clearIndex.next(0);
        });
        when(cardReset, () -> {
            clearIndex.next(clearIndex.plus(1));
            when(clearIndex.eq(RESET_CYCLES - 1), () -> cardReset.next(false));
            for (Map.Entry<Register, UInt> e : stored.entrySet()) e.getValue().next(e.getKey().reset());
            mdic.next(Registers.MDIC.reset());
            mdicRequest.next(false);
            mdicRunning.next(false);
        });
    }

    /** The stored value of read-write register {@code r}, an output of this module. */
    public UInt value(Register r) {
        UInt v = stored.get(r);
        if (v == null) throw new IllegalArgumentException(r.name() + " is not stored in the register file");
        return v;
    }


    /**
     * Joins {@code m}'s register side to this file, in the module that holds both: CTRL.RST, the
     * ICR/ICS/IMS/IMC accesses, the moderation registers' values and FPD, and ICR and IMS read back.
     * The events ({@code rxFrameDone} ...) are the caller's to drive.
     */
    public void serve(InterruptModeration m) {
        m.cardReset.assign(cardReset);
        m.icrRead.assign(icrRead);
        m.icrWrite.connectFrom(icrWrite);
        m.icsWrite.connectFrom(icsWrite);
        m.imsWrite.connectFrom(imsWrite);
        m.imcWrite.connectFrom(imcWrite);
        m.itr.assign(itr);
        m.rdtr.assign(rdtr);
        m.radv.assign(radv);
        m.tidv.assign(tidv);
        m.tadv.assign(tadv);
        m.rxfc.assign(rxfc);
        m.aim.assign(aim);
        m.rxFlush.assign(rxFlush);
        m.txFlush.assign(txFlush);
        icr.assign(m.icr);
        ims.assign(m.ims);
    }

    /**
     * Joins {@code p} to this file, in the module that holds both: MDIC's accesses to its command
     * port, and the link it resolves to STATUS. Its address, its MDIO pins and STATUS.TXOFF are the caller's.
     */
    public void serve(PhyMonitor p) {
        p.commandStart.assign(commandStart);
        p.commandWrite.assign(commandWrite);
        p.commandPhy.assign(commandPhy);
        p.commandRegister.assign(commandRegister);
        p.commandData.assign(commandData);
        commandBusy.assign(p.commandBusy);
        commandResult.assign(p.commandResult);
        linkUp.assign(p.linkUp);
        speed.assign(p.speed);
        fullDuplex.assign(p.fullDuplex);
    }
    /** The increment input of statistic {@code stat} (either half of a 64-bit pair): added to it every cycle. */
    public UInt count(Register stat) {
        Statistic s = Registers.statistic(stat);
        if (s == null) throw new IllegalArgumentException(stat.name() + " is not a statistic");
        return increments.get(s);
    }

    /** Registers forwarded to the block that owns them rather than stored here. */
    private static boolean forwarded(Register r) {
        return r == Registers.IMS || r == Registers.RDH || r == Registers.TDH || r == Registers.MDIC || isMtaWord(r);
    }

    private static boolean isMtaWord(Register r) {
        return r.offset() >= Registers.MTA && r.offset() < Registers.MTA + 4 * Registers.MTA_WORDS;
    }

    private static Map<Register, UInt> storedRegisters() {
        Map<Register, UInt> m = new LinkedHashMap<>();
        for (Register r : Registers.all()) {
            if (r.access() == Register.Access.RW && !forwarded(r)) {
                m.put(r, output(reg(uint(32), r.reset())).named(r.name().toLowerCase(Locale.ROOT)));
            }
        }
        return m;
    }

    private static Map<Register, UInt> readOnlyInputs() {
        Map<Register, UInt> m = new LinkedHashMap<>();
        for (Register r : Registers.all()) {
            if (r.access() == Register.Access.RO && r != Registers.STATUS && r != Registers.JNICID) {
                m.put(r, input(uint(32)).named(r.name().toLowerCase(Locale.ROOT)));
            }
        }
        return m;
    }

    private static Map<Statistic, UInt> statisticInputs(boolean eventCounts) {
        Map<Statistic, UInt> m = new LinkedHashMap<>();
        for (Statistic s : Registers.statistics()) {
            int bits = eventCounts && !s.wide() ? 1 : INCREMENT_BITS;
            m.put(s, input(uint(bits)).named(s.name().toLowerCase(Locale.ROOT) + "Add"));
        }
        return m;
    }

    /**
     * Width of the pending sum of a statistic with {@code incrementBits}-bit increments: what a scan
     * period brings ({@value #SCAN_PERIOD} increments) fits, so its difference from the last visit,
     * taken modulo this width, is exact.
     */
    static int pendingBits(int incrementBits) {
        return incrementBits + (32 - Integer.numberOfLeadingZeros(SCAN_PERIOD - 1));
    }

    /** The access is to register {@code r}. */
    private Bool at(Register r) {
        return address.slice(ADDRESS_BITS - 1, 2).eq(r.offset() >> 2).and(aligned());
    }

    private Bool aligned() {
        return address.slice(1, 0).eq(0);
    }

    /** {@code v[index]}, a tree of two-way choices on the index's bits (indices past the end choose any). */
    private static UInt pick(UInt[] v, UInt index) {
        List<UInt> level = new ArrayList<>(List.of(v));
        for (int b = 0; level.size() > 1; b++) {
            List<UInt> up = new ArrayList<>();
            for (int k = 0; k < level.size(); k += 2) up.add(k + 1 < level.size() ? mux(index.bit(b), level.get(k + 1), level.get(k)) : level.get(k));
            level = up;
        }
        return level.get(0);
    }

    /** {@code old} (a word, or its low bytes) with the bytes the write strobes replaced by the written ones. */
    private UInt merged(UInt old) {
        // a byte lane each, as a choice between the written byte and the old one: synthesis finds the
        // old value fed back and makes the lane's strobe the flip-flops' clock enable, no logic a bit
        Signal[] lanes = new Signal[old.width() / 8];
        for (int i = 0; i < lanes.length; i++) {
            int lo = 8 * i;
            lanes[lanes.length - 1 - i] = mux(writeStrobes.bit(i), writeData.slice(lo + 7, lo), old.slice(lo + 7, lo));
        }
        return cat(lanes).asUInt();
    }

    /** The write sets one-bit field {@code f} (a command bit: what it held before does not matter). */
    private Bool written(Field f) {
        return writeData.bit(f.lsb()).and(writeStrobes.bit(f.lsb() / 8));
    }

    /** A write as a flow of its written bytes (strobed-off bytes are 0: they set or clear nothing). */
    private void forward(Flow<UInt> out, Bool when) {
        out.valid.assign(when);
        out.payload.assign(merged(U(32, 0)));
    }

    private static long fieldBits(Register r) {
        long mask = 0;
        for (Field f : r.fields()) mask |= f.mask();
        return mask;
    }

    private static UInt field(UInt word, Field f) {
        return word.slice(f.msb(), f.lsb());
    }

    private static UInt place(UInt v, Field f) {
        return v.resize(32).shiftLeft(f.lsb());
    }
}

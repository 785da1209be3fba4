package io.github.jnic.nic.card;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.ClockDomain;
import io.github.jnic.jhdl.Mem;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.Signal;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.lib.AsyncFifo;
import io.github.jnic.jhdl.lib.Flow;
import io.github.jnic.jhdl.lib.Stream;
import io.github.jnic.jhdl.lib.Synchronizer;
import io.github.jnic.jhdl.lib.axi.Axi4;
import io.github.jnic.jhdl.lib.axi.Axi4Join;
import io.github.jnic.jhdl.lib.axi.Axi4Lite;
import io.github.jnic.nic.dma.RxDma;
import io.github.jnic.nic.dma.TxDma;
import io.github.jnic.nic.irq.InterruptModeration;
import io.github.jnic.nic.mac.EthernetMac;
import io.github.jnic.nic.mac.FrameEvent;
import io.github.jnic.nic.mac.GmiiMac;
import io.github.jnic.nic.mac.MiiMac;
import io.github.jnic.nic.mac.RgmiiMac;
import io.github.jnic.nic.mac.RmiiMac;
import io.github.jnic.nic.mdio.PhyMonitor;
import io.github.jnic.nic.offload.RxChecksum;
import io.github.jnic.nic.offload.TxOffload;
import io.github.jnic.nic.phy.DdrVendor;
import io.github.jnic.nic.regs.RegisterFile;
import io.github.jnic.nic.rx.RxFilter;
import io.github.jnic.nic.rx.RxFrame;
import io.github.jnic.nic.rx.RxFrameBuffer;
import io.github.jnic.nic.stream.Beat;
import io.github.jnic.nic.stream.Downsizer;
import io.github.jnic.nic.stream.Upsizer;
import io.github.jnic.nic.tx.TxFrameBuffer;
import io.github.jnic.spec.Descriptors.Rx;
import io.github.jnic.spec.Field;
import io.github.jnic.spec.Registers;
import io.github.jnic.spec.Registers.Ctrl;
import io.github.jnic.spec.Registers.Dmaes;
import io.github.jnic.spec.Registers.Rctl;
import io.github.jnic.spec.Registers.Tctl;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The network card: the MAC on its PHY, and behind it the receive path (address filter, checksum
 * engine, store-and-forward buffer, receive DMA), the transmit path (transmit DMA, segmentation and
 * checksum offload, store-and-forward buffer), the interrupt moderation, the PHY monitor and the
 * register file. docs/nic.md, "Structure", draws it.
 *
 * <h2>Clock domains</h2>
 * The MAC runs in its PHY's clock domains; everything else in the system domain ({@code clk},
 * {@code reset}; or the domain current where the card is built, as a board top does), at its own
 * frequency. Frames cross as 64-bit beats through asynchronous FIFOs:
 * received bytes are packed into beats in the receive domain (a beat every eighth byte time, so the
 * system side keeps up at any frequency above an eighth of the PHY's), and beats are unpacked into
 * bytes in the transmit domain. The MAC's per-frame statistics cross as {@link FrameEvent}s.
 *
 * <h2>Host side</h2>
 * {@code host}: the AXI4-Lite register slave (128 KiB, e1000 offsets); {@code dma}: one AXI4 master,
 * 64-bit data, on which the receive engine (master 0) and the transmit engine (master 1) are joined;
 * {@code irq}: the interrupt line. {@code quiet}: nothing is in progress anywhere in the card (no
 * frame in it, no transfer, no moderation timer running), so a simulator may skip time.
 *
 * <h2>PHY side</h2>
 * The chosen MAC's pins under their own names: GMII ({@code gmiiTxd} ...) and MII ({@code miiTxd}
 * ...) with clocks {@code txClk}, {@code rxClk} and resets {@code txReset}, {@code rxReset}; RGMII
 * ({@code rgmiiTxd} ..., 10/100/1000 at the speed the PHY monitor reads) with {@code txClk},
 * {@code rgmiiRxc}; RMII ({@code rmiiTxd} ..., 10/100 likewise) with {@code refClk} and
 * {@code refReset}. Then the MDIO master's {@code mdc}, {@code mdioOut}, {@code mdioOe}, {@code mdioIn}.
 */
public class Nic extends Module {
    /** The PHY interface the card is built for. */
    public enum Phy { GMII, RGMII, MII, RMII }

    /** Sizes and rates of one build of the card. */
    public static final class Config {
        public Phy phy = Phy.GMII;
        public DdrVendor vendor = DdrVendor.GENERIC;
        /** The system clock's frequency: the moderation timers' units and MDC are derived from it. */
        public long systemHz = 62_500_000;
        /** Receive store-and-forward buffer, in 8-byte beats (2048: 16 KiB, room for a jumbo frame and more). */
        public int rxBufferBeats = 2048;
        public int rxBufferFrames = 32;
        public int txBufferBeats = 2048;
        public int txBufferFrames = 32;
        /**
         * The offload engines (TSO and checksum insertion on transmit, checksum verdicts on receive).
         * Without them the card is smaller; the driver must then not ask for offloads: frames go out
         * as the host made them and every received frame is "not checked" (IXSM).
         */
        public boolean offload = true;
        /** Clock-crossing FIFOs, in beats. */
        public int crossingBeats = 32;
        /** The PHY's MDIO address. */
        public int phyAddress = 1;
        /** Clocks between two polls of the PHY (about 1 ms). */
        public int phyPollCycles = 62_500;

        public Config phy(Phy p) {
            phy = p;
            return this;
        }
    }

    public final Axi4Lite host = input(new Axi4Lite(RegisterFile.ADDRESS_BITS));
    public final Axi4 dma;
    public final Bool irq = output(bool());
    public final Bool quiet = output(bool());
    public final Bool mdc = output(bool());
    public final Bool mdioOut = output(bool());
    public final Bool mdioOe = output(bool());
    public final Bool mdioIn = input(bool());

    // Observation points, for simulators and a logic analyser: pulses (one system clock each) copied
    // from the blocks, which nothing in the card reads. The card's journey (./nic demo) is told with them.
    /** A frame's last beat entered the receive buffer (kept or, with {@link #rxFrameFiltered}, dropped). */
    public final Bool rxFrameStored = output(bool());
    /** The address filter's verdict on the frame just stored: not for this card, dropped. */
    public final Bool rxFrameFiltered = output(bool());
    /** A received frame's EOP descriptor was written back (DD). */
    public final Bool rxFrameWritten = output(bool());
    /** A transmit descriptor with RS was written back (DD). */
    public final Bool txDescriptorWritten = output(bool());
    /** A frame's last beat entered the transmit buffer, on its way to the MAC. */
    public final Bool txFrameQueued = output(bool());
    /** The PHY's link as the PHY monitor last read it, a level (a board's LED shows it). */
    public final Bool linkUp = output(bool());
    /** A receive timer started (RDTR, RADV, the adaptive mode's) or the packet timer restarted. */
    public final Bool rxTimerArmed = output(bool());
    /** A receive timer expired and raised RXT0. */
    public final Bool rxTimerExpired = output(bool());
    /** RXFC (or the adaptive batch) was reached and raised RXT0. */
    public final Bool rxCountReached = output(bool());
    /** RXT0 raised, for whatever reason. */
    public final Bool rxInterrupt = output(bool());
    /** TXDW raised. */
    public final Bool txInterrupt = output(bool());
    /** The first cycle ITR's interval holds a wanted interrupt back. */
    public final Bool throttled = output(bool());
    /** The delay the adaptive mode would choose now (1.024 µs units), a level. */
    public final UInt aimDelay = output(uint(16));

    /** The PHY-side ports made for the chosen PHY, by name (RGMII and RMII), for a board top to wire. */
    final Map<String, Signal> phyPins = new LinkedHashMap<>();

    final RegisterFile regs;
    final InterruptModeration moderation;
    final PhyMonitor phyMonitor;
    final EthernetMac mac;
    final RxDma rxDma;
    final TxDma txDma;

    public Nic(Config config) {
        // the system domain: the default one (ports clk, reset) unless the card is built inside a
        // board top's withDomain (a PLL's clock)
        ClockDomain system = currentDomain();
        regs = new RegisterFile(true).named("regs");   // the 32-bit statistics count events
        moderation = new InterruptModeration(config.systemHz).named("moderation");
        phyMonitor = new PhyMonitor((int) Math.max(1, (config.systemHz + 4_999_999) / 5_000_000), config.phyPollCycles).named("phyMonitor");
        regs.host.connectFrom(host);
        Bool cardReset = regs.cardReset;

        // ---- the MAC in its PHY's domains ----
        ClockDomain txDomain, rxDomain;
        switch (config.phy) {
            case GMII -> {
                GmiiMac m = new GmiiMac();
                mac = m;
                txDomain = GmiiMac.TX;
                rxDomain = GmiiMac.RX;
                UInt txd = output(uint(8)).named("gmiiTxd");
                Bool txEn = output(bool()).named("gmiiTxEn"), txEr = output(bool()).named("gmiiTxEr");
                UInt rxd = input(uint(8)).named("gmiiRxd");
                Bool rxDv = input(bool()).named("gmiiRxDv"), rxEr = input(bool()).named("gmiiRxEr");
                txd.assign(m.gmiiTxd);
                txEn.assign(m.gmiiTxEn);
                txEr.assign(m.gmiiTxEr);
                m.gmiiRxd.assign(rxd);
                m.gmiiRxDv.assign(rxDv);
                m.gmiiRxEr.assign(rxEr);
            }
            case MII -> {
                MiiMac m = new MiiMac();
                mac = m;
                txDomain = MiiMac.TX;
                rxDomain = MiiMac.RX;
                UInt txd = output(uint(4)).named("miiTxd");
                Bool txEn = output(bool()).named("miiTxEn"), txEr = output(bool()).named("miiTxEr");
                UInt rxd = input(uint(4)).named("miiRxd");
                Bool rxDv = input(bool()).named("miiRxDv"), rxEr = input(bool()).named("miiRxEr");
                txd.assign(m.miiTxd);
                txEn.assign(m.miiTxEn);
                txEr.assign(m.miiTxEr);
                m.miiRxd.assign(rxd);
                m.miiRxDv.assign(rxDv);
                m.miiRxEr.assign(rxEr);
            }
            case RMII -> {
                Bool refClk = input(bool()).named("refClk"), refReset = input(bool()).named("refReset");
                ClockDomain ref = ClockDomain.internal("refClk", refClk).withSyncReset("refReset", refReset);
                RmiiMac m = new RmiiMac(ref);
                mac = m;
                txDomain = ref;
                rxDomain = ref;
                UInt txd = output(uint(2)).named("rmiiTxd");
                Bool txEn = output(bool()).named("rmiiTxEn");
                UInt rxd = input(uint(2)).named("rmiiRxd");
                Bool crsDv = input(bool()).named("rmiiCrsDv"), rxEr = input(bool()).named("rmiiRxEr");
                txd.assign(m.rmiiTxd);
                txEn.assign(m.rmiiTxEn);
                m.rmiiRxd.assign(rxd);
                m.rmiiCrsDv.assign(crsDv);
                m.rmiiRxEr.assign(rxEr);
                // the PHY's negotiated speed, into the reference clock's domain
                Synchronizer speed10 = new Synchronizer(ref, 1, 2).named("speed10Sync");
                speed10.in.assign(phyMonitor.speed.eq(PhyMonitor.SPEED_10).asUInt());
                m.speed10.assign(speed10.out.ne(0));
                for (Signal p : List.of(refClk, refReset, txd, txEn, rxd, crsDv, rxEr)) phyPins.put(p.name(), p);
            }
            case RGMII -> {
                RgmiiMac m = new RgmiiMac(config.vendor, true);
                m.speed.assign(phyMonitor.speed);
                mac = m;
                Bool txClk = input(bool()).named("txClk"), txReset = input(bool()).named("txReset");
                Bool rxc = input(bool()).named("rgmiiRxc"), rxReset = input(bool()).named("rxReset");
                txDomain = ClockDomain.internal("txClk", txClk).withSyncReset("txReset", txReset);
                rxDomain = ClockDomain.internal("rxClk", rxc).withSyncReset("rxReset", rxReset);
                UInt txd = output(uint(4)).named("rgmiiTxd");
                Bool txCtl = output(bool()).named("rgmiiTxCtl"), txc = output(bool()).named("rgmiiTxc");
                UInt rxd = input(uint(4)).named("rgmiiRxd");
                Bool rxCtl = input(bool()).named("rgmiiRxCtl");
                m.txClk.assign(txClk);
                m.txReset.assign(txReset);
                m.rgmiiRxc.assign(rxc);
                m.rxReset.assign(rxReset);
                txd.assign(m.rgmiiTxd);
                txCtl.assign(m.rgmiiTxCtl);
                txc.assign(m.rgmiiTxc);
                m.rgmiiRxd.assign(rxd);
                m.rgmiiRxCtl.assign(rxCtl);
                for (Signal p : List.of(txClk, txReset, rxc, rxReset, txd, txCtl, txc, rxd, rxCtl)) phyPins.put(p.name(), p);
            }
            default -> throw new IllegalArgumentException(config.phy.toString());
        }
        mac.named("mac");
        // RCTL.LPE and TIPG reach the MAC's domains through synchronizers: the driver sets them while
        // the MAC is idle, so a value in flight for a few PHY clocks is harmless
        Synchronizer jumbo = new Synchronizer(rxDomain, 1, 2).named("jumboSync");
        jumbo.in.assign(field(regs.rctl, Rctl.LPE));
        mac.jumbo.assign(jumbo.out.ne(0));
        Synchronizer gap = new Synchronizer(txDomain, 8, 2).named("ifgSync");
        gap.in.assign(ifg(regs.tipg));
        mac.txStats.clear.assign(false);
        mac.txStats.select.assign(0);
        mac.rxStats.clear.assign(false);
        mac.rxStats.select.assign(0);

        // ---- receive: bytes -> beats in the receive domain, across, filter, checksum, buffer, DMA ----
        Upsizer[] up = new Upsizer[1];
        withDomain(rxDomain, () -> up[0] = new Upsizer(1).named("rxUpsizer"));
        Upsizer upsizer = up[0];
        AsyncFifo<Beat> rxCrossing = new AsyncFifo<>(Stream.packets(new Beat(), 1), config.crossingBeats, rxDomain, system)
                .style(Mem.Style.blockIfDeeperThanLutRam(config.crossingBeats)).named("rxCrossing");
        withDomain(rxDomain, () -> {
            // the MAC cannot wait: the Upsizer takes a byte every clock (it holds a finished beat only
            // while the crossing is full, which a system clock above an eighth of the PHY's never lets happen).
            // Its bytes are registered once on the way: the path from the pins through the MAC's frame
            // end to the enables of the Upsizer's whole beat was the receive clock's longest.
            Bool byteValid = reg(bool(), false).named("rxByteValid");
            UInt byteData = reg(uint(8), 0).named("rxByte");
            Bool byteLast = reg(bool(), false).named("rxByteLast");
            var byteUser = reg(bits(1), 0).named("rxByteUser");
            byteValid.next(mac.rx.valid);
            byteData.next(mac.rx.payload);
            byteLast.next(mac.rx.last);
            byteUser.next(mac.rx.user);
            upsizer.in.valid.assign(byteValid);
            upsizer.in.payload.assign(byteData);
            upsizer.in.last.assign(byteLast);
            upsizer.in.user.assign(byteUser);
        });
        upsizer.out.connectTo(rxCrossing.in);
        RxFilter filter = new RxFilter().named("rxFilter");
        rxCrossing.out.connectTo(filter.in);
        filter.rctl.assign(regs.rctl);
        filter.vme.assign(field(regs.ctrl, Ctrl.VME).ne(0));
        for (int n = 0; n < Registers.RECEIVE_ADDRESSES; n++) {
            filter.ral[n].assign(regs.ral[n]);
            filter.rah[n].assign(regs.rah[n]);
        }
        filter.mtaWrite.assign(regs.mtaWrite);
        filter.mtaIndex.assign(regs.mtaIndex);
        filter.mtaData.assign(regs.mtaData);

        RxFrameBuffer rxBuffer = new RxFrameBuffer(config.rxBufferBeats, config.rxBufferFrames).named("rxBuffer");
        rxBuffer.flush.assign(cardReset);
        Bool rxChecking = FALSE;   // a frame inside the checksum engine
        if (config.offload) {
            RxChecksum rxChecksum = new RxChecksum(RxFrame.VERDICT_WIDTH).named("rxChecksum");
            filter.out.connectTo(rxChecksum.in);
            rxChecksum.pcss.assign(field(regs.rxcsum, Registers.RXCSUM.field("PCSS")));
            rxChecksum.ipOffload.assign(field(regs.rxcsum, Registers.RXCSUM.field("IPOFLD")).ne(0));
            rxChecksum.tuOffload.assign(field(regs.rxcsum, Registers.RXCSUM.field("TUOFLD")).ne(0));
            rxBuffer.in.valid.assign(rxChecksum.out.valid);
            rxBuffer.in.payload.connectFrom(rxChecksum.out.payload);
            rxBuffer.in.last.assign(rxChecksum.out.last);
            rxBuffer.in.user.assign(withChecksumVerdict(rxChecksum).asBits());
            rxChecksum.out.ready.assign(rxBuffer.in.ready);
            rxChecking = rxChecksum.out.valid;
        } else {
            filter.out.connectTo(rxBuffer.in);   // no verdict: CHECKED stays 0, the descriptor says IXSM
        }

        rxDma = new RxDma(1, 0).named("rxDma");
        // through a registered stage: the frame records' block RAM output (5.6 ns after the clock on
        // ECP5) reaches no logic of RxDma's before a register (22.2 ns to its chunk plan and eop without it)
        Stream<Beat> rxFrames = rxBuffer.out.stage();
        rxFrames.connectTo(rxDma.frames);
        rxDma.enable.assign(field(regs.rctl, Rctl.EN).ne(0));
        rxDma.ringBase.assign(cat(regs.rdbah, regs.rdbal).asUInt());
        rxDma.ringBytes.assign(regs.rdlen.slice(19, 0));
        rxDma.tail.assign(regs.rdt.slice(15, 0));
        rxDma.headWrite.connectFrom(regs.rdhWrite);
        rxDma.bufferBytes.assign(bufferBytes(regs.rctl));
        rxDma.rdmts.assign(field(regs.rctl, Rctl.RDMTS));
        rxDma.cardReset.assign(cardReset);
        regs.rdh.assign(rxDma.head);

        // ---- transmit: DMA, offload, buffer, across, beats -> bytes in the transmit domain ----
        txDma = new TxDma(1, 0).named("txDma");
        txDma.enable.assign(field(regs.tctl, Tctl.EN).ne(0));
        txDma.ringBase.assign(cat(regs.tdbah, regs.tdbal).asUInt());
        txDma.ringBytes.assign(regs.tdlen.slice(19, 0));
        txDma.tail.assign(regs.tdt.slice(15, 0));
        txDma.headWrite.connectFrom(regs.tdhWrite);
        txDma.cardReset.assign(cardReset);
        regs.tdh.assign(txDma.head);

        TxFrameBuffer txBuffer = new TxFrameBuffer(config.txBufferBeats, config.txBufferFrames).named("txBuffer");
        txBuffer.flush.assign(cardReset);
        txFrameQueued.assign(txBuffer.in.fire().and(txBuffer.in.last));
        Bool tsoContext = FALSE, tsoFailed = FALSE, txOffloading;   // txOffloading: a frame or patch inside the engine
        if (config.offload) {
            TxOffload offload = new TxOffload().named("txOffload");
            txDma.cmd.connectTo(offload.cmd);
            txDma.frames.connectTo(offload.in);
            offload.out.connectTo(txBuffer.in);
            offload.patches.connectTo(txBuffer.patches);
            tsoContext = offload.tsoContext;
            tsoFailed = offload.tsoFailed;
            txOffloading = offload.in.valid.or(offload.out.valid).or(offload.patches.valid);
        } else {
            // nothing to offload: the commands are dropped, the frames go straight to the buffer, and
            // each frame gets the one patch packet the buffer expects, a placeholder that writes nothing
            txDma.cmd.ready.assign(true);
            txDma.frames.connectTo(txBuffer.in);
            UInt owed = reg(uint(8), 0).named("patchesOwed");
            Bool ended = txBuffer.in.fire().and(txBuffer.in.last);
            txBuffer.patches.valid.assign(owed.ne(0));
            txBuffer.patches.payload.enable.assign(false);
            txBuffer.patches.payload.offset.assign(0);
            txBuffer.patches.payload.value.assign(0);
            txBuffer.patches.last.assign(true);
            owed.next(owed.plus(ended.asUInt().resize(8)).minus(txBuffer.patches.fire().asUInt().resize(8)));
            txOffloading = owed.ne(0).or(ended);
        }
        // LUT RAM: its word is read in the 125 MHz transmit domain, where a block RAM's 5.8 ns from
        // clock to output left no room for the routing to the next register (docs/boards.md)
        AsyncFifo<Beat> txCrossing = new AsyncFifo<>(Stream.packets(new Beat()), config.crossingBeats, system, txDomain)
                .named("txCrossing");
        txBuffer.out.connectTo(txCrossing.in);
        Downsizer[] down = new Downsizer[1];
        @SuppressWarnings("unchecked")
        Stream<Beat>[] txStaged = new Stream[1];
        withDomain(txDomain, () -> {
            down[0] = new Downsizer(0).named("txDownsizer");
            // through a registered stage: the crossing's word reaches the Downsizer's logic only from a
            // register (10.0 ns, over the 8 of 125 MHz, without it when the word was in block RAM)
            txStaged[0] = txCrossing.out.stage();
            txStaged[0].connectTo(down[0].in);
            mac.tx.valid.assign(down[0].out.valid);
            mac.tx.payload.assign(down[0].out.payload);
            mac.tx.last.assign(down[0].out.last);
            mac.tx.user.assign(0);
            down[0].out.ready.assign(mac.tx.ready);
            mac.ifg.assign(gap.out);
        });

        // ---- the PHY's state ----
        phyMonitor.phyAddress.assign(config.phyAddress);
        phyMonitor.gigabit.assign(config.phy == Phy.GMII || config.phy == Phy.RGMII);
        mdc.assign(phyMonitor.mdc);
        mdioOut.assign(phyMonitor.mdioOut);
        mdioOe.assign(phyMonitor.mdioOe);
        phyMonitor.mdioIn.assign(mdioIn);
        regs.serve(phyMonitor);
        regs.txOff.assign(false);

        // ---- DMA errors: which ring stopped and why, and where the first error was ----
        Bool rxFault = rxDma.busError.or(rxDma.ringError).named("rxFault");
        // a bad transmit descriptor stops the transmit ring too (TxDma), as CardModel's
        Bool txFault = txDma.busError.or(txDma.ringError).or(txDma.badDescriptor).named("txFault");
        UInt dmaes = reg(uint(32), 0).named("dmaes");
        UInt errorAddress = reg(uint(64), 0).named("errorAddress");
        Bool rxWasOn = reg(bool(), false).named("rxWasOn");
        Bool txWasOn = reg(bool(), false).named("txWasOn");
        rxWasOn.next(rxDma.enable);
        txWasOn.next(txDma.enable);
        UInt set = wire(uint(32)).named("dmaesSet");
        set.assign(bitIf(Dmaes.RX_STOPPED, rxFault).or(bitIf(Dmaes.TX_STOPPED, txFault))
                .or(bitIf(Dmaes.BUS_ERROR, rxDma.busError.or(txDma.busError)))
                .or(bitIf(Dmaes.BAD_RING, rxDma.ringError.or(txDma.ringError)))
                .or(bitIf(Dmaes.BAD_DESCRIPTOR, txDma.badDescriptor)));
        UInt cleared = wire(uint(32)).named("dmaesCleared");
        cleared.assign(bitIf(Dmaes.RX_STOPPED, rxDma.enable.and(rxWasOn.not())).or(bitIf(Dmaes.TX_STOPPED, txDma.enable.and(txWasOn.not()))));
        when(cardReset, () -> {
            dmaes.next(0);
            errorAddress.next(0);
        }).otherwise(() -> {
            UInt after = dmaes.and(cleared.not());
            dmaes.next(mux(after.and(U(32, Dmaes.RX_STOPPED.mask() | Dmaes.TX_STOPPED.mask())).eq(0), U(32, 0), after).or(set));
            // TxDma's address comes with each of its faults: the burst, the ring's base, the descriptor
            when(dmaes.eq(0), () -> when(rxDma.busError, () -> errorAddress.next(rxDma.busErrorAddress))
                    .elseWhen(txFault, () -> errorAddress.next(txDma.busErrorAddress)));
        });
        regs.dmaes.assign(dmaes);
        regs.dmaeal.assign(errorAddress.slice(31, 0));
        regs.dmaeah.assign(errorAddress.slice(63, 32));

        // ---- interrupts ----
        regs.serve(moderation);
        moderation.rxFrameDone.assign(rxDma.frameDone);
        moderation.rxFrameLength.assign(rxDma.doneLength);
        moderation.txDescriptorDone.assign(txDma.descriptorDone);
        moderation.txIde.assign(txDma.ide);
        moderation.txQueueEmpty.assign(txDma.queueEmpty);
        moderation.linkChange.assign(phyMonitor.changed);
        moderation.lowDescriptors.assign(rxDma.lowDescriptors);
        moderation.rxOverrun.assign(rxDma.noBuffer.or(rxBuffer.overflow));
        moderation.dmaError.assign(rxFault.or(txFault).or(txDma.badDescriptor));
        irq.assign(moderation.irq);
        rxFrameStored.assign(rxBuffer.in.valid.and(rxBuffer.in.ready).and(rxBuffer.in.last));
        rxFrameFiltered.assign(rxBuffer.dropFiltered);
        rxFrameWritten.assign(rxDma.frameDone);
        txDescriptorWritten.assign(txDma.descriptorDone);
        linkUp.assign(phyMonitor.linkUp);
        rxTimerArmed.assign(moderation.rxPacketArmed.or(moderation.rxAbsoluteArmed));
        rxTimerExpired.assign(moderation.rxPacketExpired.or(moderation.rxAbsoluteExpired));
        rxCountReached.assign(moderation.rxCountReached);
        rxInterrupt.assign(moderation.rxInterrupt);
        txInterrupt.assign(moderation.txInterrupt);
        throttled.assign(moderation.throttled);
        aimDelay.assign(moderation.aimDelay);

        // ---- statistics ----
        Flow<FrameEvent> rxEvent = cross(mac.rxEvent, rxDomain, "rxEvents");
        Flow<FrameEvent> txEvent = cross(mac.txEvent, txDomain, "txEvents");
        FrameEvent r = rxEvent.payload, t = txEvent.payload;
        Bool rxGood = rxEvent.valid.and(r.bad.not());
        Bool txGood = txEvent.valid.and(t.bad.not());
        count(Registers.CRCERRS, rxEvent.valid.and(r.fcsError));
        count(Registers.RXERRC, rxEvent.valid.and(r.phyError));
        count(Registers.RUC, rxEvent.valid.and(r.runt));
        count(Registers.ROC, rxEvent.valid.and(r.oversize));
        count(Registers.TPR, rxEvent.valid);
        count(Registers.BPRC, rxGood.and(r.broadcast));
        count(Registers.MPRC, rxGood.and(r.multicast).and(r.broadcast.not()));
        // GPRC counts every frame written back, also one a bad descriptor ended (with RXE and length 0);
        // octets with the FCS, as the 8254x counts them, for the frames whose bytes were delivered
        count(Registers.GPRC, rxDma.frameDone);
        amount(Registers.GORCL, rxDma.frameDone.and(rxDma.doneLength.ne(0)), rxDma.doneLength.plus(4));
        count(Registers.MPC, rxDma.noBuffer.or(rxDma.droppedStopped).or(rxBuffer.overflow));
        count(Registers.RNBC, rxDma.noBuffer);
        count(Registers.RFILT, rxBuffer.dropFiltered);
        count(Registers.TPT, txEvent.valid);
        count(Registers.GPTC, txGood);
        amount(Registers.GOTCL, txGood, t.octets);
        count(Registers.BPTC, txGood.and(t.broadcast));
        count(Registers.MPTC, txGood.and(t.multicast).and(t.broadcast.not()));
        count(Registers.TSCTC, tsoContext);
        count(Registers.TSCTFC, tsoFailed);
        count(Registers.DMAEC, rxDma.busError.or(txDma.busError));
        // a frame longer than the transmit frame buffer (16 KiB) is dropped there: a driver error too, the ring goes on
        count(Registers.DDEC, rxDma.ringError.or(rxDma.badDescriptor).or(txDma.ringError).or(txDma.badDescriptor).or(txBuffer.oversize));

        // ---- host bus ----
        Axi4Join join = new Axi4Join(rxDma.axi, 2).named("dmaJoin");
        join.masters.get(0).connectFrom(rxDma.axi);
        join.masters.get(1).connectFrom(txDma.axi);
        dma = output(join.out.cloneType()).named("dma");
        dma.connectFrom(join.out);

        quiet.assign(rxDma.idle.and(txDma.idle).and(moderation.timersIdle)
                .and(txOffloading.not())
                .and(txBuffer.out.valid.not()).and(txCrossing.out.valid.not()).and(txStaged[0].valid.not())
                .and(rxCrossing.out.valid.not()).and(filter.out.valid.not()).and(rxChecking.not()).and(rxBuffer.out.valid.not())
                .and(rxEvent.valid.not()).and(txEvent.valid.not()).and(cardReset.not()));
    }

    /** The frame's verdict with the checksum engine's, on its last beat (the filter's bits pass as they are). */
    private static UInt withChecksumVerdict(RxChecksum c) {
        var v = c.verdict;
        UInt checked = v.status.and(U(8, Rx.IPCS.mask() | Rx.TCPCS.mask() | Rx.UDPCS.mask())).ne(0).asUInt();
        UInt bits = put(RxFrame.CHECKED, checked)
                .or(put(RxFrame.IPCS, v.status.bit(Rx.IPCS.lsb()).asUInt()))
                .or(put(RxFrame.TCPCS, v.status.bit(Rx.TCPCS.lsb()).asUInt()))
                .or(put(RxFrame.UDPCS, v.status.bit(Rx.UDPCS.lsb()).asUInt()))
                .or(put(RxFrame.IPE, v.errors.bit(Rx.IPE.lsb()).asUInt()))
                .or(put(RxFrame.TCPE, v.errors.bit(Rx.TCPE.lsb()).asUInt()))
                .or(put(RxFrame.CSUM, v.csum));
        return c.out.user.asUInt().or(mux(c.out.last, bits, U(RxFrame.VERDICT_WIDTH, 0)));
    }

    /** The PHY-side port {@code name} ({@code txClk}, {@code rgmiiRxd} ...) of an RGMII card. */
    public Signal phyPin(String name) {
        Signal p = phyPins.get(name);
        if (p == null) throw new IllegalArgumentException("the card has no PHY pin " + name + " (" + phyPins.keySet() + ")");
        return p;
    }

    private static UInt put(Field f, UInt value) {
        return value.resize(RxFrame.VERDICT_WIDTH).shiftLeft(f.lsb());
    }

    /** An event flow from another domain, through a small clock-crossing FIFO. */
    private static Flow<FrameEvent> cross(Flow<FrameEvent> events, ClockDomain from, String name) {
        AsyncFifo<FrameEvent> fifo = new AsyncFifo<>(Stream.of(new FrameEvent()), 8, from, currentDomain()).named(name);
        withDomain(from, () -> {
            fifo.in.valid.assign(events.valid);
            fifo.in.payload.connectFrom(events.payload);
        });
        return fifo.out.toFlow();
    }

    private void count(io.github.jnic.spec.Register stat, Bool event) {
        regs.count(stat).assign(event.asUInt().resize(regs.count(stat).width()));
    }

    private void amount(io.github.jnic.spec.Register stat, Bool event, UInt bytes) {
        UInt in = regs.count(stat);
        in.assign(mux(event, bytes.resize(in.width()), U(in.width(), 0)));
    }

    /** {@code field}'s bits of a register's value, at bit 0. */
    private static UInt field(UInt value, Field field) {
        return value.slice(field.msb(), field.lsb());
    }

    private static UInt bitIf(Field bit, Bool condition) {
        return mux(condition, U(32, bit.mask()), U(32, 0));
    }

    /** Buffer bytes from RCTL.BSIZE and BSEX (the 8254x's table). */
    private static UInt bufferBytes(UInt rctl) {
        UInt bsize = field(rctl, Rctl.BSIZE);
        Bool bsex = field(rctl, Rctl.BSEX).ne(0);
        UInt plain = mux(bsize.eq(0), U(15, 2048), mux(bsize.eq(1), U(15, 1024), mux(bsize.eq(2), U(15, 512), U(15, 256))));
        UInt extended = mux(bsize.eq(1), U(15, 16384), mux(bsize.eq(2), U(15, 8192), U(15, 4096)));
        return mux(bsex.and(bsize.ne(0)), extended, plain);
    }

    /** The inter-frame gap from TIPG's IPGT, in byte times (at least 12). */
    private static UInt ifg(UInt tipg) {
        UInt ipgt = tipg.slice(9, 0);
        return mux(ipgt.lt(12), U(8, 12), mux(ipgt.gt(255), U(8, 255), ipgt.slice(7, 0)));
    }
}

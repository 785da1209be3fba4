package io.github.jnic.testbench.regs;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.lib.axi.Axi4Lite;
import io.github.jnic.nic.irq.InterruptModeration;
import io.github.jnic.nic.mdio.PhyMonitor;
import io.github.jnic.nic.regs.RegisterFile;
import io.github.jnic.spec.Registers;
import io.github.jnic.spec.Statistic;
import java.util.Locale;

/**
 * The register file with the blocks it talks to most: InterruptModeration (ICR, IMS, the line),
 * PhyMonitor (STATUS, LSC, MDIC) on MDIO pins for a PHY model, and stand-ins for the DMA engines'
 * heads (a register taking RDH/TDH writes). Every statistic's increment, DMAES/DMAEAL/DMAEAH and
 * ICS-free causes are inputs; the last MTA write and the cycles spent in the card reset are outputs.
 */
public class RegisterRig extends Module {
    public static final int HALF_PERIOD = 2;
    public static final int POLL_CYCLES = 4000;
    public static final long CLOCK_HZ = 125_000_000L;

    public final Axi4Lite host = input(new Axi4Lite(RegisterFile.ADDRESS_BITS));
    public final Bool irq = output(bool());
    public final Bool cardReset = output(bool());
    public final UInt resetCycles = output(reg(uint(16), 0));
    public final UInt mtaWrites = output(reg(uint(16), 0));
    public final UInt lastMtaIndex = output(reg(uint(7), 0));
    public final UInt lastMtaData = output(reg(uint(32), 0));
    public final UInt dmaes = input(uint(32));
    public final UInt dmaeal = input(uint(32));
    public final UInt dmaeah = input(uint(32));
    public final Bool rxFrameDone = input(bool());

    public final Bool mdc = output(bool());
    public final Bool mdioOut = output(bool());
    public final Bool mdioOe = output(bool());
    public final Bool mdioIn = input(bool());

    final RegisterFile regs;
    final InterruptModeration moderation = new InterruptModeration(CLOCK_HZ);
    final PhyMonitor phy = new PhyMonitor(HALF_PERIOD, POLL_CYCLES);
    final UInt rdh = reg(uint(16), 0);
    final UInt tdh = reg(uint(16), 0);

    public RegisterRig() {
        this(false);
    }

    /** With {@code eventCounts}, the register file's 32-bit statistics take an event (one bit) a cycle, as on the card. */
    public RegisterRig(boolean eventCounts) {
        regs = new RegisterFile(eventCounts);
        regs.host.connectFrom(host);
        for (Statistic s : Registers.statistics()) {
            regs.count(s.low()).assign(input(uint(regs.count(s.low()).width())).named(s.name().toLowerCase(Locale.ROOT) + "Add"));
        }
        regs.dmaes.assign(dmaes);
        regs.dmaeal.assign(dmaeal);
        regs.dmaeah.assign(dmaeah);

        // moderation
        regs.serve(moderation);
        moderation.rxFrameDone.assign(rxFrameDone);
        moderation.rxFrameLength.assign(64);
        moderation.txDescriptorDone.assign(false);
        moderation.txIde.assign(false);
        moderation.txQueueEmpty.assign(false);
        moderation.linkChange.assign(phy.changed);
        moderation.lowDescriptors.assign(false);
        moderation.rxOverrun.assign(false);
        moderation.dmaError.assign(false);
        irq.assign(moderation.irq);

        // the PHY
        phy.phyAddress.assign(1);
        phy.gigabit.assign(true);
        mdc.assign(phy.mdc);
        mdioOut.assign(phy.mdioOut);
        mdioOe.assign(phy.mdioOe);
        phy.mdioIn.assign(mdioIn);
        regs.serve(phy);
        regs.txOff.assign(false);

        // the DMA engines' heads, as far as registers go
        when(regs.rdhWrite.valid, () -> rdh.next(regs.rdhWrite.payload));
        when(regs.tdhWrite.valid, () -> tdh.next(regs.tdhWrite.payload));
        when(regs.cardReset, () -> {
            rdh.next(0);
            tdh.next(0);
        });
        regs.rdh.assign(rdh);
        regs.tdh.assign(tdh);

        cardReset.assign(regs.cardReset);
        when(regs.cardReset, () -> resetCycles.next(resetCycles.plus(1)));
        when(regs.mtaWrite, () -> {
            mtaWrites.next(mtaWrites.plus(1));
            lastMtaIndex.next(regs.mtaIndex);
            lastMtaData.next(regs.mtaData);
        });
    }
}

package io.github.jnic.demo;

import io.github.jnic.driver.Coalescing;
import io.github.jnic.driver.DmaMemory;
import io.github.jnic.driver.HostBus;
import io.github.jnic.driver.NicDriver;
import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.net.dev.NetDevice;
import io.github.jnic.spec.Field;
import io.github.jnic.spec.Registers;
import io.github.jnic.spec.Registers.Cause;
import io.github.jnic.testbench.card.CardEvents;
import io.github.jnic.testbench.card.CardEvents.Event;
import io.github.jnic.testbench.card.SimulatedNic;
import io.github.jnic.testbench.phy.Ethernet;
import io.github.jnic.testbench.phy.GmiiPort;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * A host's device in the demo as a real machine has it: the card's RTL ({@link SimulatedNic}) and
 * its driver ({@link NicDriver}), the card's GMII pins on the segment (its frames, preamble, SFD
 * and FCS taken off, enter the switch; the switch's frames for it are played on its receive pins
 * with theirs). The journal is told each step inside the card, dated by the card's logic analysers
 * ({@link CardEvents}) with the clock edge beside the virtual time, and each step of the driver
 * (interrupt, ICR, NAPI poll, refill, unmask, doorbell), seen on the bus between them.
 */
final class CardHost implements NetDevice, AutoCloseable {
    private record Incoming(String key, byte[] wire) {}

    private final Journal journal;
    private final String who, driverWho;
    private final LongSupplier clock;
    private final SimulatedNic.Options options = new SimulatedNic.Options();
    private final SimulatedNic card;
    private final CardEvents events;
    private final NicDriver driver;
    private final Segment.Port port;
    private final LongSupplier frameNumber;

    // the rings, as the driver told the card
    private long rdba, tdba;
    private int rdlen, tdlen, rdt, tdt, rdtr, radv, rxfc, itr, aim;
    private boolean watching;

    // frames followed through the card, oldest first
    private final ArrayDeque<Incoming> queued = new ArrayDeque<>(), onPins = new ArrayDeque<>(), inMac = new ArrayDeque<>();
    private final ArrayDeque<String> stored = new ArrayDeque<>(), written = new ArrayDeque<>();
    private final List<Event> recorded = new ArrayList<>();
    private final String[] txSlot;
    private int txQueued, txOnPins;
    private String lastRx;
    /** The frame behind the latest interrupt cause: what the line, ICR and the poll are about. */
    private String irqKey;
    private Event bufferWrite;
    private int bufferBursts, bufferBeats;
    private String txReading;
    private int handedUp, pollFrames, budget;

    // counts for the summary
    private long linesRaised, throttles, timersArmed, timersExpired, countsReached;

    CardHost(LongSupplier clock, Segment.Port port, byte[] mac, Coalescing coalescing, Journal journal, String who, LongSupplier frameNumber) {
        this.clock = clock;
        this.port = port;
        this.journal = journal;
        this.who = who;
        this.driverWho = who;
        this.frameNumber = frameNumber;
        card = new SimulatedNic(SimulatedNic.design(), clock, options);
        events = new CardEvents(card, options);
        NicDriver.Config config = new NicDriver.Config();
        config.name = "jnic0";
        config.mac = mac.clone();
        config.coalescing = coalescing;
        txSlot = new String[config.txRingSize];
        budget = config.napiBudget;
        driver = new NicDriver(new WatchedBus(), config);
        card.setLink(true);
        card.onSent(this::sent);
        port.deliverTo(this::arrive);
        events.drain();   // bring-up is not part of the journey
        watching = true;
    }

    NicDriver driver() { return driver; }

    SimulatedNic card() { return card; }

    /** A /proc/interrupts-like summary: the line as the host saw it, each cause, and what the card's moderation did. */
    String interruptsSummary() {
        StringBuilder s = new StringBuilder();
        s.append(String.format("%-8s %12s%n", "", "CPU0"));
        s.append(String.format("%-8s %12d   jnic-irq  %s (interrupts the host took: ICR reads with the line up)%n", "24:", card.interruptsTaken(), driver.name()));
        s.append(driver.interruptsView());
        s.append(String.format("card: the line rose %d times; receive timers armed %d, expired %d; RXFC reached %d; ITR held the line %d times%n",
                linesRaised, timersArmed, timersExpired, countsReached, throttles));
        s.append(String.format("card: %d clock cycles simulated, %d skipped while quiet%n", card.cyclesSimulated(), card.cyclesSkipped()));
        return s.toString();
    }

    // ---- the pins and the segment ----------------------------------------------------------------

    /** A frame from the switch, arriving {@code at}: onto the receive pins with its preamble, SFD and FCS. */
    private void arrive(byte[] frame, long at) {
        byte[] wire = Ethernet.onWire(Ethernet.padAndFcs(frame), Ethernet.PREAMBLE_LENGTH);
        queued.add(new Incoming("f" + frameNumber.getAsLong(), wire));
        card.interruptAsserted();   // the card up to now first: receive() counts the arrival from the card's time
        show();
        card.receive(wire, at);
    }

    /** A frame the card put on its transmit pins: told, then into the switch without preamble, SFD and FCS. */
    private void sent(GmiiPort.Sent sent) {
        List<Event> before = events.drain();
        byte[] wire = sent.wire();
        int start = Ethernet.PREAMBLE_LENGTH + 1;
        String key = "tx" + (++txOnPins);
        journal.alias(key, "f" + (frameNumber.getAsLong() + 1));
        long startEdge = sent.endEdge() - wire.length;
        long startNs = card.clockNanosOf(startEdge * options.phyPeriodPs), endNs = card.clockNanosOf(sent.endEdge() * options.phyPeriodPs);
        boolean good = !sent.error() && wire.length >= start + 64 && wire[start - 1] == Ethernet.SFD
                && Ethernet.fcsGood(Arrays.copyOfRange(wire, start, wire.length));
        // the card's steps and the frame's own, in time order
        int i = 0;
        while (i < before.size() && before.get(i).ns() <= startNs) showIfWatching(before.get(i++));
        step(startNs, "pins", "txClk " + startEdge, "TX_EN up: preamble (7 × 55) and SFD d5 on the transmit pins, then the frame", key);
        while (i < before.size() && before.get(i).ns() <= endNs) showIfWatching(before.get(i++));
        step(endNs, "pins", "txClk " + sent.endEdge(), String.format("FCS %s, TX_EN down: %d bytes on the wire (%d of frame, 4 of FCS)%s",
                fcs(wire), wire.length, wire.length - start - 4, good ? "" : " BAD: lost"), key);
        while (i < before.size()) showIfWatching(before.get(i++));
        if (!good) return;
        port.transmit(PacketBuffer.of(Arrays.copyOfRange(wire, start, wire.length - Ethernet.FCS_LENGTH)));
    }

    private void showIfWatching(Event e) {
        if (!watching) return;
        recorded.add(e);
        show(e);
    }

    /** Every step the card's analysers recorded during the journey (for the waveform). */
    List<Event> recorded() {
        return List.copyOf(recorded);
    }

    private static String fcs(byte[] wire) {
        int n = wire.length;
        return String.format("%02x %02x %02x %02x", wire[n - 4] & 0xff, wire[n - 3] & 0xff, wire[n - 2] & 0xff, wire[n - 1] & 0xff);
    }

    // ---- the card's steps ------------------------------------------------------------------------

    /** Tells what the card did since the last look. */
    private void show() {
        for (Event e : events.drain()) showIfWatching(e);
    }

    private void show(Event e) {
        String stamp = e.clock() + " " + e.edge();
        switch (e.kind()) {
            case RX_PINS_START -> {
                Incoming f = queued.poll();
                if (f == null) return;
                onPins.add(f);
                step(e, "pins", stamp, "RX_DV up: preamble 55 55 55 55 55 55 55, SFD d5 at edge " + (e.edge() + 7) + ": a frame starts", f.key());
            }
            case RX_PINS_END -> {
                Incoming f = onPins.poll();
                if (f == null) return;
                inMac.add(f);
                step(e, "pins", stamp, String.format("RX_DV down after FCS %s: %d bytes on the wire (%d of frame); the MAC checks the FCS",
                        fcs(f.wire()), f.wire().length, f.wire().length - Ethernet.PREAMBLE_LENGTH - 5), f.key());
            }
            case RX_STORED -> {
                Incoming f = inMac.poll();
                String key = f == null ? null : f.key();
                stored.add(key);
                step(e, "mac", stamp, "into the receive FIFO: FCS good and stripped, 8-byte beats across to the system clock", key);
            }
            case RX_FILTERED -> {
                String key = stored.pollLast();
                step(e, "mac", stamp, "the address filter drops it (not for this card's address)", key);
            }
            case DMA_WRITE -> {
                if (e.master() == 0 && inRing(e.value(), rdba, rdlen)) {
                    flushBufferWrite();
                    step(e, "dma", stamp, String.format("descriptor write-back: receive slot %d, length and status DD|EOP (%d B at 0x%x)",
                            (e.value() - rdba) / 16, e.beats() * 8, e.value()), stored.peek());
                } else if (e.master() == 0) {
                    if (bufferWrite == null) bufferWrite = e;
                    bufferBursts++;
                    bufferBeats += e.beats();
                } else if (inRing(e.value(), tdba, tdlen)) {
                    int slot = (int) ((e.value() - tdba) / 16);
                    step(e, "dma", stamp, "DD write-back: transmit slot " + slot + "'s status byte", txSlot[slot]);
                } else {
                    step(e, "dma", stamp, String.format("transmit write at 0x%x", e.value()), null);
                }
            }
            case DMA_READ -> {
                if (inRing(e.value(), rdba, rdlen)) {
                    long slot = (e.value() - rdba) / 16;
                    step(e, "dma", stamp, String.format("receive descriptors fetched: slots %d to %d (buffer addresses)", slot, slot + e.beats() / 2 - 1), null);
                } else if (inRing(e.value(), tdba, tdlen)) {
                    int slot = (int) ((e.value() - tdba) / 16);
                    int n = e.beats() / 2;
                    txReading = txSlot[slot];
                    step(e, "dma", stamp, String.format("descriptor fetch: transmit slot%s %d%s", n > 1 ? "s" : "", slot, n > 1 ? " to " + (slot + n - 1) : ""), txReading);
                } else if (e.master() == 1) {
                    step(e, "dma", stamp, String.format("DMA read of the frame's buffer: %d bytes from 0x%x", e.beats() * 8, e.value()), txReading);
                } else {
                    step(e, "dma", stamp, String.format("receive read at 0x%x", e.value()), null);
                }
            }
            case RX_WRITTEN -> {
                flushBufferWrite();
                lastRx = stored.poll();
                written.add(lastRx);
                step(e, "dma", stamp, "write-back acknowledged (B): the frame is the host's; the moderation counts it", lastRx);
            }
            case TX_WRITTEN -> step(e, "dma", stamp, "DD write acknowledged (B): the transmit buffer is the host's again", txReading);
            case RX_TIMER_ARMED -> {
                timersArmed++;
                step(e, "irq", stamp, String.format("moderation: receive timer armed (RDTR %d, RADV %d × 1.024 µs%s)", rdtr, radv,
                        aim != 0 ? ", adaptive" : ""), lastRx);
            }
            case RX_TIMER_EXPIRED -> {
                timersExpired++;
                step(e, "irq", stamp, "moderation: receive timer expired: RXT0", lastRx);
            }
            case RX_COUNT_REACHED -> {
                countsReached++;
                step(e, "irq", stamp, "moderation: frame count reached (RXFC " + rxfc + "): RXT0 at once", lastRx);
            }
            case RX_INTERRUPT -> {
                irqKey = lastRx;
                step(e, "irq", stamp, "ICR: RXT0 set (frames written back wait for the host)", irqKey);
            }
            case TX_INTERRUPT -> {
                irqKey = txReading;
                step(e, "irq", stamp, "ICR: TXDW set (a transmit descriptor was written back)", irqKey);
            }
            case THROTTLED -> {
                throttles++;
                step(e, "irq", stamp, String.format("ITR holds the line down: less than %d ns since it last rose", itr * 256), lastRx);
            }
            case IRQ -> {
                if (e.value() != 0) linesRaised++;
                step(e, "irq", stamp, e.value() != 0 ? "interrupt line raised (ICR & IMS ≠ 0)" : "interrupt line down", irqKey);
            }
            case AIM_DELAY -> {
                if (aim != 0) step(e, "irq", stamp, "adaptive mode: the delay it would choose is now " + e.value() + " × 1.024 µs", null);
            }
            case QUIET -> {}   // for the waveform
            case TX_PINS_START, TX_PINS_END -> {}   // told from the frame itself, in sent()
        }
    }

    private void flushBufferWrite() {
        if (bufferWrite == null) return;
        step(bufferWrite, "dma", bufferWrite.clock() + " " + bufferWrite.edge(), String.format(
                "DMA write of the buffer: %d bytes at 0x%x in %d burst%s", bufferBeats * 8, bufferWrite.value(), bufferBursts,
                bufferBursts == 1 ? "" : "s"), stored.peek());
        bufferWrite = null;
        bufferBursts = bufferBeats = 0;
    }

    private static boolean inRing(long address, long base, int bytes) {
        return address >= base && address < base + bytes;
    }

    private void step(Event e, String layer, String stamp, String what, String packet) {
        step(e.ns(), layer, stamp, what, packet);
    }

    private void step(long ns, String layer, String stamp, String what, String packet) {
        journal.step(ns, layer, who, stamp, what, packet);
    }

    private void driverStep(String what, String packet) {
        if (watching) journal.step(clock.getAsLong(), "drv", driverWho, null, what, packet);
    }

    // ---- the driver on the bus -------------------------------------------------------------------

    /** The card as the driver's bus, telling what the card did before each access and the access itself. */
    private final class WatchedBus implements HostBus {
        @Override public int read(int offset) {
            card.interruptAsserted();   // brings the card to now: its steps come first
            show();
            int v = card.read(offset);
            if (offset == Registers.ICR.offset() && watching && v != 0) {
                driverStep("interrupt handler: ICR read → " + causes(v) + " (the read clears it)", irqKey);
                pollFrames = 0;
            }
            show();
            return v;
        }

        @Override public void write(int offset, int value) {
            card.interruptAsserted();
            show();
            card.write(offset, value);
            remember(offset, value);
            show();
        }

        @Override public DmaMemory allocate(int bytes, int alignment) { return card.allocate(bytes, alignment); }

        @Override public boolean interruptAsserted() {
            boolean up = card.interruptAsserted();
            show();
            return up;
        }

        @Override public long nextInterruptCheck() {
            long t = card.nextInterruptCheck();
            show();
            return t;
        }
    }

    private void remember(int offset, int value) {
        if (offset == Registers.RDBAL.offset()) rdba = rdba & ~0xffffffffL | value & 0xffffffffL;
        else if (offset == Registers.RDBAH.offset()) rdba = rdba & 0xffffffffL | (long) value << 32;
        else if (offset == Registers.TDBAL.offset()) tdba = tdba & ~0xffffffffL | value & 0xffffffffL;
        else if (offset == Registers.TDBAH.offset()) tdba = tdba & 0xffffffffL | (long) value << 32;
        else if (offset == Registers.RDLEN.offset()) rdlen = value;
        else if (offset == Registers.TDLEN.offset()) tdlen = value;
        else if (offset == Registers.RDTR.offset()) rdtr = value & 0xffff;
        else if (offset == Registers.RADV.offset()) radv = value & 0xffff;
        else if (offset == Registers.RXFC.offset()) rxfc = value & 0xffff;
        else if (offset == Registers.ITR.offset()) itr = value & 0xffff;
        else if (offset == Registers.AIM.offset()) aim = value;
        else if (offset == Registers.IMC.offset()) driverStep("IMC: every cause masked, the line drops; NAPI polling starts", irqKey);
        else if (offset == Registers.IMS.offset()) {
            driverStep(String.format("NAPI poll done: %d frame%s taken (budget %d), under budget: IMS unmasks the interrupt",
                    pollFrames, pollFrames == 1 ? "" : "s", budget), irqKey);
        } else if (offset == Registers.RDT.offset()) {
            int back = Math.floorMod(value - rdt, Math.max(1, rdlen / 16));
            rdt = value;
            driverStep(String.format("RDT ← %d: %d descriptor%s back to the card (refill)", value, back, back == 1 ? "" : "s"), lastRx);
        } else if (offset == Registers.TDT.offset()) {
            int n = Math.floorMod(value - tdt, Math.max(1, tdlen / 16));
            String key = n > 0 ? txSlot[Math.floorMod(value - 1, txSlot.length)] : null;
            tdt = value;
            driverStep(String.format("doorbell: TDT ← %d (%d descriptor%s queued)", value, n, n == 1 ? "" : "s"), key);
        }
    }

    private static String causes(int icr) {
        List<String> names = new ArrayList<>();
        for (Field f : Cause.ALL) if ((icr & f.mask()) != 0) names.add(f.name());
        if ((icr & Cause.INT_ASSERTED.mask()) != 0) names.add("INT_ASSERTED");
        return String.join("|", names);
    }

    // ---- the device, as the stack sees it ----------------------------------------------------------

    @Override public boolean transmit(PacketBuffer frame) {
        // the driver's next descriptor: one per frame (no offload contexts, frames fit a slot)
        String key = "tx" + (++txQueued);
        int slot = Math.floorMod(txQueued - 1, txSlot.length);
        txSlot[slot] = key;
        if (watching) driverStep(String.format("frame from the stack: %d bytes into transmit slot %d", frame.length(), slot), key);
        return driver.transmit(frame);
    }

    @Override public int flush() { return driver.flush(); }

    @Override public int receive(FrameSink sink, int budget) {
        int n = driver.receive(frame -> {
            String key = written.poll();
            handedUp++;
            pollFrames++;
            driverStep(String.format("frame to the stack: %d bytes (NAPI poll, frame %d of this poll)", frame.length(), pollFrames), key);
            journal.during(key, () -> sink.accept(frame));   // what the stack does with it is the frame's
        }, budget);
        if (n > 0 && driver.polling()) driverStep("NAPI poll used its whole budget (" + n + " frames): polling goes on, the interrupt stays masked", lastRx);
        return n;
    }

    @Override public long nextDeadline() { return driver.nextDeadline(); }
    @Override public void setReceiveWakeup(Runnable wakeup) { driver.setReceiveWakeup(wakeup); }
    @Override public String name() { return driver.name(); }
    @Override public byte[] macAddress() { return driver.macAddress(); }
    @Override public int mtu() { return driver.mtu(); }
    @Override public boolean linkUp() { return driver.linkUp(); }
    @Override public Set<Feature> features() { return driver.features(); }

    @Override public void close() {
        card.close();
    }
}

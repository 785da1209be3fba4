package io.github.jnic.testbench.card;

import io.github.jnic.testbench.sim.EventRecorder;
import io.github.jnic.testbench.sim.EventRecorder.Probe;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What happens inside a {@link SimulatedNic}, dated: logic analysers ({@link EventRecorder}) on the
 * card's observation pulses, its interrupt line and its DMA master's address handshakes (system
 * clock), and on its GMII enables (transmit and receive clocks). {@link #drain} turns what they
 * recorded into events with the clock edge and the stack clock's time. Nothing in the card changes.
 */
public final class CardEvents {
    /** Where in the card. */
    public enum Kind {
        /** GMII RX_DV rose / fell: a frame's preamble starts on the receive pins / its FCS ended. */
        RX_PINS_START, RX_PINS_END,
        /** GMII TX_EN rose / fell. */
        TX_PINS_START, TX_PINS_END,
        /** The frame's last beat entered the receive buffer; the filter dropped it. */
        RX_STORED, RX_FILTERED,
        /** An AXI write or read burst's address: value = address, beats = length, master 0 receive, 1 transmit. */
        DMA_WRITE, DMA_READ,
        /** A receive EOP descriptor, a transmit RS descriptor written back (DD). */
        RX_WRITTEN, TX_WRITTEN,
        RX_TIMER_ARMED, RX_TIMER_EXPIRED, RX_COUNT_REACHED, RX_INTERRUPT, TX_INTERRUPT, THROTTLED,
        /** The interrupt line's level (value). */
        IRQ,
        /** The adaptive mode's chosen delay, 1.024 µs units (value). */
        AIM_DELAY,
        /** The card's {@code quiet} output (value): nothing in progress, time may be skipped. */
        QUIET
    }

    /** One event: the clock's time (ns), the edge of its own clock ({@code clock}), and what. */
    public record Event(long ns, long edge, String clock, Kind kind, long value, int beats, int master) {
        @Override public String toString() {
            return ns + " " + clock + "#" + edge + " " + kind + " 0x" + Long.toHexString(value) + (beats > 0 ? " " + beats + " beats m" + master : "");
        }
    }

    private static final String[] PULSES = {"rxFrameStored", "rxFrameFiltered", "rxFrameWritten", "txDescriptorWritten",
            "rxTimerArmed", "rxTimerExpired", "rxCountReached", "rxInterrupt", "txInterrupt", "throttled"};
    private static final Kind[] PULSE_KINDS = {Kind.RX_STORED, Kind.RX_FILTERED, Kind.RX_WRITTEN, Kind.TX_WRITTEN,
            Kind.RX_TIMER_ARMED, Kind.RX_TIMER_EXPIRED, Kind.RX_COUNT_REACHED, Kind.RX_INTERRUPT, Kind.TX_INTERRUPT, Kind.THROTTLED};

    private final SimulatedNic card;
    private final SimulatedNic.Options options;
    private final EventRecorder system, tx, rx;
    private final List<Probe> systemProbes = new ArrayList<>();

    public CardEvents(SimulatedNic card, SimulatedNic.Options options) {
        this.card = card;
        this.options = options;
        for (String p : PULSES) systemProbes.add(Probe.pulse(p));
        systemProbes.add(Probe.change("irq"));
        systemProbes.add(Probe.change("aimDelay"));
        systemProbes.add(Probe.change("quiet"));
        for (String ch : new String[] {"aw", "ar"}) {
            String v = "dma_" + ch + "_valid", r = "dma_" + ch + "_ready";
            systemProbes.add(Probe.handshake(ch, v, r, "dma_" + ch + "_payload_addr"));
            systemProbes.add(Probe.handshake(ch + "Id", v, r, "dma_" + ch + "_payload_id"));
            systemProbes.add(Probe.handshake(ch + "Len", v, r, "dma_" + ch + "_payload_len"));
        }
        system = new EventRecorder(card.simulator(), "clk", systemProbes);
        tx = new EventRecorder(card.simulator(), "txClk", List.of(Probe.change("gmiiTxEn")));
        rx = new EventRecorder(card.simulator(), "rxClk", List.of(Probe.change("gmiiRxDv")));
    }

    /** What the card did since the last call, in time order. */
    public List<Event> drain() {
        List<Event> out = new ArrayList<>();
        List<EventRecorder.Event> s = system.drain();
        for (int i = 0; i < s.size(); i++) {
            EventRecorder.Event e = s.get(i);
            long ns = card.clockNanosOf(e.edge() * options.systemPeriodPs);
            String name = e.probe().name();
            int pulse = indexOf(name);
            if (pulse >= 0) {
                out.add(new Event(ns, e.edge(), "clk", PULSE_KINDS[pulse], 0, 0, 0));
            } else if (name.equals("irq")) {
                out.add(new Event(ns, e.edge(), "clk", Kind.IRQ, e.value(), 0, 0));
            } else if (name.equals("quiet")) {
                out.add(new Event(ns, e.edge(), "clk", Kind.QUIET, e.value(), 0, 0));
            } else if (name.equals("aimDelay")) {
                out.add(new Event(ns, e.edge(), "clk", Kind.AIM_DELAY, e.value(), 0, 0));
            } else if (name.equals("aw") || name.equals("ar")) {
                // the id and length probes of the same handshake follow, at the same edge
                long id = s.get(i + 1).value(), len = s.get(i + 2).value();
                i += 2;
                out.add(new Event(ns, e.edge(), "clk", name.equals("aw") ? Kind.DMA_WRITE : Kind.DMA_READ, e.value(), (int) len + 1, (int) (id >> 1)));
            }
        }
        for (EventRecorder.Event e : tx.drain()) {
            out.add(new Event(card.clockNanosOf(e.edge() * options.phyPeriodPs), e.edge(), "txClk",
                    e.value() != 0 ? Kind.TX_PINS_START : Kind.TX_PINS_END, 0, 0, 0));
        }
        for (EventRecorder.Event e : rx.drain()) {
            if (e.edge() == 1 && e.value() == 0) continue;   // the initial level
            out.add(new Event(card.clockNanosOf(e.edge() * options.phyPeriodPs), e.edge(), "rxClk",
                    e.value() != 0 ? Kind.RX_PINS_START : Kind.RX_PINS_END, 0, 0, 0));
        }
        out.removeIf(e -> (e.kind() == Kind.TX_PINS_END && e.edge() == 1) || (e.kind() == Kind.IRQ && e.edge() == 1 && e.value() == 0)
                || (e.kind() == Kind.AIM_DELAY && e.edge() == 1));
        out.sort(Comparator.comparingLong(Event::ns));
        return out;
    }

    private static int indexOf(String pulse) {
        for (int i = 0; i < PULSES.length; i++) if (PULSES[i].equals(pulse)) return i;
        return -1;
    }
}

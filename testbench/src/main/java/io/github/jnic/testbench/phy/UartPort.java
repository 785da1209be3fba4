package io.github.jnic.testbench.phy;

import io.github.jnic.driver.link.SerialTransport;
import io.github.jnic.testbench.sim.PinPlayer;
import io.github.jnic.testbench.sim.Simulator;
import java.util.ArrayDeque;
import java.util.List;

/**
 * A UART cable to a simulated design for runs of any length, 8N1, {@code clocksPerBit} clocks of
 * the design a bit, seen by the host as a {@link SerialTransport.Bytes} port: what the host writes
 * is queued, bit by bit, on the design's receive pin (a {@link PinPlayer} on the design's clock,
 * which holds the line at its last value, the stop bit's high, when nothing is queued), and the
 * design's transmit pin, recorded every clock, is decoded as the host reads. The fault-free,
 * full-speed sibling of {@link UartWire}, which plays the line from Java clock by clock.
 */
public final class UartPort implements SerialTransport.Bytes {
    private final PinPlayer toDesign, fromDesign;
    private final int clocksPerBit;
    private final UartReceiver receiver;
    private final ArrayDeque<Byte> incoming = new ArrayDeque<>();
    private long sent, received, framingErrors;

    /** The cable on the design's pins {@code rxd} (its input) and {@code txd}, both on {@code clock}'s rising edges. */
    public UartPort(Simulator sim, String clock, String rxd, String txd, int clocksPerBit) {
        this.clocksPerBit = clocksPerBit;
        this.receiver = new UartReceiver(clocksPerBit);
        toDesign = new PinPlayer(sim, clock, PinPlayer.Edges.RISING, List.of(sim.port(rxd)), List.of());
        fromDesign = new PinPlayer(sim, clock, PinPlayer.Edges.RISING, List.of(), List.of(sim.port(txd)));
        toDesign.play(1, 1);   // idle
    }

    @Override
    public void write(byte[] bytes) {
        toDesign.play(UartReceiver.encode(bytes, clocksPerBit));
        sent += bytes.length;
    }

    @Override
    public int read(byte[] buffer) {
        drain();
        int n = 0;
        while (n < buffer.length && !incoming.isEmpty()) buffer[n++] = incoming.poll();
        return n;
    }

    /** Decodes what the design's transmit pin carried since the last call. */
    public void drain() {
        for (long[] v : fromDesign.recorded()) {
            int b = receiver.sample(v[0] != 0);
            if (b == UartReceiver.FRAMING_ERROR) framingErrors++;
            else if (b >= 0) {
                incoming.add((byte) b);
                received++;
            }
        }
    }

    /** Clocks of line time still queued towards the design. */
    public long backlog() { return toDesign.queued(); }

    /** Bytes the host wrote. */
    public long sent() { return sent; }

    /** Bytes the design sent. */
    public long received() { return received; }

    /** Bytes from the design whose stop bit was low (never, from a good transmitter). */
    public long framingErrors() { return framingErrors; }
}

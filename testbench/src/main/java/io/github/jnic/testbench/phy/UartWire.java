package io.github.jnic.testbench.phy;

import io.github.jnic.driver.link.SerialTransport;
import io.github.jnic.testbench.sim.Port;
import io.github.jnic.testbench.sim.Simulator;
import java.util.ArrayDeque;
import java.util.Random;

/**
 * A UART cable to a simulated design, 8N1, {@code clocksPerBit} clocks of the design a bit, played
 * bit by bit from Java and seen by the host as a {@link SerialTransport.Bytes} port: what the host
 * writes goes out on the design's receive pin (start bit, eight bits least significant first, stop
 * bit), and what the design sends on its transmit pin is sampled in the middle of each bit and
 * handed to the host's reads. Call {@link #beforeEdge} once before every clock edge.
 *
 * <p>Faults, both ways, each a chance per byte: a bit flipped ({@code flip}); towards the design, a
 * stop bit sent low ({@code breakStop}, a framing error there; the line then idles a byte's time).
 */
public final class UartWire implements SerialTransport.Bytes {
    private final Port toDesign, fromDesign;
    private final int clocksPerBit;
    private final Random random;
    private final double flip, breakStop;
    private final ArrayDeque<Byte> outgoing = new ArrayDeque<>();
    private final ArrayDeque<Byte> incoming = new ArrayDeque<>();
    // sending: the 10 bits of the byte on the line (-1: idle), and the clocks left of this bit
    private int sendBits, sendBit = -1, sendClocks;
    private final UartReceiver receiver;
    private long sent, received, flipped, broken, framingErrors;

    /** The cable on the design's pins {@code rxd} (its input) and {@code txd}. */
    public UartWire(Simulator sim, String rxd, String txd, int clocksPerBit, long seed, double flip, double breakStop) {
        this.toDesign = sim.port(rxd);
        this.fromDesign = sim.port(txd);
        this.clocksPerBit = clocksPerBit;
        this.random = new Random(seed);
        this.flip = flip;
        this.breakStop = breakStop;
        this.receiver = new UartReceiver(clocksPerBit);
        toDesign.set(1);
    }

    @Override
    public void write(byte[] bytes) {
        for (byte b : bytes) outgoing.add(b);
    }

    @Override
    public int read(byte[] buffer) {
        int n = 0;
        while (n < buffer.length && !incoming.isEmpty()) buffer[n++] = incoming.poll();
        return n;
    }

    /** Bytes written by the host and not yet on the line. */
    public int backlog() { return outgoing.size(); }

    /** The line towards the design carries nothing and nothing waits. */
    public boolean quiet() { return outgoing.isEmpty() && sendBit < 0 && receiver.idle(); }

    /** Sets the design's receive pin for the coming clock and samples its transmit pin. */
    public void beforeEdge() {
        if (sendBit < 0 && !outgoing.isEmpty()) {
            int b = outgoing.poll() & 0xFF;
            if (random.nextDouble() < flip) {
                b ^= 1 << random.nextInt(8);
                flipped++;
            }
            boolean stop = true;
            if (random.nextDouble() < breakStop) {
                stop = false;
                broken++;
            }
            // start 0, data, stop, then (after a broken stop) a byte's time of idle
            sendBits = b << 1 | (stop ? 1 << 9 : 0) | 0xFFC00;
            sendBit = 0;
            sendClocks = clocksPerBit;
            sent++;
        }
        toDesign.set(sendBit < 0 ? 1 : sendBits >> sendBit & 1);
        if (sendBit >= 0 && --sendClocks == 0) {
            sendClocks = clocksPerBit;
            if (++sendBit == ((sendBits >> 9 & 1) != 0 ? 10 : 20)) sendBit = -1;
        }

        int b = receiver.sample(fromDesign.get() != 0);
        if (b == UartReceiver.FRAMING_ERROR) framingErrors++;
        else if (b >= 0) {
            if (random.nextDouble() < flip) {
                b ^= 1 << random.nextInt(8);
                flipped++;
            }
            incoming.add((byte) b);
            received++;
        }
    }

    public long sent() { return sent; }

    public long received() { return received; }

    /** Bytes with a bit flipped, both ways. */
    public long flipped() { return flipped; }

    /** Bytes sent with their stop bit low. */
    public long broken() { return broken; }

    /** Bytes from the design whose stop bit was low (never, from a good transmitter). */
    public long framingErrors() { return framingErrors; }
}

package io.github.jnic.testbench.phy;

import io.github.jnic.testbench.sim.PinPlayer;
import java.util.List;

/**
 * A bit-accurate model of one PHY interface: it turns bursts into the values of the MAC's receive
 * pins, one vector per clock edge, and the recorded values of the MAC's transmit pins back into
 * bursts. Each direction has its own clock, pins and edges.
 */
public interface PhyWire {
    /** The name of the interface, e.g. "GMII". */
    String name();

    /** A direction's clock, the edges the pins move on, and the pins in vector order. */
    record Side(String clock, long periodPs, PinPlayer.Edges edges, List<String> pins, String reset) {}

    Side transmit();

    /** Whether the transmit side has an error signal (RMII has none: a bad frame shows only by its FCS). */
    boolean hasTxError();

    Side receive();

    /** Rising edges of the clock per byte time on the wire. */
    int clocksPerByte();

    /** The receive pins' vectors for these bursts, followed by idle. */
    long[][] encode(List<Burst> bursts);

    /** The bursts in recorded transmit-pin vectors; the idle before the first one is counted from the start. */
    List<Burst> decode(long[][] recorded);
}

package io.github.jnic.testbench.phy;

import io.github.jnic.jhdl.verilog.VerilogDesign;
import io.github.jnic.testbench.sim.PinPlayer;
import io.github.jnic.testbench.sim.Port;
import io.github.jnic.testbench.sim.Simulator;
import io.github.jnic.testbench.sim.StreamSink;
import io.github.jnic.testbench.sim.StreamSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A MAC top ({@code io.github.jnic.nic.mac.*Mac}) in the simulator, with its PHY wire modelled
 * bit-accurately: frames go in through a stream source and come out of the transmit pins as
 * bursts; bursts played on the receive pins come out of the receive stream as frames.
 */
public final class MacTestbench implements AutoCloseable {
    private final Simulator sim;
    private final PhyWire wire;
    private final StreamSource source;
    private final StreamSink sink;
    private final PinPlayer txPins, rxPins;
    private final List<long[]> txRecorded = new ArrayList<>();
    private int burstsReturned;

    /**
     * @param txGapChance chance that the frame source leaves a cycle empty before a byte (0: never;
     *                    above 0 the MAC underruns)
     */
    public MacTestbench(VerilogDesign design, PhyWire wire, long seed, double txGapChance) {
        this(design, wire, seed, txGapChance, Map.of());
    }

    /** @param straps input ports set before the reset, held from the first clock (a MAC's speed, say) */
    public MacTestbench(VerilogDesign design, PhyWire wire, long seed, double txGapChance, Map<String, Long> straps) {
        this.wire = wire;
        sim = Simulator.load(design);
        PhyWire.Side tx = wire.transmit(), rx = wire.receive();
        sim.clock(tx.clock(), tx.periodPs());
        if (!rx.clock().equals(tx.clock())) sim.clock(rx.clock(), rx.periodPs());
        source = new StreamSource(sim, tx.clock(), new StreamSource.Pins(sim.port("tx_valid"), sim.port("tx_ready"),
                sim.port("tx_payload"), sim.port("tx_last"), null, sim.port("tx_user")), seed, txGapChance);
        sink = new StreamSink(sim, rx.clock(), new StreamSource.Pins(sim.port("rx_valid"), null, sim.port("rx_payload"),
                sim.port("rx_last"), null, sim.port("rx_user")), seed, 1.0);
        txPins = new PinPlayer(sim, tx.clock(), tx.edges(), List.of(), ports(tx.pins()));
        rxPins = new PinPlayer(sim, rx.clock(), rx.edges(), ports(rx.pins()), List.of());
        sim.port("ifg").set(12);
        straps.forEach((port, value) -> sim.port(port).set(value));
        sim.port(tx.reset()).set(1);
        sim.port(rx.reset()).set(1);
        sim.step(tx.clock(), 4);
        sim.step(rx.clock(), 4);
        sim.port(tx.reset()).set(0);
        sim.port(rx.reset()).set(0);
        sim.step(tx.clock(), 2);
    }

    private List<Port> ports(List<String> names) {
        return names.stream().map(sim::port).toList();
    }

    public Simulator sim() {
        return sim;
    }

    public PhyWire wire() {
        return wire;
    }

    /** Sends frames through the MAC and returns the bursts that appeared on the wire. */
    public List<Burst> transmit(List<StreamSource.Frame> frames) {
        source.send(frames);
        String clock = wire.transmit().clock();
        while (source.framesPending() > 0) sim.step(clock, 256L * wire.clocksPerByte());
        // the last frame's padding, FCS and gap
        sim.step(clock, 200L * wire.clocksPerByte());
        List<Burst> all = recordedBursts();
        List<Burst> fresh = List.copyOf(all.subList(burstsReturned, all.size()));
        burstsReturned = all.size();
        return fresh;
    }

    /** Every burst the transmit pins showed since the testbench started. */
    public List<Burst> recordedBursts() {
        for (long[] v : txPins.recorded()) txRecorded.add(v);
        return wire.decode(txRecorded.toArray(new long[0][]));
    }

    /** Plays bursts on the receive pins and returns the frames the MAC passed on. */
    public List<StreamSink.Frame> receive(List<Burst> bursts) {
        rxPins.play(wire.encode(bursts));
        String clock = wire.receive().clock();
        while (rxPins.queued() > 0) sim.step(clock, 1024);
        sim.step(clock, 64);
        return sink.receive();
    }

    public long txCounter(int index) {
        return counter("txStats", wire.transmit().clock(), index);
    }

    public long rxCounter(int index) {
        return counter("rxStats", wire.receive().clock(), index);
    }

    private long counter(String port, String clock, int index) {
        sim.port(port + "_select").set(index);
        sim.step(clock, 1);
        return sim.port(port + "_value").get();
    }

    public void clearCounters() {
        sim.port("txStats_clear").set(1);
        sim.port("rxStats_clear").set(1);
        sim.step(wire.transmit().clock(), 1);
        sim.step(wire.receive().clock(), 1);
        sim.port("txStats_clear").set(0);
        sim.port("rxStats_clear").set(0);
    }

    @Override
    public void close() {
        sim.close();
    }
}

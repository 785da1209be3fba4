package io.github.jnic.demo;

import io.github.jnic.jhdl.Verilog;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import io.github.jnic.net.buf.BufferPool;
import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.net.dev.NetDevice;
import io.github.jnic.nic.mac.GmiiMac;
import io.github.jnic.testbench.phy.Burst;
import io.github.jnic.testbench.phy.GmiiWire;
import io.github.jnic.testbench.phy.MacTestbench;
import io.github.jnic.testbench.sim.StreamSink;
import io.github.jnic.testbench.sim.StreamSource;
import java.util.List;
import java.util.Set;

/**
 * A host's cable to the segment through two simulated MACs: the jhdl {@link GmiiMac} RTL, run by
 * Verilator. A frame the host sends goes into its own MAC's transmit stream, leaves on the GMII
 * pins as a burst (preamble, SFD, padding, FCS), is played on the receive pins of the switch-side
 * MAC, and only what that MAC delivers as a good frame reaches the segment. Frames coming back
 * cross the same way in the other direction. A frame the RTL garbles is lost, as on a real wire.
 */
final class MacCable implements NetDevice, AutoCloseable {
    private final NetDevice segmentPort;
    private final MacTestbench hostMac;
    private final MacTestbench switchMac;
    private final BufferPool rxPool = new BufferPool(PacketBuffer.DEFAULT_HEADROOM + 1600, 16);
    private long frames, wireBytes, lost, simulationNanos;

    private MacCable(NetDevice segmentPort, MacTestbench hostMac, MacTestbench switchMac) {
        this.segmentPort = segmentPort;
        this.hostMac = hostMac;
        this.switchMac = switchMac;
    }

    /** Builds (or takes from the cache) the GMII MAC model and plugs two instances between the host and its port. */
    static MacCable open(NetDevice segmentPort) {
        VerilogDesign design = Verilog.emit(new GmiiMac());
        MacTestbench host = new MacTestbench(design, new GmiiWire(), 1, 0);
        try {
            return new MacCable(segmentPort, host, new MacTestbench(design, new GmiiWire(), 2, 0));
        } catch (RuntimeException e) {
            host.close();
            throw e;
        }
    }

    /** Carries one frame from one MAC's transmit stream, over the GMII pins, out of the other MAC's receive stream. */
    private List<byte[]> carry(MacTestbench from, MacTestbench to, byte[] frame) {
        long t0 = System.nanoTime();
        List<Burst> bursts = from.transmit(List.of(new StreamSource.Frame(frame, 0, 0)));
        List<StreamSink.Frame> received = to.receive(bursts);
        simulationNanos += System.nanoTime() - t0;
        for (Burst b : bursts) wireBytes += b.bytes().length;
        List<byte[]> good = received.stream().filter(f -> f.user() == 0).map(StreamSink.Frame::data).toList();
        frames += good.size();
        lost += bursts.size() - good.size();
        return good;
    }

    @Override public boolean transmit(PacketBuffer frame) {
        byte[] bytes = frame.toByteArray();
        frame.release();
        for (byte[] f : carry(hostMac, switchMac, bytes)) segmentPort.transmit(PacketBuffer.of(f));
        return true;
    }

    @Override public int receive(FrameSink sink, int budget) {
        return segmentPort.receive(in -> {
            byte[] bytes = in.toByteArray();
            in.release();
            for (byte[] f : carry(switchMac, hostMac, bytes)) {
                PacketBuffer b = rxPool.take();
                if (b.tailroom() < f.length) b.reset(0);
                b.append(f, 0, f.length);
                sink.accept(b);
            }
        }, budget);
    }

    /** Frames delivered good by the receiving MAC. */
    long frames() { return frames; }

    /** Bytes on the GMII pins (preamble, SFD, frame, padding, FCS). */
    long wireBytes() { return wireBytes; }

    /** Frames the receiving MAC flagged bad or did not deliver. */
    long lost() { return lost; }

    /** Wall time spent in the simulator. */
    long simulationNanos() { return simulationNanos; }

    /** Clock cycles both MACs ran (transmit and receive domains; GMII: 125 MHz, a byte a cycle). */
    long cycles() {
        String tx = new GmiiWire().transmit().clock(), rx = new GmiiWire().receive().clock();
        long c = hostMac.sim().cycles(tx) + switchMac.sim().cycles(tx);
        if (!rx.equals(tx)) c += hostMac.sim().cycles(rx) + switchMac.sim().cycles(rx);
        return c;
    }

    @Override public String name() { return segmentPort.name(); }
    @Override public byte[] macAddress() { return segmentPort.macAddress(); }
    @Override public int mtu() { return segmentPort.mtu(); }
    @Override public boolean linkUp() { return segmentPort.linkUp(); }
    @Override public Set<Feature> features() { return segmentPort.features(); }
    @Override public long nextDeadline() { return segmentPort.nextDeadline(); }
    @Override public int flush() { return segmentPort.flush(); }
    @Override public void setReceiveWakeup(Runnable wakeup) { segmentPort.setReceiveWakeup(wakeup); }

    @Override public void close() {
        hostMac.close();
        switchMac.close();
    }
}

package io.github.jnic.testbench.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.driver.link.EthernetTransport;
import io.github.jnic.driver.link.LinkMessage;
import io.github.jnic.jhdl.Verilog;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import io.github.jnic.nic.link.LinkBridge;
import io.github.jnic.nic.rx.RxFrame;
import io.github.jnic.spec.HostLink;
import io.github.jnic.testbench.sim.Simulator;
import io.github.jnic.testbench.sim.StreamSink;
import io.github.jnic.testbench.sim.StreamSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The simulated {@link LinkBridge} with what surrounds it on a board and a cable, cycle by cycle:
 * a register bank on its AXI4-Lite master, ready at random and answering after a random wait (a
 * register never written reads as its address times 0x01010101); its interrupt input; and the link
 * both ways, which loses a fraction {@code loss} of the frames, delays them, swaps neighbours now
 * and then, and mixes in frames for another station.
 */
final class BridgeRig implements AutoCloseable {
    static final int TIMEOUT = 4_000;
    static final VerilogDesign DESIGN = Verilog.emit(new LinkBridge(TIMEOUT, 2));
    static final byte[] STATION = {0x02, 0x4a, 0x4e, 0x42, 0x00, 0x01};
    static final byte[] HOST = {0x02, 0x4a, 0x4e, 0x48, 0x00, 0x01};

    /** An access the register bank saw: {read, address, value}. */
    record Access(boolean read, long address, long value) {}

    final Simulator sim = Simulator.load(DESIGN);
    final Map<Long, Long> bank = new HashMap<>();
    final List<Access> seen = new ArrayList<>();
    /** The card's side of the DMA port, once a test puts one there. */
    DmaMaster dma;
    boolean irq;
    long cycle;
    /** Frames the board sent to the host's own address (not broadcast): it learned it. */
    int toHostAddressed;
    static final byte[] BROADCAST = {-1, -1, -1, -1, -1, -1};
    int foreignSent, foreignSeen;

    private final Random random;
    private final double loss;
    private final StreamSource toBoard;
    private final StreamSink fromBoard;
    private final ArrayDeque<Object[]> inFlight = new ArrayDeque<>();   // {arrival cycle, frame}
    private final List<byte[]> toHost = new ArrayList<>();
    private final ArrayDeque<LinkMessage> arrived = new ArrayDeque<>();
    private long awAddress = -1, wData = -1, rValue;
    private int bDelay = -1, rDelay = -1;

    BridgeRig(long seed, double loss) {
        this.random = new Random(seed);
        this.loss = loss;
        sim.resetHigh("reset", "clk", 2);
        sim.port("station").set(address(STATION));
        toBoard = new StreamSource(sim, "clk", new StreamSource.Pins(sim.port("rx_valid"), sim.port("rx_ready"),
                sim.port("rx_payload_data"), sim.port("rx_last"), sim.port("rx_payload_keep"), sim.port("rx_user")), seed, 0.1);
        fromBoard = new StreamSink(sim, "clk", new StreamSource.Pins(sim.port("tx_valid"), sim.port("tx_ready"),
                sim.port("tx_payload_data"), sim.port("tx_last"), sim.port("tx_payload_keep"), null), seed + 1, 0.8);
    }

    private static long address(byte[] mac) {
        long a = 0;
        for (int i = 5; i >= 0; i--) a = a << 8 | (mac[i] & 0xFF);
        return a;
    }

    static byte[] frame(byte[] to, LinkMessage m) {
        return EthernetTransport.frame(to, HOST, m);
    }

    /** A message from the host onto the cable (it may be lost). */
    void send(LinkMessage m) {
        if (random.nextDouble() < loss) return;
        inFlight.add(new Object[] {cycle + 100 + random.nextInt(200), frame(STATION, m)});
    }

    /** The next message that reached the host, or null. */
    LinkMessage received() {
        return arrived.poll();
    }

    /** One clock of the bridge, the bank and the cable. */
    void step() {
        boolean awReady = random.nextInt(3) != 0, wReady = random.nextInt(3) != 0, arReady = random.nextInt(3) != 0;
        sim.port("regs_aw_ready").set(awReady && awAddress < 0 ? 1 : 0);
        sim.port("regs_w_ready").set(wReady && wData < 0 ? 1 : 0);
        sim.port("regs_ar_ready").set(arReady && rDelay < 0 ? 1 : 0);
        sim.port("regs_b_valid").set(bDelay == 0 ? 1 : 0);
        sim.port("regs_b_payload").set(0);
        sim.port("regs_r_valid").set(rDelay == 0 ? 1 : 0);
        sim.port("regs_r_payload_data").set(rValue);
        sim.port("regs_r_payload_resp").set(0);
        boolean bTaken = bDelay == 0 && sim.port("regs_b_ready").get() != 0;
        boolean rTaken = rDelay == 0 && sim.port("regs_r_ready").get() != 0;
        if (awReady && awAddress < 0 && sim.port("regs_aw_valid").get() != 0) awAddress = sim.port("regs_aw_payload").get();
        if (wReady && wData < 0 && sim.port("regs_w_valid").get() != 0) {
            wData = sim.port("regs_w_payload_data").get();
            assertEquals(0xF, sim.port("regs_w_payload_strb").get(), "whole-word writes");
        }
        if (arReady && rDelay < 0 && sim.port("regs_ar_valid").get() != 0) {
            long a = sim.port("regs_ar_payload").get();
            seen.add(new Access(true, a, 0));
            rValue = bank.getOrDefault(a, a * 0x01010101L & 0xFFFF_FFFFL);
            rDelay = 1 + random.nextInt(6);
        }
        sim.port("irq").set(irq ? 1 : 0);
        // frames reach the board when their time comes; a foreign one now and then
        while (!inFlight.isEmpty() && (long) inFlight.peek()[0] <= cycle) {
            byte[] f = (byte[]) inFlight.poll()[1];
            toBoard.send(List.of(new StreamSource.Frame(f, (long) f.length << RxFrame.LENGTH.lsb(), 0)));
            if (random.nextInt(20) == 0) {
                byte[] g = frame(HOST, LinkMessage.regWrite(0, 0));   // addressed to someone else
                toBoard.send(List.of(new StreamSource.Frame(g, (long) g.length << RxFrame.LENGTH.lsb(), 0)));
                foreignSent++;
            }
        }
        if (dma != null) dma.beforeEdge();
        sim.step("clk", 1);
        cycle++;
        foreignSeen += (int) sim.port("foreign").get();
        if (bTaken) bDelay = -1;
        else if (bDelay > 0) bDelay--;
        if (rTaken) rDelay = -1;
        else if (rDelay > 0) rDelay--;
        if (awAddress >= 0 && wData >= 0 && bDelay < 0) {
            seen.add(new Access(false, awAddress, wData));
            bank.put(awAddress, wData);
            awAddress = wData = -1;
            bDelay = 1 + random.nextInt(6);
        }
        for (StreamSink.Frame f : fromBoard.receive()) toHost.add(f.data());
        if (!toHost.isEmpty() && random.nextInt(3) != 0) {
            byte[] f = toHost.remove(toHost.size() > 1 && random.nextInt(10) == 0 ? 1 : 0);
            LinkMessage m = EthernetTransport.message(f);
            byte[] to = java.util.Arrays.copyOf(f, 6);
            assertTrue(java.util.Arrays.equals(to, HOST) || java.util.Arrays.equals(to, BROADCAST), "a frame to the host, or broadcast before the board has heard from it");
            toHostAddressed += java.util.Arrays.equals(to, HOST) ? 1 : 0;
            assertTrue(m != null && (!m.type().fromHost || m.type() == HostLink.Type.ACK), "a message the board sends: " + m);
            if (random.nextDouble() >= loss) arrived.add(m);
        }
    }

    @Override
    public void close() {
        sim.close();
    }
}

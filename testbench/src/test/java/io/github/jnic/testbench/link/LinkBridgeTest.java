package io.github.jnic.testbench.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.driver.link.LinkEndpoint;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The board's end of the link as the host's driver would use it: the host's own go-back-N
 * endpoint ({@link LinkEndpoint}) sends register writes and reads across a link model that loses
 * a tenth of the frames both ways and swaps neighbours, with foreign frames mixed in; the bridge's
 * AXI4-Lite master meets a register bank played here with random stalls. The bank sees every
 * access exactly once, in the host's order; every read comes back with its tag and the value the
 * bank held; the interrupt line's changes reach the host, its last report the line's last level.
 */
class LinkBridgeTest {
    static final int TIMEOUT = 4_000;
    static final VerilogDesign DESIGN = Verilog.emit(new LinkBridge(TIMEOUT));
    static final byte[] STATION = {0x02, 0x4a, 0x4e, 0x42, 0x00, 0x01};
    static final byte[] HOST = {0x02, 0x4a, 0x4e, 0x48, 0x00, 0x01};
    static final double LOSS = 0.1;

    private final Simulator sim = Simulator.load(DESIGN);
    private final StreamSource toBoard;
    private final StreamSink fromBoard;
    private final Random random = new Random(77);
    private long cycle;
    private int lastReport = 0;

    LinkBridgeTest() {
        sim.resetHigh("reset", "clk", 2);
        sim.port("station").set(address(STATION));
        sim.port("peer").set(address(HOST));
        toBoard = new StreamSource(sim, "clk", new StreamSource.Pins(sim.port("rx_valid"), sim.port("rx_ready"),
                sim.port("rx_payload_data"), sim.port("rx_last"), sim.port("rx_payload_keep"), sim.port("rx_user")), 77, 0.1);
        fromBoard = new StreamSink(sim, "clk", new StreamSource.Pins(sim.port("tx_valid"), sim.port("tx_ready"),
                sim.port("tx_payload_data"), sim.port("tx_last"), sim.port("tx_payload_keep"), null), 78, 0.8);
    }

    @AfterEach
    void close() {
        sim.close();
    }

    private static long address(byte[] mac) {
        long a = 0;
        for (int i = 5; i >= 0; i--) a = a << 8 | (mac[i] & 0xFF);
        return a;
    }

    private static byte[] frame(byte[] to, LinkMessage m) {
        byte[] e = m.encode();
        byte[] f = new byte[Math.max(60, 14 + e.length)];
        System.arraycopy(to, 0, f, 0, 6);
        System.arraycopy(HOST, 0, f, 6, 6);
        f[12] = (byte) (HostLink.ETHERTYPE >> 8);
        f[13] = (byte) HostLink.ETHERTYPE;
        System.arraycopy(e, 0, f, 14, e.length);
        return f;
    }

    /** An access the register bank saw, or the host asked for: {read, address, value}. */
    record Access(boolean read, long address, long value) {}

    @Test
    void registerAccessesArriveOnceInOrderAndTheInterruptLineFollows() {
        // the host's script: writes and reads over a few registers, so reads see earlier writes
        List<Access> script = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            long a = 4L * random.nextInt(16);
            script.add(random.nextBoolean() ? new Access(true, a, 0) : new Access(false, a, random.nextInt() & 0xFFFF_FFFFL));
        }
        List<LinkMessage> delivered = new ArrayList<>();
        ArrayDeque<long[]> inFlight = new ArrayDeque<>();   // frames to the board: {arrival cycle, index into pending}
        List<byte[]> pending = new ArrayList<>();
        LinkEndpoint host = new LinkEndpoint(m -> {
            if (random.nextDouble() < LOSS) return;
            pending.add(frame(STATION, m));
            inFlight.add(new long[] {cycle + 100 + random.nextInt(200), pending.size() - 1});
        }, m -> {
            delivered.add(m);
            if (m.type() == HostLink.Type.IRQ) lastReport = m.value();
        }, 20_000);
        for (int i = 0; i < script.size(); i++) {
            Access a = script.get(i);
            host.send(a.read() ? LinkMessage.regRead(i & 0xFF, (int) a.address()) : LinkMessage.regWrite((int) a.address(), (int) a.value()), 0);
        }

        Map<Long, Long> bank = new HashMap<>();
        List<Access> seen = new ArrayList<>();
        long awAddress = -1, wData = -1;
        int bDelay = -1, rDelay = -1;
        long rValue = 0;
        int foreignSent = 0, foreignSeen = 0;
        List<Integer> irqReports = new ArrayList<>();
        boolean irq = false;
        List<byte[]> toHost = new ArrayList<>();
        long reads = script.stream().filter(Access::read).count();
        for (cycle = 0; cycle < 3_000_000; cycle++) {
            boolean done = seen.size() == script.size() && host.idle()
                    && delivered.stream().filter(m -> m.type() == HostLink.Type.REG_DATA).count() == reads;
            if (done && lastReport == (irq ? 1 : 0)) break;
            // the register bank: ready at random, answers after a random wait
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
            // the interrupt line, now and then
            if (!done && random.nextInt(3000) == 0) irq = !irq;
            sim.port("irq").set(irq ? 1 : 0);
            // frames reach the board when their time comes; a foreign one now and then
            while (!inFlight.isEmpty() && inFlight.peek()[0] <= cycle) {
                byte[] f = pending.get((int) inFlight.poll()[1]);
                toBoard.send(List.of(new StreamSource.Frame(f, (long) f.length << RxFrame.LENGTH.lsb(), 0)));
                if (random.nextInt(20) == 0) {
                    byte[] g = frame(HOST, LinkMessage.regWrite(0, 0));   // addressed to someone else
                    toBoard.send(List.of(new StreamSource.Frame(g, (long) g.length << RxFrame.LENGTH.lsb(), 0)));
                    foreignSent++;
                }
            }
            sim.step("clk", 1);
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
                LinkMessage m = LinkMessage.decode(f, 14, f.length - 14);
                assertTrue(m != null && (!m.type().fromHost || m.type() == HostLink.Type.ACK), "a message the board sends: " + m);
                if (random.nextDouble() >= LOSS) host.receive(m, cycle);
            }
            if (cycle % 32 == 0) host.poll(cycle);
        }
        for (LinkMessage m : delivered) if (m.type() == HostLink.Type.IRQ) irqReports.add(m.value());
        List<LinkMessage> answers = delivered.stream().filter(m -> m.type() == HostLink.Type.REG_DATA).toList();

        assertEquals(script.size(), seen.size(), "register accesses the bank saw");
        Map<Long, Long> model = new HashMap<>();
        int answered = 0;
        for (int i = 0; i < script.size(); i++) {
            Access want = script.get(i), got = seen.get(i);
            assertEquals(want.read(), got.read(), "access " + i + ": read or write");
            assertEquals(want.address(), got.address(), "access " + i + ": address");
            if (!want.read()) {
                assertEquals(want.value(), got.value(), "access " + i + ": value written");
                model.put(want.address(), want.value());
            } else {
                LinkMessage answer = answers.get(answered++);
                assertEquals(i & 0xFF, answer.tag(), "read " + i + ": its tag");
                assertEquals((long) model.getOrDefault(want.address(), want.address() * 0x01010101L & 0xFFFF_FFFFL),
                        answer.value() & 0xFFFF_FFFFL, "read " + i + ": the value the bank held");
            }
        }
        assertEquals(answered, answers.size(), "one answer a read");
        assertEquals(foreignSent, foreignSeen, "foreign frames counted");
        assertTrue(foreignSent > 0);
        assertTrue(irqReports.size() >= 2, "the interrupt line's changes reported: " + irqReports);
        for (int i = 1; i < irqReports.size(); i++) assertNotEquals(irqReports.get(i - 1), irqReports.get(i), "a report is a change");
        assertEquals(irq ? 1 : 0, (int) irqReports.get(irqReports.size() - 1), "the last report is the line's level");
        assertTrue(host.retransmissions() > 0, "the host resent what the link lost");
    }
}

package io.github.jnic.net.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.net.dev.NetDevice;
import io.github.jnic.net.wire.Ipv4Address;
import io.github.jnic.net.wire.MacAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The stack rings a device's doorbell ({@link NetDevice#flush}) and counts what the device refused then. */
class DoorbellTest {

    /** Holds transmitted frames until flushed, as a TAP device or a NIC's transmit ring does. */
    private static final class HoldingDevice implements NetDevice {
        final List<PacketBuffer> held = new ArrayList<>();
        int sent;
        boolean refuse;

        @Override public String name() { return "holding0"; }
        @Override public byte[] macAddress() { return MacAddress.local(5); }
        @Override public int mtu() { return 1500; }
        @Override public boolean linkUp() { return true; }
        @Override public Set<Feature> features() { return Set.of(); }
        @Override public boolean transmit(PacketBuffer frame) { held.add(frame); return true; }
        @Override public int receive(FrameSink sink, int budget) { return 0; }
        @Override public long nextDeadline() { return held.isEmpty() ? Long.MAX_VALUE : Long.MIN_VALUE; }

        @Override public int flush() {
            int refused = refuse ? held.size() : 0;
            if (!refuse) sent += held.size();
            held.forEach(PacketBuffer::release);
            held.clear();
            return refused;
        }
    }

    /** Sends one frame: an ARP request for a new neighbour (the datagram waits for the answer). */
    private static void sendDatagram(NetStack s, String to) {
        byte[] payload = new byte[8];
        s.udp().send(s.udp().newSocket(), payload, 0, payload.length, Ipv4Address.parse(to), 9);
    }

    @Test
    void framesSentBetweenPollsLeaveAtTheNextPollWhichIsDueAtOnce() {
        HoldingDevice dev = new HoldingDevice();
        NetStack s = new NetStack();
        s.addAddress(s.addInterface(dev), "10.9.0.1/24");
        s.poll(0);
        int before = dev.sent;

        sendDatagram(s, "10.9.0.2");
        assertEquals(before, dev.sent, "held until the doorbell");
        assertEquals(1, dev.held.size());
        assertEquals(0, s.nextDeadline(), "due at once: the last poll's time, however early the device says");
        s.poll(1_000);
        assertEquals(before + 1, dev.sent, "the poll rang the doorbell");
        assertTrue(dev.held.isEmpty());

        s.execute(() -> sendDatagram(s, "10.9.0.3"));   // runs inside the next poll
        s.poll(2_000);
        assertEquals(before + 2, dev.sent, "what a poll sends leaves before it returns");
        assertTrue(dev.held.isEmpty());
    }

    @Test
    void framesTheDeviceRefusesWhenFlushedAreCountedAsDrops() {
        HoldingDevice dev = new HoldingDevice();
        NetStack s = new NetStack();
        s.addAddress(s.addInterface(dev), "10.9.0.1/24");
        s.poll(0);
        dev.refuse = true;
        long dropsBefore = s.counters().get("eth.drop.tx-refused");
        sendDatagram(s, "10.9.0.2");
        s.poll(1_000);
        assertEquals(dropsBefore + 1, s.counters().get("eth.drop.tx-refused"), s.counters().toString());
    }
}

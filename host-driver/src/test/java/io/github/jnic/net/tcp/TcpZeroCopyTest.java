package io.github.jnic.net.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.net.dev.FaultInjector;
import io.github.jnic.net.dev.MemoryLink;
import io.github.jnic.net.dev.NetDevice;
import io.github.jnic.net.stack.NetStack;
import io.github.jnic.net.stack.Simulation;
import io.github.jnic.net.tcp.TcpCounters.Event;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link TcpConnection#writeZeroCopy}: bytes sent from the application's own buffers, mixed with
 * copied writes, arrive intact and in order through loss, reordering and corruption; a call completes
 * only once the peer has acknowledged its last byte; the stack reads the buffer itself, not a copy.
 */
@Timeout(120)
class TcpZeroCopyTest {
    static final int B = 0x0a000002;
    static final long S = 1_000_000_000L;

    final Simulation sim = new Simulation();
    TcpConnection client, server;
    Tcp ta;

    void connect(FaultInjector ab, FaultInjector ba, boolean gather) throws TcpException {
        MemoryLink link = new MemoryLink(sim.clock(), ab, ba);
        if (gather) link.a().features(EnumSet.of(NetDevice.Feature.SCATTER_GATHER));
        NetStack a = sim.add(new NetStack()), b = sim.add(new NetStack());
        a.addAddress(a.addInterface(link.a()), "10.0.0.1/24");
        b.addAddress(b.addInterface(link.b()), "10.0.0.2/24");
        ta = new Tcp(a.ipv4());
        Tcp tb = new Tcp(b.ipv4());
        a.register(ta);
        b.register(tb);
        sim.runFor(0);
        TcpListener l = tb.listen(0, 5001, 1);
        client = ta.connect(B, 5001);
        assertTrue(sim.runUntil(() -> (server = server != null ? server : l.accept()) != null && client.isConnected(), 10 * S));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void mixedWithCopiedWritesEveryByteArrivesInOrderThroughFaults(boolean gather) throws Exception {
        connect(faults(7), faults(8), gather);
        SplittableRandom r = new SplittableRandom(3);
        ByteArrayOutputStream sent = new ByteArrayOutputStream(), got = new ByteArrayOutputStream();
        List<ByteBuffer> calls = new ArrayList<>();
        List<Long> callEnds = new ArrayList<>();   // stream offset after each zero-copy call's bytes
        long[] written = {0};
        byte[] in = new byte[65536];
        long total = 3 << 20;
        boolean done = sim.runUntil(() -> {
            try {
                while (written[0] < total && client.writable() > 0) {
                    byte[] piece = new byte[(int) Math.min(total - written[0], 1 + r.nextInt(r.nextBoolean() ? 100 : 40000))];
                    r.nextBytes(piece);
                    int n;
                    int kind = r.nextInt(3);
                    if (kind == 1) {
                        ByteBuffer z = direct(piece, 0, piece.length, r);
                        long call = client.zeroCopyCalls();
                        n = client.writeZeroCopy(z);
                        if (n == 0) break;
                        assertEquals(call + 1, client.zeroCopyCalls());
                        assertEquals(n, z.position(), "the position moves past what was taken");
                        calls.add(z);
                        callEnds.add(written[0] + n);
                    } else if (kind == 2) {   // two buffers in one gathering call
                        int h = piece.length / 2;
                        ByteBuffer z1 = direct(piece, 0, h, r), z2 = direct(piece, h, piece.length - h, r);
                        long call = client.zeroCopyCalls();
                        n = (int) client.writeZeroCopy(new ByteBuffer[] {z1, z2});
                        if (n == 0) break;
                        assertEquals(n, z1.position() + z2.position());
                        assertTrue(z2.position() == 0 || !z1.hasRemaining(), "in order");
                        if (z1.position() > 0) { calls.add(z1); callEnds.add(written[0] + z1.position()); }
                        if (z2.position() > 0) { calls.add(z2); callEnds.add(written[0] + n); }
                        assertEquals(call + (z1.position() > 0 ? 1 : 0) + (z2.position() > 0 ? 1 : 0), client.zeroCopyCalls());
                    } else {
                        n = client.write(piece, 0, piece.length);
                        if (n == 0) break;
                    }
                    sent.write(piece, 0, n);
                    written[0] += n;
                }
                long acked = written[0] - client.unacknowledged();
                long completed = client.zeroCopyCompleted();
                for (int i = 0; i < completed; i++) assertTrue(callEnds.get(i) <= acked, "call " + i + " completed before its bytes were acknowledged");
                if (completed < calls.size()) assertTrue(callEnds.get((int) completed) > acked, "an acknowledged call left incomplete");
                // what is completed is the application's again: scribbling over it must not reach the wire
                for (int i = 0; i < completed; i++) if (calls.get(i) != null) { fill(calls.get(i)); calls.set(i, null); }
                for (int n; (n = server.read(in, 0, in.length)) > 0; ) got.write(in, 0, n);
                return got.size() == total;
            } catch (TcpException e) {
                throw new AssertionError(e);
            }
        }, 3600 * S);
        assertTrue(done, "transfer finished: " + got.size() + " of " + total);
        assertArrayEquals(sent.toByteArray(), got.toByteArray());
        assertTrue(sim.runUntil(() -> client.unacknowledged() == 0, 60 * S));
        assertEquals(client.zeroCopyCalls(), client.zeroCopyCompleted(), "every call completes once all is acknowledged");
        assertTrue(client.zeroCopyCalls() > 10);
        assertTrue(ta.counters().get(Event.RETRANSMITTED_SEGMENTS) > 0, "retransmissions read the application's buffers again");
    }

    @Test
    void theStackSendsFromTheBufferItselfNotACopy() throws Exception {
        connect(FaultInjector.none(), FaultInjector.none(), true);
        // fill the peer's window first, so the zero-copy bytes wait in the queue
        byte[] filler = new byte[8 << 20];
        int filled = 0;
        while (client.writable() > 0) filled += client.write(filler, 0, Math.min(filler.length, client.writable()));
        int queued = filled;
        ByteBuffer z = ByteBuffer.allocateDirect(1000);
        assertEquals(0, client.writeZeroCopy(z), "a full send buffer takes nothing");
        assertEquals(0, client.zeroCopyCalls(), "and counts no call");
        byte[] in = new byte[1 << 20];
        long[] read = {0};
        assertTrue(sim.runUntil(() -> {
            try {
                for (int n; (n = server.read(in, 0, in.length)) > 0; ) read[0] += n;
            } catch (TcpException e) {
                throw new AssertionError(e);
            }
            return client.writable() >= 1000;
        }, 60 * S));
        assertEquals(1000, client.writeZeroCopy(z));
        fill(z);   // changed after the call, before it could have been sent: the wire carries the change
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        assertTrue(sim.runUntil(() -> {
            try {
                for (int n; (n = server.read(in, 0, in.length)) > 0; ) {
                    long skip = Math.max(0, Math.min(n, queued - read[0]));
                    read[0] += n;
                    got.write(in, (int) skip, (int) (n - skip));
                }
            } catch (TcpException e) {
                throw new AssertionError(e);
            }
            return got.size() == 1000;
        }, 60 * S));
        byte[] want = new byte[1000];
        java.util.Arrays.fill(want, (byte) 0x5a);
        assertArrayEquals(want, got.toByteArray());
        assertTrue(sim.runUntil(() -> client.zeroCopyCompleted() == 1, 10 * S));
    }

    @Test
    void heapBuffersAreRefusedAndAnAbortCompletesEveryCall() throws Exception {
        FaultInjector ab = FaultInjector.none();
        connect(ab, FaultInjector.none(), false);
        ab.loss(1.0);
        assertThrows(IllegalArgumentException.class, () -> client.writeZeroCopy(ByteBuffer.allocate(10)));
        client.writeZeroCopy(ByteBuffer.allocateDirect(5000));
        client.writeZeroCopy(ByteBuffer.allocateDirect(5000));
        sim.runFor(S);
        assertEquals(0, client.zeroCopyCompleted(), "nothing got through: nothing is done with");
        client.abort();
        assertEquals(2, client.zeroCopyCompleted(), "the connection is gone: the buffers are the application's again");
    }

    /**
     * A device that sends a copy of each gathered frame at once but returns the frame (its lent
     * pieces) only when told: a card whose DD comes after the peer's ACK (a retransmission still on
     * its ring, a frame it dropped and completes late).
     */
    static final class LateCompletions implements NetDevice {
        final NetDevice inner;
        final List<PacketBuffer> held = new ArrayList<>();

        LateCompletions(NetDevice inner) { this.inner = inner; }

        @Override public String name() { return inner.name(); }
        @Override public byte[] macAddress() { return inner.macAddress(); }
        @Override public int mtu() { return inner.mtu(); }
        @Override public boolean linkUp() { return inner.linkUp(); }
        @Override public java.util.Set<Feature> features() { return EnumSet.of(Feature.SCATTER_GATHER); }
        @Override public int receive(FrameSink sink, int budget) { return inner.receive(sink, budget); }
        @Override public long nextDeadline() { return inner.nextDeadline(); }
        @Override public void setReceiveWakeup(Runnable wakeup) { inner.setReceiveWakeup(wakeup); }

        @Override public boolean transmit(PacketBuffer frame) {
            if (!frame.gathers()) return inner.transmit(frame);
            PacketBuffer copy = PacketBuffer.allocate(PacketBuffer.DEFAULT_HEADROOM + frame.length(), PacketBuffer.DEFAULT_HEADROOM);
            frame.copyTo(0, frame.length(), ByteBuffer.wrap(copy.data()), copy.append(frame.length()));
            held.add(frame);
            return inner.transmit(copy);
        }

        void complete() {
            for (PacketBuffer f : held) f.release();
            held.clear();
        }
    }

    @Test
    void roomTheDeviceGivesBackAfterTheAckWakesTheWriter() throws Exception {
        MemoryLink link = new MemoryLink(sim.clock());
        LateCompletions late = new LateCompletions(link.a());
        NetStack a = sim.add(new NetStack()), b = sim.add(new NetStack());
        a.addAddress(a.addInterface(late), "10.0.0.1/24");
        b.addAddress(b.addInterface(link.b()), "10.0.0.2/24");
        ta = new Tcp(a.ipv4());
        Tcp tb = new Tcp(b.ipv4());
        a.register(ta);
        b.register(tb);
        sim.runFor(0);
        TcpListener l = tb.listen(0, 5001, 1);
        client = ta.connect(B, 5001);
        assertTrue(sim.runUntil(() -> (server = server != null ? server : l.accept()) != null && client.isConnected(), 10 * S));
        int[] woken = {0};
        client.setEvents((c, what) -> { if ((what & TcpConnection.Events.WRITABLE) != 0) woken[0]++; });
        // an application that writes when told it may (as one waiting in epoll): the send buffer filled
        byte[] data = new byte[1 << 20];
        new SplittableRandom(5).nextBytes(data);
        int written = 0;
        while (client.writable() > 0) written += client.write(data, written, client.writable());
        int size = written;
        byte[] in = new byte[1 << 20];
        long[] read = {0};
        assertTrue(sim.runUntil(() -> {
            try {
                for (int n; (n = server.read(in, 0, in.length)) > 0; ) read[0] += n;
            } catch (TcpException e) {
                throw new AssertionError(e);
            }
            return read[0] == size && client.unacknowledged() == 0;
        }, 60 * S), "every byte acknowledged");
        assertTrue(late.held.size() > 0, "segments gathered from the send buffer");
        assertEquals(0, client.writable(), "the acknowledged bytes are still the device's: no room yet");
        woken[0] = 0;
        late.complete();
        assertEquals(size, client.writable(), "the device gave them back: all the room is free");
        assertTrue(woken[0] > 0, "and the writer is told, or it would wait for an ACK that never comes");
    }

    static ByteBuffer direct(byte[] b, int off, int len, SplittableRandom r) {
        ByteBuffer z = ByteBuffer.allocateDirect(len).order(r.nextBoolean() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        return z.put(b, off, len).flip();
    }

    static void fill(ByteBuffer b) {
        for (int i = 0; i < b.capacity(); i++) b.put(i, (byte) 0x5a);
    }

    static FaultInjector faults(long seed) {
        return new FaultInjector(seed).loss(0.05).reorder(0.05, 3_000_000).corrupt(0.02).delay(1_000_000, 500_000);
    }
}

package io.github.jnic.net.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.net.dev.FaultInjector;
import io.github.jnic.net.dev.MemoryLink;
import io.github.jnic.net.eth.NetInterface;
import io.github.jnic.net.stack.NetStack;
import io.github.jnic.net.stack.Simulation;
import io.github.jnic.net.tcp.TcpCounters.Drop;
import io.github.jnic.net.tcp.TcpCounters.Event;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two whole stacks over the in-memory link in virtual time, many connections at once, data both
 * ways on each: every byte arrives once and in order (SHA-256 of each stream), through loss,
 * reordering, duplication and corruption.
 */
@Timeout(240)
class TcpBulkTransferTest {
    static final int A = 0x0a000001;
    static final int B = 0x0a000002;
    static final int PORT = 5001;
    static final long S = 1_000_000_000L;

    /** One direction of one connection: a seeded byte stream written in random-sized pieces and hashed at both ends. */
    static final class Stream {
        final SplittableRandom data;
        final SplittableRandom sizes;
        final long length;
        final MessageDigest sent = sha256();
        final MessageDigest received = sha256();
        long written;
        long read;
        boolean finSent;
        boolean eof;
        byte[] pending = new byte[0];

        Stream(long seed, long length) {
            this.data = new SplittableRandom(seed);
            this.sizes = new SplittableRandom(seed ^ 0x5eed);
            this.length = length;
        }

        void write(TcpConnection c) throws TcpException {
            if (c.state() == TcpState.CLOSED) return;
            while (written < length && c.writable() > 0) {
                if (pending.length == 0) {
                    pending = new byte[(int) Math.min(length - written, 1 + sizes.nextInt(9000))];
                    for (int i = 0; i < pending.length; i++) pending[i] = (byte) data.nextInt(256);
                }
                int n = c.write(pending, 0, pending.length);
                if (n == 0) return;
                sent.update(pending, 0, n);
                written += n;
                pending = java.util.Arrays.copyOfRange(pending, n, pending.length);
            }
            if (written == length && !finSent) {
                finSent = true;
                c.shutdownOutput();
            }
        }

        void read(TcpConnection c, byte[] buf) throws TcpException {
            int n;
            while ((n = c.read(buf, 0, buf.length)) > 0) {
                received.update(buf, 0, n);
                read += n;
            }
            if (n < 0) eof = true;
        }

        boolean done() { return eof && finSent; }
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 23, 37})
    void manyConnectionsBothWaysThroughLossReorderingDuplicationAndCorruption(long seed) throws Exception {
        FaultInjector ab = faults(seed);
        FaultInjector ba = faults(seed + 1);
        Result r = transfer(ab, ba, 12, 256 * 1024, new TcpConfig());
        assertTrue(ab.lost() > 0 && ab.reordered() > 0 && ab.duplicated() > 0 && ab.corrupted() > 0, "every fault happened");
        assertTrue(ba.lost() > 0 && ba.reordered() > 0 && ba.duplicated() > 0 && ba.corrupted() > 0, "every fault happened");
        assertTrue(r.retransmissions > 0);
        assertTrue(r.badChecksums > 0, "corrupted segments were caught by the checksum");
    }

    @Test
    void overALinkThatOffloadsChecksumsCorruptionIsStillCaught() throws Exception {
        FaultInjector ab = faults(41);
        FaultInjector ba = faults(42);
        Result r = transfer(ab, ba, 4, 256 * 1024, new TcpConfig(), new IsnGenerator(1, 2), new IsnGenerator(3, 4), 0, true);
        assertTrue(ab.corrupted() > 0 && ba.corrupted() > 0);
        assertTrue(r.badChecksums > 0, "the ends filled real checksums in, and the receivers checked them");
    }

    @Test
    void overACleanLinkThatOffloadsChecksumsEveryByteArrives() throws Exception {
        Result r = transfer(FaultInjector.none(), FaultInjector.none(), 2, 1024 * 1024, new TcpConfig(),
                new IsnGenerator(1, 2), new IsnGenerator(3, 4), 0, true);
        assertEquals(0, r.retransmissions);
        assertEquals(0, r.badChecksums);
    }

    @Test
    void withoutSackTimestampsOrWindowScalingToo() throws Exception {
        TcpConfig cfg = new TcpConfig();
        cfg.sack = false;
        cfg.timestamps = false;
        cfg.windowScaling = false;
        Result r = transfer(faults(21), faults(22), 4, 64 * 1024, cfg);
        assertTrue(r.fastRecoveries > 0, "NewReno recovered from duplicate ACKs");
    }

    @Test
    void aCleanLinkMovesDataWithoutRetransmissions() throws Exception {
        FaultInjector clean = FaultInjector.none().delay(100_000, 0);
        FaultInjector clean2 = FaultInjector.none().delay(100_000, 0);
        Result r = transfer(clean, clean2, 2, 4 * 1024 * 1024, new TcpConfig());
        assertEquals(0, r.retransmissions);
    }

    @Test
    void sequenceNumbersWrapMidTransferUnderFaults() throws Exception {
        // Secrets chosen so both initial sequence numbers sit 200-300 KB below 2^32: every
        // comparison, SACK block and window edge crosses the wrap during the transfer.
        long start = 1_000_000_000L;
        IsnGenerator isnA = nearWrap(A, 40000, B, PORT, start);
        IsnGenerator isnB = nearWrap(B, PORT, A, 40000, start);
        Result r = transfer(faults(5), faults(6), 1, 2 * 1024 * 1024, new TcpConfig(), isnA, isnB, 40000, false);
        assertTrue(r.retransmissions > 0);
    }

    /** A generator whose ISN for this four-tuple at {@code now} is 200-300 KB below 2^32. */
    static IsnGenerator nearWrap(int local, int localPort, int remote, int remotePort, long now) {
        for (long k = 0; ; k++) {
            IsnGenerator g = new IsnGenerator(k, 99);
            long below = (1L << 32) - Integer.toUnsignedLong(g.isn(local, localPort, remote, remotePort, now));
            if (below >= 200_000 && below < 300_000) return g;
        }
    }

    static FaultInjector faults(long seed) {
        return new FaultInjector(seed).loss(0.10).reorder(0.10, 3_000_000).duplicate(0.05).corrupt(0.05).delay(1_000_000, 500_000);
    }

    record Result(long retransmissions, long fastRecoveries, long badChecksums) {}

    static Result transfer(FaultInjector ab, FaultInjector ba, int connections, long bytesEachWay, TcpConfig cfg) throws Exception {
        return transfer(ab, ba, connections, bytesEachWay, cfg, new IsnGenerator(1, 2), new IsnGenerator(3, 4), 0, false);
    }

    /** {@code clientPort} 0: ephemeral ports; otherwise connection i uses {@code clientPort + i}. */
    static Result transfer(FaultInjector ab, FaultInjector ba, int connections, long bytesEachWay, TcpConfig cfg,
                           IsnGenerator isnA, IsnGenerator isnB, int clientPort, boolean offloadChecksums) throws Exception {
        Simulation sim = new Simulation();
        MemoryLink link = new MemoryLink(sim.clock(), ab, ba);
        if (offloadChecksums) link.offloadChecksums();
        NetStack a = sim.add(new NetStack());
        NetStack b = sim.add(new NetStack());
        NetInterface ifA = a.addInterface(link.a());
        NetInterface ifB = b.addInterface(link.b());
        a.addAddress(ifA, "10.0.0.1/24");
        b.addAddress(ifB, "10.0.0.2/24");
        cfg.isnGenerator = isnA;
        Tcp tcpA = new Tcp(a.ipv4(), cfg);
        TcpConfig cfgB = copy(cfg);
        cfgB.isnGenerator = isnB;
        Tcp tcpB = new Tcp(b.ipv4(), cfgB);
        a.register(tcpA);
        b.register(tcpB);
        sim.runFor(0);

        TcpListener listener = tcpB.listen(0, PORT, connections);
        List<TcpConnection> clients = new ArrayList<>();
        List<TcpConnection> servers = new ArrayList<>();
        List<Stream> up = new ArrayList<>();
        List<Stream> down = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            clients.add(clientPort == 0 ? tcpA.connect(B, PORT) : tcpA.connect(0, clientPort + i, B, PORT));
            up.add(new Stream(100 + i, bytesEachWay));
            down.add(new Stream(200 + i, bytesEachWay));
        }
        byte[] buf = new byte[65536];
        Exception[] failure = new Exception[1];
        boolean done = sim.runUntil(() -> {
            try {
                TcpConnection accepted;
                while ((accepted = listener.accept()) != null) servers.add(accepted);
                boolean all = servers.size() == connections;
                for (int i = 0; i < connections; i++) {
                    TcpConnection c = clients.get(i);
                    if (c.error() != null) throw new AssertionError("client " + i + " failed: " + c.error() + " A " + tcpA.counters() + " B " + tcpB.counters() + " " + tcpB.connections());
                    if (c.isConnected() || c.peerClosed()) {
                        up.get(i).write(c);
                        down.get(i).read(c, buf);
                    }
                    all &= up.get(i).finSent && down.get(i).eof;
                }
                for (TcpConnection s : servers) {
                    int i = clients.indexOf(clients.stream().filter(c -> c.localPort() == s.remotePort()).findFirst().orElseThrow());
                    if (s.error() != null) throw new AssertionError("server " + i + " failed: " + s.error());
                    up.get(i).read(s, buf);
                    down.get(i).write(s);
                    all &= up.get(i).eof && down.get(i).finSent;
                }
                return all;
            } catch (Exception e) {
                failure[0] = e;
                return true;
            }
        }, 6 * 3600 * S);
        if (failure[0] != null) throw failure[0];
        assertTrue(done, () -> "transfers did not finish: A " + tcpA.counters() + " B " + tcpB.counters());
        for (int i = 0; i < connections; i++) {
            for (Stream s : List.of(up.get(i), down.get(i))) {
                assertEquals(s.length, s.read, "every byte arrived exactly once");
                assertArrayEquals(s.sent.digest(), s.received.digest(), "in order and intact");
            }
        }
        // Both sides close down cleanly: nothing is left but TIME-WAIT, which then expires.
        for (TcpConnection c : clients) c.close();
        for (TcpConnection c : servers) c.close();
        sim.runFor(5 * 60 * S);
        assertEquals(0, tcpA.connectionCount(), () -> "left on A: " + tcpA.connections());
        assertEquals(0, tcpB.connectionCount(), () -> "left on B: " + tcpB.connections());
        TcpCounters ca = tcpA.counters();
        TcpCounters cb = tcpB.counters();
        return new Result(ca.get(Event.RETRANSMITTED_SEGMENTS) + cb.get(Event.RETRANSMITTED_SEGMENTS),
                ca.get(Event.FAST_RECOVERIES) + cb.get(Event.FAST_RECOVERIES),
                ca.get(Drop.BAD_CHECKSUM) + cb.get(Drop.BAD_CHECKSUM));
    }

    static TcpConfig copy(TcpConfig c) {
        TcpConfig n = new TcpConfig();
        n.sack = c.sack;
        n.timestamps = c.timestamps;
        n.windowScaling = c.windowScaling;
        return n;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

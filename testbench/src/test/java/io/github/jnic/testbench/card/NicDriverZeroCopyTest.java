package io.github.jnic.testbench.card;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.driver.DmaBuffers;
import io.github.jnic.driver.NicDriver;
import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.net.dev.Posix;
import io.github.jnic.net.tcp.Tcp;
import io.github.jnic.net.tcp.TcpConfig;
import io.github.jnic.net.tcp.TcpConnection;
import io.github.jnic.net.tcp.TcpListener;
import io.github.jnic.net.wire.Bytes;
import io.github.jnic.net.wire.Checksum;
import io.github.jnic.spec.Registers;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The driver's transmit gather: a frame whose pieces lie in the driver's DMA memory goes out as one
 * descriptor per piece, read by the card where it lies, and its pieces are the sender's again only
 * after the card has written DD past them; pieces anywhere else are copied into the slots.
 */
class NicDriverZeroCopyTest {
    @AfterEach
    void closeCards() {
        CardKind.closeAll();
    }

    private static final long US = 1_000;
    private static final int HEADER = 18;   // Ethernet header and the sequence number RawCards frames carry

    /** Where a piece lies: {@code length} bytes of {@code buffer} from {@code index}. */
    private record Piece(ByteBuffer buffer, int index, int length) {}

    /** Counts what the driver tells the lender, and what each telling found. */
    private static final class Lender implements PacketBuffer.PieceLender {
        final List<Long> returned = new ArrayList<>();
        Runnable onReturn = () -> {};

        @Override public void returned(long token) {
            returned.add(token);
            onReturn.run();
        }
    }

    /** A RawCards frame, sequence {@code seq}, whose payload after its 18 bytes is {@code pieces}, left to gather. */
    private static PacketBuffer gathered(RawCards net, int seq, List<Piece> pieces, Lender lender) {
        PacketBuffer f = net.frame(HEADER, seq);
        int at = f.end();
        for (Piece p : pieces) {
            f.append(p.length());
            f.gatherLater(p.buffer(), Posix.address(p.buffer()), p.index(), at, p.length());
            at += p.length();
        }
        f.lendPieces(lender, seq);
        return f;
    }

    /** The frame's bytes as the sender means them: its header, then each piece read where it lies now. */
    private static byte[] expected(int seq, RawCards net, List<Piece> pieces) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PacketBuffer h = net.frame(HEADER, seq);
        out.writeBytes(h.toByteArray());
        h.release();
        for (Piece p : pieces) {
            byte[] b = new byte[p.length()];
            p.buffer().get(p.index(), b);
            out.writeBytes(b);
        }
        return out.toByteArray();
    }

    private static ByteBuffer random(ByteBuffer b, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < b.capacity(); i++) b.put(i, (byte) r.nextInt());
        return b;
    }

    private static long stat(RawCards net, String name) {
        return net.a.statistics().get("nic." + name);
    }

    @ParameterizedTest
    @EnumSource(CardKind.class)
    void piecesInDmaMemoryAreSentWhereTheyLieAndHeldUntilTheCardWroteDd(CardKind kind) {
        RawCards net = new RawCards(kind, c -> c.txCopyBreak = 0, c -> {});
        ByteBuffer one = random(net.a.dmaBuffers().allocate(4096), 1), two = random(net.a.dmaBuffers().allocate(8192), 2);
        // odd starts and lengths, one piece across a 4 KiB page of the bus, four pieces (the most a packet names)
        List<Piece> pieces = List.of(new Piece(one, 5, 701), new Piece(two, 4093, 9), new Piece(two, 3001, 400), new Piece(one, 2000, 333));
        byte[] want = expected(7, net, pieces);
        Lender lender = new Lender();
        long copiedBefore = stat(net, "tx-copied-bytes");
        List<byte[]> wire = new ArrayList<>();

        PacketBuffer f = gathered(net, 7, pieces, lender);
        assertTrue(net.a.transmit(f));
        assertEquals(1, net.a.transmitHeld(), "the driver keeps the frame: the card reads its pieces after the doorbell");
        net.a.flush();
        assertEquals(List.of(), lender.returned, "not returned at the doorbell");
        // once told, the sender may change its bytes: the card must be done with the frame's
        // descriptors (TDH caught up with TDT), and the wire must still carry what was queued
        List<Boolean> cardDone = new ArrayList<>();
        lender.onReturn = () -> {
            cardDone.add(net.cardA.read(Registers.TDH) == net.cardA.read(Registers.TDT));
            for (Piece p : pieces) for (int i = 0; i < p.length(); i++) p.buffer().put(p.index() + i, (byte) ~p.buffer().get(p.index() + i));
        };
        net.run(200 * US);
        for (int i = 0; i < 10; i++) {
            net.a.receive(x -> x.release(), 64);
            net.b.receive(x -> { wire.add(x.toByteArray()); x.release(); }, 64);
            net.run(100 * US);
        }
        assertEquals(List.of(7L), lender.returned, "returned once");
        assertEquals(List.of(true), cardDone, "only after the card had completed its descriptors");
        assertEquals(0, net.a.transmitHeld());
        assertEquals(1, wire.size());
        assertArrayEquals(want, wire.get(0), "the wire carries the header and the pieces as they were queued");
        assertEquals(1, stat(net, "tx-zero-copy"));
        assertEquals(701 + 9 + 400 + 333, stat(net, "tx-zero-copy-bytes"));
        assertEquals(HEADER, stat(net, "tx-copied-bytes") - copiedBefore, "only the header was copied");
        assertEquals(0, stat(net, "tx-copy-fallback"));
    }

    @ParameterizedTest
    @EnumSource(CardKind.class)
    void piecesOutsideDmaMemoryAreCopiedAndReturnedAtOnce(CardKind kind) {
        RawCards net = new RawCards(kind, c -> c.txCopyBreak = 0, c -> {});
        ByteBuffer dma = random(net.a.dmaBuffers().allocate(4096), 3);
        ByteBuffer plain = random(ByteBuffer.allocateDirect(4096), 4);   // direct, but not the driver's
        List<Piece> pieces = List.of(new Piece(dma, 10, 500), new Piece(plain, 33, 600));
        byte[] want = expected(9, net, pieces);
        Lender lender = new Lender();
        long copiedBefore = stat(net, "tx-copied-bytes");
        List<byte[]> wire = new ArrayList<>();

        assertTrue(net.a.transmit(gathered(net, 9, pieces, lender)));
        assertEquals(List.of(9L), lender.returned, "copied into the slots: the pieces are free at once");
        assertEquals(0, net.a.transmitHeld());
        net.a.flush();
        net.run(200 * US);
        for (int i = 0; i < 10; i++) {
            net.a.receive(x -> x.release(), 64);
            net.b.receive(x -> { wire.add(x.toByteArray()); x.release(); }, 64);
            net.run(100 * US);
        }
        assertEquals(1, wire.size());
        assertArrayEquals(want, wire.get(0));
        assertEquals(1, stat(net, "tx-copy-fallback"));
        assertEquals(0, stat(net, "tx-zero-copy"));
        assertEquals(want.length, stat(net, "tx-copied-bytes") - copiedBefore, "the whole frame copied");
    }

    @ParameterizedTest
    @EnumSource(CardKind.class)
    void aFrameNoLongerThanTheCopybreakIsCopiedThoughItsPiecesLieInDmaMemory(CardKind kind) {
        RawCards net = new RawCards(kind, c -> c.txCopyBreak = 1024, c -> {});
        ByteBuffer dma = random(net.a.dmaBuffers().allocate(8192), 7);
        List<Piece> small = List.of(new Piece(dma, 0, 1024 - HEADER)), large = List.of(new Piece(dma, 2000, 1024 - HEADER + 1));
        byte[] wantSmall = expected(1, net, small), wantLarge = expected(2, net, large);
        Lender lender = new Lender();
        long copiedBefore = stat(net, "tx-copied-bytes");
        List<byte[]> wire = new ArrayList<>();

        assertTrue(net.a.transmit(gathered(net, 1, small, lender)));
        assertEquals(List.of(1L), lender.returned, "at the copybreak: copied into its slot, the pieces free at once");
        assertEquals(0, net.a.transmitHeld());
        assertTrue(net.a.transmit(gathered(net, 2, large, lender)));
        assertEquals(1, net.a.transmitHeld(), "a byte over it: sent where it lies, held until DD");
        net.a.flush();
        for (int i = 0; i < 10; i++) {
            net.run(100 * US);
            net.a.receive(x -> x.release(), 64);
            net.b.receive(x -> { wire.add(x.toByteArray()); x.release(); }, 64);
        }
        assertEquals(List.of(1L, 2L), lender.returned);
        assertEquals(0, net.a.transmitHeld());
        assertEquals(2, wire.size());
        assertArrayEquals(wantSmall, wire.get(0));
        assertArrayEquals(wantLarge, wire.get(1));
        assertEquals(1, stat(net, "tx-copybreak"));
        assertEquals(1, stat(net, "tx-zero-copy"));
        assertEquals(0, stat(net, "tx-copy-fallback"));
        assertEquals(1024 + HEADER, stat(net, "tx-copied-bytes") - copiedBefore, "the small frame whole, the large one's header");
    }

    @ParameterizedTest
    @EnumSource(CardKind.class)
    void aFullRingOfGatheredFramesIsReleasedInOrderAsTheCardCompletesThem(CardKind kind) {
        // 32 descriptors: three per frame (header, two pieces), so the ring fills and reclaims mid-way
        RawCards net = new RawCards(kind, c -> { c.txRingSize = 32; c.txCopyBreak = 0; }, c -> {});
        ByteBuffer dma = random(net.a.dmaBuffers().allocate(64 * 1024), 5);
        Lender lender = new Lender();
        Map<Integer, byte[]> want = new java.util.HashMap<>();
        List<byte[]> wire = new ArrayList<>();
        int queued = 0;
        for (int round = 0; round < 400 && wire.size() < 60; round++) {
            while (queued < 60) {
                int at = (queued * 997) % (60 * 1024), n = 100 + queued * 13 % 1300;
                List<Piece> pieces = List.of(new Piece(dma, at, n / 2), new Piece(dma, at + n / 2 + 7, n - n / 2));
                PacketBuffer f = gathered(net, queued, pieces, lender);
                want.put(queued, expected(queued, net, pieces));
                if (!net.a.transmit(f)) {
                    f.release();   // the driver refused it: the sender's again, sent anew later
                    break;
                }
                queued++;
            }
            net.a.flush();
            assertTrue(net.a.transmitHeld() <= 31 / 3, "held frames fit the ring");
            net.run(50 * US);
            net.a.receive(x -> x.release(), 64);
            net.b.receive(x -> { wire.add(x.toByteArray()); x.release(); }, 64);
        }
        assertEquals(60, wire.size());
        for (int i = 0; i < 60; i++) {
            assertArrayEquals(want.get(i), wire.get(i), "frame " + i);
            assertEquals(i, Bytes.get32(wire.get(i), 14));
        }
        for (int i = 0; i < 20; i++) {
            net.run(100 * US);
            net.a.receive(x -> x.release(), 64);
        }
        // refused frames were returned by the sender's release, then queued again: each sent one once more
        assertEquals(60 + net.a.statistics().get("nic.drop.tx-ring-full"), lender.returned.size());
        assertEquals(60, lender.returned.stream().distinct().count(), "every frame returned");
        assertEquals(0, net.a.transmitHeld());
        assertEquals(60, stat(net, "tx-zero-copy"));
        assertTrue(net.a.statistics().get("nic.drop.tx-ring-full") > 0, "the ring did fill");
    }

    @ParameterizedTest
    @EnumSource(CardKind.class)
    void aChecksumOffloadedFrameIsGatheredAndTheCardSumsThePieces(CardKind kind) {
        RawCards net = new RawCards(kind, c -> { c.txOffload = true; c.txCopyBreak = 0; }, c -> c.rxChecksum = true);
        ByteBuffer dma = random(net.a.dmaBuffers().allocate(4096), 6);
        int payload = 1001;   // odd
        List<Piece> pieces = List.of(new Piece(dma, 3, 400), new Piece(dma, 1500, payload - 400));
        PacketBuffer f = net.pool.take();
        int at = f.append(14 + 20 + 8);
        byte[] d = f.data();
        System.arraycopy(net.b.macAddress(), 0, d, at, 6);
        System.arraycopy(net.a.macAddress(), 0, d, at + 6, 6);
        Bytes.put16(d, at + 12, 0x0800);
        d[at + 14] = 0x45;
        Bytes.put16(d, at + 16, 20 + 8 + payload);
        d[at + 22] = 64;
        d[at + 23] = 17;
        Bytes.put32(d, at + 26, TwoCards.A);
        Bytes.put32(d, at + 30, TwoCards.B);
        Bytes.put16(d, at + 24, Checksum.of(d, at + 14, 20));
        Bytes.put16(d, at + 34, 5000);
        Bytes.put16(d, at + 36, 6000);
        Bytes.put16(d, at + 38, 8 + payload);
        // CHECKSUM_PARTIAL: the pseudo-header sum in the field, the card sums from the UDP header on
        Bytes.put16(d, at + 40, Checksum.fold(Checksum.pseudoHeader(TwoCards.A, TwoCards.B, 17, 8 + payload)));
        f.requestChecksum(at + 34, 6);
        int p = f.end();
        for (Piece piece : pieces) {
            f.append(piece.length());
            f.gatherLater(piece.buffer(), Posix.address(piece.buffer()), piece.index(), p, piece.length());
            p += piece.length();
        }
        Lender lender = new Lender();
        f.lendPieces(lender, 1);
        byte[] header = java.util.Arrays.copyOfRange(d, at, at + 42);
        List<PacketBuffer.RxChecksum> verdicts = new ArrayList<>();
        List<byte[]> wire = new ArrayList<>();
        assertTrue(net.a.transmit(f));
        net.a.flush();
        for (int i = 0; i < 10; i++) {
            net.run(100 * US);
            net.a.receive(x -> x.release(), 64);
            net.b.receive(x -> { verdicts.add(x.rxChecksum()); wire.add(x.toByteArray()); x.release(); }, 64);
        }
        assertEquals(List.of(1L), lender.returned);
        assertEquals(1, wire.size());
        byte[] got = wire.get(0);
        assertEquals(42 + payload, got.length);
        byte[] body = new byte[payload];
        dma.get(3, body, 0, 400);
        dma.get(1500, body, 400, payload - 400);
        assertArrayEquals(body, java.util.Arrays.copyOfRange(got, 42, got.length), "the payload is the pieces");
        header[40] = got[40];
        header[41] = got[41];
        assertArrayEquals(header, java.util.Arrays.copyOfRange(got, 0, 42), "the headers as queued, the checksum filled in");
        int sum = Checksum.finish(Checksum.add(Checksum.pseudoHeader(TwoCards.A, TwoCards.B, 17, 8 + payload), got, 34, 8 + payload));
        assertEquals(0, sum, "the UDP checksum over header and pieces verifies");
        assertEquals(List.of(PacketBuffer.RxChecksum.GOOD), verdicts, "and the receiving card agrees");
        assertEquals(1, stat(net, "tx-zero-copy"));
    }

    @ParameterizedTest
    @EnumSource(CardKind.class)
    void tcpSendsFromItsSendBufferAndTheApplicationsBuffersInDmaMemoryWithoutACopy(CardKind kind) throws Exception {
        // no copybreak: every payload, the small segments' too, is read where it lies
        TwoCards net = new TwoCards(kind, c -> { c.txOffload = true; c.rxChecksum = true; c.txCopyBreak = 0; });
        DmaBuffers dma = net.a.dmaBuffers();
        TcpConfig ca = new TcpConfig();
        ca.sendMemory = TcpConfig.SendMemory.of(dma::allocate, dma::free);
        Tcp tcpA = new Tcp(net.stackA.ipv4(), ca), tcpB = new Tcp(net.stackB.ipv4(), new TcpConfig());
        net.stackA.register(tcpA);
        net.stackB.register(tcpB);
        net.sim.runFor(0);
        TcpListener listener = tcpB.listen(0, 80, 1);
        TcpConnection client = tcpA.connect(TwoCards.B, 80);
        int regionsAfterConnect = dma.regions();
        // the application's own buffers in DMA memory, each refilled once the stack is done with it
        int bytes = 1 << 20, chunk = 64 * 1024;
        byte[] sent = new byte[bytes];
        new SplittableRandom(3).nextBytes(sent);
        ByteBuffer[] buffers = {dma.allocate(chunk), dma.allocate(chunk), dma.allocate(chunk)};
        long[] lastCall = {-1, -1, -1};
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        TcpConnection[] server = new TcpConnection[1];
        int[] queued = {0};
        int[] next = {0};
        boolean[] handing = {false};
        byte[] in = new byte[65536];
        boolean done = net.sim.runUntil(() -> {
            try {
                if (server[0] == null) server[0] = listener.accept();
                if (client.isConnected() && queued[0] < bytes) {
                    // alternately: copied into the send buffer (write), handed over where it lies (writeZeroCopy)
                    if ((queued[0] / chunk & 1) == 0) {
                        queued[0] += client.write(sent, queued[0], Math.min(chunk - queued[0] % chunk, bytes - queued[0]));
                    } else {
                        int i = next[0];
                        ByteBuffer b = buffers[i];
                        if (!handing[0] && client.zeroCopyCompleted() > lastCall[i]) {
                            // the application reuses the buffer once the stack is done with it: were
                            // its old bytes read after that, the wire would show it
                            b.clear().put(0, sent, queued[0], chunk);
                            handing[0] = true;
                        }
                        if (handing[0]) {
                            long call = client.zeroCopyCalls();
                            int n = client.writeZeroCopy(b);
                            if (n > 0) lastCall[i] = call;
                            queued[0] += n;
                            if (!b.hasRemaining()) {
                                handing[0] = false;
                                next[0] = (i + 1) % buffers.length;
                            }
                        }
                    }
                }
                if (server[0] != null) for (int n; (n = server[0].read(in, 0, in.length)) > 0; ) got.write(in, 0, n);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            return got.size() == bytes;
        }, 60_000_000_000L);
        var sa = net.a.statistics();
        assertTrue(done, () -> "stuck at " + got.size() + " of " + bytes + ": " + sa);
        assertArrayEquals(sent, got.toByteArray(), "intact");
        assertTrue(sa.get("nic.tx-tso") > 0, "large segments");
        assertTrue(sa.get("nic.tx-zero-copy") > 0, "sent where the bytes lie: " + sa);
        assertEquals(0, sa.get("nic.tx-copy-fallback"), "every piece was in DMA memory: none copied");
        assertTrue(sa.get("nic.tx-zero-copy-bytes") >= bytes, "every payload byte read by the card where it lay (retransmissions add): " + sa);
        assertTrue(sa.get("nic.tx-copied-bytes") < sa.get("nic.tx-frames") * 160, "only headers copied: " + sa);
        assertEquals(regionsAfterConnect + 3, dma.regions());
        client.close();
        server[0].close();
        net.sim.runUntil(() -> client.state() == io.github.jnic.net.tcp.TcpState.CLOSED || client.state() == io.github.jnic.net.tcp.TcpState.TIME_WAIT, 10_000_000_000L);
    }
}

package io.github.jnic.testbench.card;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.driver.Coalescing;
import io.github.jnic.driver.NicDriver;
import io.github.jnic.net.icmp.EchoListener;
import io.github.jnic.net.tcp.Tcp;
import io.github.jnic.net.tcp.TcpConfig;
import io.github.jnic.net.tcp.TcpConnection;
import io.github.jnic.net.tcp.TcpListener;
import io.github.jnic.spec.Registers;
import io.github.jnic.spec.Registers.Cause;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Two stacks over the driver over two card models joined by a cable: the driver as the stack uses it. */
class NicDriverStackTest {
    @AfterEach
    void closeCards() {
        CardKind.closeAll();
    }

    private static final long S = 1_000_000_000L;

    static final class Replies implements EchoListener {
        final List<byte[]> data = new ArrayList<>();
        @Override public void reply(int from, int sequence, byte[] d, int off, int len, long now) {
            data.add(Arrays.copyOfRange(d, off, off + len));
        }
        @Override public void error(int type, int code, int destination, int sequence, long now) {}
    }

    @ParameterizedTest
    @EnumSource(CardKind.class)
    void pingIsAnsweredThroughBothCards(CardKind kind) {
        TwoCards net = new TwoCards(kind);
        Replies replies = new Replies();
        net.stackA.icmp().addEchoListener(7, replies);
        byte[] payload = "hello over the rings".getBytes();
        net.stackA.icmp().sendEcho(TwoCards.B, 7, 1, payload, 0, payload.length);
        assertTrue(net.sim.runUntil(() -> replies.data.size() == 1, 1 * S));
        assertArrayEquals(payload, replies.data.get(0));
        // What one card sent (ARP, the echo request, the stacks' own announcements) the other received, and the drivers agree.
        var sa = net.a.statistics();
        var sb = net.b.statistics();
        assertTrue(sb.get("card.GPRC") >= 2, sb::toString);
        assertEquals(sa.get("card.GPTC"), sb.get("card.GPRC"));
        assertEquals(sa.get("card.GOTC"), sb.get("card.GORC"), "octets, FCS included, as sent and as received");
        assertEquals(sb.get("card.GPRC"), sb.get("nic.rx-frames"));
        assertEquals(sa.get("nic.tx-frames"), sa.get("card.GPTC"));
        assertTrue(net.b.interrupts() >= 1 && net.b.causeCount(Cause.RXT0) >= 1, net.b.interruptsView());
        assertEquals(0, net.stackA.counters().drops().size() + net.stackB.counters().drops().size(),
                () -> "no drops: " + net.stackA.counters().drops() + net.stackB.counters().drops());
        assertEquals(0, net.a.counters().drops().size() + net.b.counters().drops().size());
    }

    @ParameterizedTest
    @EnumSource(CardKind.class)
    void framesLargerThanABufferSpanSeveralDescriptorsAndWrapSmallRings(CardKind kind) {
        // 256-byte receive buffers: a 1400-byte echo takes 6 descriptors; 8-descriptor rings wrap on every frame.
        TwoCards net = new TwoCards(kind, c -> { c.rxBufferSize = 256; c.rxRingSize = 16; c.txRingSize = 8; c.txBufferSize = 512; });
        Replies replies = new Replies();
        net.stackA.icmp().addEchoListener(7, replies);
        byte[] payload = new byte[1400];
        new SplittableRandom(3).nextBytes(payload);
        for (int i = 0; i < 50; i++) {
            net.stackA.icmp().sendEcho(TwoCards.B, 7, i, payload, 0, payload.length);
            int want = i + 1;
            assertTrue(net.sim.runUntil(() -> replies.data.size() == want, 1 * S), "echo " + i);
            assertArrayEquals(payload, replies.data.get(i));
        }
        assertTrue(net.b.statistics().get("card.GPRC") >= 50);
        assertEquals(0, net.stackB.counters().drops().size(), () -> net.stackB.counters().drops().toString());
    }

    @ParameterizedTest
    @EnumSource(CardKind.class)
    void tcpMovesDataBothWaysIntactWithDefaultModeration(CardKind kind) throws Exception {
        TwoCards net = new TwoCards(kind);
        transfer(net, 2 << 20);
        assertEquals(0, net.a.statistics().get("card.MPC") + net.b.statistics().get("card.MPC"));
        assertTrue(net.a.interrupts() > 0 && net.a.causeCount(Cause.TXDW) > 0, net.a.interruptsView());
    }

    @ParameterizedTest
    @EnumSource(CardKind.class)
    void tcpWithChecksumOffloadAndTsoOnTheCard(CardKind kind) throws Exception {
        Consumer<NicDriver.Config> offload = c -> { c.txOffload = true; c.rxChecksum = true; };
        TwoCards net = new TwoCards(kind, offload);
        assertTrue(net.a.features().contains(NicDriver.Feature.TSO));
        transfer(net, 2 << 20);
        var sa = net.a.statistics();
        assertTrue(sa.get("nic.tx-tso") > 0, () -> "the stack handed over large segments: " + sa);
        assertTrue(sa.get("card.TSCTC") > 0, "the card cut them");
        assertEquals(0, sa.get("card.TSCTFC"));
        assertTrue(net.b.statistics().get("nic.rx-checksum-good") > 0, "the card vouched for checksums");
        assertEquals(0, net.b.statistics().get("nic.rx-checksum-bad"));
        assertTrue(sa.get("card.GPTC") > sa.get("nic.tx-frames"), "more frames on the wire than the driver queued: TSO");
    }

    /** One connection, {@code bytes} each way, SHA-256 compared end to end. */
    static void transfer(TwoCards net, int bytes) throws Exception {
        Tcp tcpA = new Tcp(net.stackA.ipv4(), new TcpConfig());
        Tcp tcpB = new Tcp(net.stackB.ipv4(), new TcpConfig());
        net.stackA.register(tcpA);
        net.stackB.register(tcpB);
        net.sim.runFor(0);
        TcpListener listener = tcpB.listen(0, 80, 1);
        TcpConnection client = tcpA.connect(TwoCards.B, 80);
        byte[] up = new byte[bytes], down = new byte[bytes];
        new SplittableRandom(1).nextBytes(up);
        new SplittableRandom(2).nextBytes(down);
        MessageDigest gotUp = MessageDigest.getInstance("SHA-256"), gotDown = MessageDigest.getInstance("SHA-256");
        int[] sent = new int[2], received = new int[2];
        TcpConnection[] server = new TcpConnection[1];
        byte[] buf = new byte[65536];
        boolean done = net.sim.runUntil(() -> {
            try {
                if (server[0] == null) server[0] = listener.accept();
                if (client.isConnected()) {
                    sent[0] += client.write(up, sent[0], bytes - sent[0]);
                    int n;
                    while ((n = client.read(buf, 0, buf.length)) > 0) { gotDown.update(buf, 0, n); received[1] += n; }
                }
                if (server[0] != null) {
                    sent[1] += server[0].write(down, sent[1], bytes - sent[1]);
                    int n;
                    while ((n = server[0].read(buf, 0, buf.length)) > 0) { gotUp.update(buf, 0, n); received[0] += n; }
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            return received[0] == bytes && received[1] == bytes;
        }, 60 * S);
        assertTrue(done, () -> "transfer stuck: " + received[0] + " and " + received[1] + " of " + bytes + "; A " + net.a.statistics() + " B " + net.b.statistics());
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(up), gotUp.digest(), "A to B intact");
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(down), gotDown.digest(), "B to A intact");
    }

    @ParameterizedTest
    @EnumSource(CardKind.class)
    void unpluggingTheCableIsSeenThroughLsc(CardKind kind) {
        TwoCards net = new TwoCards(kind);
        assertTrue(net.a.linkUp());
        net.cards.cable().setUp(false);
        net.sim.runFor(1_000_000);
        assertFalse(net.a.linkUp(), "LSC told the driver");
        assertFalse(net.b.linkUp());
        assertTrue(net.a.causeCount(Cause.LSC) >= 1);
        net.cards.cable().setUp(true);
        net.sim.runFor(1_000_000);
        assertTrue(net.a.linkUp() && net.b.linkUp());
    }

    @ParameterizedTest
    @EnumSource(CardKind.class)
    void coalescingSettingsLandInTheRegistersAsE1000eMapsThem(CardKind kind) {
        TwoCards net = new TwoCards(kind);
        net.b.setCoalescing(new Coalescing(100, 1, 16, 1, false));
        assertEquals(100_000 / 256 + 1, net.cardB.read(Registers.ITR), "rx-usecs 100: at most 10 000 interrupts/s");
        assertEquals(0, net.cardB.read(Registers.RDTR));
        net.b.setCoalescing(new Coalescing(100, 16, 0, 1, true));
        assertEquals(0, net.cardB.read(Registers.ITR));
        assertEquals(98, net.cardB.read(Registers.RADV), "100 µs in 1.024 µs units, rounded up");
        assertEquals(98, net.cardB.read(Registers.RDTR));
        assertEquals(16, net.cardB.read(Registers.RXFC));
        assertEquals(Registers.Aim.EN.of(1) | Registers.Aim.SPARSE.of(4) | Registers.Aim.FRAMES.of(16) | Registers.Aim.MAXDELAY.of(98), net.cardB.read(Registers.AIM) & 0xffffffffL);
        assertEquals(0, net.cardB.read(Registers.TIDV));
        net.b.setCoalescing(Coalescing.defaults());
        assertEquals(8, net.cardB.read(Registers.TIDV), "e1000e's TxIntDelay");
        assertEquals(32, net.cardB.read(Registers.TADV), "e1000e's TxAbsIntDelay");
        assertEquals(1_000_000_000 / (20_000 * 256), net.cardB.read(Registers.ITR) - 1, "e1000e's 20 000 interrupts/s");
    }
}

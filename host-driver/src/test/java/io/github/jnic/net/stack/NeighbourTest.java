package io.github.jnic.net.stack;

import static org.junit.jupiter.api.Assertions.*;

import io.github.jnic.net.arp.ArpLayer.State;
import io.github.jnic.net.dev.MemoryLink;
import io.github.jnic.net.dev.ObservedDevice;
import io.github.jnic.net.eth.NetInterface;
import io.github.jnic.net.tcp.Tcp;
import io.github.jnic.net.tcp.TcpConnection;
import io.github.jnic.net.tcp.TcpCounters;
import io.github.jnic.net.tcp.TcpListener;
import io.github.jnic.net.wire.ArpPacket;
import io.github.jnic.net.wire.Bytes;
import io.github.jnic.net.wire.EthernetFrame;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Neighbour states as Linux's NUD, in virtual time: a stale neighbour is still used while unicast
 * probes re-validate it, forward progress keeps it reachable, a silent one is forgotten, and a
 * never-resolved one parks a whole 64 KiB datagram's fragments.
 */
class NeighbourTest {
    private static final long S = 1_000_000_000L, MS = 1_000_000L;
    private static final long REACHABLE = 10 * S;

    private final Simulation sim = new Simulation();
    private final MemoryLink link = new MemoryLink(sim.clock());
    private final byte[] macA = link.a().macAddress();
    private final byte[] macB = link.b().macAddress();
    /** Every frame A sends. */
    private final List<byte[]> sentByA = new ArrayList<>();
    private final NetStack a, b;
    private final NetInterface ifA;
    private final TwoHostsTest.Replies replies = new TwoHostsTest.Replies();

    NeighbourTest() {
        NetStack.Config c = new NetStack.Config();
        c.arpReachableNanos = REACHABLE;
        a = sim.add(new NetStack(c));
        b = sim.add(new NetStack(c));
        ifA = a.addInterface(new ObservedDevice(link.a(), (t, d, off, len) -> {
            if (Bytes.equal(d, off + 6, macA, 0, 6)) sentByA.add(Arrays.copyOfRange(d, off, off + len));
        }, sim.clock()));
        a.addAddress(ifA, "10.0.0.1/24");
        b.addAddress(b.addInterface(link.b()), "10.0.0.2/24");
        a.icmp().addEchoListener(1, replies);
    }

    private void ping(int seq) { a.icmp().sendEcho(TwoHosts.B, 1, seq, new byte[8], 0, 8); }

    private State state() { return a.arp().state(ifA, TwoHosts.B); }

    private long countA(String name) { return a.counters().get(name); }

    /** ARP requests A sent since the list was last cleared, each as "unicast" or "broadcast". */
    private List<String> arpSent() {
        List<String> kinds = new ArrayList<>();
        for (byte[] f : sentByA) {
            if (Bytes.get16(f, 12) != EthernetFrame.TYPE_ARP || Bytes.get16(f, 20) != ArpPacket.OP_REQUEST) continue;
            kinds.add(Bytes.equal(f, 0, macB, 0, 6) ? "unicast" : "broadcast");
        }
        return kinds;
    }

    @Test
    void aStaleNeighbourIsStillUsedWhileUnicastProbesRevalidateIt() {
        ping(1);
        sim.runFor(S);
        assertEquals(State.REACHABLE, state(), "a reply to our request proves it");
        sim.runFor(REACHABLE * 3 / 2);
        assertEquals(State.STALE, state());
        assertEquals(1, countA("arp.became-stale"));
        long queued = countA("arp.queued");
        sentByA.clear();
        ping(2);
        sim.runFor(MS);
        assertEquals(List.of(1, 2), replies.sequences, "the echo went at once, to the MAC we knew");
        assertEquals(State.DELAY, state());
        assertEquals(List.of(), arpSent());
        sim.runFor(5 * S + 10 * MS);   // delay_first_probe_time, then a unicast probe
        assertEquals(State.REACHABLE, state());
        assertEquals(List.of("unicast"), arpSent(), "re-validated without a broadcast");
        assertEquals(1, countA("arp.probes-sent"));
        assertEquals(queued, countA("arp.queued"), "nothing waited");
    }

    @Test
    void forwardProgressKeepsTheNeighbourReachableWithoutArp() {
        ping(1);
        sim.runFor(S);
        sentByA.clear();
        for (int i = 0; i < 60; i++) {
            ping(2 + i);
            a.ipv4().confirmNeighbour(TwoHosts.B);   // as TCP does for each ACK that advances SND.UNA
            sim.runFor(S);
        }
        assertEquals(State.REACHABLE, state());
        assertEquals(0, countA("arp.became-stale"));
        assertEquals(List.of(), arpSent(), "not one ARP frame in a minute");
        assertEquals(61, replies.sequences.size());
    }

    @Test
    void withoutConfirmationTheSameTrafficIsProbedEachPeriodAndNothingWaits() {
        ping(1);
        sim.runFor(S);
        long queued = countA("arp.queued");
        for (int i = 0; i < 60; i++) {
            ping(2 + i);
            sim.runFor(S);
        }
        assertTrue(countA("arp.became-stale") >= 3, "went stale each period: " + countA("arp.became-stale"));
        long probes = countA("arp.probes-sent"), stale = countA("arp.became-stale");
        assertTrue(probes == stale || probes == stale - 1, "one unicast probe each time, answered (the last may still be in DELAY): " + probes + " for " + stale);
        assertEquals(queued, countA("arp.queued"));
        assertEquals(61, replies.sequences.size());
    }

    @Test
    void aSilentNeighbourIsForgottenAfterItsProbesAndResolvedAfreshByBroadcast() {
        ping(1);
        sim.runFor(S);
        sim.runFor(REACHABLE * 3 / 2);
        link.b().setLinkUp(false);   // B is gone
        sentByA.clear();
        ping(2);
        sim.runFor(5 * S + 3 * S + 100 * MS);   // DELAY, then three unanswered probes a second apart
        assertEquals(State.FREE, state());
        assertEquals(List.of("unicast", "unicast", "unicast"), arpSent());
        link.b().setLinkUp(true);
        sentByA.clear();
        ping(3);
        sim.runFor(S);
        assertEquals(List.of("broadcast"), arpSent());
        assertEquals(List.of(1, 3), replies.sequences);
    }

    @Test
    void anUnresolvedNeighbourParksAWholeLargestDatagram() {
        ping(1);   // with the 45 fragments of the largest echo (65 535 bytes), they wait for B together
        a.icmp().sendEcho(TwoHosts.B, 1, 2, new byte[65_507], 0, 65_507);
        sim.runFor(S);
        assertEquals(1 + 45, countA("arp.queued"));
        assertEquals(0, countA("arp.drop.queue-full"));
        assertEquals(List.of(1, 2), replies.sequences);
        assertEquals(65_507, replies.data.get(1).length);
    }

    @Test
    void aTcpConnectionBusyAcrossManyAgingPeriodsLosesNothing() throws Exception {
        Tcp tcpA = new Tcp(a.ipv4()), tcpB = new Tcp(b.ipv4());
        a.register(tcpA);
        b.register(tcpB);
        a.arp().reachableTime(2 * S);
        b.arp().reachableTime(2 * S);
        TcpListener listener = tcpB.listen(0, 80, 1);
        sim.runFor(MS);   // TCP learns the clock at its first poll
        TcpConnection client = tcpA.connect(TwoHosts.B, 80);
        assertTrue(sim.runUntil(() -> listener.acceptable() > 0, S));
        TcpConnection server = listener.accept();
        long queuedA = countA("arp.queued"), queuedB = b.counters().get("arp.queued");
        byte[] chunk = new byte[1000], sink = new byte[65536];
        long received = 0;
        for (int i = 0; i < 6000; i++) {   // a kilobyte every 10 ms for a minute: many reachable periods
            assertEquals(chunk.length, client.write(chunk, 0, chunk.length));
            sim.runFor(10 * MS);
            for (int n; (n = server.read(sink, 0, sink.length)) > 0; ) received += n;
        }
        assertEquals(6000L * chunk.length, received);
        assertEquals(0, tcpA.counters().get(TcpCounters.Event.RETRANSMITTED_SEGMENTS), () -> tcpA.counters().toString());
        assertEquals(0, tcpB.counters().get(TcpCounters.Event.RETRANSMITTED_SEGMENTS));
        assertEquals(0, countA("arp.became-stale"), "the sender's ACKs confirm B");
        assertTrue(b.counters().get("arp.became-stale") >= 5, "B only ACKs: its entry for A aged and was probed");
        assertTrue(b.counters().get("arp.probes-sent") >= b.counters().get("arp.became-stale") - 1, "each re-validated by one unicast probe");
        assertEquals(queuedA, countA("arp.queued"), "no segment waited for ARP");
        assertEquals(queuedB, b.counters().get("arp.queued"));
        assertEquals(0, a.counters().dropsUnder("arp") + b.counters().dropsUnder("arp"));
    }
}

package io.github.jnic.net.tcp;

import static org.junit.jupiter.api.Assertions.*;

import io.github.jnic.net.tcp.TcpCounters.Drop;
import io.github.jnic.net.tcp.TcpCounters.Event;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Path MTU discovery (RFC 1191) as TCP sees it: the IP layer has lowered the path MTU toward the
 * peer (here {@link RecordingIp#mtu}) and hands TCP the "fragmentation needed" error.
 */
class TcpPathMtuTest extends TcpTestBase {
    private static final int CODE_FRAGMENTATION_NEEDED = 4;

    /** Writes {@code data} and lets the connection send what it may; returns the first segment. */
    private Segment writeAndSend(TcpConnection c, byte[] data) throws TcpException {
        c.write(data, 0, data.length);
        Segment first = out(ACK);
        drain();
        return first;
    }

    /** A "fragmentation needed" error quoting the first 8 bytes of a TCP header. */
    private void fragmentationNeeded(byte[] quotedTcpHeader) {
        tcp.icmpError(3, CODE_FRAGMENTATION_NEEDED, LOCAL, PEER, quotedTcpHeader, 0, 8, now);
    }

    @Test
    void fragmentationNeededShrinksSegmentsAndResendsWhatWasInFlightAtOnce() throws Exception {
        TcpConnection c = connect(-1, false, false);
        byte[] data = bytes(30000, 9);
        Segment first = writeAndSend(c, data);
        assertEquals(1460, first.payloadLength());
        int cwnd = c.congestionWindow();

        ip.mtu = 1000;   // what a router on the way said, learned by the IP layer
        fragmentationNeeded(Arrays.copyOf(first.bytes, 8));

        assertEquals(960, c.sendMss());
        assertEquals(cwnd, c.congestionWindow(), "not congestion: the window stays");
        assertEquals(1, tcp.counters().get(Event.PATH_MTU_REDUCTIONS));
        Segment[] again = drain();
        assertTrue(again.length > 0, "what was in flight goes again, without waiting for a timeout");
        int seq = first.seq();
        for (Segment s : again) {
            assertEquals(seq, s.seq(), "resent in order from SND.UNA");
            assertTrue(s.payloadLength() <= 960, "cut to the new MSS: " + s.payloadLength());
            assertArrayEquals(Arrays.copyOfRange(data, seq - first.seq(), seq - first.seq() + s.payloadLength()), s.payload());
            seq += s.payloadLength();
        }
    }

    @Test
    void theTimestampOptionComesOffTheNewMssToo() throws Exception {
        TcpConnection c = connect(-1, false, true);
        Segment first = writeAndSend(c, bytes(5000, 1));
        assertEquals(1448, first.payloadLength());
        ip.mtu = 1280;
        fragmentationNeeded(Arrays.copyOf(first.bytes, 8));
        assertEquals(1280 - 40 - 12, c.sendMss());
        for (Segment s : drain()) assertTrue(s.payloadLength() <= 1228);
    }

    @Test
    void anErrorAboutASequenceNotInFlightChangesNothing() throws Exception {
        TcpConnection c = connect(-1, false, false);
        Segment first = writeAndSend(c, bytes(3000, 2));
        byte[] forged = Arrays.copyOf(first.bytes, 8);
        forged[4] ^= 0x40;   // RFC 5927: a blind attacker cannot name a sequence number in flight
        ip.mtu = 600;
        fragmentationNeeded(forged);
        assertEquals(1460, c.sendMss());
        assertEquals(1, tcp.counters().get(Drop.ICMP_UNMATCHED));
        nothingSent();
    }

    @Test
    void aReportThatTheMtuDidNotShrinkIsIgnored() throws Exception {
        TcpConnection c = connect(-1, false, false);
        Segment first = writeAndSend(c, bytes(3000, 3));
        fragmentationNeeded(Arrays.copyOf(first.bytes, 8));   // ip.mtu still 1500
        assertEquals(1460, c.sendMss());
        assertEquals(0, tcp.counters().get(Event.PATH_MTU_REDUCTIONS));
        nothingSent();
        assertNull(c.error(), "not a soft error either");
    }
}

package io.github.jnic.net.dev;

import static org.junit.jupiter.api.Assertions.*;

import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.net.wire.Bytes;
import io.github.jnic.net.wire.Checksum;
import io.github.jnic.net.wire.EthernetFrame;
import io.github.jnic.net.wire.Ipv4Header;
import io.github.jnic.net.wire.UdpHeader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryLinkTest {
    private static final int SRC = 0x0a000001, DST = 0x0a000002;
    private static final int UDP_AT = EthernetFrame.HEADER_LENGTH + Ipv4Header.MIN_LENGTH;
    private static final int PAYLOAD = 200;

    /** A UDP frame asking for its checksum: the field holds the pseudo-header sum, as the stack leaves it. */
    private static PacketBuffer udpFrameAskingForChecksum() {
        byte[] f = new byte[UDP_AT + UdpHeader.LENGTH + PAYLOAD];
        EthernetFrame.write(f, 0, new byte[] {2, 0, 0, 0, 0, 2}, 0, new byte[] {2, 0, 0, 0, 0, 1}, -1, EthernetFrame.TYPE_IPV4);
        Ipv4Header.write(f, EthernetFrame.HEADER_LENGTH, 0, f.length - EthernetFrame.HEADER_LENGTH, 7, 0, 64, Ipv4Header.PROTO_UDP, SRC, DST);
        int udpLength = UdpHeader.LENGTH + PAYLOAD;
        UdpHeader.write(f, UDP_AT, 1000, 2000, udpLength, SRC, DST);
        for (int i = 0; i < PAYLOAD; i++) f[UDP_AT + UdpHeader.LENGTH + i] = (byte) (i * 7);
        Bytes.put16(f, UDP_AT + UdpHeader.CHECKSUM_OFFSET, Checksum.fold(Checksum.pseudoHeader(SRC, DST, Ipv4Header.PROTO_UDP, udpLength)));
        PacketBuffer b = PacketBuffer.of(f);
        b.requestChecksum(UDP_AT, UdpHeader.CHECKSUM_OFFSET);
        return b;
    }

    private static boolean checksumComplete(PacketBuffer b) {
        long sum = Checksum.pseudoHeader(SRC, DST, Ipv4Header.PROTO_UDP, UdpHeader.LENGTH + PAYLOAD);
        return Checksum.fold(Checksum.add(sum, b.data(), b.start() + UDP_AT, UdpHeader.LENGTH + PAYLOAD)) == 0xffff;
    }

    private static List<PacketBuffer> send(MemoryLink link, PacketBuffer frame) {
        link.a().transmit(frame);
        List<PacketBuffer> got = new ArrayList<>();
        link.b().receive(got::add, 16);
        return got;
    }

    @Test
    void withChecksumOffloadAFrameCrossesUnchecksummedAndArrivesVerified() {
        MemoryLink link = new MemoryLink(() -> 0L).offloadChecksums();
        assertTrue(link.a().features().contains(NetDevice.Feature.TX_CHECKSUM));
        List<PacketBuffer> got = send(link, udpFrameAskingForChecksum());
        assertEquals(1, got.size());
        assertEquals(PacketBuffer.RxChecksum.GOOD, got.get(0).rxChecksum());
        assertFalse(checksumComplete(got.get(0)), "nobody summed the payload: the field still holds the pseudo-header sum");
    }

    @Test
    void whereFramesMayBeCorruptedTheSendingEndFillsTheChecksumAndTheReceiverMustCheck() {
        FaultInjector mayCorrupt = new FaultInjector(1).corrupt(1e-12);   // never in practice, but possible
        MemoryLink link = new MemoryLink(() -> 0L, mayCorrupt, FaultInjector.none()).offloadChecksums();
        List<PacketBuffer> got = send(link, udpFrameAskingForChecksum());
        assertEquals(1, got.size());
        assertEquals(PacketBuffer.RxChecksum.NONE, got.get(0).rxChecksum());
        assertTrue(checksumComplete(got.get(0)));
    }

    @Test
    void aCorruptedFrameFailsItsChecksum() {
        FaultInjector corrupting = new FaultInjector(3).corrupt(1.0);
        MemoryLink link = new MemoryLink(() -> 0L, corrupting, FaultInjector.none()).offloadChecksums();
        int caught = 0;
        for (int i = 0; i < 50; i++) {
            for (PacketBuffer b : send(link, udpFrameAskingForChecksum())) {
                assertEquals(PacketBuffer.RxChecksum.NONE, b.rxChecksum());
                // A bit flipped in the UDP segment or in the addresses breaks the sum; elsewhere IP's own checksum or the MACs catch it.
                if (!checksumComplete(b)) caught++;
            }
        }
        assertEquals(50, corrupting.corrupted());
        assertTrue(caught > 25, "most flips land in the UDP segment and are caught: " + caught);
    }

    @Test
    void withoutOffloadNothingIsClaimed() {
        MemoryLink link = new MemoryLink(() -> 0L);
        PacketBuffer frame = udpFrameAskingForChecksum();
        List<PacketBuffer> got = send(link, frame);
        assertEquals(PacketBuffer.RxChecksum.NONE, got.get(0).rxChecksum());
        assertTrue(link.a().features().isEmpty());
    }

    @Test
    void completeChecksumFillsTheRequestedSum() {
        PacketBuffer b = udpFrameAskingForChecksum();
        assertFalse(checksumComplete(b));
        b.completeChecksum();
        assertTrue(checksumComplete(b));
        assertFalse(b.checksumRequested());
    }
}

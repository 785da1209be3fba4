package io.github.jnic.driver.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jnic.spec.HostLink;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The card's DMA served by {@link LinkBus} from host memory, the board played by a
 * {@link LinkEndpoint} across a lossless in-memory link: DMA_WRITE lands in memory where the card
 * wrote, DMA_READ is answered with the bytes there and the read's tag, and DMA outside host memory
 * is answered with SLVERR (reads) or dropped (writes), each counted.
 */
class LinkBusTest {
    static final long BASE = 0x1_0000_0000L;

    @Test
    void theCardsDmaIsServedFromHostMemory() {
        long[] now = {0};
        ArrayDeque<LinkMessage> toHost = new ArrayDeque<>(), toBoard = new ArrayDeque<>();
        List<LinkMessage> boardGot = new ArrayList<>();
        LinkEndpoint board = new LinkEndpoint(toHost::add, boardGot::add, 1_000);
        ByteBuffer memory = ByteBuffer.allocateDirect(1 << 16);
        LinkBus bus = new LinkBus(new LinkBus.Transport() {
            @Override public void send(LinkMessage m) { toBoard.add(m); }
            @Override public LinkMessage receive() { return toHost.poll(); }
        }, memory, BASE, () -> now[0], 1_000, 1_000_000);
        Random random = new Random(3);
        // a burst of 38 beats (five strobe groups) from 0x1230, its strobes those of 300 bytes from 0x1234
        byte[] beats = new byte[8 * 38], strobes = new byte[38];
        random.nextBytes(beats);
        for (int b = 0; b < 38; b++)
            for (int j = 0; j < 8; j++) if (8 * b + j >= 4 && 8 * b + j < 304) strobes[b] |= (byte) (1 << j);
        for (int i = 0; i < 1 << 16; i++) memory.put(i, (byte) 0xEE);
        board.send(LinkMessage.dmaWriteBurst(BASE + 0x1230, beats, strobes), now[0]);
        byte[] one = new byte[8];
        one[5] = 0x42;
        board.send(LinkMessage.dmaWriteBurst(BASE + 0x2000, one, new byte[] {1 << 5}), now[0]);   // one byte, as a status write-back
        board.send(LinkMessage.dmaWriteBurst(BASE + (1 << 16) - 8, new byte[16], new byte[] {-1, -1}), now[0]);   // past the end
        board.send(LinkMessage.dmaWrite(BASE + 0x3000, new byte[12]), now[0]);   // not laid out as a burst
        board.send(LinkMessage.dmaRead(7, BASE + 0x1234 + 8, 256), now[0]);
        board.send(LinkMessage.dmaRead(8, BASE - 8, 16), now[0]);                        // below host memory
        for (int i = 0; i < 10; i++) {
            now[0] += 100;
            bus.pump();
            for (LinkMessage m; (m = toBoard.poll()) != null; ) board.receive(m, now[0]);
            board.poll(now[0]);
        }
        byte[] written = java.util.Arrays.copyOfRange(beats, 4, 304);
        byte[] inMemory = new byte[written.length];
        memory.get(0x1234, inMemory);
        assertArrayEquals(written, inMemory, "the strobed bytes where the card wrote them");
        assertEquals((byte) 0xEE, memory.get(0x1233), "the bytes before, not strobed, untouched");
        assertEquals((byte) 0xEE, memory.get(0x1234 + 300), "the bytes after, not strobed, untouched");
        assertEquals(0x42, memory.get(0x2005));
        assertEquals((byte) 0xEE, memory.get(0x2004));
        assertEquals((byte) 0xEE, memory.get(0x2006));
        assertEquals(2, boardGot.size(), "one answer a read");
        LinkMessage ok = boardGot.get(0), bad = boardGot.get(1);
        assertEquals(HostLink.Type.DMA_DATA, ok.type());
        assertEquals(7, ok.tag());
        assertEquals(0, ok.value(), "OKAY");
        byte[] expected = new byte[256];
        memory.get(0x1234 + 8, expected);
        assertArrayEquals(java.util.Arrays.copyOfRange(written, 8, 264), expected);
        assertArrayEquals(expected, ok.data(), "the bytes the card read");
        assertEquals(8, bad.tag());
        assertEquals(LinkBus.SLVERR, bad.value(), "a read outside host memory");
        assertEquals(16, bad.data().length, "answered with as many bytes as asked, zeros");
        assertEquals(3, bus.dmaErrors(), "the read and the write outside memory, the write not a burst");
        assertEquals((byte) 0xEE, memory.get((1 << 16) - 8), "a write past the end is dropped whole");
        assertEquals((byte) 0xEE, memory.get(0x3000), "a write not laid out as a burst is dropped");
        assertEquals(2, bus.dmaReads());
        assertEquals(4, bus.dmaWrites());
    }
}

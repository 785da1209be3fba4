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
        byte[] written = new byte[300];
        random.nextBytes(written);
        board.send(LinkMessage.dmaWrite(BASE + 0x1234, written), now[0]);
        byte[] tooFar = new byte[11];
        java.util.Arrays.fill(tooFar, (byte) 0x5A);
        board.send(LinkMessage.dmaWrite(BASE + (1 << 16) - 10, tooFar), now[0]);   // one byte past the end
        board.send(LinkMessage.dmaRead(7, BASE + 0x1234 + 8, 256), now[0]);
        board.send(LinkMessage.dmaRead(8, BASE - 8, 16), now[0]);                        // below host memory
        for (int i = 0; i < 10; i++) {
            now[0] += 100;
            bus.pump();
            for (LinkMessage m; (m = toBoard.poll()) != null; ) board.receive(m, now[0]);
            board.poll(now[0]);
        }
        byte[] inMemory = new byte[written.length];
        memory.get(0x1234, inMemory);
        assertArrayEquals(written, inMemory, "the write where the card wrote");
        assertEquals(2, boardGot.size(), "one answer a read");
        LinkMessage ok = boardGot.get(0), bad = boardGot.get(1);
        assertEquals(HostLink.Type.DMA_DATA, ok.type());
        assertEquals(7, ok.tag());
        assertEquals(0, ok.value(), "OKAY");
        byte[] expected = new byte[256];
        System.arraycopy(written, 8, expected, 0, 256);
        assertArrayEquals(expected, ok.data(), "the bytes the card read");
        assertEquals(8, bad.tag());
        assertEquals(LinkBus.SLVERR, bad.value(), "a read outside host memory");
        assertEquals(16, bad.data().length, "answered with as many bytes as asked, zeros");
        assertEquals(2, bus.dmaErrors(), "the read and the write outside memory");
        assertEquals(0, memory.get((1 << 16) - 10), "a write past the end is dropped whole");
        assertEquals(2, bus.dmaReads());
        assertEquals(2, bus.dmaWrites());
    }
}

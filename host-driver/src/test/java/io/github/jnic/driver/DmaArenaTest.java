package io.github.jnic.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class DmaArenaTest {

    @Test
    void regionsAreAlignedOnTheBusDisjointAndZeroed() {
        ByteBuffer block = ByteBuffer.allocateDirect(8192);
        for (int i = 0; i < 8192; i++) block.put(i, (byte) 0x5a);
        DmaArena arena = new DmaArena(block, 0x1000_0008L);   // a base that is not itself aligned
        DmaMemory a = arena.allocate(100, 16);
        DmaMemory b = arena.allocate(2048, 4096);
        assertEquals(0, a.busAddress() % 16);
        assertEquals(0x1000_0010L, a.busAddress());
        assertEquals(0, b.busAddress() % 4096);
        assertEquals(0x1000_1000L, b.busAddress());
        assertEquals(0, b.bytes().get(0));
        assertEquals(0, b.bytes().get(2047));
        b.bytes().put(5, (byte) 7);
        // The host's view and the bus address name the same byte of the block.
        assertEquals(7, block.get((int) (b.busAddress(5) - 0x1000_0008L)));
        assertEquals(0x1000_1000L - 0x1000_0008L + 2048, arena.used());
    }

    @Test
    void exhaustionAndBadAlignmentAreRefused() {
        DmaArena arena = new DmaArena(ByteBuffer.allocateDirect(256), 0);
        arena.allocate(200, 8);
        assertThrows(IllegalStateException.class, () -> arena.allocate(64, 8));
        assertThrows(IllegalArgumentException.class, () -> arena.allocate(8, 12));
    }
}

package io.github.jnic.driver;

import java.nio.ByteBuffer;

/**
 * Hands out {@link HostBus#allocate} regions from one block of memory the card can reach, front
 * to back with the alignment asked for, never freeing: drivers allocate their rings and buffers
 * once at bring-up. Bus implementations share it (the block is whatever their DMA model serves).
 */
public final class DmaArena {
    private final DmaMemory block;
    private int next;

    /** An arena over {@code block}, whose byte 0 the card sees at {@code busAddress}. */
    public DmaArena(ByteBuffer block, long busAddress) {
        this.block = new DmaMemory(block, busAddress);
    }

    /** {@code bytes} zeroed bytes whose bus address is a multiple of {@code alignment}. */
    public DmaMemory allocate(int bytes, int alignment) {
        if (bytes <= 0 || alignment <= 0 || Integer.bitCount(alignment) != 1) {
            throw new IllegalArgumentException(bytes + " bytes aligned to " + alignment);
        }
        long address = (block.busAddress(next) + alignment - 1) & -(long) alignment;
        long at = address - block.busAddress();
        if (at + bytes > block.size()) {
            throw new IllegalStateException("DMA memory exhausted: " + bytes + " bytes wanted, " + (block.size() - next) + " left of " + block.size());
        }
        next = (int) at + bytes;
        DmaMemory region = block.slice((int) at, bytes);
        for (int i = 0; i < bytes; i++) region.bytes().put(i, (byte) 0);
        return region;
    }

    /** Bytes handed out so far, alignment padding included. */
    public int used() { return next; }

    /** The whole block the card reaches. */
    public DmaMemory block() { return block; }
}

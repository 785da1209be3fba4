package io.github.jnic.driver;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A region of host memory the card reaches by DMA: the bytes as the host sees them (a direct,
 * little-endian buffer, position 0, limit = size) and the bus address the card uses for byte 0.
 * Descriptors and buffers the driver places here are the same bytes the card reads and writes.
 */
public final class DmaMemory {
    private final ByteBuffer bytes;
    private final long busAddress;

    public DmaMemory(ByteBuffer bytes, long busAddress) {
        if (!bytes.isDirect()) throw new IllegalArgumentException("DMA memory must be a direct buffer");
        this.bytes = bytes.slice().order(ByteOrder.LITTLE_ENDIAN);
        this.busAddress = busAddress;
    }

    /** The host's view: index 0 is bus address {@link #busAddress()}. */
    public ByteBuffer bytes() { return bytes; }

    public long busAddress() { return busAddress; }

    /** The bus address of byte {@code index}. */
    public long busAddress(int index) { return busAddress + index; }

    public int size() { return bytes.capacity(); }

    /** Bytes {@code [index, index + length)} as a region of their own (same memory, no copy). */
    public DmaMemory slice(int index, int length) {
        return new DmaMemory(bytes.slice(index, length), busAddress + index);
    }
}

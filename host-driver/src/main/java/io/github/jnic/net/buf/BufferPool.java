package io.github.jnic.net.buf;

import java.util.ArrayDeque;

/**
 * A pool of equally sized {@link PacketBuffer}s, so the steady-state data path allocates nothing.
 * Owned by the stack thread: not thread-safe. When empty it allocates (and counts it), so a burst
 * costs garbage but never a drop.
 */
public final class BufferPool {
    private final int bufferSize;
    private final ArrayDeque<PacketBuffer> free;
    private long allocated;

    public BufferPool(int bufferSize, int preallocate) {
        this.bufferSize = bufferSize;
        this.free = new ArrayDeque<>(Math.max(16, preallocate));
        for (int i = 0; i < preallocate; i++) free.push(new PacketBuffer(bufferSize, this));
        allocated = preallocate;
    }

    /** A cleared buffer with the default headroom. */
    public PacketBuffer take() {
        return take(PacketBuffer.DEFAULT_HEADROOM);
    }

    public PacketBuffer take(int headroom) {
        PacketBuffer b = free.poll();
        if (b == null) {
            b = new PacketBuffer(bufferSize, this);
            allocated++;
        }
        return b.reset(headroom);
    }

    void give(PacketBuffer b) {
        free.push(b);
    }

    public int bufferSize() { return bufferSize; }
    /** Buffers ever created by this pool: a steady state keeps this constant. */
    public long allocated() { return allocated; }
    public int available() { return free.size(); }
}

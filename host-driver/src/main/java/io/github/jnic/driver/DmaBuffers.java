package io.github.jnic.driver;

import io.github.jnic.net.dev.Posix;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The driver's allocator of memory the card reaches, for buffers the stack and applications send
 * from (a connection's send buffer, a zero-copy sender's buffers), and the map back from a native
 * address to the bus address the card uses for it: a frame whose gathered pieces all lie here is
 * handed to the card where it lies, one descriptor per piece, with no copy. Each region comes from
 * {@link HostBus#allocate} (as Linux's dma_alloc_coherent: set up once, kept); a region given back
 * ({@link #free}) is handed out again for the same size.
 *
 * <p>Called from the stack thread only.
 */
public final class DmaBuffers {
    private static final int ALIGNMENT = 64;

    private final HostBus bus;
    // The regions, sorted by native address: [nativeStart, nativeStart + size) is bus busStart on.
    private long[] nativeStart = new long[8];
    private long[] busStart = new long[8];
    private int[] size = new int[8];
    private int regions;
    private int last;   // the region the last lookup found: a frame's pieces are mostly in one
    private ByteBuffer[] free = new ByteBuffer[8];
    private int freeCount;

    DmaBuffers(HostBus bus) {
        this.bus = bus;
    }

    /**
     * A direct, little-endian buffer of {@code bytes} the card can read (zeroed when new): position
     * 0, limit = capacity. Frames gathered from it are sent without a copy.
     */
    public ByteBuffer allocate(int bytes) {
        for (int i = 0; i < freeCount; i++) {
            if (free[i].capacity() == bytes) {
                ByteBuffer b = free[i];
                free[i] = free[--freeCount];
                free[freeCount] = null;
                return b.clear();
            }
        }
        DmaMemory m = bus.allocate(bytes, ALIGNMENT);
        ByteBuffer b = m.bytes();
        long address = Posix.address(b);
        int at = 0;
        while (at < regions && nativeStart[at] < address) at++;
        if (regions == size.length) {
            nativeStart = Arrays.copyOf(nativeStart, regions * 2);
            busStart = Arrays.copyOf(busStart, regions * 2);
            size = Arrays.copyOf(size, regions * 2);
        }
        System.arraycopy(nativeStart, at, nativeStart, at + 1, regions - at);
        System.arraycopy(busStart, at, busStart, at + 1, regions - at);
        System.arraycopy(size, at, size, at + 1, regions - at);
        nativeStart[at] = address;
        busStart[at] = m.busAddress();
        size[at] = bytes;
        regions++;
        last = at;
        return b;
    }

    /**
     * Gives back a buffer {@link #allocate} handed out, for a later allocation of the same size. The
     * caller must know that nothing reads it any more (the card included: see NicDriver's transmit).
     */
    public void free(ByteBuffer buffer) {
        if (busAddress(Posix.address(buffer), buffer.capacity()) < 0) throw new IllegalArgumentException("not DMA memory of this driver");
        if (freeCount == free.length) free = Arrays.copyOf(free, freeCount * 2);
        free[freeCount++] = buffer;
    }

    /** The bus address of native {@code [address, address + length)}, or -1 unless it lies in one region. */
    public long busAddress(long address, int length) {
        int r = last;
        if (r >= regions || address < nativeStart[r] || address - nativeStart[r] + length > size[r]) {
            r = find(address);
            if (r < 0 || address - nativeStart[r] + length > size[r]) return -1;
            last = r;
        }
        return busStart[r] + (address - nativeStart[r]);
    }

    /** The region whose start is the last at or below {@code address}, or -1. */
    private int find(long address) {
        int lo = 0, hi = regions - 1, found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (nativeStart[mid] <= address) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** Regions taken from the bus so far. */
    public int regions() { return regions; }
}

package io.github.jnic.net.tcp;

import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.net.dev.Posix;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;

/**
 * A connection's bytes from SND.UNA on, in sequence order: those the application wrote by copy,
 * which live in the send buffer (a direct {@link ByteRing}), and those it handed over without a copy
 * ({@link #writeZeroCopy}, as Linux's MSG_ZEROCOPY), which stay in the application's own direct
 * buffers until acknowledged. Segments take their payload from either by reference where they can,
 * so retransmissions read the same bytes again. Zero-copy calls are numbered from 0 and complete in
 * order as the ACKs consume their last byte.
 *
 * <p>A segment that takes bytes by reference lends them ({@link PacketBuffer#lendPieces}): a device
 * may read them after the ACK came (a retransmission still on a card's ring), so acknowledged bytes
 * stay where they are, their ring space not reused and their zero-copy call not completed, until
 * every segment naming them is returned.
 */
final class SendQueue implements PacketBuffer.PieceLender {
    /** A run of bytes: in the ring ({@code source} null) or in an application buffer from {@code index}. */
    private static final class Extent {
        final ByteBuffer source;
        final long address;
        int index;
        int length;
        /** For a zero-copy extent, the number of its call. */
        final long call;

        Extent(ByteBuffer source, long address, int index, int length, long call) {
            this.source = source;
            this.address = address;
            this.index = index;
            this.length = length;
            this.call = call;
        }
    }

    private final ByteRing ring;
    private final ArrayDeque<Extent> extents = new ArrayDeque<>();
    /** Bytes from SND.UNA on; the extents hold {@link #acked} more in front of them. */
    private int length;
    /** Acknowledged bytes still at the front of the extents: a segment lent them is not returned yet. */
    private int acked;
    /** SND.UNA as bytes since the queue began. */
    private long unaAt;
    /**
     * The stream positions of the first bytes of the segments lent bytes and not returned, sorted,
     * in {@code [lentHead, lentEnd)}: segments are mostly lent in order and returned in order.
     */
    private long[] lentAt = new long[64];
    private int lentHead, lentEnd;
    private boolean cleared;
    private long calls;
    private long completed;
    /** The native addresses of the last few application buffers (see {@link #address}). */
    private final ByteBuffer[] known = new ByteBuffer[16];
    private final long[] knownAddress = new long[known.length];
    private int nextKnown, lastKnown;

    private final TcpConfig.SendMemory memory;
    private boolean freed;
    /** Told when a returned segment frees room (an ACK that frees room is its connection's to tell). */
    private Runnable roomFreed = () -> {};

    SendQueue(int capacity) {
        this(capacity, TcpConfig.SendMemory.DIRECT);
    }

    /** A send buffer of {@code capacity} bytes in {@code memory}, given back once the queue is cleared and nothing reads it. */
    SendQueue(int capacity, TcpConfig.SendMemory memory) {
        this.memory = memory;
        ByteBuffer b = memory.allocate(capacity);
        if (b.capacity() != capacity) throw new IllegalArgumentException(b.capacity() + " bytes of send memory for " + capacity);
        ring = ByteRing.direct(b);
    }

    int length() { return length; }

    /** Room left under the send buffer's size: copied and zero-copy bytes count alike, and acknowledged ones still lent. */
    int free() { return Math.max(0, ring.capacity() - length - acked); }

    /** Zero-copy calls that took bytes so far; the next one gets this number. */
    long zeroCopyCalls() { return calls; }

    /** Zero-copy calls whose bytes are all acknowledged: calls below this number are done with. */
    long zeroCopyCompleted() { return completed; }

    /** Copies as much of {@code src[off, off+len)} into the ring as fits; returns how much. */
    int write(byte[] src, int off, int len) {
        if (cleared) return 0;   // the ring may be another connection's by now
        int n = ring.write(src, off, Math.min(len, free()));
        if (n == 0) return 0;
        Extent last = extents.peekLast();
        if (last != null && last.source == null) last.length += n;
        else extents.addLast(new Extent(null, 0, 0, n, -1));
        length += n;
        return n;
    }

    /**
     * Queues up to {@link #free()} of {@code src}'s remaining bytes where they lie, advancing its
     * position past them; returns how many (0 when full: then no call is counted).
     */
    int writeZeroCopy(ByteBuffer src) {
        if (!src.isDirect()) throw new IllegalArgumentException("zero-copy sends take direct buffers: a device gathers from them");
        int n = cleared ? 0 : Math.min(src.remaining(), free());
        if (n == 0) return 0;
        // reads are absolute (the application's position and limit may move on) and the software
        // checksum reads in whatever order the buffer has then
        extents.addLast(new Extent(src, address(src), src.position(), n, calls++));
        src.position(src.position() + n);
        length += n;
        return n;
    }

    /** The native address of a direct buffer: applications hand the same few over again and again. */
    private long address(ByteBuffer b) {
        // from the last one found on: the same buffer again, or the one handed over after it
        for (int k = 0; k < known.length; k++) {
            int i = (lastKnown + k) & (known.length - 1);
            if (known[i] == b) {
                lastKnown = i;
                return knownAddress[i];
            }
        }
        int i = lastKnown = nextKnown++ & (known.length - 1);
        known[i] = b;
        return knownAddress[i] = Posix.address(b);
    }

    /**
     * Drops {@code n} acknowledged bytes from the front, completing the zero-copy calls they end
     * (once no segment lent them is out: {@link #returned}).
     */
    void consume(int n) {
        if (n < 0 || n > length) throw new IndexOutOfBoundsException("consume " + n + " of " + length);
        length -= n;
        acked += n;
        unaAt += n;
        reclaim();
    }

    /** Frees the acknowledged bytes in front of the lowest one still lent. */
    private void reclaim() {
        long limit = lentHead == lentEnd ? unaAt : Math.min(unaAt, lentAt[lentHead]);
        int n = (int) Math.min(acked, limit - (unaAt - acked));
        if (n > 0) {
            acked -= n;
            drop(n);
        }
        if (cleared && acked == 0) {
            completed = calls;
            if (!freed && lentHead == lentEnd) {
                freed = true;
                memory.free(ring.memory());
            }
        }
    }

    /** {@code r} runs whenever a segment's return frees room: the writer waiting for it must hear. */
    void onRoomFreed(Runnable r) { roomFreed = r; }

    /**
     * A segment lent bytes from stream position {@code token} on is no longer read. A device may
     * return it after the ACK came (a card's DD after a retransmission was acknowledged): the
     * acknowledged bytes it held free room only now, and no ACK will say so.
     */
    @Override public void returned(long token) {
        int i = Arrays.binarySearch(lentAt, lentHead, lentEnd, token);
        if (i < 0) throw new IllegalStateException("returned twice: " + token);
        if (i == lentHead) {
            lentHead++;
        } else {
            System.arraycopy(lentAt, i + 1, lentAt, i, lentEnd - i - 1);
            lentEnd--;
        }
        if (lentHead == lentEnd) lentHead = lentEnd = 0;
        int room = free();
        reclaim();
        if (free() > room) roomFreed.run();
    }

    private void lend(long position) {
        if (lentEnd == lentAt.length) {
            if (lentHead > 0) {
                System.arraycopy(lentAt, lentHead, lentAt, 0, lentEnd - lentHead);
                lentEnd -= lentHead;
                lentHead = 0;
            } else {
                lentAt = Arrays.copyOf(lentAt, lentAt.length * 2);
            }
        }
        int i = lentEnd;
        while (i > lentHead && lentAt[i - 1] > position) i--;   // a retransmission: lower than the last lent
        System.arraycopy(lentAt, i, lentAt, i + 1, lentEnd - i);
        lentAt[i] = position;
        lentEnd++;
    }

    /** Takes {@code n} bytes off the front of the extents, completing the zero-copy calls they end. */
    private void drop(int n) {
        while (n > 0) {
            Extent e = extents.peekFirst();
            int k = Math.min(n, e.length);
            if (e.source == null) ring.consume(k);
            else e.index += k;
            e.length -= k;
            n -= k;
            if (e.length == 0) {
                extents.pollFirst();
                if (e.source != null) completed = e.call + 1;
            }
        }
    }

    /**
     * Drops everything (the connection is gone): the application's buffers are its own again, once
     * every segment lent them is returned.
     */
    void clear() {
        cleared = true;
        consume(length);
        Arrays.fill(known, null);
    }

    /**
     * Puts {@code len} bytes from {@code from} bytes after SND.UNA at {@code packet}'s {@code at}:
     * each run by reference while the packet takes more pieces (it gathers them when sent), the
     * rest copied in.
     */
    void copyTo(int from, PacketBuffer packet, int at, int len) {
        if (from < 0 || len < 0 || from + len > length) throw new IndexOutOfBoundsException(from + "+" + len + " of " + length);
        int piecesBefore = packet.pieces();
        long position = unaAt + from;
        from += acked;
        Iterator<Extent> it = extents.iterator();
        int ringFrom = 0;   // where the run starts in the ring, for a run there
        for (int done = 0; done < len; ) {
            Extent e = it.next();
            if (from >= e.length) {   // before the first byte wanted
                from -= e.length;
                if (e.source == null) ringFrom += e.length;
                continue;
            }
            int m = Math.min(len - done, e.length - from);
            if (e.source == null) {
                if (packet.canGatherMore()) ring.copyTo(ringFrom + from, packet, at + done, m);
                else ring.copy(ringFrom + from, packet.data(), at + done, m);
                ringFrom += e.length;
            } else if (packet.canGatherMore()) {
                packet.gatherLater(e.source, e.address, e.index + from, at + done, m);
            } else {
                e.source.get(e.index + from, packet.data(), at + done, m);
            }
            from = 0;
            done += m;
        }
        if (packet.pieces() > piecesBefore) {
            lend(position);
            packet.lendPieces(this, position);
        }
    }

    /** Segments lent bytes and not returned yet. */
    int lent() { return lentEnd - lentHead; }
}

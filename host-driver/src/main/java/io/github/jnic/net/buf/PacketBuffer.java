package io.github.jnic.net.buf;

import io.github.jnic.net.wire.Bytes;
import io.github.jnic.net.wire.Checksum;
import io.github.jnic.net.wire.UdpHeader;
import java.nio.ByteBuffer;

/**
 * One packet: a window {@code [start, end)} over a byte array that leaves headroom in front, so each
 * layer on the way down prepends its header in place and each layer on the way up trims its header
 * off, and the payload is never copied. Header views ({@code io.github.jnic.net.wire}) read and
 * write fields at absolute offsets into {@link #data()}.
 *
 * <p>Besides the bytes, a buffer carries the offload contract with the device, after Linux's
 * {@code CHECKSUM_PARTIAL} and GSO: on transmit, "fold a ones'-complement checksum over
 * {@code [checksumStart, end)} and store it at {@code checksumStart + checksumOffset}" and "cut this
 * TCP segment into pieces of {@code segmentSize} payload bytes"; on receive, the device's verdict on
 * the transport checksum.
 *
 * <p>A transmitted buffer may leave a run of its payload where the sender keeps it, in native
 * memory, in up to {@link #MAX_PIECES} pieces one after the other ({@link #gatherLater}): a device
 * with {@code SCATTER_GATHER} sends them from there, as a NIC's DMA gathers a packet from several
 * places. The software checksum reads the pieces where they lie; everyone else who needs the bytes calls {@link #linearize()} first (the stack does, before
 * software segmentation, any queue and any device that does not gather).
 *
 * <p>Buffers are pooled ({@link BufferPool}); a buffer has exactly one owner at a time, and whoever
 * holds it last calls {@link #release()}.
 */
public final class PacketBuffer {

    /** Room for Ethernet + 802.1Q + IPv4 with options + TCP with options, rounded up. */
    public static final int DEFAULT_HEADROOM = 160;

    /** The device's opinion of a received frame's transport-layer checksum. */
    public enum RxChecksum {
        /** The device did not check it: software must. */
        NONE,
        /** The device verified the TCP/UDP checksum. */
        GOOD,
        /** The device found the TCP/UDP checksum wrong. */
        BAD
    }

    private final byte[] data;
    private final BufferPool pool;
    private int start;
    private int end;

    private int checksumStart = -1;
    private int checksumOffset;
    private int segmentSize;
    private RxChecksum rxChecksum = RxChecksum.NONE;

    /** Pieces a packet gathers at most: the send buffer's wrap and the application buffers a TSO frame spans. */
    public static final int MAX_PIECES = 4;

    private final ByteBuffer[] pieceSource = new ByteBuffer[MAX_PIECES];
    private final long[] pieceAddress = new long[MAX_PIECES];
    private final int[] pieceIndex = new int[MAX_PIECES];
    private final int[] pieceLength = new int[MAX_PIECES];
    private int pieces;
    /** Where the first piece goes, or -1; the pieces fill {@code [gatherAt, gatherAt + gatherLength)} in order. */
    private int gatherAt = -1;
    private int gatherLength;
    /** Told once nothing reads the pieces any more ({@link #lendPieces}), or null. */
    private PieceLender lender;
    private long lenderToken;

    PacketBuffer(int capacity, BufferPool pool) {
        this.data = new byte[capacity];
        this.pool = pool;
        reset(Math.min(DEFAULT_HEADROOM, capacity));
    }

    /** An unpooled buffer wrapping a copy of {@code frame}, with no headroom: for tests and tools. */
    public static PacketBuffer of(byte[] frame) {
        PacketBuffer b = new PacketBuffer(frame.length, null);
        b.reset(0);
        System.arraycopy(frame, 0, b.data, 0, frame.length);
        b.end = frame.length;
        return b;
    }

    /** An unpooled empty buffer of the given capacity and headroom. */
    public static PacketBuffer allocate(int capacity, int headroom) {
        PacketBuffer b = new PacketBuffer(capacity, null);
        b.reset(headroom);
        return b;
    }

    /** Empties the buffer, leaving {@code headroom} bytes in front, and clears all offload state. */
    public PacketBuffer reset(int headroom) {
        if (headroom < 0 || headroom > data.length) throw new IllegalArgumentException("headroom " + headroom);
        start = end = headroom;
        checksumStart = -1;
        checksumOffset = 0;
        segmentSize = 0;
        rxChecksum = RxChecksum.NONE;
        clearGather();
        return this;
    }

    public byte[] data() { return data; }
    public int start() { return start; }
    public int end() { return end; }
    public int length() { return end - start; }
    public int capacity() { return data.length; }
    public int headroom() { return start; }
    public int tailroom() { return data.length - end; }

    /** Grows the window by {@code n} bytes in front; returns the new start, where the header goes. */
    public int prepend(int n) {
        if (n < 0 || n > start) throw new IllegalStateException("no headroom for " + n + " bytes (have " + start + ")");
        start -= n;
        return start;
    }

    /** Grows the window by {@code n} bytes at the back; returns the old end, where the new bytes go. */
    public int append(int n) {
        if (n < 0 || n > data.length - end) throw new IllegalStateException("no tailroom for " + n + " bytes (have " + tailroom() + ")");
        int at = end;
        end += n;
        return at;
    }

    /** Appends a copy of {@code src[off, off+len)}. */
    public void append(byte[] src, int off, int len) {
        System.arraycopy(src, off, data, append(len), len);
    }

    /** Drops {@code n} bytes from the front: a layer consuming its header on the way up. */
    public void trimFront(int n) {
        if (n < 0 || n > length()) throw new IllegalStateException("cannot trim " + n + " of " + length() + " bytes");
        start += n;
    }

    /** Sets the window to {@code length} bytes from the current start (drops padding, trailers). */
    public void truncate(int length) {
        if (length < 0 || length > this.length()) throw new IllegalStateException("cannot truncate " + this.length() + " bytes to " + length);
        end = start + length;
    }

    /** Sets the window to absolute {@code [start, end)}. */
    public void window(int start, int end) {
        if (start < 0 || end < start || end > data.length) throw new IllegalArgumentException("window [" + start + ", " + end + ")");
        this.start = start;
        this.end = end;
    }

    // ---- transmit offload requests -------------------------------------------------------------

    /**
     * Asks the device (or the software fallback) to fill in a ones'-complement checksum: sum
     * {@code [checksumStart, end)} (the pseudo-header sum is already stored in the checksum field)
     * and store the folded, inverted result at {@code checksumStart + checksumOffset}.
     * {@code checksumStart} is an absolute index into {@link #data()}.
     */
    public void requestChecksum(int checksumStart, int checksumOffset) {
        this.checksumStart = checksumStart;
        this.checksumOffset = checksumOffset;
    }

    public boolean checksumRequested() { return checksumStart >= 0; }
    /** Absolute index into {@link #data()}, or -1. */
    public int checksumStart() { return checksumStart; }
    public int checksumOffset() { return checksumOffset; }
    public void clearChecksumRequest() { checksumStart = -1; checksumOffset = 0; }

    /**
     * Does what was {@linkplain #requestChecksum requested}, in software: what a device with
     * {@code TX_CHECKSUM} does, and the stack's fallback for devices without it. A UDP checksum
     * (field at offset 6) that comes out zero is sent as 0xffff, zero meaning "none" (RFC 768).
     */
    public void completeChecksum() {
        if (gathers() && gatherAt < checksumStart) linearize();   // a piece before the summed bytes: rare, copy it in
        int sum = Checksum.finish(gathers() ? sumAroundPieces() : Checksum.add(0, data, checksumStart, end - checksumStart));
        if (sum == 0 && checksumOffset == UdpHeader.CHECKSUM_OFFSET) sum = 0xffff;
        Bytes.put16(data, checksumStart + checksumOffset, sum);
        clearChecksumRequest();
    }

    /**
     * The sum over {@code [checksumStart, end)} with the pieces still to be gathered read where they
     * lie, so a software checksum costs no copy; a piece at an odd offset counts byte-swapped.
     */
    private long sumAroundPieces() {
        int offset = gatherAt - checksumStart;
        long sum = Checksum.add(0, data, checksumStart, offset);
        for (int i = 0; i < pieces; i++) {
            long piece = Checksum.add(0, pieceSource[i], pieceIndex[i], pieceLength[i]);
            sum += (offset & 1) == 0 ? piece : Checksum.atOddOffset(piece);
            offset += pieceLength[i];
        }
        int tailFrom = gatherAt + gatherLength;
        long tail = Checksum.add(0, data, tailFrom, end - tailFrom);
        return sum + ((offset & 1) == 0 ? tail : Checksum.atOddOffset(tail));
    }

    /** Asks for TCP segmentation: payload cut into pieces of {@code mss} bytes (0: none). */
    public void requestSegmentation(int mss) { this.segmentSize = mss; }
    public int segmentSize() { return segmentSize; }

    // ---- gather ------------------------------------------------------------------------------

    /**
     * Leaves bytes {@code [at, at+length)} of the window (already appended) unfilled: they are
     * {@code source[index, index+length)}, a direct buffer at native {@code address}, which must
     * not change until this buffer is sent or {@linkplain #linearize() linearized}. A further piece
     * goes right after the one before it, up to {@link #MAX_PIECES} ({@link #canGatherMore()}).
     */
    public void gatherLater(ByteBuffer source, long address, int index, int at, int length) {
        if (at < start || at + length > end) throw new IllegalArgumentException("piece [" + at + ", " + (at + length) + ") outside the window");
        if (length == 0) return;
        if (pieces == MAX_PIECES) throw new IllegalStateException(MAX_PIECES + " pieces to gather at most");
        if (pieces > 0 && at != gatherAt + gatherLength) throw new IllegalArgumentException("a piece goes right after the one before it");
        if (pieces == 0) gatherAt = at;
        pieceSource[pieces] = source;
        pieceAddress[pieces] = address;
        pieceIndex[pieces] = index;
        pieceLength[pieces] = length;
        pieces++;
        gatherLength += length;
    }

    /**
     * Whoever lent a buffer its pieces, told once no one reads them any more: when the buffer is
     * {@linkplain #release() released}, {@linkplain #linearize() linearized} or reset. A device that
     * sends the pieces from where they lie keeps the buffer until its DMA has read them (as Linux
     * frees a zero-copy skb, and so completes its ubuf_info, only at transmit completion).
     */
    public interface PieceLender {
        void returned(long token);
    }

    /** {@code lender} is told {@code token} once the pieces gathered so far are no longer read (one lender per buffer). */
    public void lendPieces(PieceLender lender, long token) {
        if (this.lender != null) throw new IllegalStateException("the pieces already have a lender");
        this.lender = lender;
        this.lenderToken = token;
    }

    private void returnPieces() {
        PieceLender l = lender;
        if (l == null) return;
        lender = null;
        l.returned(lenderToken);
    }

    /** Whether one more piece may be left to gather. */
    public boolean canGatherMore() { return pieces < MAX_PIECES; }
    /** Whether a piece of the payload is still to be gathered. */
    public boolean gathers() { return gatherAt >= 0; }
    /** Where the first piece goes: an absolute index into {@link #data()}. */
    public int gatherAt() { return gatherAt; }
    /** The pieces' bytes together; they fill {@code [gatherAt(), gatherAt() + gatherLength())} in order. */
    public int gatherLength() { return gatherLength; }
    /** How many pieces are still to be gathered. */
    public int pieces() { return pieces; }
    /** The native address of piece {@code i}'s first byte. */
    public long pieceAddress(int i) { return pieceAddress[i] + pieceIndex[i]; }
    public int pieceLength(int i) { return pieceLength[i]; }

    /** Copies the pieces to be gathered into place, so the whole window is in {@link #data()}. */
    public void linearize() {
        if (gatherAt < 0) return;
        for (int i = 0, at = gatherAt; i < pieces; at += pieceLength[i++]) pieceSource[i].get(pieceIndex[i], data, at, pieceLength[i]);
        clearGather();
    }

    /**
     * Copies {@code length} bytes of the window from {@code offset} (counted from {@link #start()})
     * into {@code dst} at {@code dstIndex}, reading the pieces still to be gathered where they lie:
     * how a device whose DMA cannot reach the stack's memory gathers a frame into its own, with one copy.
     */
    public void copyTo(int offset, int length, ByteBuffer dst, int dstIndex) {
        if (offset < 0 || length < 0 || offset + length > length()) throw new IndexOutOfBoundsException("[" + offset + ", " + (offset + length) + ") of " + length());
        int from = start + offset, to = from + length;
        if (gatherAt < 0 || to <= gatherAt || from >= gatherAt + gatherLength) {
            dst.put(dstIndex, data, from, length);
            return;
        }
        int head = Math.max(0, gatherAt - from);   // bytes before the pieces
        dst.put(dstIndex, data, from, head);
        int d = dstIndex + head;
        for (int i = 0, pieceAt = gatherAt; i < pieces; pieceAt += pieceLength[i++]) {
            int a = Math.max(from, pieceAt), b = Math.min(to, pieceAt + pieceLength[i]);
            if (a >= b) continue;
            dst.put(d, pieceSource[i], pieceIndex[i] + a - pieceAt, b - a);
            d += b - a;
        }
        int tailFrom = gatherAt + gatherLength;
        if (to > tailFrom) dst.put(d, data, tailFrom, to - tailFrom);
    }

    private void clearGather() {
        returnPieces();
        if (pieces == 0) return;   // a buffer that gathered nothing (most): nothing to clear
        java.util.Arrays.fill(pieceSource, 0, pieces, null);
        pieces = 0;
        gatherAt = -1;
        gatherLength = 0;
    }

    // ---- receive verdict -----------------------------------------------------------------------

    public RxChecksum rxChecksum() { return rxChecksum; }
    public void rxChecksum(RxChecksum verdict) { this.rxChecksum = verdict; }

    // ---- ownership ---------------------------------------------------------------------------

    /** Returns the buffer to its pool (no-op for unpooled buffers). The caller must not touch it after. */
    public void release() {
        returnPieces();
        if (pool != null) pool.give(this);
    }

    /** A copy of the window's bytes: for tests, logs and captures, never the data path. */
    public byte[] toByteArray() {
        linearize();
        return java.util.Arrays.copyOfRange(data, start, end);
    }
}

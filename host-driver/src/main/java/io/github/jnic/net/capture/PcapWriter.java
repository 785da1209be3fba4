package io.github.jnic.net.capture;

import io.github.jnic.net.buf.PacketBuffer;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes Ethernet frames to a classic pcap file with nanosecond timestamps (magic 0xa1b23c4d,
 * link type 1), readable by Wireshark, tshark and tcpdump. The project's one capture writer: the
 * stack, the testbench and the demo all use it. Thread-safe.
 */
public final class PcapWriter implements Closeable, Flushable {
    public static final int LINKTYPE_ETHERNET = 1;
    private static final int SNAPLEN = 262144;

    private final OutputStream out;
    private final byte[] record = new byte[16];

    public PcapWriter(OutputStream out) {
        this.out = out;
        byte[] h = new byte[24];
        putLe32(h, 0, 0xa1b23c4d);
        putLe16(h, 4, 2);
        putLe16(h, 6, 4);
        putLe32(h, 16, SNAPLEN);
        putLe32(h, 20, LINKTYPE_ETHERNET);
        try {
            out.write(h);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static PcapWriter create(Path file) throws IOException {
        return new PcapWriter(new BufferedOutputStream(Files.newOutputStream(file)));
    }

    /** Records {@code frame[off, off+len)} at {@code timeNanos} (any epoch; the stack's clock is fine). */
    public synchronized void write(long timeNanos, byte[] frame, int off, int len) {
        int captured = Math.min(len, SNAPLEN);
        putLe32(record, 0, (int) (timeNanos / 1_000_000_000L));
        putLe32(record, 4, (int) (timeNanos % 1_000_000_000L));
        putLe32(record, 8, captured);
        putLe32(record, 12, len);
        try {
            out.write(record);
            out.write(frame, off, captured);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void write(long timeNanos, PacketBuffer frame) {
        write(timeNanos, frame.data(), frame.start(), frame.length());
    }

    @Override public synchronized void flush() throws IOException { out.flush(); }

    @Override public synchronized void close() throws IOException { out.close(); }

    private static void putLe32(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }

    private static void putLe16(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
    }
}

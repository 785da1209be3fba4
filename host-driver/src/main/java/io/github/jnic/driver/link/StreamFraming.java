package io.github.jnic.driver.link;

import java.io.ByteArrayOutputStream;

/**
 * Host-link messages over a byte stream (the iCEBreaker's UART): each message followed by its
 * CRC-16/CCITT-FALSE (big-endian), COBS-encoded so the only zero byte on the wire is the 0x00 that
 * ends a frame. A receiver that joins mid-frame or sees corrupted bytes loses that one frame (its
 * CRC or COBS fails) and resynchronises on the next zero; the message layer's go-back-N resends it.
 */
public final class StreamFraming {
    private final ByteArrayOutputStream frame = new ByteArrayOutputStream();
    private long rejected;

    /** The bytes to send for {@code message}, delimiter included. */
    public static byte[] encode(LinkMessage message) {
        byte[] m = message.encode();
        byte[] withCrc = java.util.Arrays.copyOf(m, m.length + 2);
        int crc = crc16(m, 0, m.length);
        withCrc[m.length] = (byte) (crc >>> 8);
        withCrc[m.length + 1] = (byte) crc;
        return cobs(withCrc);
    }

    /** Takes one received byte; returns the message it completes, or null. */
    public LinkMessage accept(int b) {
        if ((b & 0xff) != 0) {
            frame.write(b);
            return null;
        }
        byte[] raw = uncobs(frame.toByteArray());
        frame.reset();
        if (raw == null || raw.length < LinkMessage.HEADER_BYTES + 2) { rejected += raw == null || raw.length > 0 ? 1 : 0; return null; }
        int n = raw.length - 2;
        int crc = ((raw[n] & 0xff) << 8) | (raw[n + 1] & 0xff);
        LinkMessage m = crc == crc16(raw, 0, n) ? LinkMessage.decode(raw, 0, n) : null;
        if (m == null) rejected++;
        return m;
    }

    /** Frames dropped for a bad CRC, bad COBS or a malformed message. */
    public long rejected() { return rejected; }

    /** CRC-16/CCITT-FALSE: polynomial 0x1021, initial 0xFFFF, no reflection, no final xor. */
    public static int crc16(byte[] bytes, int offset, int length) {
        int crc = 0xffff;
        for (int i = offset; i < offset + length; i++) {
            crc ^= (bytes[i] & 0xff) << 8;
            for (int k = 0; k < 8; k++) crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            crc &= 0xffff;
        }
        return crc;
    }

    /** Consistent Overhead Byte Stuffing, with the trailing 0x00 delimiter. */
    public static byte[] cobs(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + in.length / 254 + 2);
        int start = 0;
        while (true) {
            int end = start;
            while (end < in.length && in[end] != 0 && end - start < 254) end++;
            out.write(end - start + 1);
            out.write(in, start, end - start);
            if (end == in.length) break;
            // A full block (code 0xFF) implies no zero; a shorter one ends at a zero it stands for.
            start = end - start == 254 ? end : end + 1;
            if (start == in.length) { out.write(1); break; }
        }
        out.write(0);
        return out.toByteArray();
    }

    /** Inverse of {@link #cobs} without the delimiter; null if the bytes are not valid COBS. */
    public static byte[] uncobs(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        int i = 0;
        while (i < in.length) {
            int code = in[i++] & 0xff;
            if (code == 0 || i + code - 1 > in.length) return null;
            out.write(in, i, code - 1);
            i += code - 1;
            if (code < 255 && i < in.length) out.write(0);
        }
        return out.toByteArray();
    }
}

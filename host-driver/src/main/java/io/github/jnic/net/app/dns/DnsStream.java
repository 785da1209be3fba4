package io.github.jnic.net.app.dns;

import io.github.jnic.net.app.Rejects;
import java.util.Arrays;

/**
 * DNS over TCP framing (RFC 1035 §4.2.2, RFC 7766): each message is preceded by its length as two
 * bytes. Feed it the byte stream as it arrives; take whole messages out. A length too short for a
 * header breaks the stream (counted as {@link DnsReject#BAD_FRAME}); the connection should close.
 */
public final class DnsStream {
    private final Rejects rejects;
    private byte[] buf = new byte[512];
    private int have;
    private boolean broken;

    public DnsStream(Rejects rejects) {
        this.rejects = rejects;
    }

    public void feed(byte[] b, int off, int len) {
        if (broken) return;
        if (have + len > buf.length) buf = Arrays.copyOf(buf, Math.max(have + len, buf.length * 2));
        System.arraycopy(b, off, buf, have, len);
        have += len;
    }

    /** The next whole message, or null until more bytes arrive (or forever, once broken). */
    public byte[] next() {
        if (broken || have < 2) return null;
        int len = ((buf[0] & 0xff) << 8) | (buf[1] & 0xff);
        if (len < DnsMessage.HEADER) {
            rejects.count(DnsReject.BAD_FRAME);
            broken = true;
            return null;
        }
        if (have < 2 + len) return null;
        byte[] msg = Arrays.copyOfRange(buf, 2, 2 + len);
        System.arraycopy(buf, 2 + len, buf, 0, have - 2 - len);
        have -= 2 + len;
        return msg;
    }

    public boolean broken() {
        return broken;
    }

    /** The message with its two-byte length prefix. */
    public static byte[] frame(byte[] msg, int off, int len) {
        if (len > 0xffff) throw new IllegalArgumentException("DNS message over 65535 bytes");
        byte[] out = new byte[2 + len];
        out[0] = (byte) (len >>> 8);
        out[1] = (byte) len;
        System.arraycopy(msg, off, out, 2, len);
        return out;
    }

    public static byte[] frame(byte[] msg) {
        return frame(msg, 0, msg.length);
    }
}

package io.github.jnic.net.app.http;

import java.util.Arrays;

/** Bytes received and not yet consumed: appended at the back, consumed from the front. */
final class ByteQueue {
    private byte[] buf = new byte[1024];
    private int head;
    private int tail;

    void append(byte[] b, int off, int len) {
        if (tail + len > buf.length) {
            int size = tail - head;
            if (size + len > buf.length) buf = Arrays.copyOf(buf, Math.max(size + len, buf.length * 2));
            System.arraycopy(buf, head, buf, 0, size);
            head = 0;
            tail = size;
        }
        System.arraycopy(b, off, buf, tail, len);
        tail += len;
    }

    int size() {
        return tail - head;
    }

    /** The byte at {@code i} from the front. */
    byte at(int i) {
        return buf[head + i];
    }

    /** Index from the front of the first {@code b} in {@code [from, limit)}, or -1. */
    int indexOf(byte b, int from, int limit) {
        int stop = head + Math.min(limit, size());
        for (int i = head + from; i < stop; i++) {
            if (buf[i] == b) return i - head;
        }
        return -1;
    }

    String latin1(int from, int to) {
        return new String(buf, head + from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    void copyTo(int from, byte[] dst, int dstOff, int len) {
        System.arraycopy(buf, head + from, dst, dstOff, len);
    }

    void consume(int n) {
        head += n;
        if (head == tail) head = tail = 0;
    }

    byte[] take(int n) {
        byte[] out = Arrays.copyOfRange(buf, head, head + n);
        consume(n);
        return out;
    }
}

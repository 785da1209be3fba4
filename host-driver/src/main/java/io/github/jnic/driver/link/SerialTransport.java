package io.github.jnic.driver.link;

/**
 * Host-link messages on a byte stream ({@link StreamFraming}: COBS and a CRC-16 a message): the
 * iCEBreaker's transport over its FTDI UART. A corrupt or partial frame is lost alone (counted by
 * the framing) and the link's go-back-N sends it again.
 */
public final class SerialTransport implements LinkBus.Transport {
    /** A byte stream that never blocks: a serial port opened non-blocking, a pipe, a model of a UART. */
    public interface Bytes {
        void write(byte[] bytes);

        /** Bytes that arrived, up to {@code buffer.length}; 0 if none. */
        int read(byte[] buffer);
    }

    private final Bytes port;
    private final StreamFraming framing = new StreamFraming();
    private final byte[] buffer = new byte[4096];
    private int at, end;

    public SerialTransport(Bytes port) {
        this.port = port;
    }

    @Override
    public void send(LinkMessage m) {
        port.write(StreamFraming.encode(m));
    }

    @Override
    public LinkMessage receive() {
        for (;;) {
            if (at == end) {
                end = port.read(buffer);
                at = 0;
                if (end <= 0) {
                    end = 0;
                    return null;
                }
            }
            while (at < end) {
                LinkMessage m = framing.accept(buffer[at++] & 0xFF);
                if (m != null) return m;
            }
        }
    }

    /** Frames that arrived corrupt or cut short, and were dropped. */
    public long rejected() { return framing.rejected(); }
}

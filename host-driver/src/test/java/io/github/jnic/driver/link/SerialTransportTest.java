package io.github.jnic.driver.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Two endpoints joined by {@link SerialTransport}s over a byte pipe that flips a bit in one byte of
 * about every 2 000 and hands bytes over in random chunks: every message arrives once, in order,
 * byte for byte; the corrupted frames are rejected by the framing and resent by the link.
 */
class SerialTransportTest {
    /** One direction of a UART: bytes written come out in chunks, now and then a bit flipped. */
    static final class Pipe implements SerialTransport.Bytes {
        final ByteArrayOutputStream queued = new ByteArrayOutputStream();
        byte[] pending = new byte[0];
        int at;
        final Random random;
        long flipped;

        Pipe(Random random) { this.random = random; }

        @Override public void write(byte[] bytes) {
            for (byte b : bytes) {
                if (random.nextInt(2000) == 0) {
                    b ^= (byte) (1 << random.nextInt(8));
                    flipped++;
                }
                queued.write(b);
            }
        }

        @Override public int read(byte[] buffer) {
            if (at == pending.length) {
                pending = queued.toByteArray();
                queued.reset();
                at = 0;
            }
            int n = Math.min(Math.min(buffer.length, pending.length - at), 1 + random.nextInt(64));
            System.arraycopy(pending, at, buffer, 0, Math.max(0, n));
            at += Math.max(0, n);
            return Math.max(0, n);
        }
    }

    @Test
    void messagesCrossACorruptingByteStreamOnceAndInOrder() {
        Random random = new Random(9);
        Pipe ab = new Pipe(random), ba = new Pipe(random);
        SerialTransport a = new SerialTransport(new SerialTransport.Bytes() {
            @Override public void write(byte[] bytes) { ab.write(bytes); }
            @Override public int read(byte[] buffer) { return ba.read(buffer); }
        });
        SerialTransport b = new SerialTransport(new SerialTransport.Bytes() {
            @Override public void write(byte[] bytes) { ba.write(bytes); }
            @Override public int read(byte[] buffer) { return ab.read(buffer); }
        });
        List<LinkMessage> atA = new ArrayList<>(), atB = new ArrayList<>();
        LinkEndpoint ea = new LinkEndpoint(a::send, atA::add, 50), eb = new LinkEndpoint(b::send, atB::add, 50);
        List<LinkMessage> sent = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            byte[] data = new byte[random.nextInt(200)];
            random.nextBytes(data);
            LinkMessage m = data.length == 0 ? LinkMessage.regWrite(4 * i, i) : LinkMessage.dmaWrite(i, data);
            sent.add(m);
            ea.send(m, 0);
        }
        for (long now = 0; now < 1_000_000 && (atB.size() < sent.size() || !ea.idle()); now++) {
            for (LinkMessage m; (m = b.receive()) != null; ) eb.receive(m, now);
            for (LinkMessage m; (m = a.receive()) != null; ) ea.receive(m, now);
            ea.poll(now);
            eb.poll(now);
        }
        assertEquals(sent.size(), atB.size(), "messages delivered");
        for (int i = 0; i < sent.size(); i++) {
            assertEquals(sent.get(i).type(), atB.get(i).type(), "message " + i);
            assertEquals(sent.get(i).address(), atB.get(i).address(), "message " + i);
            assertArrayEquals(sent.get(i).data(), atB.get(i).data(), "message " + i);
        }
        assertTrue(ab.flipped + ba.flipped > 0, "bytes were corrupted");
        assertTrue(a.rejected() + b.rejected() > 0, "corrupt frames rejected");
        assertTrue(ea.retransmissions() > 0, "and resent");
    }
}

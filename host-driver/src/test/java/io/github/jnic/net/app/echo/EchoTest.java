package io.github.jnic.net.app.echo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EchoTest {
    @Test
    void tcpEchoReturnsTheStreamAndPushesBackWhenFull() {
        EchoConnection e = new EchoConnection(8);
        byte[] data = "0123456789".getBytes();
        assertEquals(8, e.room());
        e.receive(data, 0, 8, 0);
        assertEquals(0, e.room(), "full: no more reading");
        assertThrows(IllegalStateException.class, () -> e.receive(data, 8, 2, 0));
        assertArrayEquals("01234567".getBytes(), e.nextOutput());
        assertEquals(8, e.room());
        e.receive(data, 8, 2, 0);
        assertArrayEquals("89".getBytes(), e.nextOutput());
        assertNull(e.nextOutput());
        e.receive(data, 0, 1, 0);
        e.peerClosed(0);
        assertFalse(e.shouldClose(), "the echo goes out before the close");
        e.nextOutput();
        assertTrue(e.shouldClose());
        assertEquals(11, e.echoed());
    }

    @Test
    void udpEchoRefusesPortsThatCouldLoop() {
        EchoDatagrams e = new EchoDatagrams();
        assertTrue(e.shouldEcho(40000));
        assertFalse(e.shouldEcho(7));
        assertFalse(e.shouldEcho(19));
        assertEquals(1, e.echoed());
        assertEquals(2, e.refused());
    }
}

package io.github.jnic.net.stack;

import static org.junit.jupiter.api.Assertions.*;

import io.github.jnic.net.socket.DatagramSocket;
import io.github.jnic.net.socket.Poller;
import io.github.jnic.net.socket.Readiness;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Sockets used from application threads while {@link StackRunner}s drive two stacks with the real clock. */
class ThreadedSocketsTest {
    private RunningHosts hosts;
    private NetStack a, b;
    private InetAddress addrB;

    @BeforeEach
    void start() throws Exception {
        hosts = new RunningHosts(false);
        a = hosts.a;
        b = hosts.b;
        addrB = hosts.addressB;
    }

    @AfterEach
    void stop() {
        hosts.close();
    }

    @Test
    void blockingReceiveGetsManyDatagramsInOrder() throws Exception {
        try (DatagramSocket server = new DatagramSocket(b, 7000); DatagramSocket client = new DatagramSocket(a)) {
            server.setSoTimeout(5000);
            int n = 2000, batch = 100;
            java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
            CompletableFuture<Integer> received = CompletableFuture.supplyAsync(() -> {
                DatagramPacket p = new DatagramPacket(new byte[2000], 2000);
                try {
                    for (int i = 0; i < n; i++) {
                        server.receive(p);
                        if (p.getLength() != 1000 || p.getData()[0] != (byte) i) return -i;
                        count.incrementAndGet();
                    }
                } catch (Exception e) {
                    return -1_000_000 - count.get();
                }
                return count.get();
            });
            byte[] data = new byte[1000];
            // Batches no larger than the receive queue (~250 datagrams) and the ARP queue (16) allow:
            // the first datagram alone, so the neighbour is resolved before the bursts.
            for (int i = 0; i < n; i++) {
                data[0] = (byte) i;
                client.send(new DatagramPacket(data, data.length, addrB, 7000));
                if (i == 0 || i % batch == batch - 1) {
                    long deadline = System.nanoTime() + 10_000_000_000L;
                    while (count.get() < i + 1 && System.nanoTime() < deadline && !received.isDone()) Thread.sleep(1);
                }
            }
            int got = received.get(20, TimeUnit.SECONDS);
            assertEquals(n, got, () -> "drops: " + a.counters().drops() + b.counters().drops());
        }
    }

    @Test
    void receiveTimesOutAndCloseUnblocks() throws Exception {
        DatagramSocket s = new DatagramSocket(b, 7001);
        s.setSoTimeout(100);
        long t0 = System.nanoTime();
        assertThrows(SocketTimeoutException.class, () -> s.receive(new DatagramPacket(new byte[10], 10)));
        assertTrue(System.nanoTime() - t0 >= 90_000_000L);
        s.setSoTimeout(0);
        CompletableFuture<Throwable> blocked = CompletableFuture.supplyAsync(() -> {
            try {
                s.receive(new DatagramPacket(new byte[10], 10));
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        Thread.sleep(100);
        s.close();
        assertInstanceOf(SocketException.class, blocked.get(5, TimeUnit.SECONDS));
    }

    @Test
    void bindingATakenPortFails() throws Exception {
        try (DatagramSocket s = new DatagramSocket(b, 7002)) {
            assertEquals(7002, s.getLocalPort());
            BindException e = assertThrows(BindException.class, () -> new DatagramSocket(b, 7002));
            assertTrue(e.getMessage().contains("Address already in use"));
        }
    }

    @Test
    void pollerReportsReadableSockets() throws Exception {
        try (DatagramSocket s1 = new DatagramSocket(b, 7003); DatagramSocket s2 = new DatagramSocket(b, 7004);
             DatagramSocket client = new DatagramSocket(a)) {
            Poller poller = new Poller();
            poller.register(s1.readiness(), Readiness.READABLE, "one");
            poller.register(s2.readiness(), Readiness.READABLE, "two");
            assertTrue(poller.select(50).isEmpty());
            client.send(new DatagramPacket(new byte[3], 3, addrB, 7004));
            List<Poller.Key> ready = poller.select(5000);
            assertEquals(1, ready.size());
            assertEquals("two", ready.get(0).attachment());
            assertTrue(s2.tryReceive(new DatagramPacket(new byte[10], 10)));
            assertFalse(s2.tryReceive(new DatagramPacket(new byte[10], 10)));
            assertTrue(poller.select(50).isEmpty(), "level-triggered: nothing left");
        }
    }
}

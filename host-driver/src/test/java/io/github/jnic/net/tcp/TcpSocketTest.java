package io.github.jnic.net.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.net.socket.Readiness;
import io.github.jnic.net.stack.NetStack;
import io.github.jnic.net.stack.RunningHosts;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.MessageDigest;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** TCP sockets used from application threads while two stacks run on their own threads, on the real clock. */
@Timeout(60)
class TcpSocketTest {
    private RunningHosts hosts;
    private NetStack a;
    private NetStack b;
    private Tcp tcpA;
    private Tcp tcpB;
    private InetAddress addrB;

    @BeforeEach
    void start() throws Exception {
        hosts = new RunningHosts(true);
        a = hosts.a;
        b = hosts.b;
        tcpA = hosts.tcpA;
        tcpB = hosts.tcpB;
        addrB = hosts.addressB;
    }

    @AfterEach
    void stop() {
        hosts.close();
    }

    @Test
    void streamsCarryMegabytesBothWaysThroughAnEchoServer() throws Exception {
        int size = 8 * 1024 * 1024;
        try (TcpServerSocket server = new TcpServerSocket(b, tcpB, 7, 4)) {
            CompletableFuture<Long> echo = CompletableFuture.supplyAsync(() -> {
                try (TcpSocket s = server.accept()) {
                    InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream();
                    byte[] buf = new byte[30000];
                    long total = 0;
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        out.write(buf, 0, n);
                        total += n;
                    }
                    s.shutdownOutput();
                    return total;
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            TcpSocket client = new TcpSocket(a, tcpA);
            client.connect(new InetSocketAddress(addrB, 7), 5000);
            client.setSoTimeout(20_000);
            byte[] data = new byte[size];
            new SplittableRandom(7).nextBytes(data);
            CompletableFuture<byte[]> reader = CompletableFuture.supplyAsync(() -> {
                try {
                    MessageDigest md = MessageDigest.getInstance("SHA-256");
                    byte[] buf = new byte[50000];
                    long total = 0;
                    int n;
                    while ((n = client.getInputStream().read(buf)) > 0) {
                        md.update(buf, 0, n);
                        total += n;
                    }
                    assertEquals(size, total);
                    return md.digest();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            try {
                for (int off = 0; off < size; off += 100_000) client.getOutputStream().write(data, off, Math.min(100_000, size - off));
            } catch (SocketTimeoutException e) {
                if (hosts.runA.failure() != null) hosts.runA.failure().printStackTrace();
                if (hosts.runB.failure() != null) hosts.runB.failure().printStackTrace();
                throw new AssertionError("stalled: A " + tcpA.connections() + " " + tcpA.counters() + " B " + tcpB.connections() + " " + tcpB.counters(), e);
            }
            client.shutdownOutput();
            assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(data), reader.get(30, TimeUnit.SECONDS));
            assertEquals(size, echo.get(30, TimeUnit.SECONDS));
            client.close();
        }
    }

    @Test
    void connectingToAClosedPortIsRefused() {
        TcpSocket s = new TcpSocket(a, tcpA);
        ConnectException e = assertThrows(ConnectException.class, () -> s.connect(new InetSocketAddress(addrB, 9), 5000));
        assertTrue(e.getMessage().contains("refused"), e.getMessage());
    }

    @Test
    void listeningOnAPortInUseIsABindException() throws Exception {
        try (TcpServerSocket first = new TcpServerSocket(b, tcpB, 80, 4)) {
            assertThrows(BindException.class, () -> new TcpServerSocket(b, tcpB, 80, 4));
        }
    }

    @Test
    void readAndAcceptTimeOut() throws Exception {
        try (TcpServerSocket server = new TcpServerSocket(b, tcpB, 81, 4)) {
            server.setSoTimeout(100);
            assertThrows(SocketTimeoutException.class, server::accept);
            Connected pair = connect(server, 81);
            TcpSocket client = pair.client(), accepted = pair.accepted();
            client.setSoTimeout(100);
            assertThrows(SocketTimeoutException.class, () -> client.getInputStream().read());
            accepted.getOutputStream().write(42);
            client.setSoTimeout(5000);
            assertEquals(42, client.getInputStream().read());
            client.close();
            accepted.close();
        }
    }

    @Test
    void aLargeWriteThePeerDoesNotTakeTimesOutAndTheSocketStillCloses() throws Exception {
        try (TcpServerSocket server = new TcpServerSocket(b, tcpB, 83, 4)) {
            Connected pair = connect(server, 83);   // and the accepted side never reads: windows and buffers fill up
            TcpSocket client = pair.client(), accepted = pair.accepted();
            client.setSoTimeout(300);
            byte[] big = new byte[4 << 20];   // far more than both ends buffer: the lent array is never all taken
            assertThrows(SocketTimeoutException.class, () -> client.getOutputStream().write(big));
            client.close();   // the bytes taken still go out, then the FIN
            long got = readToTheEnd(accepted);   // the close arrives after what was taken
            assertTrue(got > 0 && got < big.length, "part of the write was taken before the timeout: " + got);
            accepted.close();
        }
    }

    @Test
    void aLargeWriteBlockedInAnotherThreadEndsWhenTheSocketIsClosed() throws Exception {
        try (TcpServerSocket server = new TcpServerSocket(b, tcpB, 84, 4)) {
            Connected pair = connect(server, 84);
            TcpSocket client = pair.client(), accepted = pair.accepted();
            CompletableFuture<Throwable> writer = CompletableFuture.supplyAsync(() -> {
                try {
                    client.getOutputStream().write(new byte[4 << 20]);
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            Thread.sleep(300);
            assertFalse(writer.isDone(), "the write waits for a peer that does not read");
            client.close();
            Throwable t = writer.get(5, TimeUnit.SECONDS);
            assertTrue(t instanceof SocketException, String.valueOf(t));
            readToTheEnd(accepted);   // the closed socket's FIN arrives after what was taken
            accepted.close();
        }
    }

    @Test
    void aResetNamesItsCause() throws Exception {
        try (TcpServerSocket server = new TcpServerSocket(b, tcpB, 82, 4)) {
            Connected pair = connect(server, 82);
            TcpSocket client = pair.client(), accepted = pair.accepted();
            accepted.getOutputStream().write(new byte[10]);
            // Closing with unread data resets the connection (RFC 1122 4.2.2.13, as Linux does).
            client.setSoTimeout(5000);
            accepted.setSoTimeout(5000);
            assertEquals(10, client.getInputStream().read(new byte[10]));
            client.getOutputStream().write(new byte[5]);
            Thread.sleep(100);
            accepted.close();
            SocketException e = assertThrows(SocketException.class, () -> {
                while (true) client.getInputStream().read(new byte[10]);
            });
            assertTrue(e.getMessage().contains("reset"), e.getMessage());
        }
    }

    @Test
    void readinessTellsANonBlockingClientWhenToAct() throws Exception {
        try (TcpServerSocket server = new TcpServerSocket(b, tcpB, 83, 4)) {
            CountDownLatch acceptable = new CountDownLatch(1);
            server.readiness().addListener((r, bits) -> {
                if ((bits & Readiness.ACCEPTABLE) != 0) acceptable.countDown();
            });
            TcpSocket client = new TcpSocket(a, tcpA);
            client.connect(new InetSocketAddress(addrB, 83), 5000);
            assertTrue(acceptable.await(5, TimeUnit.SECONDS));
            TcpSocket accepted = server.tryAccept();
            assertTrue(accepted != null);
            assertNull(server.tryAccept());
            CountDownLatch readable = new CountDownLatch(1);
            accepted.readiness().addListener((r, bits) -> {
                if ((bits & Readiness.READABLE) != 0) readable.countDown();
            });
            assertEquals(0, accepted.tryRead(new byte[4], 0, 4));
            assertEquals(3, client.tryWrite(new byte[] {1, 2, 3}, 0, 3));
            assertTrue(readable.await(5, TimeUnit.SECONDS));
            byte[] got = new byte[4];
            assertEquals(3, accepted.tryRead(got, 0, 4));
            assertArrayEquals(new byte[] {1, 2, 3, 0}, got);
            client.close();
            accepted.setSoTimeout(5000);
            assertEquals(-1, accepted.read(got, 0, 4), "the peer's FIN is the end of the stream");
            accepted.close();
        }
    }

    /** Reads until the peer's FIN (failing if it does not come within 10 s); returns the bytes read. */
    /** A client on A connected to {@code server} on B at {@code port}, and the server's side of it. */
    private record Connected(TcpSocket client, TcpSocket accepted) {}

    private Connected connect(TcpServerSocket server, int port) throws Exception {
        TcpSocket client = new TcpSocket(a, tcpA);
        client.connect(new InetSocketAddress(addrB, port), 5000);
        server.setSoTimeout(5000);
        return new Connected(client, server.accept());
    }

    private static long readToTheEnd(TcpSocket s) throws Exception {
        s.setSoTimeout(10_000);
        byte[] buf = new byte[65536];
        long got = 0;
        int n;
        while ((n = s.getInputStream().read(buf)) > 0) got += n;
        assertEquals(-1, n);
        return got;
    }
}

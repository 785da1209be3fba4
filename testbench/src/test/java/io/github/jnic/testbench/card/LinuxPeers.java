package io.github.jnic.testbench.card;

import io.github.jnic.net.stack.NetStack;
import io.github.jnic.net.tcp.Tcp;
import io.github.jnic.net.tcp.TcpSocket;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** What the tests with Linux on the far end share. */
public final class LinuxPeers {
    private LinuxPeers() {}

    /**
     * nc needs a moment to listen: a refused connect is retried for twice {@code connectTimeoutMs},
     * every hundredth of it.
     */
    public static TcpSocket connectWhenListening(NetStack stack, Tcp tcp, InetAddress to, int port, int connectTimeoutMs) throws Exception {
        long deadline = System.nanoTime() + 2_000_000L * connectTimeoutMs;
        while (true) {
            TcpSocket conn = new TcpSocket(stack, tcp);
            try {
                conn.connect(new InetSocketAddress(to, port), connectTimeoutMs);
                return conn;
            } catch (ConnectException e) {
                if (System.nanoTime() > deadline) throw e;
                Thread.sleep(connectTimeoutMs / 100);
            }
        }
    }
}

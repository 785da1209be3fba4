package io.github.jnic.net.stack;

import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.jnic.net.dev.MemoryLink;
import io.github.jnic.net.tcp.Tcp;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Two stacks, 10.0.0.1 ({@link #a}) and 10.0.0.2/24 ({@link #b}), joined by a {@link MemoryLink} and
 * each driven by its own {@link StackRunner} on the real clock: for sockets used from application
 * threads. Closing stops the runners and asserts neither thread threw.
 */
public final class RunningHosts implements AutoCloseable {
    public final NetStack a = new NetStack();
    public final NetStack b = new NetStack();
    /** TCP on each stack, or null when not asked for. */
    public final Tcp tcpA, tcpB;
    public final InetAddress addressB;
    public final StackRunner runA, runB;

    public RunningHosts(boolean withTcp) throws UnknownHostException {
        MemoryLink link = new MemoryLink(StackRunner.CLOCK);
        a.addAddress(a.addInterface(link.a()), "10.0.0.1/24");
        b.addAddress(b.addInterface(link.b()), "10.0.0.2/24");
        tcpA = withTcp ? register(a) : null;
        tcpB = withTcp ? register(b) : null;
        runA = StackRunner.start(a, "stack-a");
        runB = StackRunner.start(b, "stack-b");
        addressB = InetAddress.getByName("10.0.0.2");
    }

    private static Tcp register(NetStack s) {
        Tcp t = new Tcp(s.ipv4());
        s.register(t);
        return t;
    }

    @Override public void close() {
        runA.close();
        runB.close();
        assertNull(runA.failure());
        assertNull(runB.failure());
    }
}

package io.github.jnic.net.bench;

import io.github.jnic.net.dev.MemoryLink;
import io.github.jnic.net.eth.NetInterface;
import io.github.jnic.net.icmp.EchoListener;
import io.github.jnic.net.stack.NetStack;
import io.github.jnic.net.udp.UdpSocket;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The steady-state data path of the stack below TCP, per packet: time and bytes allocated (target:
 * zero). Two stacks joined by a {@link MemoryLink}, driven on the benchmark thread with a manual
 * clock. Run {@link #main} (see docs/stack.md) to get the table with the GC profiler's figures.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class StackBenchmarks {
    private static final int A = 0x0a000001, B = 0x0a000002;

    @Param({"64", "1472"})
    public int size;

    private long now = 1_000_000_000L;
    private NetStack a, b;
    private UdpSocket tx, rx;
    private byte[] data, into;
    private int replies;

    @Setup(Level.Trial)
    public void setUp() {
        MemoryLink link = new MemoryLink(() -> now);
        a = new NetStack();
        b = new NetStack();
        NetInterface ia = a.addInterface(link.a());
        NetInterface ib = b.addInterface(link.b());
        a.addAddress(ia, A, 24);
        b.addAddress(ib, B, 24);
        tx = a.udp().newSocket();
        rx = b.udp().newSocket();
        a.udp().bind(tx, 0, 5000);
        b.udp().bind(rx, 0, 6000);
        data = new byte[size];
        into = new byte[2048];
        a.icmp().addEchoListener(7, new EchoListener() {
            @Override public void reply(int from, int seq, byte[] d, int off, int len, long t) { replies++; }
        });
        for (int i = 0; i < 1000; i++) udpOneWay();   // ARP resolved, pools warm
    }

    /** One datagram from A's socket to B's socket: UDP, IPv4 and Ethernet out of A, in through B. */
    @Benchmark
    public int udpOneWay() {
        now += 1000;
        a.udp().send(tx, data, 0, data.length, B, 6000);
        a.poll(now);
        b.poll(now);
        return rx.poll(into, 0, into.length, null);
    }

    /** An ICMP echo from A answered by B: the IPv4/Ethernet path both ways, twice. */
    @Benchmark
    public int echoRoundTrip() {
        now += 1000;
        a.icmp().sendEcho(B, 7, 1, data, 0, data.length);
        b.poll(now);
        a.poll(now);
        return replies;
    }

    public static void main(String[] args) throws Exception {
        AllocationReport.run(StackBenchmarks.class, "packet", "payload bytes");
    }
}

package io.github.jnic.net.tcp;

import io.github.jnic.net.bench.AllocationReport;
import io.github.jnic.net.dev.MemoryLink;
import io.github.jnic.net.eth.NetInterface;
import io.github.jnic.net.stack.NetStack;
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
 * The steady-state TCP data path, per data segment: time and bytes allocated (target: zero). Two
 * stacks joined by a {@link MemoryLink}, one established connection, driven on the benchmark
 * thread with a manual clock; each operation moves {@code size} bytes from A to B (one data
 * segment at 1448) with the ACKs they bring. Run {@link #main} for the table with the GC
 * profiler's figures (command in docs/benchmarks.md).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class TcpBenchmarks {
    private static final int B = 0x0a000002;

    @Param({"100", "1448"})
    public int size;

    private long now = 1_000_000_000L;
    private NetStack a;
    private NetStack b;
    private TcpConnection client;
    private TcpConnection server;
    private byte[] data;
    private byte[] into;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        MemoryLink link = new MemoryLink(() -> now);
        a = new NetStack();
        b = new NetStack();
        NetInterface ia = a.addInterface(link.a());
        NetInterface ib = b.addInterface(link.b());
        a.addAddress(ia, 0x0a000001, 24);
        b.addAddress(ib, B, 24);
        Tcp ta = new Tcp(a.ipv4());
        Tcp tb = new Tcp(b.ipv4());
        a.register(ta);
        b.register(tb);
        a.poll(now);
        b.poll(now);
        TcpListener l = tb.listen(0, 5001, 1);
        client = ta.connect(B, 5001);
        client.setNoDelay(true);
        for (int i = 0; i < 10 && server == null; i++) {
            step();
            server = l.accept();
        }
        data = new byte[size];
        into = new byte[65536];
        for (int i = 0; i < 100_000; i++) segment(); // warm: pools filled, windows open
    }

    private void step() {
        now += 10_000;
        a.poll(now);
        b.poll(now);
    }

    /** {@code size} bytes from A's connection into B's application, with the ACKs they bring. */
    @Benchmark
    public int segment() throws TcpException {
        client.write(data, 0, data.length);
        step();
        int n = server.read(into, 0, into.length);
        return n + (int) client.unacknowledged();
    }

    public static void main(String[] args) throws Exception {
        AllocationReport.run(TcpBenchmarks.class, "op", "bytes per write");
    }
}

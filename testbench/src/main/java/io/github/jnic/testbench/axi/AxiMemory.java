package io.github.jnic.testbench.axi;

import io.github.jnic.testbench.sim.NativeModel;
import io.github.jnic.testbench.sim.Port;
import io.github.jnic.testbench.sim.Simulator;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Host memory behind an AXI4 slave (native model "axi4_memory", src/main/native/axi_models.cpp):
 * the design's AXI4 master reads and writes the very bytes of {@link #memory()}, a direct buffer
 * Java reads and writes between runs, as a driver and a card share host memory over PCIe. The bus
 * address of byte 0 is {@link #busBase()}.
 *
 * <p>The memory answers with a latency in cycles (plus a seeded random jitter per burst), a
 * bandwidth per direction, responses of different IDs reordered at random (same-ID responses stay
 * in order, as AXI requires), and error responses for chosen address ranges. Read bursts are never
 * interleaved beat by beat. A write reaches memory when its B response is sent. Protocol mistakes
 * of the master (a burst across 4 KiB, a wrong size or burst type, WLAST off its count) are counted
 * in {@link #stats()}, never fatal.
 */
public final class AxiMemory extends NativeModel {
    /** An AXI response code. */
    public enum Resp { OKAY, EXOKAY, SLVERR, DECERR }

    private final ByteBuffer memory;
    private final long busBase;

    /**
     * @param prefix  the name of the design's {@code Axi4} port ({@code dma} for {@code dma_aw_valid}, ...)
     * @param busBase the bus address of the memory's first byte
     * @param bytes   the memory's size
     */
    public AxiMemory(Simulator sim, String clock, String prefix, long busBase, int bytes, long seed) {
        this(sim, clock, prefix, busBase, ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN), seed);
    }

    private AxiMemory(Simulator sim, String clock, String prefix, long busBase, ByteBuffer memory, long seed) {
        super(sim, "axi4_memory", clock, pins(sim, prefix), addressOf(memory), memory.capacity(), busBase, seed);
        this.memory = memory;
        this.busBase = busBase;
    }

    /** The AXI4 signals of a jhdl {@code Axi4} port, in the model's order (id ports may be absent). */
    static Port[] pins(Simulator sim, String p) {
        String[] names = {
            "aw_valid", "aw_ready", "aw_payload_id", "aw_payload_addr", "aw_payload_len", "aw_payload_size", "aw_payload_burst",
            "w_valid", "w_ready", "w_payload_data", "w_payload_strb", "w_last",
            "b_valid", "b_ready", "b_payload_id", "b_payload_resp",
            "ar_valid", "ar_ready", "ar_payload_id", "ar_payload_addr", "ar_payload_len", "ar_payload_size", "ar_payload_burst",
            "r_valid", "r_ready", "r_payload_id", "r_payload_data", "r_payload_resp", "r_last"};
        Port[] ports = new Port[names.length];
        for (int i = 0; i < names.length; i++) {
            String name = p + "_" + names[i];
            ports[i] = sim.hasPort(name) ? sim.port(name) : null;
        }
        return ports;
    }

    /** The memory's bytes (little-endian view), shared with the design's bus: touch it only between runs. */
    public ByteBuffer memory() {
        return memory;
    }

    public long busBase() {
        return busBase;
    }

    /** The index in {@link #memory()} of a bus address. */
    public int offsetOf(long busAddress) {
        long at = busAddress - busBase;
        if (at < 0 || at >= memory.capacity()) throw new IllegalArgumentException("0x" + Long.toHexString(busAddress) + " is outside the memory");
        return (int) at;
    }

    /**
     * Cycles from a read burst's address (a write burst's last data beat) to its first response,
     * plus a uniform random 0..jitter more per burst.
     */
    public AxiMemory latency(long readCycles, long writeCycles, long jitterCycles) {
        return command(1, readCycles, writeCycles, jitterCycles);
    }

    /** Bytes per cycle each direction may move, on average (0 = one beat every cycle). */
    public AxiMemory bandwidth(double readBytesPerCycle, double writeBytesPerCycle) {
        return command(2, Math.round(readBytesPerCycle * 1024), Math.round(writeBytesPerCycle * 1024), 0);
    }

    /** The chance (0 to 1) that, of the responses due, one of a random other ID goes first. */
    public AxiMemory reorder(double chance) {
        return command(3, Math.round(chance * 65536), 0, 0);
    }

    /** Bursts touching {@code [from, to)} are answered {@code resp}; their writes are dropped. */
    public AxiMemory error(long from, long to, Resp resp) {
        return command(4, from, to, resp.ordinal());
    }

    public AxiMemory clearErrors() {
        return command(5, 0, 0, 0);
    }

    /** Bursts of each kind accepted and not answered yet, at most (0 = no limit). */
    public AxiMemory outstanding(int reads, int writes) {
        return command(6, reads, writes, 0);
    }

    private AxiMemory command(int op, long a, long b, long c) {
        ByteBuffer buf = buffer(32);
        buf.putInt(op).putInt(0).putLong(a).putLong(b).putLong(c);
        if (!put(buf)) throw new IllegalStateException("axi4_memory refused command " + op);
        return this;
    }

    /** What the memory has seen so far. */
    public record Stats(long readBursts, long writeBursts, long readBeats, long writeBeats, long errorResponses,
                        long burstsCrossing4k, long protocolMistakes, long mostReadsOutstanding, long mostWritesOutstanding,
                        long readsOutstanding, long writesOutstanding, long reordered, long readIds, long writeIds) {}

    public Stats stats() {
        long[] q = new long[14];
        for (int i = 0; i < q.length; i++) q[i] = query(i);
        return new Stats(q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7], q[8], q[9], q[10], q[11], q[12], q[13]);
    }
}

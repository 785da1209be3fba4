package io.github.jnic.testbench.axi;

import io.github.jnic.testbench.sim.NativeModel;
import io.github.jnic.testbench.sim.Port;
import io.github.jnic.testbench.sim.SimulationException;
import io.github.jnic.testbench.sim.Simulator;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Register access from Java through a design's AXI4-Lite slave (native model "axi4lite_master"):
 * a batch of reads, writes and idle gaps runs inside one JNI call, one access after another, and
 * the simulation stops when the batch is done. An access that gets no answer within the timeout
 * is reported with {@link #TIMEOUT} instead of hanging.
 *
 * <pre>{@code
 * AxiLitePort regs = new AxiLitePort(sim, "clk", "host", 1000);
 * regs.write(0x0100, 2);
 * int icr = regs.read(0x00C0);
 * List<AxiLitePort.Result> r = regs.batch().write(0x3818, 5).read(0x0008).run();
 * }</pre>
 */
public final class AxiLitePort extends NativeModel {
    /** The response code reported for an access that timed out. */
    public static final int TIMEOUT = 0xFF;

    private final String clock;
    private final long timeout;

    /** @param prefix the name of the design's {@code Axi4Lite} port ({@code host} for {@code host_aw_valid}, ...) */
    public AxiLitePort(Simulator sim, String clock, String prefix, long timeoutCycles) {
        super(sim, "axi4lite_master", clock, pins(sim, prefix), timeoutCycles);
        this.clock = clock;
        this.timeout = timeoutCycles;
    }

    private static Port[] pins(Simulator sim, String p) {
        String[] names = {"aw_valid", "aw_ready", "aw_payload", "w_valid", "w_ready", "w_payload_data", "w_payload_strb",
                "b_valid", "b_ready", "b_payload", "ar_valid", "ar_ready", "ar_payload", "r_valid", "r_ready",
                "r_payload_data", "r_payload_resp"};
        Port[] ports = new Port[names.length];
        for (int i = 0; i < names.length; i++) ports[i] = sim.port(p + "_" + names[i]);
        return ports;
    }

    /** The answer to one read or write: the data read (0 for a write) and the response code. */
    public record Result(int data, int resp) {
        public boolean ok() {
            return resp == 0;
        }
    }

    /** Accesses to run in one go. */
    public final class Batch {
        private final List<int[]> accesses = new ArrayList<>();

        public Batch read(int address) {
            accesses.add(new int[] {0, address, 0, 0});
            return this;
        }

        public Batch write(int address, int value) {
            return write(address, value, 0xF);
        }

        /** A write of the byte lanes set in {@code strobes}. */
        public Batch write(int address, int value, int strobes) {
            accesses.add(new int[] {1, address, value, strobes});
            return this;
        }

        /** Nothing on the bus for {@code cycles} cycles. */
        public Batch idle(int cycles) {
            accesses.add(new int[] {2, cycles, 0, 0});
            return this;
        }

        public int size() {
            return accesses.size();
        }

        /** Runs the batch; a result for each read and write, in order. */
        public List<Result> run() {
            List<Result> results = new ArrayList<>();
            if (accesses.isEmpty()) return results;
            ByteBuffer b = buffer(16 * accesses.size());
            long cycles = 0;
            for (int[] a : accesses) {
                b.putInt(a[0]).putInt(a[1]).putInt(a[2]).putInt(a[3]);
                cycles += a[0] == 2 ? a[1] + 1 : timeout + 1;
            }
            if (!put(b)) throw new IllegalStateException("axi4lite_master refused the batch");
            long limit = cycles + 16;
            while (query(1) > 0 && limit > 0) {
                long before = simulator().cycles(clock);
                simulator().runUntilModelStops(clock, limit);
                limit -= simulator().cycles(clock) - before;
            }
            if (query(1) > 0) throw new SimulationException("register batch not done within " + cycles + " cycles");
            ByteBuffer out = take();
            while (out.remaining() >= 8) results.add(new Result(out.getInt(), out.getInt()));
            return results;
        }
    }

    public Batch batch() {
        return new Batch();
    }

    /** Reads a register; throws on an error response or a timeout. */
    public int read(int address) {
        return checked(batch().read(address).run().get(0), "read", address).data();
    }

    /** Writes a register; throws on an error response or a timeout. */
    public void write(int address, int value) {
        checked(batch().write(address, value).run().get(0), "write", address);
    }

    /** Accesses that timed out so far. */
    public long timeouts() {
        return query(2);
    }

    private static Result checked(Result r, String what, int address) {
        if (r.resp() == TIMEOUT) throw new SimulationException(what + " of 0x" + Integer.toHexString(address) + " timed out");
        if (!r.ok()) throw new SimulationException(what + " of 0x" + Integer.toHexString(address) + " answered " + r.resp());
        return r;
    }
}

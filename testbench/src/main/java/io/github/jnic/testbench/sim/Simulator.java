package io.github.jnic.testbench.sim;

import io.github.jnic.jhdl.verilog.VerilogDesign;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A verilated design loaded into this JVM. Clocks are driven from a time-ordered edge schedule
 * inside the native loop; {@link #step}, {@link #run} and {@link #runUntil} cross JNI once per
 * call, however many cycles they run. Not thread-safe: use one simulator from one thread.
 *
 * <pre>{@code
 * try (Simulator sim = Simulator.load(design)) {
 *     sim.resetHigh("rst", "clk", 2);
 *     sim.port("en").set(1);
 *     sim.step("clk", 1000);
 *     long count = sim.port("count").get();
 * }
 * }</pre>
 *
 * Every input starts at zero and every port flagged as a clock in the design ticks with a
 * 10 ns period until {@link #clock} says otherwise. Times are in picoseconds.
 */
public final class Simulator implements AutoCloseable {
    public static final long DEFAULT_CLOCK_PERIOD_PS = 10_000;
    private static final int MAX_CLOCKS = 64; // the native loop's limit
    private static final Set<Simulator> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Simulator s : OPEN) if (!s.running) s.close(); // flushes and closes waveforms
        }, "jnic-simulator-shutdown"));
    }

    private final VerilogDesign design;
    private final SimOptions options;
    private final Map<String, Port> ports = new HashMap<>();
    private final Map<String, Integer> clocks = new HashMap<>();
    private final List<NativeModel> models = new ArrayList<>();
    private long handle;
    private volatile boolean running;

    private Simulator(VerilogDesign design, SimOptions options, long handle) {
        this.design = design;
        this.options = options;
        this.handle = handle;
        List<VerilogDesign.Port> list = design.ports();
        for (int i = 0; i < list.size(); i++) ports.put(list.get(i).name(), new Port(this, i, list.get(i)));
    }

    public static Simulator load(VerilogDesign design) {
        return load(design, SimOptions.defaults());
    }

    /** Builds (or finds in the cache) the design's model library and loads a fresh instance. */
    public static Simulator load(VerilogDesign design, SimOptions options) {
        ModelCache cache = ModelCache.of(options);
        Native.load(cache);
        Path library = cache.model(design, options.trace() != null, options.verilatorFlags());
        String trace = null;
        if (options.trace() != null) {
            Path t = options.trace().toAbsolutePath();
            try {
                if (t.getParent() != null) Files.createDirectories(t.getParent());
            } catch (java.io.IOException e) {
                throw new SimulationException("cannot create the directory of " + t, e);
            }
            trace = t.toString();
        }
        Simulator sim = new Simulator(design, options, Native.open(library.toString(), trace));
        OPEN.add(sim);
        sim.flushOutput();
        for (VerilogDesign.Port p : design.ports())
            if (p.clock() && p.direction() == VerilogDesign.Direction.INPUT) sim.clock(p.name(), DEFAULT_CLOCK_PERIOD_PS);
        return sim;
    }

    public VerilogDesign design() {
        return design;
    }

    public Port port(String name) {
        Port p = ports.get(name);
        if (p == null) throw new IllegalArgumentException("module " + design.top() + " has no port '" + name + "'");
        return p;
    }

    public boolean hasPort(String name) {
        return ports.containsKey(name);
    }

    /** Drives an input port as a clock with its own period (starting low), or changes its period. */
    public void clock(String name, long periodPs) {
        Port p = port(name);
        if (!p.isInput() || p.width() != 1) throw new IllegalArgumentException(name + " must be a 1-bit input to be a clock");
        if (periodPs < 2) throw new IllegalArgumentException("clock period must be at least 2 ps");
        if (!clocks.containsKey(name) && clocks.size() == MAX_CLOCKS)
            throw new IllegalStateException("at most " + MAX_CLOCKS + " clocks");
        clocks.put(name, Native.clock(handle(), p.index(), periodPs));
    }

    /** Runs until {@code clock} has risen {@code cycles} more times; returns right after that edge. */
    public void step(String clock, long cycles) {
        if (cycles <= 0) return;
        int c = clockIndex(clock);
        long end = Native.rises(handle(), c) + cycles;
        for (long left = cycles; left > 0; left = end - Native.rises(handle(), c)) {
            int result = runNative(Long.MAX_VALUE, c, left, null);
            check(result);
            if (result != Native.RUN_MODEL_STOP) return;  // a model's stop request does not shorten a step
        }
    }

    /**
     * Runs until a bus model asks to stop (for instance when the batch Java handed it is done), at
     * most {@code maxCycles} rising edges of {@code clock}. True if a model stopped the run.
     */
    public boolean runUntilModelStops(String clock, long maxCycles) {
        if (maxCycles <= 0) return false;
        int result = runNative(Long.MAX_VALUE, clockIndex(clock), maxCycles, null);
        check(result);
        return result == Native.RUN_MODEL_STOP;
    }

    /**
     * Like {@link #runUntil}, but returns false instead of throwing when {@code maxCycles} pass
     * first (waiting for an interrupt with a deadline). A model's stop request ends the wait too
     * (false, unless the condition holds then).
     */
    public boolean runUntilAtMost(Condition condition, String clock, long maxCycles) {
        if (condition.port().simulator() != this) throw new IllegalArgumentException("condition on another simulator's port");
        if (condition.holds()) return true;
        if (maxCycles <= 0) return false;
        int result = runNative(Long.MAX_VALUE, clockIndex(clock), maxCycles, condition);
        check(result);
        return result == Native.RUN_CONDITION || condition.holds();
    }

    /** Advances simulation time by {@code ps}, every clock ticking on its own schedule. */
    public void run(long ps) {
        long until = time() + ps;
        while (runNative(until, -1, 0, null) == Native.RUN_MODEL_STOP) {}
        check(Native.status(handle()) == Native.RUNNING ? Native.RUN_DONE : Native.RUN_HALTED);
    }

    /**
     * Runs until the condition holds right after a rising edge of {@code clock} (or already holds
     * now), at most {@code maxCycles} cycles. Returns the cycles it took; throws when it never held.
     */
    public long runUntil(Condition condition, String clock, long maxCycles) {
        if (condition.port().simulator() != this) throw new IllegalArgumentException("condition on another simulator's port");
        if (condition.holds()) return 0;
        int c = clockIndex(clock);
        long before = Native.rises(handle(), c);
        int result;
        do {
            result = runNative(Long.MAX_VALUE, c, maxCycles - (Native.rises(handle(), c) - before), condition);
            check(result);
        } while (result == Native.RUN_MODEL_STOP && Native.rises(handle(), c) - before < maxCycles);
        long cycles = Native.rises(handle(), c) - before;
        if (result != Native.RUN_CONDITION)
            throw new SimulationException("condition " + condition + " did not hold within " + maxCycles + " cycles of " + clock);
        return cycles;
    }

    /** Holds an active-high reset for {@code cycles} rising edges of {@code clock}, then releases it. */
    public void resetHigh(String reset, String clock, int cycles) {
        port(reset).set(1);
        step(clock, cycles);
        port(reset).set(0);
    }

    /** Holds an active-low reset for {@code cycles} rising edges of {@code clock}, then releases it. */
    public void resetLow(String reset, String clock, int cycles) {
        port(reset).set(0);
        step(clock, cycles);
        port(reset).set(1);
    }

    /** Current simulation time in ps. */
    public long time() {
        return Native.time(handle());
    }

    /** Rising edges of {@code clock} since the simulator was loaded. */
    public long cycles(String clock) {
        return Native.rises(handle(), clockIndex(clock));
    }

    /** Attaches a native bus model (for {@link NativeModel} subclasses). */
    long attach(NativeModel model, String kind, String clock, int[] ports, long[] params) {
        long h = Native.attach(handle(), kind, clockIndex(clock), ports, params);
        models.add(model);
        return h;
    }

    long handle() {
        if (handle == 0) throw new IllegalStateException("simulator of " + design.top() + " is closed");
        return handle;
    }

    private int clockIndex(String name) {
        Integer c = clocks.get(name);
        if (c == null) throw new IllegalArgumentException(name + " is not a clock (declare it with clock(name, periodPs))");
        return c;
    }

    private int runNative(long untilPs, int clock, long rises, Condition cond) {
        running = true;
        try {
            return cond == null ? Native.run(handle(), untilPs, clock, rises, -1, 0, 0, true)
                    : Native.run(handle(), untilPs, clock, rises, cond.port().index(), cond.mask(), cond.value(), cond.equal());
        } finally {
            running = false;
            flushOutput();
        }
    }

    private void check(int result) {
        if (result != Native.RUN_HALTED) return;
        int status = Native.status(handle());
        HaltedException.Reason reason = status == Native.FINISHED ? HaltedException.Reason.FINISH
                : status == Native.STOPPED ? HaltedException.Reason.STOP : HaltedException.Reason.FATAL;
        throw new HaltedException(reason, time(), design.top() + ": " + Native.message(handle()));
    }

    private void flushOutput() {
        String text = Native.takeOutput(handle());
        if (text != null) options.output().accept(text);
    }

    /** Unloads the instance, closing its waveform file. Idempotent. */
    @Override
    public synchronized void close() {
        if (handle == 0) return;
        for (NativeModel m : models) m.detach();
        Native.close(handle);
        handle = 0;
        OPEN.remove(this);
    }
}

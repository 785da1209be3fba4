package io.github.jnic.testbench.card;

import io.github.jnic.driver.HostBus;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Which card the driver's tests run on: the Java reference model, or the card's RTL simulated
 * ({@link SimulatedNic}). The same tests run on both: the model is the specification the RTL is held to.
 */
enum CardKind {
    MODEL, RTL;

    private static final List<Pair> OPEN = new ArrayList<>();

    /** Closes every pair made since the last call (the simulators' native models). */
    static void closeAll() {
        for (Pair p : OPEN) p.close();
        OPEN.clear();
    }

    /** Two cards of this kind on {@code clock}, joined by a cable; closed by {@link #closeAll}. */
    Pair pair(LongSupplier clock, int memoryBytes, long seed) {
        return pair(clock, memoryBytes, seed, o -> {});
    }

    /** As {@link #pair(LongSupplier, int, long)}, with the simulated cards' options adjusted by {@code tune}. */
    Pair pair(LongSupplier clock, int memoryBytes, long seed, Consumer<SimulatedNic.Options> tune) {
        Pair p = make(clock, memoryBytes, seed, tune);
        OPEN.add(p);
        return p;
    }

    private Pair make(LongSupplier clock, int memoryBytes, long seed, Consumer<SimulatedNic.Options> tune) {
        if (this == MODEL) {
            CardModel a = new CardModel(clock, memoryBytes), b = new CardModel(clock, memoryBytes);
            CardModel.connect(a, b);
            return new Pair(a, b, a::setCableUp);
        }
        SimulatedNic.Options oa = hostMemory(memoryBytes, seed), ob = hostMemory(memoryBytes, seed + 1);
        tune.accept(oa);
        tune.accept(ob);
        SimulatedNic a = new SimulatedNic(SimulatedNic.design(oa.offloadEngines), clock, oa);
        SimulatedNic b = new SimulatedNic(SimulatedNic.design(ob.offloadEngines), clock, ob);
        SimulatedNic.connect(a, b);
        return new Pair(a, b, a::setCableUp);
    }

    /**
     * Host memory as the tests see it: 0.5 µs of latency with up to 1 µs more at random per burst,
     * and answers to different IDs reordered a third of the time.
     */
    private static SimulatedNic.Options hostMemory(int bytes, long seed) {
        SimulatedNic.Options o = new SimulatedNic.Options();
        o.memoryBytes = bytes;
        o.seed = seed;
        o.memoryLatencyCycles = 32;
        o.memoryJitterCycles = 64;
        o.memoryReorder = 0.33;
        return o;
    }

    /** Two joined cards and the cable between them. */
    record Pair(HostBus a, HostBus b, Cable cable) implements AutoCloseable {
        @Override
        public void close() {
            for (HostBus bus : new HostBus[] {a, b}) if (bus instanceof SimulatedNic n) n.close();
        }
    }

    interface Cable {
        void setUp(boolean up);
    }
}

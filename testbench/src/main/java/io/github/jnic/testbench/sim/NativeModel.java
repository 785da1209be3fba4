package io.github.jnic.testbench.sim;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The Java face of a native bus model (a C++ {@code BusModel} registered under a kind name in
 * src/main/native). The model runs inside the simulator's batched loop; Java trades whole
 * transactions with it through {@link #put} and {@link #take}, in batches, between runs.
 * Subclasses define the byte formats, which are each model's own contract.
 */
public abstract class NativeModel {
    private final Simulator sim;
    private long handle;
    private ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

    /**
     * @param ports  port of the design for each of the model's pins, null for an absent optional pin
     * @param params the model's integer parameters
     */
    protected NativeModel(Simulator sim, String kind, String clock, Port[] ports, long... params) {
        this.sim = sim;
        int[] indexes = new int[ports.length];
        for (int i = 0; i < ports.length; i++) {
            if (ports[i] != null && ports[i].simulator() != sim) throw new IllegalArgumentException(ports[i] + " belongs to another simulator");
            indexes[i] = ports[i] == null ? -1 : ports[i].index();
        }
        this.handle = sim.attach(this, kind, clock, indexes, params);
    }

    /** A little-endian direct buffer of at least {@code capacity} bytes to fill for {@link #put}. */
    protected ByteBuffer buffer(int capacity) {
        if (buffer.capacity() < capacity)
            buffer = ByteBuffer.allocateDirect(Math.max(capacity, 2 * buffer.capacity())).order(ByteOrder.LITTLE_ENDIAN);
        return buffer.clear();
    }

    /** Hands the buffer's bytes from 0 to its position to the model; false if it rejected them. */
    protected boolean put(ByteBuffer filled) {
        return Native.put(handle(), filled, filled.position());
    }

    /**
     * Takes what the model has for Java (whole records), as a buffer positioned at 0 whose limit
     * is the byte count; empty when there is nothing. Valid until the next call on this model.
     */
    protected ByteBuffer take() {
        ByteBuffer b = buffer((int) Math.min(Integer.MAX_VALUE - 8, Math.max(1 << 16, query(pendingQuery()))));
        int n = Native.take(handle(), b);
        return b.limit(n).position(0);
    }

    /** The query number under which the model reports how many bytes take() would return. */
    protected int pendingQuery() {
        return 3;
    }

    /** The native address of a direct buffer, for a model that serves a memory Java shares. */
    protected static long addressOf(ByteBuffer direct) {
        if (!direct.isDirect()) throw new IllegalArgumentException("a model's memory must be a direct buffer");
        return Native.address(direct);
    }

    protected long query(int what) {
        return Native.query(handle(), what);
    }

    protected Simulator simulator() {
        return sim;
    }

    private long handle() {
        if (handle == 0) throw new IllegalStateException("the simulator of this model is closed");
        sim.handle();
        return handle;
    }

    void detach() {
        handle = 0;
    }
}

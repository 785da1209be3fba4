package io.github.jnic.testbench.sim;

import java.nio.ByteBuffer;

/**
 * The JNI entry points of libjnic_sim.so (src/main/native/jnic_shim.cpp). Handles are native
 * pointers; only {@link Simulator} and {@link NativeModel} hold them.
 */
final class Native {
    private Native() {}

    // Values returned by run(), as in jnic_shim.cpp.
    static final int RUN_DONE = 0, RUN_CONDITION = 1, RUN_HALTED = 2, RUN_MODEL_STOP = 3;
    // Values returned by status(), as in jnic_model.h.
    static final int RUNNING = 0, FINISHED = 1, STOPPED = 2, FATAL = 3;

    private static boolean loaded;

    /** Builds the shim if needed (cached) and loads it into this JVM once. */
    static synchronized void load(ModelCache cache) {
        if (loaded) return;
        System.load(cache.shim().toString());
        loaded = true;
    }

    static native long open(String modelLibrary, String tracePath);
    static native void close(long sim);
    static native long peek(long sim, int port);
    static native void poke(long sim, int port, long value);
    static native void peekWords(long sim, int port, int[] words);
    static native void pokeWords(long sim, int port, int[] words);
    static native int clock(long sim, int port, long periodPs);
    static native int run(long sim, long untilPs, int clock, long rises, int condPort, long mask, long value,
                          boolean equal);
    static native long time(long sim);
    static native long rises(long sim, int clock);
    static native int status(long sim);
    static native String message(long sim);
    static native String takeOutput(long sim);
    static native long attach(long sim, String kind, int clock, int[] ports, long[] params);
    static native boolean put(long model, ByteBuffer direct, int length);
    static native int take(long model, ByteBuffer direct);
    static native long query(long model, int what);
    static native long address(java.nio.ByteBuffer direct);
}

package io.github.jnic.net.socket;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The one way into the stack thread. Application threads never touch stack state directly: they
 * {@link #execute} a task that the stack thread runs at its next poll (waking it if it sleeps),
 * and wait for the answer on the socket's {@link Readiness}. Code already on the stack thread (a
 * virtual-time test, a callback) runs tasks directly.
 *
 * <p>How a socket is built on this (UDP's {@code DatagramSocket} does it; TCP's {@code Socket} and
 * {@code ServerSocket} should do the same):
 * <ul>
 *   <li>stack-side state (the protocol control block) is touched by the stack thread only;</li>
 *   <li>data crosses threads through buffers guarded by the socket's {@link Readiness} lock: the stack
 *       thread fills the receive buffer and sets {@link Readiness#READABLE}; the application drains it;</li>
 *   <li>control operations (bind, connect, close) go through {@link #call}, which runs on the stack
 *       thread and hands back the result or the error;</li>
 *   <li>data-path requests (flush what the application queued) are pre-built {@link Runnable}s
 *       scheduled with {@link #execute} at most once at a time, so sending allocates nothing.</li>
 * </ul>
 */
public interface StackExecutor {

    /** Queues {@code task} to run on the stack thread at its next poll (also when called from the stack thread). */
    void execute(Runnable task);

    /** Whether the calling thread is the one driving the stack right now. */
    boolean inStackThread();

    /** The stack's clock (nanoseconds) as of its last poll. */
    long now();

    /** A stack-thread operation that may fail with an {@link IOException} naming the cause. */
    @FunctionalInterface
    interface StackCall<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code call} on the stack thread and returns its result: directly when already there,
     * otherwise through {@link #execute}, waiting at most {@code timeoutMillis} (0: forever).
     */
    default <T> T call(StackCall<T> call, long timeoutMillis) throws IOException {
        if (inStackThread()) return call.run();
        CompletableFuture<T> result = new CompletableFuture<>();
        execute(() -> {
            try {
                result.complete(call.run());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            return timeoutMillis > 0 ? result.get(timeoutMillis, TimeUnit.MILLISECONDS) : result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the stack thread");
        } catch (TimeoutException e) {
            throw new java.net.SocketTimeoutException("the stack thread did not answer in " + timeoutMillis + " ms (is it running?)");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) throw io;
            if (cause instanceof RuntimeException re) throw re;
            if (cause instanceof Error err) throw err;
            throw new IOException(cause);
        }
    }

    /** {@link #call} for a {@link Supplier} that cannot fail, waiting without limit. */
    default <T> T callQuietly(Supplier<T> call) {
        try {
            return call(call::get, 0);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

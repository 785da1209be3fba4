package io.github.jnic.net.socket;

/**
 * Told when a socket becomes ready. Called on the stack thread with the bits that just turned on:
 * it must be quick and must not block (hand the work to another thread, or use a {@link Poller}).
 */
@FunctionalInterface
public interface ReadinessListener {
    void ready(Readiness source, int events);
}

package io.github.jnic.driver;

import io.github.jnic.spec.Register;

/**
 * What the driver needs from the machine the card is plugged into, and nothing more: the card's
 * 32-bit registers, memory the card can reach by DMA, and its interrupt line. The simulated card
 * (testbench's {@code SimulatedNic}), the Java reference model of the card and a bridge to a board
 * all implement it; the driver never knows which.
 *
 * <h2>Time</h2>
 * A bus lives on the clock the stack is given (virtual nanoseconds in a {@code Simulation}, the
 * real clock under a {@code StackRunner}). Whatever the card does happens on that clock: every call
 * sees the card as it is at the clock's present time (a simulated card is first brought up to it),
 * and a register access may itself take bus time. The driver never waits by spinning on the clock:
 * it tells the stack when to look again ({@link #nextInterruptCheck}) and the stack's runner sleeps
 * until then or until {@link #setInterruptWakeup the wakeup} runs. What the card wrote into DMA
 * memory is there for the host to see as of its last call on the bus (a simulated card cannot
 * notice plain memory reads), so a driver looks at its rings after touching the bus, as it does
 * when it takes an interrupt.
 *
 * <p>Called from the stack thread only (the wakeup excepted).
 */
public interface HostBus {

    /** Reads the 32-bit register at byte {@code offset} (a read-to-clear register is cleared by it). */
    int read(int offset);

    /** Writes the 32-bit register at byte {@code offset}. */
    void write(int offset, int value);

    default int read(Register register) {
        return read(register.offset());
    }

    default void write(Register register, int value) {
        write(register.offset(), value);
    }

    /**
     * Memory the card can read and write by DMA: {@code bytes} long, its first byte's bus address a
     * multiple of {@code alignment} (a power of two). It stays allocated as long as the bus; its
     * contents start zeroed.
     */
    DmaMemory allocate(int bytes, int alignment);

    /** The level of the card's interrupt line now: ICR has a cause that IMS enables. */
    boolean interruptAsserted();

    /**
     * The clock time by which the host must look at {@link #interruptAsserted} again though it did
     * nothing itself: when a moderation timer of the card's may fire, or a frame already on its way
     * to the card may arrive. Never later than the line can rise; a bus that cannot tell may answer
     * earlier (the host merely looks in vain). {@link Long#MAX_VALUE}: the line cannot rise until the
     * host acts, or until the {@linkplain #setInterruptWakeup wakeup} runs.
     */
    long nextInterruptCheck();

    /**
     * Registers a callback the bus runs (from any thread) when the line may have risen unannounced,
     * so a sleeping stack thread wakes: a real card's interrupt, a frame from a peer on another thread.
     */
    default void setInterruptWakeup(Runnable wakeup) {}
}

package io.github.jnic.testbench.card;

import io.github.jnic.driver.HostBus;
import io.github.jnic.driver.NicDriver;
import io.github.jnic.net.buf.BufferPool;
import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.net.wire.Bytes;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Two drivers on two card models joined by a cable, with no stack: the test is the stack, sending
 * raw frames (type 0x88B5, a sequence number in the payload) and collecting what arrives, on a
 * clock it moves by hand.
 */
final class RawCards {
    static final int TYPE = 0x88B5;

    long now = 1_000_000_000L;
    final CardKind.Pair cards;
    final HostBus cardA, cardB;
    /** B's interrupts during bring-up (a simulated card's link comes up after it: LSC). */
    final long interruptsAtStart;
    final NicDriver a, b;
    final byte[] macA, macB;
    final BufferPool pool = new BufferPool(2048, 512);
    /** Sequence numbers of the frames B handed up, in order. */
    final List<Integer> receivedByB = new ArrayList<>();
    final NicDriver.FrameSink intoB = f -> { receivedByB.add(Bytes.get32(f.data(), f.start() + 14)); f.release(); };

    RawCards(CardKind kind, Consumer<NicDriver.Config> tuneA, Consumer<NicDriver.Config> tuneB) {
        this(kind, o -> {}, tuneA, tuneB);
    }

    /** With the simulated cards' options adjusted by {@code options} (the model has none). */
    RawCards(CardKind kind, Consumer<SimulatedNic.Options> options, Consumer<NicDriver.Config> tuneA, Consumer<NicDriver.Config> tuneB) {
        cards = kind.pair(() -> now, TwoCards.MEMORY, 1, options);
        cardA = cards.a();
        cardB = cards.b();
        a = new NicDriver(cardA, TwoCards.config("jnicA", 1, tuneA));
        b = new NicDriver(cardB, TwoCards.config("jnicB", 2, tuneB));
        for (int i = 0; i < 1000 && !(a.linkUp() && b.linkUp()); i++) {
            run(10_000);
            a.receive(f -> f.release(), 64);
            b.receive(f -> f.release(), 64);
        }
        if (!(a.linkUp() && b.linkUp())) throw new AssertionError("the links did not come up");
        run(200_000);   // past the ITR interval that began with the link's interrupt
        interruptsAtStart = b.interrupts();
        macA = a.macAddress();
        macB = b.macAddress();
    }

    /** A frame from A to B of {@code length} bytes carrying {@code seq}. */
    PacketBuffer frame(int length, int seq) {
        PacketBuffer f = pool.take();
        int at = f.append(length);
        byte[] d = f.data();
        System.arraycopy(macB, 0, d, at, 6);
        System.arraycopy(macA, 0, d, at + 6, 6);
        Bytes.put16(d, at + 12, TYPE);
        Bytes.put32(d, at + 14, seq);
        for (int i = at + 18; i < at + length; i++) d[i] = (byte) (seq + i);
        return f;
    }

    /** A sends {@code n} frames numbered from {@code first}, then rings the doorbell once. */
    void send(int first, int n, int length) {
        for (int i = 0; i < n; i++) {
            if (!a.transmit(frame(length, first + i))) throw new AssertionError("transmit ring full at frame " + (first + i));
        }
        a.flush();
    }

    void run(long nanos) {
        now += nanos;
    }

    /** B's interrupts since bring-up. */
    long interruptsB() {
        return b.interrupts() - interruptsAtStart;
    }

    /** B's stack polling once with the stack's budget: how many frames the driver handed up. */
    int pollB() {
        a.receive(f -> f.release(), 64);   // A reclaims its transmit descriptors when its interrupt comes
        return b.receive(intoB, 64);
    }

    /** Polls B until a poll hands up nothing and the driver is waiting for its interrupt again. */
    int drainB() {
        int total = 0, n;
        do {
            n = pollB();
            total += n;
        } while (n > 0 || b.polling());
        return total;
    }
}

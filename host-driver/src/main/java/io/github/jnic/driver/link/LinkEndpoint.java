package io.github.jnic.driver.link;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * One end of the host link's reliable message layer: go-back-N over a transport that may drop,
 * reorder or (its checksum having failed) discard messages. Each end numbers what it sends, keeps
 * every sequenced message until the peer acknowledges it, resends the whole unacknowledged window
 * when the oldest waits longer than the timeout, and accepts only the next message in sequence
 * (anything else is a duplicate or follows a loss: dropped, and acknowledged again so the sender
 * learns where its peer is). Delivery is therefore exactly once and in order, which a ring needs: a
 * lost DMA write is resent, never skipped. Both ends run this same code; the board's bridge holds its
 * window in block RAM because the card's DMA cannot be asked to repeat.
 *
 * <p>Time is whatever clock the caller passes (nanoseconds); nothing here reads a clock or sleeps.
 * Not thread-safe.
 */
public final class LinkEndpoint {
    /** Messages in flight unacknowledged; a power of two well under half the 16-bit sequence space. */
    public static final int WINDOW = 32;

    private final Consumer<LinkMessage> transmit;
    private final Consumer<LinkMessage> deliver;
    private final long timeoutNanos;
    private final ArrayDeque<LinkMessage> unacked = new ArrayDeque<>();
    private final ArrayDeque<LinkMessage> waiting = new ArrayDeque<>();
    private int nextSeq;
    private int base;
    private int expected;
    private boolean ackDue;
    private long resendAt = Long.MAX_VALUE;
    private long retransmissions;
    private long discarded;

    /**
     * @param transmit hands a numbered message to the transport
     * @param deliver  receives the peer's messages in order, each once
     */
    public LinkEndpoint(Consumer<LinkMessage> transmit, Consumer<LinkMessage> deliver, long timeoutNanos) {
        this.transmit = transmit;
        this.deliver = deliver;
        this.timeoutNanos = timeoutNanos;
    }

    /** Queues a sequenced message; sent now if the window has room, else as acknowledgements free it. */
    public void send(LinkMessage message, long now) {
        if (!message.sequenced()) throw new IllegalArgumentException("acknowledgements are the endpoint's own");
        waiting.add(message);
        fill(now);
    }

    /** A message the transport received intact (its checksum passed). */
    public void receive(LinkMessage m, long now) {
        int acked = (m.ack() - base) & 0xffff;
        // An ack beyond what was sent is stale or foreign: ignored rather than trusted.
        if (acked <= unacked.size()) {
            for (int i = 0; i < acked; i++) unacked.poll();
            base = m.ack();
            if (acked > 0) resendAt = unacked.isEmpty() ? Long.MAX_VALUE : now + timeoutNanos;
        }
        if (m.sequenced()) {
            ackDue = true;
            if (m.seq() == expected) {
                expected = (expected + 1) & 0xffff;
                deliver.accept(m);
            } else {
                discarded++;
            }
        }
        fill(now);
    }

    /** Sends a pending acknowledgement and resends the window if its timeout passed. */
    public void poll(long now) {
        if (!unacked.isEmpty() && now >= resendAt) {
            retransmissions += unacked.size();
            for (LinkMessage m : unacked) transmit.accept(m.numbered(m.seq(), expected));
            ackDue = false;
            resendAt = now + timeoutNanos;
        }
        if (ackDue) {
            transmit.accept(LinkMessage.ackOnly().numbered(0, expected));
            ackDue = false;
        }
    }

    /** When {@link #poll} next has something to do on its own (Long.MAX_VALUE: nothing). */
    public long nextDeadline() { return ackDue ? Long.MIN_VALUE : resendAt; }

    public boolean idle() { return unacked.isEmpty() && waiting.isEmpty(); }

    public long retransmissions() { return retransmissions; }

    /** Sequenced messages received out of order or twice, and dropped. */
    public long discarded() { return discarded; }

    private void fill(long now) {
        while (!waiting.isEmpty() && unacked.size() < WINDOW) {
            LinkMessage m = waiting.poll().numbered(nextSeq, expected);
            nextSeq = (nextSeq + 1) & 0xffff;
            if (unacked.isEmpty()) resendAt = now + timeoutNanos;
            unacked.add(m);
            transmit.accept(m);
            ackDue = false;
        }
    }
}

package io.github.jnic.driver.link;

import io.github.jnic.driver.DmaArena;
import io.github.jnic.driver.DmaMemory;
import io.github.jnic.driver.HostBus;
import io.github.jnic.spec.HostLink;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The driver's {@link HostBus} for a card on a board, over the host link: register accesses as
 * messages to the board's bridge, the card's DMA served from host memory here (the bridge carries
 * the card's reads as DMA_READ, answered with DMA_DATA, and its writes as DMA_WRITE, as PCIe carries
 * memory requests), and the interrupt line as the level the board last reported. The driver runs on
 * it unchanged.
 *
 * <p>A register write is posted (the link delivers it in order, before anything sent after it); a
 * read waits for its answer, moving the link meanwhile, and fails with a clear error if none comes
 * within {@code answerTimeoutNanos} of the clock. A card DMA outside host memory is answered with
 * SLVERR (the card then stops that ring with a DMA error, as with any bus error) or, for a write,
 * dropped (as is a write not laid out as {@link HostLink.Type#DMA_WRITE} says); both are counted. Not thread-safe: the stack thread calls it.
 */
public final class LinkBus implements HostBus {
    /** What carries messages to and from the board: an Ethernet port, a UART. Never blocks. */
    public interface Transport {
        void send(LinkMessage m);

        /** The next message that arrived intact, or null. */
        LinkMessage receive();
    }

    /** How often the host looks at the link for an interrupt it cannot be told of otherwise. */
    public static final long POLL_NANOS = 10_000;
    /** DMA_DATA's value when the card read where no host memory is (AXI's SLVERR). */
    public static final int SLVERR = 2;

    private final Transport transport;
    private final DmaArena arena;
    private final ByteBuffer memory;
    private final long memoryBase;
    private final LongSupplier clock;
    private final long answerTimeoutNanos;
    private final LinkEndpoint endpoint;
    private final Map<Integer, Integer> answers = new HashMap<>();
    private int nextTag;
    private boolean irq;
    private long dmaReads, dmaWrites, dmaErrors;

    /**
     * @param memory host memory the card reaches by DMA, at bus address {@code busAddress}
     * @param retransmitNanos the link's go-back-N timeout
     */
    public LinkBus(Transport transport, ByteBuffer memory, long busAddress, LongSupplier clockNanos, long retransmitNanos,
            long answerTimeoutNanos) {
        this.transport = transport;
        this.memory = memory;
        this.memoryBase = busAddress;
        this.arena = new DmaArena(memory, busAddress);
        this.clock = clockNanos;
        this.answerTimeoutNanos = answerTimeoutNanos;
        this.endpoint = new LinkEndpoint(transport::send, this::deliver, retransmitNanos);
    }

    @Override
    public int read(int offset) {
        int tag = nextTag;
        nextTag = (nextTag + 1) & 0xFF;
        answers.remove(tag);
        endpoint.send(LinkMessage.regRead(tag, offset), clock.getAsLong());
        long deadline = clock.getAsLong() + answerTimeoutNanos;
        while (!answers.containsKey(tag)) {
            if (clock.getAsLong() > deadline)
                throw new IllegalStateException(String.format("no answer from the board to a read of register 0x%05x in %d ms",
                        offset, answerTimeoutNanos / 1_000_000));
            pump();
        }
        return answers.remove(tag);
    }

    @Override
    public void write(int offset, int value) {
        endpoint.send(LinkMessage.regWrite(offset, value), clock.getAsLong());
        pump();
    }

    @Override
    public DmaMemory allocate(int bytes, int alignment) {
        return arena.allocate(bytes, alignment);
    }

    @Override
    public boolean interruptAsserted() {
        pump();
        return irq;
    }

    @Override
    public long nextInterruptCheck() {
        pump();
        long now = clock.getAsLong();
        return irq ? now : Math.max(now, Math.min(now + POLL_NANOS, endpoint.nextDeadline()));
    }

    /** Takes what arrived, serves it, and sends what the link owes (acks, resends). */
    public void pump() {
        long now = clock.getAsLong();
        for (LinkMessage m; (m = transport.receive()) != null; ) endpoint.receive(m, now);
        endpoint.poll(now);
    }

    /** True when nothing sent is still unacknowledged. */
    public boolean idle() { return endpoint.idle(); }

    public long dmaReads() { return dmaReads; }
    public long dmaWrites() { return dmaWrites; }
    /** Card DMA outside host memory: reads answered with SLVERR, writes dropped. */
    public long dmaErrors() { return dmaErrors; }
    public long retransmissions() { return endpoint.retransmissions(); }

    /** The board's messages received out of order or twice (its resends after a loss or a timeout), dropped. */
    public long discarded() { return endpoint.discarded(); }

    private void deliver(LinkMessage m) {
        switch (m.type()) {
            case REG_DATA -> answers.put(m.tag(), m.value());
            case IRQ -> irq = m.value() != 0;
            case DMA_READ -> {
                dmaReads++;
                byte[] data = new byte[m.value()];
                int value = 0;
                if (inMemory(m.address(), data.length)) memory.get((int) (m.address() - memoryBase), data);
                else {
                    dmaErrors++;
                    value = SLVERR;
                }
                endpoint.send(new LinkMessage(HostLink.Type.DMA_DATA, m.tag(), 0, 0, 0, value, data), clock.getAsLong());
            }
            case DMA_WRITE -> {
                dmaWrites++;
                int beats = m.writeBeats();
                if (beats > 0 && (m.address() & 7) == 0 && inMemory(m.address(), 8 * beats)) m.writeBurst(memory, memoryBase);
                else dmaErrors++;
            }
            default -> { }   // the board sends nothing else; a stray type is the endpoint's to ignore
        }
    }

    private boolean inMemory(long address, int length) {
        return address >= memoryBase && address - memoryBase <= memory.capacity() - (long) length;
    }
}

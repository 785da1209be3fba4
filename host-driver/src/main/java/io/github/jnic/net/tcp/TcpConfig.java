package io.github.jnic.net.tcp;

import java.nio.ByteBuffer;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Settings for a {@link Tcp} instance; connections copy what they need when they are created, so
 * per-connection options ({@link TcpConnection#setNoDelay}, ...) override these. Times in ns.
 */
public final class TcpConfig {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;

    /** Send buffer per connection. */
    public int sendBufferSize = 256 * 1024;
    /**
     * Where the send buffers live: native memory of their own by default; a card's DMA memory
     * (for NicDriver: {@code SendMemory.of(d.dmaBuffers()::allocate, d.dmaBuffers()::free)}) so the
     * card reads segments from them where they lie, with no copy.
     */
    public SendMemory sendMemory = SendMemory.DIRECT;
    /** Receive buffer per connection: the largest receive window. */
    public int receiveBufferSize = 256 * 1024;
    /** Out-of-order ranges a receiver keeps per connection (bounded reassembly bookkeeping). */
    public int maxOutOfOrderRanges = 32;
    /** SACK ranges a sender keeps per connection. */
    public int maxSackRanges = 32;

    public boolean windowScaling = true;
    public boolean timestamps = true;
    public boolean sack = true;
    /** TCP_NODELAY by default (Nagle off). */
    public boolean noDelay = false;
    /** RFC 6928 initial window, in segments. */
    public int initialWindowSegments = 10;
    public Supplier<CongestionControl> congestionControl = NewReno::new;

    /** RFC 6298: initial 1 s, minimum 1 s (section 2.4), maximum 60 s. */
    public long initialRto = S;
    public long minRto = S;
    public long maxRto = 60 * S;
    /** Delayed ACK timer (RFC 1122: under 500 ms; RFC 5681: ACK at least every second full segment). */
    public long delayedAckTimeout = 40 * MS;
    /** Retransmissions of a SYN (or of a SYN-ACK in a simultaneous open) before giving up. */
    public int synRetries = 6;
    /** Retransmissions of a listener's SYN-ACK before the half-open handshake is freed (Linux's tcp_synack_retries). */
    public int synAckRetries = 5;
    /** Half-open handshakes a listener keeps (its SYN queue); beyond them SYN cookies answer. */
    public int synBacklog = 256;
    /** SYN cookies (RFC 4987) when a SYN queue is full; off: such SYNs are dropped. */
    public boolean synCookies = true;
    /** Retransmissions of data before the connection times out. */
    public int dataRetries = 15;
    /** 2 * MSL. */
    public long timeWait = 60 * S;
    /** How long an orphaned FIN-WAIT-2 connection waits for the peer's FIN. */
    public long finWait2Timeout = 60 * S;

    public boolean keepAlive = false;
    /** RFC 1122: at least two hours idle before the first probe, by default. */
    public long keepAliveIdle = 7200 * S;
    public long keepAliveInterval = 75 * S;
    public int keepAliveProbes = 9;

    /** RFC 5961 section 7: challenge ACKs sent per second, at most, across all connections. */
    public int challengeAcksPerSecond = 1000;
    /**
     * Largest payload handed at once to a device that segments TCP itself (TSO); 0 disables TSO use.
     * By default as much as one IPv4 packet holds behind the largest headers (Linux's GSO limit is
     * 64 KB too): every hand-over costs the device the same, whatever its size.
     */
    public int tsoMaxBytes = 0xffff - 20 - 60;

    /** Seeded ISNs, ports and timestamp offsets for reproducible tests; null for a secure random secret. */
    public IsnGenerator isnGenerator;
    /** First ephemeral port tried (RFC 6335 dynamic range by default) and the range's end, inclusive. */
    public int ephemeralLow = 49152;
    public int ephemeralHigh = 65535;

    /** Native memory for send buffers: handed out per connection, given back once nothing reads it. */
    public interface SendMemory {
        /** Direct buffers of their own, left to the garbage collector. */
        SendMemory DIRECT = of(ByteBuffer::allocateDirect, b -> {});

        /** A direct buffer of {@code bytes}. */
        ByteBuffer allocate(int bytes);

        /** {@code buffer} is no longer read: its connection is gone and no segment naming it is left. */
        void free(ByteBuffer buffer);

        static SendMemory of(IntFunction<ByteBuffer> allocate, Consumer<ByteBuffer> free) {
            return new SendMemory() {
                @Override public ByteBuffer allocate(int bytes) { return allocate.apply(bytes); }
                @Override public void free(ByteBuffer buffer) { free.accept(buffer); }
            };
        }
    }
}

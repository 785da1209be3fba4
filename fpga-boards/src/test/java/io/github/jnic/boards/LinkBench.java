package io.github.jnic.boards;

import io.github.jnic.driver.Coalescing;
import io.github.jnic.driver.NicDriver;
import io.github.jnic.driver.link.LinkBus;
import io.github.jnic.driver.link.LinkMessage;
import io.github.jnic.net.buf.BufferPool;
import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.net.wire.MacAddress;
import io.github.jnic.spec.HostLink;
import io.github.jnic.spec.Registers;
import io.github.jnic.testbench.phy.Ethernet;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import java.util.function.Consumer;

/**
 * {@code ./nic bench link [colorlight|icebreaker] [window]}: the card on a board top driven over its
 * host link, the whole top simulated ({@link SimulatedTop}: the Colorlight over its Ethernet link,
 * the link's frames through a TAP and the host's {@code AF_PACKET} socket, as in
 * {@link CardLinkLinuxTest}; or the iCEBreaker over its UART at 3 Mbaud, as in
 * {@link CardUartLinuxTest}), every figure in the board's time. The host's cost model: none (the
 * board stands still while the host runs), so the figures are the link's and the card's. Printed
 * next to each: the network port's line rate and the link's own ceiling, the link (1 Gb/s, or
 * baud/10 bytes a second) carrying the bytes the run measured on it per frame (on Ethernet with
 * preamble, SFD, FCS and gap; on the UART the COBS frames' bytes) in its busier direction.
 *
 * <ul>
 *   <li>transmit: the driver keeps its ring full of frames of one size; frames/s and Mbit/s out of
 *       the network port's pins;
 *   <li>receive: frames of one size offered to the network port's pins back to back at line rate;
 *       frames/s the card wrote into host memory (GPRC: the driver's backlog in its ring would blur
 *       what it hands up), and those it dropped (MPC);
 *   <li>interrupt to driver: one 64-byte frame at a time, moderation off; from its last byte on the
 *       network pins to the IRQ message at the host, next to the time the link needs for the
 *       messages the card sends before it (the frame's DMA write, its descriptor's, the IRQ);
 *   <li>where the link's bytes go: in the same windows, the messages a frame by type, each way.
 * </ul>
 * Each window is timed by the board's clock at its two ends; the card's counters are read over the
 * link, so each end is the instant right after its reads.
 * Run as root (TAP, AF_PACKET). Arguments: the board (default colorlight), the measuring window in
 * µs of board time (default 1 000 on the Colorlight, 200 000 on the iCEBreaker).
 */
public final class LinkBench {
    private static final long US = 1_000;
    private static final byte[] STATION = MacAddress.local(0x6c62);
    private static final byte[] PEER = MacAddress.local(0x6c63);
    private static final int TYPE = 0x88B6;

    /** Frames out of the network port: all of them, and those of the size being measured. */
    private long networkFrames, measuredFrames;
    private int measuredLength;
    /** Frames the driver handed up. */
    private long received;
    private LinkBus bus;
    private Tally tally;
    private final List<String> breakdown = new ArrayList<>();

    /** The boards the bench runs: how to make each, its default window, the latency loop's step. */
    private enum Target {
        COLORLIGHT("the card on the Colorlight top (without offload) over its Ethernet host link,",
                "simulated whole in Verilator (system and transmit domains at 125 MHz here)", 1_000, 16, 50 * US),
        ICEBREAKER("the card on the iCEBreaker top (RMII, without offload) over its UART host link at 3 Mbaud,",
                "simulated whole in Verilator (system domain at its 24 MHz, RMII at 50 MHz)", 200_000, 1_000, 25_000 * US);

        final String what, how;
        /**
         * The window, the latency loop's step, and how long nothing must move for the card to be called
         * idle: longer than the link takes for a frame of the largest size (a 1518-byte frame sent over the
         * UART takes 7 ms; with 5 ms the ring's frames were still leaving, a frame every 7 ms, into the runs after).
         */
        final long windowUs, stepNs, quietNs;

        Target(String what, String how, long windowUs, long stepNs, long quietNs) {
            this.what = what;
            this.how = how;
            this.windowUs = windowUs;
            this.stepNs = stepNs;
            this.quietNs = quietNs;
        }

        SimulatedTop open(Consumer<byte[]> fromNetworkPort) throws Exception {
            return this == COLORLIGHT ? new SimulatedBoard(null, "jnb" + ProcessHandle.current().pid() % 100_000, fromNetworkPort)
                    : new SimulatedIcebreaker(null, fromNetworkPort);
        }
    }

    private final Target target;

    private LinkBench(Target target) {
        this.target = target;
    }

    public static void main(String[] args) throws Exception {
        int at = 0;
        Target target = Target.COLORLIGHT;
        if (args.length > 0 && !args[0].matches("\\d+")) target = Target.valueOf(args[at++].toUpperCase(java.util.Locale.ROOT));
        long window = (args.length > at ? Long.parseLong(args[at]) : target.windowUs) * US;
        System.out.println("jnic host link bench: " + target.what);
        System.out.println(target.how + "; board time; host cost model: none");
        System.out.printf("window %,d us of board time after a warm-up%n%n", window / US);
        new LinkBench(target).run(window);
    }

    private void run(long window) throws Exception {
        try (SimulatedTop board = target.open(this::fromNetworkPort)) {
            tally = new Tally(board::linkWireBytes);
            board.watchLink(tally::see);
            bus = board.bus(ByteBuffer.allocateDirect(8 << 20), 1L << 32);
            NicDriver.Config config = new NicDriver.Config();
            config.name = "bench0";
            config.mac = STATION;
            config.coalescing = Coalescing.defaults();
            long t0 = System.nanoTime();
            NicDriver driver = new NicDriver(bus, config);
            while (!driver.linkUp()) {
                board.advance(20 * US);
                driver.receive(PacketBuffer::release, 64);
            }
            System.out.printf("driver up and link up at %.2f ms of board time (%.1f s real)%n%n", (board.now() - 1_000_000_000L) / 1e6,
                    (System.nanoTime() - t0) / 1e9);
            System.out.println("| direction | frame | frames/s | Mbit/s | line rate frames/s | link bytes/frame (to host, to board) | link ceiling frames/s | card MPC | messages resent (host, board) |");
            System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            for (int size : new int[] {64, 1518}) transmit(board, driver, size, window);
            for (int size : new int[] {64, 1518}) receive(board, driver, size, window);
            System.out.println();
            System.out.println("Where the link's bytes go, in the same windows: messages a frame by type (link bytes a frame), each way");
            System.out.println();
            System.out.println("| direction | frame | to host | to board |");
            System.out.println("|---|---:|---|---|");
            breakdown.forEach(System.out::println);
            System.out.println();
            latency(board, driver);
            System.out.printf("%nreal time %.1f s%n", (System.nanoTime() - t0) / 1e9);
        }
    }

    private void fromNetworkPort(byte[] frame) {
        networkFrames++;
        if (frame.length == measuredLength) measuredFrames++;
    }

    private void handUp(PacketBuffer frame) {
        received++;
        frame.release();
    }

    private void measure(int size) {
        measuredLength = size - Ethernet.FCS_LENGTH;
        measuredFrames = 0;
    }

    private void poll(NicDriver driver) {
        do driver.receive(this::handUp, 64); while (driver.polling());
    }

    /** The driver keeps its ring full of frames of one size; the window opens a warm-up after the first of them leaves. */
    private void transmit(SimulatedTop board, NicDriver driver, int size, long window) {
        BufferPool pool = new BufferPool(2_048, 512);
        measure(size);
        Link link0 = null;
        long frames0 = 0, to = Long.MAX_VALUE, firstAt = -1;
        while (board.now() < to) {
            if (firstAt < 0 && measuredFrames > 0) firstAt = board.now();
            if (link0 == null && firstAt >= 0 && board.now() >= firstAt + 100 * US) {
                frames0 = measuredFrames;
                link0 = Link.of(board, bus);
                tally.clear();
                to = board.now() + window;
            }
            for (;;) {
                PacketBuffer f = frame(pool, size);
                if (!driver.transmit(f)) {
                    f.release();
                    break;
                }
            }
            driver.flush();
            poll(driver);
            board.advance(2 * US);
        }
        print(board, "transmit", size, measuredFrames - frames0, -1, Link.of(board, bus).minus(link0), -1);
        drain(board, driver);
    }

    /** Frames of one size offered to the network port's pins back to back; the window opens after a warm-up. */
    private void receive(SimulatedTop board, NicDriver driver, int size, long window) {
        byte[] f = new byte[size - Ethernet.FCS_LENGTH];
        header(f, 0, STATION, PEER);
        measure(size);
        long from = board.now() + 100 * US, to = from + window;
        long gprc0 = 0, mpc0 = 0, offered0 = 0;
        board.offer(f);
        Link link0 = null;
        while (board.now() < to) {
            if (link0 == null && board.now() >= from) {
                gprc0 = driver.cardStatistic(Registers.GPRC);
                mpc0 = driver.cardStatistic(Registers.MPC);
                offered0 = board.offeredFrames();
                tally.clear();
                link0 = Link.of(board, bus);
            }
            poll(driver);
            board.advance(2 * US);
        }
        long gprc = driver.cardStatistic(Registers.GPRC) - gprc0, mpc = driver.cardStatistic(Registers.MPC) - mpc0;
        Link link = Link.of(board, bus).minus(link0);
        long offered = board.offeredFrames() - offered0;
        board.offer(null);
        print(board, "receive", size, gprc, offered, link, mpc);
        drain(board, driver);
    }

    /** One 64-byte frame at a time, moderation off: its last byte on the pins to the IRQ message at the host. */
    private void latency(SimulatedTop board, NicDriver driver) {
        driver.setCoalescing(Coalescing.off());
        byte[] f = new byte[60];
        header(f, 0, STATION, PEER);
        int n = 20;
        long[] latency = new long[n];
        long toHostBytes = 0;
        for (int i = 0; i < n; i++) {
            drain(board, driver);
            while (bus.interruptAsserted()) {   // the line left up by an earlier cause: taken before this frame
                poll(driver);
                board.advance(target.stepNs);
            }
            Link before = Link.of(board, bus);
            long end = board.toNetworkPort(f);
            while (!bus.interruptAsserted()) {
                if (board.now() > end + 100_000 * US) throw new IllegalStateException("no interrupt within 100 ms of frame " + i);
                board.advance(target.stepNs);
            }
            latency[i] = board.now() - end;
            toHostBytes += Link.of(board, bus).minus(before).toHostBytes;   // up to the IRQ: not the driver's poll after it
            poll(driver);
        }
        Arrays.sort(latency);
        // what the link needs for what the card sends the host per frame: its bytes at the link's rate
        double toHost = (double) toHostBytes / n;
        double wire = (60 + Ethernet.FCS_LENGTH + Ethernet.OVERHEAD) * 8e9 / board.networkBitsPerSecond();
        System.out.printf("interrupt to driver, 64-byte frames one at a time, moderation off (%d frames): last byte on the network pins ->"
                + " IRQ message at the host: median %.2f us, min %.2f, max %.2f; the link's own time for the card's messages of a frame"
                + " (%.0f bytes a frame to the host, at %,.0f bytes/s): %.2f us; the 64-byte frame's own wire time %.2f us%n",
                n, latency[n / 2] / 1e3, latency[0] / 1e3, latency[n - 1] / 1e3, toHost, board.linkBytesPerSecond(),
                toHost / board.linkBytesPerSecond() * 1e6, wire / 1e3);
    }

    /** Runs the board until both ways are quiet: nothing out of the network port or up to the driver for the target's quiet time. */
    private void drain(SimulatedTop board, NicDriver driver) {
        long quietSince = board.now(), seen = networkFrames + received;
        while (board.now() - quietSince < target.quietNs) {
            board.advance(2 * US);
            poll(driver);
            if (networkFrames + received != seen) {
                seen = networkFrames + received;
                quietSince = board.now();
            }
        }
    }

    /** One row, and its line in the breakdown; {@code offered} and {@code mpc} are -1 where they do not apply (transmit). */
    private void print(SimulatedTop board, String direction, int size, long frames, long offered, Link link, long mpc) {
        breakdown.add(String.format("| %s | %d B | %s | %s |", direction, size, tally.perFrame(true, frames), tally.perFrame(false, frames)));
        double seconds = link.nanos / 1e9;
        double line = board.networkBitsPerSecond() / ((size + Ethernet.OVERHEAD) * 8.0);
        double toHost = (double) link.toHostBytes / Math.max(1, frames), toBoard = (double) link.toBoardBytes / Math.max(1, frames);
        double ceiling = board.linkBytesPerSecond() / Math.max(toHost, toBoard);
        String offer = offered < 0 ? "" : String.format(" (%,.0f offered)", offered / seconds);
        System.out.printf("| %s | %d B | %,.0f | %.2f | %,.0f%s | %.0f, %.0f | %,.0f | %s | %d, %d |%n", direction, size, frames / seconds,
                frames * (double) size * 8 / seconds / 1e6, line, offer, toHost, toBoard, ceiling, mpc < 0 ? "" : Long.toString(mpc),
                link.hostResent, link.boardResent);
    }

    private static PacketBuffer frame(BufferPool pool, int size) {
        PacketBuffer f = pool.take();
        int at = f.append(size - Ethernet.FCS_LENGTH);
        header(f.data(), at, PEER, STATION);
        return f;
    }

    /** The Ethernet header of the bench's frames, at {@code at}. */
    private static void header(byte[] d, int at, byte[] to, byte[] from) {
        System.arraycopy(to, 0, d, at, 6);
        System.arraycopy(from, 0, d, at + 6, 6);
        d[at + 12] = (byte) (TYPE >> 8);
        d[at + 13] = (byte) TYPE;
    }

    /** The link's bytes each way and both ends' resent messages so far, at board time {@code nanos}; or between two such. */
    private record Link(long nanos, long toHostBytes, long toBoardBytes, long hostResent, long boardResent) {
        static Link of(SimulatedTop board, LinkBus bus) {
            return new Link(board.now(), board.linkBytesToHost(), board.linkBytesToBoard(), bus.retransmissions(), bus.discarded());
        }

        Link minus(Link o) {
            return new Link(nanos - o.nanos, toHostBytes - o.toHostBytes, toBoardBytes - o.toBoardBytes, hostResent - o.hostResent,
                    boardResent - o.boardResent);
        }
    }

    /** The host link's messages by type, each way, and the link bytes they took ({@link SimulatedTop#linkWireBytes}). */
    private static final class Tally {
        private final Map<Boolean, Map<HostLink.Type, long[]>> ways = Map.of(true, new EnumMap<>(HostLink.Type.class), false,
                new EnumMap<>(HostLink.Type.class));
        private final ToLongFunction<LinkMessage> wireBytes;

        Tally(ToLongFunction<LinkMessage> wireBytes) {
            this.wireBytes = wireBytes;
        }

        void see(boolean fromBoard, LinkMessage m) {
            long[] t = ways.get(fromBoard).computeIfAbsent(m.type(), k -> new long[2]);
            t[0]++;
            t[1] += wireBytes.applyAsLong(m);
        }

        void clear() {
            ways.values().forEach(Map::clear);
        }

        /** "DMA_READ 2.00 (168 B), ACK 1.00 (84 B)": messages a frame by type, the most bytes first. */
        String perFrame(boolean fromBoard, long frames) {
            double n = Math.max(1, frames);
            List<String> parts = new ArrayList<>();
            ways.get(fromBoard).entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]))
                    .forEach(e -> parts.add(String.format("%s %.2f (%.0f B)", e.getKey(), e.getValue()[0] / n, e.getValue()[1] / n)));
            return String.join(", ", parts);
        }
    }
}

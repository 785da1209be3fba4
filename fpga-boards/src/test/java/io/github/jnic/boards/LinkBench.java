package io.github.jnic.boards;

import io.github.jnic.driver.Coalescing;
import io.github.jnic.driver.NicDriver;
import io.github.jnic.driver.link.LinkBus;
import io.github.jnic.net.buf.BufferPool;
import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.net.wire.MacAddress;
import io.github.jnic.testbench.phy.Ethernet;
import java.nio.ByteBuffer;
import java.util.Arrays;
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
 *   <li>receive: frames of one size offered to the network port's pins at line rate; frames/s the
 *       driver handed up, and the card's MPC;
 *   <li>interrupt to driver: one 64-byte frame at a time, moderation off; from its last byte on the
 *       network pins to the IRQ message at the host, next to the time the link needs for the
 *       messages the card sends before it (the frame's DMA write, its descriptor's, the IRQ).
 * </ul>
 * Run as root (TAP, AF_PACKET). Arguments: the board (default colorlight), the measuring window in
 * µs of board time (default 1 000 on the Colorlight, 200 000 on the iCEBreaker).
 */
public final class LinkBench {
    private static final long US = 1_000;
    private static final byte[] STATION = MacAddress.local(0x6c62);
    private static final byte[] PEER = MacAddress.local(0x6c63);
    private static final int TYPE = 0x88B6;

    private long networkFrames;
    private LinkBus bus;

    /** The boards the bench runs: how to make each, its default window, the latency loop's step. */
    private enum Target {
        COLORLIGHT("the card on the Colorlight top (without offload) over its Ethernet host link,",
                "simulated whole in Verilator (system and transmit domains at 125 MHz here)", 1_000, 16),
        ICEBREAKER("the card on the iCEBreaker top (RMII, without offload) over its UART host link at 3 Mbaud,",
                "simulated whole in Verilator (system domain at its 24 MHz, RMII at 50 MHz)", 200_000, 1_000);

        final String what, how;
        final long windowUs, stepNs;

        Target(String what, String how, long windowUs, long stepNs) {
            this.what = what;
            this.how = how;
            this.windowUs = windowUs;
            this.stepNs = stepNs;
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
        try (SimulatedTop board = target.open(f -> networkFrames++)) {
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
            System.out.println("| direction | frame | frames/s | Mbit/s | line rate frames/s | link bytes/frame (to host, to board) | link ceiling frames/s | card MPC |");
            System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
            for (int size : new int[] {64, 1518}) transmit(board, driver, size, window);
            for (int size : new int[] {64, 1518}) receive(board, driver, size, window);
            System.out.println();
            latency(board, driver);
            System.out.printf("%nreal time %.1f s%n", (System.nanoTime() - t0) / 1e9);
        }
    }

    private void transmit(SimulatedTop board, NicDriver driver, int size, long window) {
        BufferPool pool = new BufferPool(2_048, 512);
        long from = board.now() + 100 * US, to = from + window;
        long frames0 = 0;
        Link link0 = null;
        while (board.now() < to) {
            if (link0 == null && board.now() >= from) {
                frames0 = networkFrames;
                link0 = Link.of(board);
            }
            for (;;) {
                PacketBuffer f = frame(pool, size);
                if (!driver.transmit(f)) {
                    f.release();
                    break;
                }
            }
            driver.flush();
            do driver.receive(PacketBuffer::release, 64); while (driver.polling());
            board.advance(2 * US);
        }
        print(board, "transmit", size, networkFrames - frames0, window, Link.of(board).minus(link0), -1);
        drain(board, driver);
    }

    private void receive(SimulatedTop board, NicDriver driver, int size, long window) {
        byte[] f = new byte[size - Ethernet.FCS_LENGTH];
        header(f, 0, STATION, PEER);
        long from = board.now() + 100 * US, to = from + window, queuedUntil = board.now();
        long got = 0, got0 = 0, mpc0 = 0;
        Link link0 = null;
        while (board.now() < to) {
            if (link0 == null && board.now() >= from) {
                got0 = got;
                mpc0 = driver.statistics().get("card.MPC");
                link0 = Link.of(board);
            }
            while (queuedUntil < board.now() + 4 * US) queuedUntil = board.toNetworkPort(f);   // line rate, a little ahead
            do got += driver.receive(PacketBuffer::release, 64); while (driver.polling());
            board.advance(2 * US);
        }
        long mpc = driver.statistics().get("card.MPC") - mpc0;
        print(board, "receive", size, got - got0, window, Link.of(board).minus(link0), mpc);
        drain(board, driver);
    }

    /** One 64-byte frame at a time, moderation off: its last byte on the pins to the IRQ message at the host. */
    private void latency(SimulatedTop board, NicDriver driver) {
        driver.setCoalescing(Coalescing.off());
        byte[] f = new byte[60];
        header(f, 0, STATION, PEER);
        int n = 20;
        long[] latency = new long[n];
        Link link0 = Link.of(board);
        for (int i = 0; i < n; i++) {
            drain(board, driver);
            long end = board.toNetworkPort(f);
            while (!bus.interruptAsserted()) board.advance(target.stepNs);
            latency[i] = board.now() - end;
            do driver.receive(PacketBuffer::release, 64); while (driver.polling());
        }
        Link per = Link.of(board).minus(link0);
        Arrays.sort(latency);
        // what the link needs for what the card sends the host per frame: its bytes at the link's rate
        double toHost = (double) per.toHostBytes / n;
        double wire = (60 + Ethernet.FCS_LENGTH + Ethernet.OVERHEAD) * 8e9 / board.networkBitsPerSecond();
        System.out.printf("interrupt to driver, 64-byte frames one at a time, moderation off (%d frames): last byte on the network pins ->"
                + " IRQ message at the host: median %.2f us, min %.2f, max %.2f; the link's own time for the card's messages of a frame"
                + " (%.0f bytes a frame to the host, at %,.0f bytes/s): %.2f us; the 64-byte frame's own wire time %.2f us%n",
                n, latency[n / 2] / 1e3, latency[0] / 1e3, latency[n - 1] / 1e3, toHost, board.linkBytesPerSecond(),
                toHost / board.linkBytesPerSecond() * 1e6, wire / 1e3);
    }

    private static void drain(SimulatedTop board, NicDriver driver) {
        for (int i = 0; i < 50; i++) {
            board.advance(2 * US);
            do driver.receive(PacketBuffer::release, 64); while (driver.polling());
        }
    }

    private static void print(SimulatedTop board, String direction, int size, long frames, long window, Link link, long mpc) {
        double seconds = window / 1e9;
        double line = board.networkBitsPerSecond() / ((size + Ethernet.OVERHEAD) * 8.0);
        double toHost = (double) link.toHostBytes / Math.max(1, frames), toBoard = (double) link.toBoardBytes / Math.max(1, frames);
        double ceiling = board.linkBytesPerSecond() / Math.max(toHost, toBoard);
        System.out.printf("| %s | %d B | %,.0f | %.2f | %,.0f | %.0f, %.0f | %,.0f | %s |%n", direction, size, frames / seconds,
                frames * (double) size * 8 / seconds / 1e6, line, toHost, toBoard, ceiling, mpc < 0 ? "" : Long.toString(mpc));
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

    /** The link's bytes so far, each way. */
    private record Link(long toHostBytes, long toBoardBytes) {
        static Link of(SimulatedTop board) {
            return new Link(board.linkBytesToHost(), board.linkBytesToBoard());
        }

        Link minus(Link o) {
            return new Link(toHostBytes - o.toHostBytes, toBoardBytes - o.toBoardBytes);
        }
    }
}

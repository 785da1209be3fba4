package io.github.jnic.boards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.driver.NicDriver;
import io.github.jnic.driver.link.LinkBus;
import io.github.jnic.net.app.http.HttpLimits;
import io.github.jnic.net.app.http.HttpResponse;
import io.github.jnic.net.app.http.HttpRouter;
import io.github.jnic.net.app.http.HttpServer;
import io.github.jnic.net.app.http.HttpService;
import io.github.jnic.net.dev.NetworkNamespace;
import io.github.jnic.net.stack.NetStack;
import io.github.jnic.net.tcp.Tcp;
import io.github.jnic.net.wire.MacAddress;
import java.nio.ByteBuffer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * A whole board top simulated ({@link SimulatedTop}), the Java driver reaching the card through the
 * board's host link, a jnic stack on the card, and Linux in a namespace on the board's network port
 * pinging it and fetching a page from its HTTP server. Every frame the board sent had a good FCS,
 * nothing was dropped for want of descriptors or by a DMA error, the card's DMA went over the link
 * and every link frame the host got was the board's message. Needs root, /dev/net/tun, ping and
 * curl (CI has them).
 */
@Timeout(900)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LinuxThroughTheLink {
    static final long MEMORY_BASE = 1L << 32;
    private final String page;
    private NetworkNamespace linux;
    private SimulatedTop board;
    private LinkBus bus;
    private NicDriver driver;
    private NetStack stack;
    private Thread host;
    private volatile boolean running = true;
    private volatile Throwable failure;

    /** {@code board}: what the page says the card is on. */
    LinuxThroughTheLink(String board) {
        page = "jnic on a simulated " + board + "\n";
    }

    /** The board, its network port on {@code network}. */
    abstract SimulatedTop board(NetworkNamespace linux, long pid) throws Exception;

    @BeforeAll
    void setUp() throws Exception {
        String reason = NetworkNamespace.unavailableReason();
        for (String tool : new String[] {"ping", "curl"}) if (reason == null && !NetworkNamespace.onPath(tool)) reason = "'" + tool + "' is not installed";
        String why = reason;
        Assumptions.assumeTrue(why == null, () -> "skipping the simulated board against Linux: " + why);
        long pid = ProcessHandle.current().pid();
        linux = NetworkNamespace.create("10.222." + (1 + pid % 250), MacAddress.local(pid + 41), 1500, false);
        board = board(linux, pid);
        bus = board.bus(ByteBuffer.allocateDirect(8 << 20), MEMORY_BASE);
        NicDriver.Config config = new NicDriver.Config();
        config.name = "jnic0";
        config.mac = MacAddress.local(pid + 43);
        driver = new NicDriver(bus, config);
        stack = new NetStack();
        stack.addAddress(stack.addInterface(driver), linux.stackAddress() + "/24");
        Tcp tcp = new Tcp(stack.ipv4());
        stack.register(tcp);
        HttpService.listen(stack, tcp, 80, new HttpServer(new HttpRouter().route("GET", "/", r -> HttpResponse.text(200, page)), HttpLimits.defaults()));
        host = new Thread(() -> {
            try {
                board.runHost(stack, () -> running);
            } catch (Throwable t) {
                failure = t;
                t.printStackTrace();
            }
        }, "simulated-board");
        host.setDaemon(true);
        stack.claim(host);
        host.start();
    }

    @AfterAll
    void tearDown() throws Exception {
        running = false;
        if (host != null) host.join(10_000);
        if (board != null) board.close();
        if (linux != null) linux.close();
    }

    @Test
    void linuxPingsTheCardAndFetchesAPageThroughTheHostLink() throws Exception {
        long t0 = System.nanoTime();
        NetworkNamespace.Result ping = linux.exec(120, "ping", "-c", "3", "-i", "0.2", "-w", "90", linux.stackAddress());
        // exit 0: at least three echoes answered (ping may send more while it waits: the round trips are long)
        assertEquals(0, ping.exit(), ping.output());
        NetworkNamespace.Result got = linux.exec(120, "curl", "-sS", "--max-time", "90", "http://" + linux.stackAddress() + "/");
        assertEquals(0, got.exit(), got.output());
        assertEquals(page, got.output());
        assertNull(failure);

        Map<String, Long> s = stack.call(() -> driver.statistics(), 60_000);
        long[] link = stack.call(() -> new long[] {bus.dmaReads(), bus.dmaWrites(), bus.dmaErrors(), board.badFrames(), board.underruns(),
                board.foreignLinkFrames(), board.now() - 1_000_000_000L, bus.retransmissions()}, 60_000);
        System.out.printf("%s: ping and page in %.1f s, %.1f ms of board time; DMA reads %d, writes %d; host resent %d%n", getClass().getSimpleName(),
                (System.nanoTime() - t0) / 1e9, link[6] / 1e6, link[0], link[1], link[7]);
        assertEquals(0, link[3], "every frame the board sent had a good FCS");
        assertEquals(0, link[4], "the receive pins never ran dry");
        assertEquals(0, link[5], "every link frame the host got was the board's message");
        assertTrue(s.get("card.GPRC") >= 3 && s.get("card.GPTC") >= 3, s::toString);
        assertEquals(0, s.get("card.MPC") + s.get("card.DMAEC") + s.get("card.DDEC"), s::toString);
        assertTrue(link[0] > 0 && link[1] > 0, "the card's DMA went over the link: " + link[0] + " reads, " + link[1] + " writes");
        assertEquals(0, link[2], "no DMA outside host memory");
    }
}

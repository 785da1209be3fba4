package io.github.jnic.demo;

import io.github.jnic.driver.Coalescing;
import io.github.jnic.testbench.card.CardEvents;
import io.github.jnic.net.app.StreamSession;
import io.github.jnic.net.app.TcpPump;
import io.github.jnic.net.app.dhcp.DhcpClientService;
import io.github.jnic.net.app.dhcp.DhcpLease;
import io.github.jnic.net.app.dhcp.DhcpServer;
import io.github.jnic.net.app.dhcp.DhcpServerService;
import io.github.jnic.net.app.dns.DnsResult;
import io.github.jnic.net.app.dns.DnsServer;
import io.github.jnic.net.app.dns.DnsService;
import io.github.jnic.net.app.dns.DnsType;
import io.github.jnic.net.app.dns.IterativeResolver;
import io.github.jnic.net.app.dns.ResolverService;
import io.github.jnic.net.app.dns.Zone;
import io.github.jnic.net.app.http.HttpClientConnection;
import io.github.jnic.net.app.http.HttpLimits;
import io.github.jnic.net.app.http.HttpRequest;
import io.github.jnic.net.app.http.HttpResponse;
import io.github.jnic.net.app.http.HttpRouter;
import io.github.jnic.net.app.http.HttpServer;
import io.github.jnic.net.app.http.HttpService;
import io.github.jnic.net.capture.PcapWriter;
import io.github.jnic.net.dev.NetDevice;
import io.github.jnic.net.eth.NetInterface;
import io.github.jnic.net.stack.NetStack;
import io.github.jnic.net.stack.Simulation;
import io.github.jnic.net.tcp.Tcp;
import io.github.jnic.net.wire.Ipv4Address;
import io.github.jnic.net.wire.MacAddress;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * {@code ./nic demo}: the journey of a web page between jnic hosts, in one process and in virtual
 * time. Host B serves DHCP, DNS (example.test) and HTTP; two more jnic hosts serve the root zone
 * and the test. zone, so that host A's iterative resolver really walks root → TLD → authoritative.
 * Host A leases an address, resolves www.example.test, connects, fetches the page and closes.
 * Every frame is printed as an event and written to a pcap file; host A's cable can pass through
 * the simulated MAC RTL ({@link MacCable}). {@code --tap} runs the same journey over TAP devices
 * ({@link TapDemo}).
 */
public final class Demo {
    static final long SECOND = 1_000_000_000L;
    static final long MILLISECOND = 1_000_000L;
    static final int B = Ipv4Address.parse("192.0.2.1");
    static final int ROOT = Ipv4Address.parse("192.0.2.2");
    static final int TLD = Ipv4Address.parse("192.0.2.3");
    static final int POOL_START = Ipv4Address.parse("192.0.2.100");
    static final int POOL_END = Ipv4Address.parse("192.0.2.199");
    static final String NAME = "www.example.test";

    /** Host A's device: the whole simulated card with its driver, a cable through two simulated MACs, or a plain in-memory cable. */
    public enum Device { CARD, MAC, CABLE }

    /** What to run: where the capture goes, host A's device, its driver's interrupt coalescing (for the card). */
    public record Options(Path pcap, Device device, Coalescing coalescing, PrintStream out) {
        public Options(Path pcap, boolean macRtl, PrintStream out) {
            this(pcap, macRtl ? Device.MAC : Device.CABLE, Coalescing.defaults(), out);
        }
    }

    /** What the journey produced, for tests and the timeline: the entries hold every event as data. */
    public record Outcome(List<String> journal, List<Journal.Entry> entries, int leasedAddress, List<Integer> resolved, HttpResponse page,
                          long frames, long macFrames, String interrupts, List<CardEvents.Event> cardEvents) {}

    private record Host(String name, NetStack stack, Tcp tcp, NetInterface iface) {}

    private final Options options;
    private final Simulation sim = new Simulation();
    private final Segment segment = new Segment(sim.clock(), 50_000);
    private final Journal journal;
    private final List<Host> hosts = new ArrayList<>();
    private final TcpWatch tcpWatch;
    private MacCable macCable;
    private CardHost cardHost;
    private long frames;

    private Demo(Options options) {
        this.options = options;
        this.journal = new Journal(options.out(), sim.now());
        this.tcpWatch = new TcpWatch(journal);
    }

    public static void main(String[] args) throws Exception {
        // ./nic runs from the repository's root, where target/ is ignored by git.
        Path pcap = Path.of("target", "jnic-demo.pcap");
        boolean tap = false;
        Device device = Device.CARD;
        Coalescing coalescing = Coalescing.defaults();
        for (int i = 0; i < args.length; i++) {
            if (COALESCING.contains(args[i])) {
                if (i + 1 == args.length) usage("demo: " + args[i] + " needs a value");
                try {
                    coalescing = coalesce(coalescing, args[i], args[++i]);
                } catch (IllegalArgumentException e) {
                    usage("demo: " + args[i - 1] + " " + args[i] + ": not a value for it");
                }
                continue;
            }
            switch (args[i]) {
                case "--pcap" -> {
                    if (i + 1 == args.length) {
                        System.err.println("demo: --pcap needs a file name");
                        System.exit(2);
                    }
                    pcap = Path.of(args[++i]);
                }
                case "--no-mac" -> device = Device.CABLE;
                case "--mac" -> device = Device.MAC;
                case "--tap" -> tap = true;
                case "-h", "--help" -> {
                    System.out.println("usage: ./nic demo [--pcap FILE] [--mac | --no-mac] [--tap] [rx-usecs N] [rx-frames N] [adaptive-rx on|off] [tx-usecs N] [tx-frames N]");
                    System.out.println("  --pcap FILE  where the capture goes (default target/jnic-demo.pcap)");
                    System.out.println("  --mac        host A is a plain stack whose cable crosses two simulated MACs (not the whole card)");
                    System.out.println("  --no-mac     host A is a plain stack on a plain in-memory link");
                    System.out.println("  --tap        real time, each host on a TAP device bridged by the Linux kernel (needs root)");
                    System.out.println("  rx-usecs ... host A's card's interrupt coalescing, in ethtool -C's words (default: e1000e's, rx-usecs 50)");
                    return;
                }
                default -> {
                    System.err.println("demo: unknown option " + args[i] + " (try --help)");
                    System.exit(2);
                }
            }
        }
        try {
            Path parent = pcap.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            if (tap) System.exit(TapDemo.run(pcap, System.out));
            run(new Options(pcap, device, coalescing, System.out));
        } catch (IllegalStateException e) {
            System.err.println("demo: " + e.getMessage());
            System.exit(1);
        } catch (Exception e) {
            // the capture file; with --tap also the ip commands, the TAP devices, a step that timed out
            System.err.println("demo: " + e);
            System.exit(1);
        }
    }

    private static final List<String> COALESCING = List.of("rx-usecs", "rx-frames", "tx-usecs", "tx-frames", "adaptive-rx");

    private static void usage(String why) {
        System.err.println(why + " (try --help)");
        System.exit(2);
    }

    /** ethtool -C's {@code name value} applied to {@code c}. */
    static Coalescing coalesce(Coalescing c, String name, String value) {
        if (name.equals("adaptive-rx")) {
            if (!value.equals("on") && !value.equals("off")) throw new IllegalArgumentException(value);
            return new Coalescing(c.rxUsecs(), c.rxFrames(), c.txUsecs(), c.txFrames(), value.equals("on"));
        }
        int v = Integer.parseInt(value);
        return switch (name) {
            case "rx-usecs" -> new Coalescing(v, c.rxFrames(), c.txUsecs(), c.txFrames(), c.adaptiveRx());
            case "rx-frames" -> new Coalescing(c.rxUsecs(), v, c.txUsecs(), c.txFrames(), c.adaptiveRx());
            case "tx-usecs" -> new Coalescing(c.rxUsecs(), c.rxFrames(), v, c.txFrames(), c.adaptiveRx());
            case "tx-frames" -> new Coalescing(c.rxUsecs(), c.rxFrames(), c.txUsecs(), v, c.adaptiveRx());
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** ethtool -c's way of showing it. */
    static String describe(Coalescing c) {
        return String.format("adaptive-rx %s, rx-usecs %d, rx-frames %d, tx-usecs %d, tx-frames %d",
                c.adaptiveRx() ? "on" : "off", c.rxUsecs(), c.rxFrames(), c.txUsecs(), c.txFrames());
    }

    /** Runs the whole journey. Throws {@link IllegalStateException} when a step does not complete. */
    public static Outcome run(Options options) throws IOException {
        Demo demo = new Demo(options);
        try {
            return demo.journey();
        } finally {
            if (demo.macCable != null) demo.macCable.close();
            if (demo.cardHost != null) demo.cardHost.close();
        }
    }

    private Outcome journey() throws IOException {
        PrintStream out = options.out();
        try (PcapWriter pcap = PcapWriter.create(options.pcap())) {
            segment.observe((from, now, data, off, len) -> {
                pcap.write(now, data, off, len);
                frames++;
                tcpWatch.check(sim.now());
                journal.frame(now, frames, data, off, len);
            });
            out.println("jnic demo: the journey of a web page between jnic hosts, in virtual time.");
            out.println("Four jnic stacks share one Ethernet segment (an in-memory switch, 50 µs a hop):");
            out.println("  A     a host with no address yet (the client)");
            out.println("  B     192.0.2.1: DHCP server, authoritative DNS for example.test, web server");
            out.println("  root  192.0.2.2: DNS root zone (a.root-servers.test)");
            out.println("  tld   192.0.2.3: DNS zone test. (ns.nic.test)");

            Segment.Port portA = segment.port("A", MacAddress.local(4));
            NetDevice cableA = portA;
            if (options.device() == Device.CARD) {
                try {
                    cardHost = new CardHost(sim.clock(), portA, MacAddress.local(4), options.coalescing(), journal, "A", () -> frames);
                    cableA = cardHost;
                } catch (RuntimeException e) {
                    out.println("The card's RTL cannot run here (" + e.getMessage() + "): host A gets a plain in-memory cable.");
                }
            }
            if (options.device() == Device.MAC) {
                try {
                    macCable = MacCable.open(cableA);
                    cableA = macCable;
                } catch (RuntimeException e) {
                    out.println("The MAC RTL cannot run here (" + e.getMessage() + "): host A gets a plain in-memory cable.");
                }
            }
            if (cardHost != null) {
                out.println("Host A is a machine with the jnic card: its stack runs on the card's driver (NicDriver), the card is its RTL");
                out.println("(Verilator, one clock with the stack), and the card's GMII pins are on the segment. Card lines carry the card's");
                out.println("clock edge beside the virtual time (clk: the 62.5 MHz system clock; rxClk/txClk: the PHY's 125 MHz GMII clocks).");
                out.println("Interrupt coalescing (ethtool -c): " + describe(options.coalescing()) + ".");
            } else if (macCable != null) {
                out.println("Host A's cable passes through the simulated MAC RTL: A's frames enter a jhdl GmiiMac (Verilator),");
                out.println("leave on its GMII pins as bursts (preamble, SFD, FCS), enter the receive pins of a second GmiiMac");
                out.println("on the switch side, and only the frames it passes as good reach the segment; the same way back.");
            } else {
                out.println("Host A's cable is a plain in-memory link.");
            }
            out.println("Columns: virtual time (s), layer, who → whom, what (a card step: its clock edge first). Every frame is also in " + options.pcap() + ".");

            journal.heading("0. The servers come up: each announces its address with a gratuitous ARP.");
            Host b = host("B", 1, B, null);
            Host root = host("root", 2, ROOT, null);
            Host tld = host("tld", 3, TLD, null);
            Host a = host("A", 4, 0, cableA);
            serve(b.stack(), b.tcp(), root.stack(), root.tcp(), tld.stack(), tld.tcp());
            sim.runFor(10 * MILLISECOND);

            DhcpLease lease = dhcp(a);
            DnsResult result = resolve(a);
            HttpResponse page = fetch(a, result.ipv4Addresses().get(0));

            journal.heading("Done: " + frames + " frames, all in " + options.pcap().toAbsolutePath() + ".");
            journal.say("Open it with:  wireshark " + options.pcap() + "   or:  tshark -r " + options.pcap());
            String interrupts = "";
            if (cardHost != null) {
                interrupts = cardHost.interruptsSummary();
                journal.say("Host A's interrupts, as /proc/interrupts and ethtool -S count them:");
                for (String line : interrupts.split("\n")) journal.say("  " + line);
            }
            long macFrames = 0;
            if (macCable != null) {
                macFrames = macCable.frames();
                long cycles = macCable.cycles();
                journal.say(String.format("The MAC RTL carried %d frames for host A (%d bytes on the GMII pins, %d lost), %d clock cycles",
                        macCable.frames(), macCable.wireBytes(), macCable.lost(), cycles));
                journal.say(String.format("in %.0f ms of simulation: %.2f M cycles/s.", macCable.simulationNanos() / 1e6,
                        cycles / (macCable.simulationNanos() / 1e3)));
            }
            return new Outcome(journal.lines(), journal.entries(), lease.address(), result.ipv4Addresses(), page, frames, macFrames, interrupts,
                    cardHost == null ? List.of() : cardHost.recorded());
        }
    }

    /** A jnic host on the segment (through {@code cable}, else a port of its own): its own stack, TCP, and (for a server) a fixed address. */
    private Host host(String name, int index, int address, NetDevice cable) {
        NetStack.Config config = new NetStack.Config();
        config.seed = index;
        NetStack stack = sim.add(new NetStack(config));
        byte[] mac = MacAddress.local(index);
        journal.name(mac, name);
        NetInterface iface = stack.addInterface(cable != null ? cable : segment.port(name, mac));
        if (address != 0) {
            journal.name(address, name);
            stack.addAddress(iface, address, 24);
        }
        Tcp tcp = new Tcp(stack.ipv4());
        stack.register(tcp);
        tcpWatch.add(name, tcp);
        Host h = new Host(name, stack, tcp, iface);
        hosts.add(h);
        return h;
    }

    /** The servers: root and TLD zones on their hosts; DNS for example.test, the web site and DHCP on B. Each on its stack's thread. */
    static void serve(NetStack b, Tcp bTcp, NetStack root, Tcp rootTcp, NetStack tld, Tcp tldTcp) throws IOException {
        root.call(() -> DnsService.start(root, rootTcp, 53, new DnsServer(List.of(Zone.parse(resource("root.zone"), ".")))), 5000);
        tld.call(() -> DnsService.start(tld, tldTcp, 53, new DnsServer(List.of(Zone.parse(resource("test.zone"), "test")))), 5000);
        byte[] index = resource("index.html").getBytes(StandardCharsets.UTF_8);
        b.call(() -> {
            DnsService.start(b, bTcp, 53, new DnsServer(List.of(Zone.parse(resource("example.test.zone"), "example.test"))));
            HttpService.listen(b, bTcp, 80, new HttpServer(new HttpRouter()
                    .route("GET", "/", request -> HttpResponse.of(200, "text/html; charset=utf-8", index)), HttpLimits.defaults()));
            // No DNS server in the lease: host A resolves by itself, from the root down.
            return DhcpServerService.start(b, new DhcpServer(DhcpServer.Config.of(B, POOL_START, POOL_END, 0xffffff00,
                    List.of(B), List.of(), "example.test")));
        }, 5000);
    }

    private DhcpLease dhcp(Host a) throws IOException {
        journal.heading("1. DHCP: host A has no address. It broadcasts a DISCOVER; B offers one; A requests it; B acknowledges.");
        journal.say("Before using the address, A checks with ARP probes that nobody else has it (RFC 5227).");
        List<DhcpLease> leases = new ArrayList<>();
        DhcpClientService.Prober prober = (iface, address, done) -> {
            journal.name(address, "A");
            journal.event(sim.now(), "arp", "A", "timer: 3 probes 1 s apart, then 2 s of listening for " + Ipv4Address.toString(address));
            a.stack().arp().probe(iface, address, sim.now(), (probed, inUse) -> {
                journal.event(sim.now(), "arp", "A", inUse ? "conflict: someone uses " + Ipv4Address.toString(probed)
                        : "probe timer done: nobody answered, " + Ipv4Address.toString(probed) + " is free");
                done.accept(inUse);
            });
        };
        DhcpClientService.start(a.stack(), a.iface(), "host-a", new SplittableRandom(1), prober, leases::add, lost -> {});
        run("a DHCP lease", () -> !leases.isEmpty(), 60 * SECOND);
        DhcpLease lease = leases.get(0);
        long now = sim.now();
        journal.event(now, "dhcp", "A", "bound: " + Ipv4Address.toString(lease.address()) + "/" + Integer.bitCount(lease.subnetMask())
                + " on the interface, default route via " + Ipv4Address.toString(lease.routers().get(0)));
        journal.event(now, "dhcp", "A", String.format("lease timers (counted from the REQUEST): renew (T1) in %d s, rebind (T2) in %d s, expiry in %d s",
                (lease.renewAt() - now) / SECOND, (lease.rebindAt() - now) / SECOND, (lease.expiresAt() - now) / SECOND));
        return lease;
    }

    private DnsResult resolve(Host a) {
        journal.heading("2. DNS: A resolves " + NAME + " iteratively, starting from the root hint 192.0.2.2.");
        journal.say("The root refers it to test.'s server, which refers it to example.test's server (B), which answers.");
        journal.say("A must first find each server's MAC address with ARP.");
        List<DnsResult> results = new ArrayList<>();
        ResolverService resolver = new ResolverService(a.stack(), a.tcp(), new IterativeResolver(List.of(ROOT), new SplittableRandom(2)));
        long start = sim.now();
        resolver.resolve(NAME, DnsType.A, results::add);
        run("the DNS answer", () -> !results.isEmpty(), 30 * SECOND);
        DnsResult r = results.get(0);
        if (r.status() != DnsResult.Status.ANSWER || r.ipv4Addresses().isEmpty()) {
            throw new IllegalStateException("DNS: " + NAME + " did not resolve: " + r.status() + " " + r.detail());
        }
        journal.event(sim.now(), "dns", "A", String.format("resolved: %s is %s (%.3f ms)", NAME,
                Ipv4Address.toString(r.ipv4Addresses().get(0)), (sim.now() - start) / 1e6));
        return r;
    }

    private HttpResponse fetch(Host a, int server) throws IOException {
        journal.heading("3. TCP and HTTP: A opens a connection to " + Ipv4Address.toString(server) + ":80 (three-way handshake),");
        journal.say("sends GET /, reads the page, and closes. The side that closes first waits in TIME-WAIT.");
        List<HttpResponse> responses = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        HttpClientConnection http = new HttpClientConnection(HttpLimits.defaults());
        http.send(HttpRequest.get("/", NAME), new HttpClientConnection.ResponseHandler() {
            @Override public void response(HttpResponse page) {
                responses.add(page);
                journal.event(sim.now(), "http", "A", "got " + page.status() + " " + page.reason() + ": " + page.body().length + " bytes of "
                        + page.headers().get("Content-Type") + "; A is done and closes the connection");
                journal.heading("4. Closing: A's FIN, B's FIN, and A waits out TIME-WAIT (2 MSL, " + a.tcp().config().timeWait / SECOND + " s here).");
            }

            @Override public void failed(String why) { failures.add(why); }
        }, sim.now());
        TcpPump.connect(a.stack(), a.tcp(), server, 80, new CloseWhenAnswered(http, () -> !responses.isEmpty()));
        run("the HTTP response", () -> !responses.isEmpty() || !failures.isEmpty(), 30 * SECOND);
        if (responses.isEmpty()) throw new IllegalStateException("HTTP: " + failures.get(0));
        run("the end of TIME-WAIT", () -> hosts.stream().allMatch(h -> h.tcp().connectionCount() == 0), 5 * 60 * SECOND);
        return responses.get(0);
    }

    /** An HTTP client connection that host A closes as soon as its one request is answered, as a browser tab closing. */
    record CloseWhenAnswered(HttpClientConnection http, BooleanSupplier answered) implements StreamSession {
        @Override public int room() { return http.room(); }
        @Override public void receive(byte[] b, int off, int len, long now) { http.receive(b, off, len, now); }
        @Override public void peerClosed(long now) { http.peerClosed(now); }
        @Override public byte[] nextOutput() { return http.nextOutput(); }
        @Override public boolean shouldClose() { return answered.getAsBoolean() || http.shouldClose(); }
        @Override public long poll(long now) { return http.poll(now); }
        @Override public void failed(String why, long now) { http.failed(why, now); }
    }

    /** Runs the segment in virtual time until {@code done}, watching TCP states after every round. */
    private void run(String what, BooleanSupplier done, long maxNanos) {
        boolean finished = sim.runUntil(() -> {
            tcpWatch.check(sim.now());
            return done.getAsBoolean();
        }, maxNanos);
        tcpWatch.check(sim.now());
        if (!finished) {
            throw new IllegalStateException("no " + what + " after " + maxNanos / SECOND + " s of virtual time");
        }
    }

    static String resource(String name) {
        try (InputStream in = Demo.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

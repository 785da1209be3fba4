package io.github.jnic.demo;

import io.github.jnic.net.app.TcpPump;
import io.github.jnic.net.app.dhcp.DhcpClientService;
import io.github.jnic.net.app.dhcp.DhcpLease;
import io.github.jnic.net.app.dns.DnsResult;
import io.github.jnic.net.app.dns.DnsType;
import io.github.jnic.net.app.dns.IterativeResolver;
import io.github.jnic.net.app.dns.ResolverService;
import io.github.jnic.net.app.http.HttpClientConnection;
import io.github.jnic.net.app.http.HttpLimits;
import io.github.jnic.net.app.http.HttpRequest;
import io.github.jnic.net.app.http.HttpResponse;
import io.github.jnic.net.capture.CapturingDevice;
import io.github.jnic.net.capture.PcapWriter;
import io.github.jnic.net.dev.NetworkNamespace;
import io.github.jnic.net.dev.ObservedDevice;
import io.github.jnic.net.dev.TapDevice;
import io.github.jnic.net.eth.NetInterface;
import io.github.jnic.net.stack.NetStack;
import io.github.jnic.net.stack.StackRunner;
import io.github.jnic.net.tcp.Tcp;
import io.github.jnic.net.tcp.TcpConfig;
import io.github.jnic.net.wire.Ipv4Address;
import io.github.jnic.net.wire.MacAddress;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./nic demo --tap}: the same journey in real time, with every jnic host on a Linux TAP
 * device and the Linux kernel in the middle: the demo makes a network namespace holding a bridge,
 * and the four TAPs are its ports, so every frame between host A and the servers is switched by
 * the kernel. The capture and the journal are taken at host A's TAP. Needs root (or
 * CAP_NET_ADMIN) and /dev/net/tun; says so and stops without them.
 */
final class TapDemo {
    private static final long SECOND = 1_000_000_000L;
    /** TIME-WAIT on host A: the real-time run should not sit a minute in it. */
    private static final long TIME_WAIT = 2 * SECOND;

    private record Host(String name, NetStack stack, Tcp tcp, NetInterface iface, TapDevice tap, StackRunner runner) {}

    private final PrintStream out;
    private final Path pcapFile;
    private final String suffix = Long.toHexString(System.nanoTime() & 0xffffffL);
    private final String namespace = "jnic-demo-" + suffix;
    private final Journal journal;
    private final TcpWatch tcpWatch;
    private final List<Host> hosts = new ArrayList<>();

    private TapDemo(Path pcapFile, PrintStream out) {
        this.out = out;
        this.pcapFile = pcapFile;
        this.journal = new Journal(out, StackRunner.CLOCK.getAsLong());
        this.tcpWatch = new TcpWatch(journal);
    }

    /** Runs the journey over TAP devices; returns the exit status for {@code main}. */
    static int run(Path pcap, PrintStream out) throws Exception {
        String why = NetworkNamespace.unavailableReason();
        if (why == null && !isRoot()) why = "it is not running as root (a bridge in a new network namespace needs CAP_NET_ADMIN)";
        if (why != null) {
            out.println("demo --tap cannot run here: " + why + ".");
            out.println("Run it as root (sudo ./nic demo --tap), or run ./nic demo, which needs no privilege.");
            return 2;
        }
        TapDemo demo = new TapDemo(pcap, out);
        try {
            demo.journey();
            return 0;
        } finally {
            demo.tearDown();
        }
    }

    private static boolean isRoot() {
        try {
            Process p = new ProcessBuilder("id", "-u").start();
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim().equals("0") && p.waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private void journey() throws Exception {
        out.println("jnic demo --tap: the journey in real time, through the Linux kernel.");
        out.println("Network namespace " + namespace + " holds a Linux bridge; each jnic host has a TAP device as one of its ports,");
        out.println("so the kernel switches every frame between them. Host A's TAP is captured to " + pcapFile + ".");
        out.println("Same hosts as ./nic demo: A (client), B 192.0.2.1 (DHCP, DNS example.test, HTTP), root 192.0.2.2, tld 192.0.2.3.");
        out.println("TCP states are watched on host A only (each stack runs on its own thread here); A's TIME-WAIT is 2 s.");
        sh("ip", "netns", "add", namespace);
        inside("sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
        inside("ip", "link", "add", "br0", "type", "bridge");
        inside("ip", "link", "set", "br0", "up");

        try (PcapWriter pcap = PcapWriter.create(pcapFile)) {
            journal.heading("0. The servers come up on their TAPs: each announces its address with a gratuitous ARP.");
            Host a = host("A", 4, 0, pcap);
            Host b = host("B", 1, Demo.B, null);
            Host root = host("root", 2, Demo.ROOT, null);
            Host tld = host("tld", 3, Demo.TLD, null);
            Demo.serve(b.stack(), b.tcp(), root.stack(), root.tcp(), tld.stack(), tld.tcp());
            Thread.sleep(200);

            journal.heading("1. DHCP: host A has no address; DISCOVER, OFFER, REQUEST, ACK across the kernel's bridge, then ARP probes.");
            CompletableFuture<DhcpLease> lease = new CompletableFuture<>();
            a.stack().call(() -> DhcpClientService.start(a.stack(), a.iface(), "host-a", new SecureRandom(), (iface, address, done) -> {
                journal.name(address, "A");
                journal.event(a.stack().now(), "arp", "A", "timer: 3 probes 1 s apart, then 2 s of listening for " + Ipv4Address.toString(address));
                a.stack().arp().probe(iface, address, a.stack().now(), (probed, inUse) -> {
                    journal.event(a.stack().now(), "arp", "A", inUse ? "conflict: someone uses " + Ipv4Address.toString(probed)
                            : "probe timer done: nobody answered, " + Ipv4Address.toString(probed) + " is free");
                    done.accept(inUse);
                });
            }, lease::complete, lost -> {}), 5000);
            DhcpLease l = lease.get(30, TimeUnit.SECONDS);
            journal.event(a.stack().now(), "dhcp", "A", "bound: " + Ipv4Address.toString(l.address()) + "/" + Integer.bitCount(l.subnetMask()));

            journal.heading("2. DNS: A resolves " + Demo.NAME + " from the root down.");
            ResolverService resolver = a.stack().callQuietly(() -> new ResolverService(a.stack(), a.tcp(), new IterativeResolver(List.of(Demo.ROOT), new SecureRandom())));
            DnsResult r = resolver.lookup(Demo.NAME, DnsType.A).get(30, TimeUnit.SECONDS);
            if (r.status() != DnsResult.Status.ANSWER || r.ipv4Addresses().isEmpty()) throw new IllegalStateException("DNS: " + r.status() + " " + r.detail());
            int server = r.ipv4Addresses().get(0);
            journal.event(a.stack().now(), "dns", "A", "resolved: " + Demo.NAME + " is " + Ipv4Address.toString(server));

            journal.heading("3. TCP and HTTP: handshake, GET /, 200, and A closes.");
            CompletableFuture<HttpResponse> page = new CompletableFuture<>();
            HttpClientConnection http = new HttpClientConnection(HttpLimits.defaults());
            a.stack().call(() -> {
                http.send(HttpRequest.get("/", Demo.NAME), new HttpClientConnection.ResponseHandler() {
                    @Override public void response(HttpResponse response) {
                        journal.event(a.stack().now(), "http", "A", "got " + response.status() + " " + response.reason() + ": " + response.body().length + " bytes");
                        journal.heading("4. Closing: A's FIN, B's FIN, A's TIME-WAIT.");
                        page.complete(response);
                    }

                    @Override public void failed(String why) { page.completeExceptionally(new IllegalStateException("HTTP: " + why)); }
                }, a.stack().now());
                return TcpPump.connect(a.stack(), a.tcp(), server, 80, new Demo.CloseWhenAnswered(http, page::isDone));
            }, 5000);
            page.get(30, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + 10 * SECOND;
            while (a.stack().callQuietly(() -> {
                tcpWatch.check(a.stack().now());
                return a.tcp().connectionCount();
            }) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            journal.heading("The kernel's bridge learned where each jnic host is (bridge fdb, in " + namespace + "):");
            for (Host h : hosts) {
                String mac = MacAddress.toString(h.tap().macAddress());
                String port = inside("bridge", "fdb", "show", "br", "br0").lines()
                        .filter(line -> line.startsWith(mac + " ") && !line.contains("permanent")).findFirst().orElse(mac + " (not learned)");
                journal.say(h.name() + ": " + port);
            }
            journal.heading("Done: host A's view of the journey is in " + pcapFile.toAbsolutePath() + " (tshark -r " + pcapFile + ").");
        }
    }

    private Host host(String name, int index, int address, PcapWriter pcap) throws IOException, InterruptedException {
        byte[] mac = MacAddress.local(index);
        journal.name(mac, name);
        TapDevice tap = TapDevice.open("jd" + suffix + "-" + index, mac, 1500);
        sh("ip", "link", "set", tap.name(), "netns", namespace);
        inside("ip", "link", "set", tap.name(), "master", "br0");
        inside("ip", "link", "set", tap.name(), "up");
        NetStack stack = new NetStack();
        TcpConfig config = new TcpConfig();
        if (pcap != null) config.timeWait = TIME_WAIT;
        Tcp tcp = new Tcp(stack.ipv4(), config);
        stack.register(tcp);
        NetInterface iface;
        if (pcap != null) {
            // Host A: the journal and the capture see every frame it sends and receives, on its own thread.
            // Times are the stack's (the instant of the poll), as for every other event of host A.
            long[] frames = {0};
            iface = stack.addInterface(new ObservedDevice(new CapturingDevice(tap, pcap, stack::now), (now, b, off, len) -> {
                tcpWatch.check(now);
                journal.frame(now, ++frames[0], b, off, len);
            }, stack::now));
            tcpWatch.add(name, tcp);
        } else {
            iface = stack.addInterface(tap);
        }
        if (address != 0) {
            journal.name(address, name);
            stack.addAddress(iface, address, 24);
        }
        Host h = new Host(name, stack, tcp, iface, tap, StackRunner.start(stack, "demo-" + name));
        hosts.add(h);
        return h;
    }

    private void tearDown() {
        for (Host h : hosts) {
            h.runner().close();
            h.tap().close();
        }
        try {
            sh("ip", "netns", "del", namespace);
        } catch (IOException | InterruptedException e) {
            out.println("demo: could not delete namespace " + namespace + ": " + e.getMessage());
        }
    }

    /** Runs a command in the demo's namespace; returns its output. */
    private String inside(String... cmd) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(List.of(cmd));
        return sh(full.toArray(new String[0]));
    }

    private static String sh(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + output.trim());
        }
        return output;
    }
}

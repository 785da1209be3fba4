package io.github.jnic.net.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.net.app.dns.DnsCache;
import io.github.jnic.net.app.dns.DnsResult;
import io.github.jnic.net.app.dns.DnsType;
import io.github.jnic.net.app.dns.IterativeResolver;
import io.github.jnic.net.app.dns.ResolverService;
import io.github.jnic.net.app.dns.ZoneFile;
import io.github.jnic.net.dev.NetworkNamespace;
import io.github.jnic.net.linux.StackOnLinux;
import io.github.jnic.net.stack.NetStack;
import io.github.jnic.net.stack.StackRunner;
import io.github.jnic.net.tcp.Tcp;
import io.github.jnic.net.wire.MacAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our iterative resolver against a real authoritative hierarchy: four NSD servers in a network
 * namespace, each on its own address, serve the root, the TLD {@code test.}, and the zones
 * {@code example.test.}, {@code other.test.} and {@code glueless.test.} (delegated without glue). The resolver, on a jnic stack over TAP, knows
 * only the root server's address: every answer comes from following NSD's referrals (NSD does
 * not recurse). Needs root, /dev/net/tun and nsd (./nic test installs it); elsewhere it is skipped
 * with the reason.
 */
class LinuxPeerResolverTest {
    private static final int RESOLVER_TIMEOUT_SECONDS = 20;

    private static NetworkNamespace linux;
    private static Path dir;
    private static final List<Nsd> servers = new ArrayList<>();
    private static NetStack stack;
    private static StackRunner runner;
    private static DnsCache cache;
    private static IterativeResolver iterative;
    private static ResolverService resolver;

    @BeforeAll
    static void setUp() throws Exception {
        StackOnLinux.skipUnless("the resolver test against NSD", "nsd");
        String subnet = "10.216." + (1 + (ProcessHandle.current().pid() * 2) % 250);
        linux = NetworkNamespace.create(subnet, MacAddress.local(ProcessHandle.current().pid() + 13), 1500);
        dir = Files.createTempDirectory("jnic-nsd");
        String root = subnet + ".11";
        String tld = subnet + ".12";
        String example = subnet + ".13";
        String other = subnet + ".14";
        serve(root, ".", """
                . SOA a.root. hostmaster.root. 1 3600 600 86400 60
                . NS a.root.
                a.root. A %s
                test. NS ns1.nic.test.
                ns1.nic.test. A %s
                """.formatted(root, tld));
        serve(tld, "test.", """
                test. SOA ns1.nic.test. hostmaster.nic.test. 1 3600 600 86400 60
                test. NS ns1.nic.test.
                ns1.nic.test. A %s
                example.test. NS ns.example.test.
                ns.example.test. A %s
                other.test. NS ns.other.test.
                ns.other.test. A %s
                glueless.test. NS ns.glueless-host.example.test.
                """.formatted(tld, example, other));
        serve(example, "example.test.", """
                example.test. SOA ns.example.test. hostmaster.example.test. 1 3600 600 86400 60
                example.test. NS ns.example.test.
                ns.example.test. A %s
                www.example.test. A 192.0.2.80
                alias.example.test. CNAME www.example.test.
                far.example.test. CNAME alias.other.test.
                ns.glueless-host.example.test. A %1$s
                """.formatted(example), "glueless.test.", """
                glueless.test. SOA ns.glueless-host.example.test. hostmaster.example.test. 1 3600 600 86400 60
                glueless.test. NS ns.glueless-host.example.test.
                www.glueless.test. A 192.0.2.100
                """);
        serve(other, "other.test.", """
                other.test. SOA ns.other.test. hostmaster.other.test. 1 3600 600 86400 60
                other.test. NS ns.other.test.
                ns.other.test. A %s
                alias.other.test. CNAME www.other.test.
                www.other.test. A 192.0.2.90
                """.formatted(other));
        for (Nsd server : servers) server.awaitStarted();

        stack = new NetStack();
        stack.addAddress(stack.addInterface(linux.tap()), linux.stackAddress() + "/24");
        Tcp tcp = new Tcp(stack.ipv4());
        stack.register(tcp);
        runner = StackRunner.start(stack, "jnic-iterative");
        cache = new DnsCache();
        iterative = new IterativeResolver(List.of(ZoneFile.ipv4(root)), new SecureRandom(), cache, 1_000_000_000L, 2, 53);
        resolver = stack.callQuietly(() -> new ResolverService(stack, tcp, iterative));
    }

    /**
     * Starts NSD in the foreground on {@code address}:53, authoritative for the zones given as
     * pairs of origin and records, and for nothing else.
     */
    private static void serve(String address, String... zonesAndRecords) throws IOException, InterruptedException {
        linux.run("ip", "addr", "add", address + "/24", "dev", linux.tap().name());
        Path home = Files.createDirectory(dir.resolve(address));
        StringBuilder zones = new StringBuilder();
        for (int i = 0; i < zonesAndRecords.length; i += 2) {
            Files.writeString(home.resolve("zone" + i), "$TTL 300\n" + zonesAndRecords[i + 1]);
            zones.append("zone:\n  name: \"").append(zonesAndRecords[i]).append("\"\n  zonefile: \"zone").append(i).append("\"\n");
        }
        Files.writeString(home.resolve("nsd.conf"), """
                server:
                  ip-address: %1$s
                  port: 53
                  do-ip6: no
                  zonesdir: "%2$s"
                  database: ""
                  zonelistfile: "%2$s/zone.list"
                  pidfile: "%2$s/nsd.pid"
                  xfrdfile: "%2$s/xfrd.state"
                  xfrdir: "%2$s"
                  logfile: "%2$s/nsd.log"
                  username: ""
                  chroot: ""
                  server-count: 1
                  hide-version: yes
                remote-control:
                  control-enable: no
                """.formatted(address, home) + zones);
        servers.add(new Nsd(linux.start("nsd", "-d", "-c", home.resolve("nsd.conf").toString()), home.resolve("nsd.log")));
    }

    private record Nsd(Process process, Path log) {
        /** Waits until NSD says it has started (it listens before it says so). */
        void awaitStarted() throws Exception {
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) throw new IOException("nsd exited: " + new String(process.getInputStream().readAllBytes()));
                if (Files.exists(log) && Files.readString(log).contains("nsd started")) return;
                Thread.sleep(50);
            }
            throw new IOException("nsd did not start within 20 s: " + (Files.exists(log) ? Files.readString(log) : "no log"));
        }

        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void tearDown() throws Exception {
        try {
            if (runner != null) runner.close();
            for (Nsd server : servers) server.stop();
        } finally {
            if (linux != null) linux.close();
            if (dir != null) {
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
                }
            }
        }
        if (runner != null) assertNull(runner.failure(), "the stack thread threw");
    }

    private static DnsResult lookup(String name, int type) throws Exception {
        return resolver.lookup(name, type).get(RESOLVER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private static DnsCache.Hit cached(String name, int type) {
        return stack.callQuietly(() -> cache.get(name, type, stack.now()));
    }

    @Test
    void walksFromTheRootThroughTheTldToTheAuthoritativeServer() throws Exception {
        DnsResult www = lookup("www.example.test", DnsType.A);
        assertEquals(DnsResult.Status.ANSWER, www.status(), www.detail());
        assertEquals(List.of(ZoneFile.ipv4("192.0.2.80")), www.ipv4Addresses());
        // The referrals it followed are in the cache: test. from the root, example.test. from the TLD.
        DnsCache.Hit tld = cached("test", DnsType.NS);
        assertNotNull(tld, "the root's referral to test. was cached");
        assertEquals("ns1.nic.test", tld.records().get(0).targetName());
        DnsCache.Hit zone = cached("example.test", DnsType.NS);
        assertNotNull(zone, "the TLD's referral to example.test. was cached");
        assertEquals("ns.example.test", zone.records().get(0).targetName());
        assertEquals(0, iterative.rejects().total(), iterative.rejects().toString());
    }

    @Test
    void followsCnameChainsWithinAndAcrossZones() throws Exception {
        DnsResult alias = lookup("alias.example.test", DnsType.A);
        assertEquals(DnsResult.Status.ANSWER, alias.status(), alias.detail());
        assertEquals("www.example.test", alias.canonicalName());
        assertEquals(List.of(ZoneFile.ipv4("192.0.2.80")), alias.ipv4Addresses());
        // example.test -> other.test (another server, found through the TLD) -> a second CNAME there.
        DnsResult far = lookup("far.example.test", DnsType.A);
        assertEquals(DnsResult.Status.ANSWER, far.status(), far.detail());
        assertEquals("www.other.test", far.canonicalName());
        assertEquals(List.of(ZoneFile.ipv4("192.0.2.90")), far.ipv4Addresses());
        assertTrue(far.records().stream().filter(r -> r.type() == DnsType.CNAME).count() == 2, far.records().toString());
    }

    @Test
    void resolvesTheNameOfAServerThatCameWithoutGlue() throws Exception {
        // The TLD delegates glueless.test. to a server named inside example.test., with no address:
        // the resolver first resolves that name (a walk of its own), then asks the server.
        DnsResult www = lookup("www.glueless.test", DnsType.A);
        assertEquals(DnsResult.Status.ANSWER, www.status(), www.detail());
        assertEquals(List.of(ZoneFile.ipv4("192.0.2.100")), www.ipv4Addresses());
        assertNotNull(cached("ns.glueless-host.example.test", DnsType.A), "the server's address was resolved and cached");
    }

    @Test
    void reportsNxdomainAndNodataFromTheServerThatOwnsTheName() throws Exception {
        assertEquals(DnsResult.Status.NXDOMAIN, lookup("nope.example.test", DnsType.A).status());
        assertEquals(DnsResult.Status.NXDOMAIN, lookup("nope.test", DnsType.A).status(), "the TLD's own NXDOMAIN");
        assertEquals(DnsResult.Status.NXDOMAIN, lookup("www.nope", DnsType.A).status(), "the root's own NXDOMAIN");
        assertEquals(DnsResult.Status.NODATA, lookup("www.example.test", DnsType.TXT).status());
    }
}

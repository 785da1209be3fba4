package io.github.jnic.net.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.net.app.dhcp.DhcpClientService;
import io.github.jnic.net.app.dhcp.DhcpLease;
import io.github.jnic.net.app.dns.ZoneFile;
import io.github.jnic.net.dev.NetworkNamespace;
import io.github.jnic.net.eth.NetInterface;
import io.github.jnic.net.ip.RoutingTable;
import io.github.jnic.net.stack.NetStack;
import io.github.jnic.net.stack.StackRunner;
import io.github.jnic.net.tcp.Tcp;
import io.github.jnic.net.tcp.TcpSocket;
import io.github.jnic.net.wire.MacAddress;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Our DHCP client against dnsmasq as a DHCP server, in the foreground in a network namespace on
 * the TAP's kernel side: the client gets the address dnsmasq reserved for its MAC, with the mask,
 * router, DNS server, domain and lease time dnsmasq gives; the service puts the address on the
 * interface and the router in as default gateway, which carries a TCP connection to an address
 * off the subnet; dnsmasq records the lease with our host name, and forgets it when we release it.
 * Needs root, /dev/net/tun and dnsmasq (./nic test installs dnsmasq-base); elsewhere it is skipped
 * with the reason.
 */
class LinuxPeerDnsmasqDhcpTest {
    private static final String OFF_SUBNET = "198.51.100.1";

    @Test
    void ourDhcpClientLeasesFromDnsmasqAndConfiguresTheStack() throws Exception {
        String reason = NetworkNamespace.unavailableReason();
        String dnsmasq = NetworkNamespace.onPath("dnsmasq") ? "dnsmasq" : Files.exists(Path.of("/usr/sbin/dnsmasq")) ? "/usr/sbin/dnsmasq" : null;
        if (reason == null && dnsmasq == null) reason = "dnsmasq is not installed (./nic test installs dnsmasq-base)";
        if (reason == null && !NetworkNamespace.onPath("nc")) reason = "'nc' is not installed (./nic test installs netcat-openbsd)";
        String why = reason;
        Assumptions.assumeTrue(why == null, () -> "skipping the DHCP client test against dnsmasq: " + why);

        String subnet = "10.217." + (1 + (ProcessHandle.current().pid() * 2) % 250);
        byte[] mac = MacAddress.local(ProcessHandle.current().pid() + 17);
        String macText = HexFormat.ofDelimiter(":").formatHex(mac);
        String reserved = subnet + ".77";
        Path leases = Files.createTempFile("jnic-dnsmasq", ".leases");
        try (NetworkNamespace ns = NetworkNamespace.create(subnet, mac, 1500)) {
            ns.run("ip", "addr", "add", OFF_SUBNET + "/32", "dev", "lo");
            Process server = ns.start(dnsmasq, "--no-daemon", "--conf-file=/dev/null", "--port=0", "--user=root", "--pid-file=",
                    "--interface=" + ns.tap().name(), "--bind-interfaces", "--dhcp-authoritative", "--log-dhcp",
                    "--dhcp-leasefile=" + leases, "--dhcp-range=" + subnet + ".50," + subnet + ".90,255.255.255.0,10m",
                    "--dhcp-host=" + macText + "," + reserved, "--dhcp-option=option:router," + ns.linuxAddress(),
                    "--dhcp-option=option:dns-server," + ns.linuxAddress(), "--domain=jnic.lan");
            NetStack stack = new NetStack();
            NetInterface iface = stack.addInterface(ns.tap());
            Tcp tcp = new Tcp(stack.ipv4());
            stack.register(tcp);
            try (StackRunner runner = StackRunner.start(stack, "jnic-dhcp-dnsmasq")) {
                CompletableFuture<DhcpLease> bound = new CompletableFuture<>();
                DhcpClientService client = stack.call(() -> DhcpClientService.start(stack, iface, "jnic-peer", new SecureRandom(),
                        DhcpClientService.NO_PROBE, bound::complete, address -> { }), 5000);
                DhcpLease lease = bound.get(30, TimeUnit.SECONDS); // the client retransmits while dnsmasq starts

                assertEquals(ZoneFile.ipv4(reserved), lease.address(), "the address dnsmasq reserved for our MAC");
                assertEquals(ZoneFile.ipv4(ns.linuxAddress()), lease.server());
                assertEquals(0xffffff00, lease.subnetMask());
                assertEquals(List.of(ZoneFile.ipv4(ns.linuxAddress())), lease.routers());
                assertEquals(List.of(ZoneFile.ipv4(ns.linuxAddress())), lease.dnsServers());
                assertEquals("jnic.lan", lease.domainName());
                assertEquals(600, lease.leaseSeconds());

                // The service configured the interface and the default route.
                assertTrue(stack.callQuietly(() -> iface.hasAddress(ZoneFile.ipv4(reserved))), iface.toString());
                RoutingTable.Route route = stack.callQuietly(() -> stack.routes().lookup(ZoneFile.ipv4(OFF_SUBNET)));
                assertNotNull(route, "a route off the subnet");
                assertEquals(ZoneFile.ipv4(ns.linuxAddress()), route.gateway());
                // ... and it works: a TCP connection to an address off the subnet goes through the router.
                Process listener = ns.start("nc", "-l", "-w", "10", OFF_SUBNET, "7000");
                try {
                    TcpSocket socket = null;
                    for (int attempt = 0; attempt < 100 && socket == null; attempt++) {
                        TcpSocket s = new TcpSocket(stack, tcp);
                        try {
                            s.connect(new InetSocketAddress(InetAddress.getByName(OFF_SUBNET), 7000), 5000);
                            socket = s;
                        } catch (ConnectException notListeningYet) {
                            Thread.sleep(50);
                        }
                    }
                    assertNotNull(socket, "nc never listened");
                    socket.getOutputStream().write("through the router\n".getBytes(StandardCharsets.US_ASCII));
                    socket.close();
                    assertTrue(listener.waitFor(15, TimeUnit.SECONDS), "nc did not finish");
                    assertEquals("through the router\n", new String(listener.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
                } finally {
                    listener.destroy();
                }

                // dnsmasq's own record of the lease: our MAC, the address and the host name we sent.
                String recorded = Files.readString(leases);
                assertTrue(recorded.contains(macText + " " + reserved + " jnic-peer "), recorded);
                // A RELEASE makes dnsmasq forget the lease (it rewrites the lease file).
                stack.callQuietly(() -> {
                    client.close();
                    return null;
                });
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (Files.readString(leases).contains(reserved) && System.nanoTime() < deadline) Thread.sleep(100);
                assertTrue(!Files.readString(leases).contains(reserved), "dnsmasq still holds the lease after RELEASE: " + Files.readString(leases));
                Thread.sleep(1500); // the address comes off the interface a second after the RELEASE
                assertTrue(!stack.callQuietly(() -> iface.hasAddress(ZoneFile.ipv4(reserved))), iface.toString());
                assertNull(runner.failure(), "the stack thread threw");
            } finally {
                server.destroy();
                if (!server.waitFor(5, TimeUnit.SECONDS)) server.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } finally {
            Files.deleteIfExists(leases);
        }
    }
}

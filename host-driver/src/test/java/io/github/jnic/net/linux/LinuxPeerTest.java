package io.github.jnic.net.linux;

import static org.junit.jupiter.api.Assertions.*;

import io.github.jnic.net.dev.FaultInjector;
import io.github.jnic.net.dev.FaultyDevice;
import io.github.jnic.net.dev.NetworkNamespace;
import io.github.jnic.net.eth.NetInterface;
import io.github.jnic.net.socket.DatagramSocket;
import io.github.jnic.net.socket.Pinger;
import io.github.jnic.net.stack.NetStack;
import io.github.jnic.net.stack.Simulation;
import io.github.jnic.net.stack.StackRunner;
import io.github.jnic.net.wire.Ipv4Address;
import io.github.jnic.net.wire.MacAddress;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stack against the Linux kernel through a TAP device in a network namespace the test makes.
 * Needs root and /dev/net/tun (CI has both); elsewhere it is skipped with the reason.
 */
class LinuxPeerTest {
    private static NetworkNamespace linux;
    private static NetStack stack;
    private static StackOnLinux host;

    @BeforeAll
    static void setUp() throws Exception {
        StackOnLinux.skipUnless("the Linux peer tests", "ping", "nc");
        host = new StackOnLinux(subnet(0), MacAddress.local(ProcessHandle.current().pid()), false, false, "jnic-stack");
        linux = host.linux;
        stack = host.stack;
    }

    static String subnet(int k) {
        return StackOnLinux.subnet(k);
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (host != null) host.close();
    }

    @Test
    void linuxPingsUs() throws Exception {
        NetworkNamespace.Result r = linux.exec(20, "ping", "-c", "3", "-i", "0.2", "-W", "2", linux.stackAddress());
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("3 received"), r.output());
    }

    @Test
    void linuxPingsUsWithPayloadsThatNeedFragmentation() throws Exception {
        NetworkNamespace.Result r = linux.exec(20, "ping", "-c", "3", "-i", "0.2", "-W", "2", "-s", "6000", "-p", "a55a", linux.stackAddress());
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("3 received"), r.output());
        assertFalse(r.output().contains("wrong data"), r.output());
        assertTrue(stack.counters().get("ipv4.reassembled") >= 3);
        assertTrue(stack.counters().get("ipv4.tx-fragments") >= 15);
    }

    @Test
    void wePingLinux() throws Exception {
        InetAddress peer = InetAddress.getByName(linux.linuxAddress());
        long rtt = Pinger.ping(stack, peer, 56, 3000);
        assertTrue(rtt >= 0, "round trip on the stack clock (0 when the reply came in the same poll)");
        long big = Pinger.ping(stack, peer, 5000, 3000);   // fragmented both ways
        assertTrue(big >= 0);
    }

    @Test
    void udpLinuxToUs() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(stack, 7001)) {
            socket.setSoTimeout(5000);
            NetworkNamespace.Result r = linux.exec(10, "sh", "-c", "printf 'hello from linux' | nc -u -w1 " + linux.stackAddress() + " 7001");
            assertEquals(0, r.exit(), r.output());
            DatagramPacket p = new DatagramPacket(new byte[200], 200);
            socket.receive(p);
            assertEquals("hello from linux", new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8));
            assertEquals(InetAddress.getByName(linux.linuxAddress()), p.getAddress());
        }
    }

    @Test
    void udpUsToLinux() throws Exception {
        Process nc = linux.start("timeout", "5", "nc", "-u", "-l", "-W", "1", "7002");
        try (DatagramSocket socket = new DatagramSocket(stack)) {
            byte[] msg = "hello from jnic".getBytes(StandardCharsets.UTF_8);
            InetAddress peer = InetAddress.getByName(linux.linuxAddress());
            // nc needs a moment to bind; resend until it has the datagram and exits.
            for (int i = 0; i < 40 && nc.isAlive(); i++) {
                socket.send(new DatagramPacket(msg, msg.length, peer, 7002));
                Thread.sleep(100);
            }
            nc.waitFor();
            String out = new String(nc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(out.startsWith("hello from jnic"), "nc printed: '" + out + "'");
        }
    }

    @Test
    void unreachablePortAnswersLinuxWithIcmp() throws Exception {
        long before = stack.counters().get("udp.drop.no-socket");
        linux.exec(10, "sh", "-c", "printf x | nc -u -w1 " + linux.stackAddress() + " 7999");
        assertTrue(stack.counters().get("udp.drop.no-socket") > before);
        assertTrue(stack.counters().get("icmp.errors-sent") >= 1);
    }

    @Test
    void framesTheKernelRefusesAreCountedAsDropsNotSent() throws Exception {
        // A TAP of its own whose Linux side is down: the kernel refuses every write.
        try (NetworkNamespace down = NetworkNamespace.create(subnet(7), MacAddress.local(ProcessHandle.current().pid() + 7), 1500)) {
            down.run("ip", "link", "set", down.tap().name(), "down");
            Simulation sim = new Simulation();
            NetStack s = sim.add(new NetStack());
            s.addAddress(s.addInterface(down.tap()), down.stackAddress() + "/24");
            s.udp().send(s.udp().newSocket(), new byte[10], 0, 10, Ipv4Address.parse(down.linuxAddress()), 9);   // starts with an ARP request
            sim.runFor(1_000_000L);
            assertTrue(s.counters().get("eth.drop.tx-refused") >= 1, s.counters().toString());
            assertTrue(down.tap().txErrors() >= 1);
            assertEquals(0, down.tap().txFrames());
        }
    }

    @Test
    void datagramsThroughTheFaultInjectorArriveIntactOrNotAtAll() throws Exception {
        // A second stack on its own TAP, behind a fault injector that corrupts, duplicates, reorders and drops.
        try (NetworkNamespace faulty = NetworkNamespace.create(subnet(1), MacAddress.local(99), 1500)) {
            FaultInjector in = new FaultInjector(7).corrupt(0.2).duplicate(0.1).reorder(0.2, 3_000_000).loss(0.05);
            FaultInjector out = new FaultInjector(8).corrupt(0.05).loss(0.02);
            NetStack s = new NetStack();
            NetInterface iface = s.addInterface(new FaultyDevice(faulty.tap(), out, in, StackRunner.CLOCK));
            s.addAddress(iface, faulty.stackAddress() + "/24");
            try (StackRunner r = StackRunner.start(s, "jnic-faulty");
                 DatagramSocket socket = new DatagramSocket(s, 7003)) {
                int count = 200;
                // bash's /dev/udp: each redirection opens a socket and makes exactly one write, so
                // one datagram per record (nc, reading a pipe, may merge or split records).
                String script = "for i in $(seq 1 " + count + "); do "
                        + "printf 'datagram-%05d-0123456789abcdefghijklmnopqrstuvwxyz' $i > /dev/udp/"
                        + faulty.stackAddress() + "/7003; sleep 0.005; done";
                NetworkNamespace.Result res = faulty.exec(30, "bash", "-c", script);
                assertEquals(0, res.exit(), res.output());
                Set<String> seen = new HashSet<>();
                DatagramPacket p = new DatagramPacket(new byte[2000], 2000);
                socket.setSoTimeout(1000);
                int received = 0;
                while (true) {
                    try {
                        socket.receive(p);
                    } catch (SocketTimeoutException e) {
                        break;
                    }
                    received++;
                    String text = new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII);
                    assertTrue(text.matches("datagram-\\d{5}-0123456789abcdefghijklmnopqrstuvwxyz"), "intact: " + text);
                    seen.add(text);
                }
                assertTrue(in.corrupted() > 0 && in.duplicated() > 0 && in.reordered() > 0, in.toString());
                assertTrue(seen.size() > count / 2, "most datagrams arrive: " + seen.size() + " of " + count + " (" + in + ")");
                assertTrue(received > seen.size(), "duplicates were delivered too (UDP does not deduplicate)");
                long caught = s.counters().dropsUnder("");
                assertTrue(caught > 0, "corrupted frames were counted: " + s.counters().drops());
                assertNull(r.failure());
            }
        }
    }
}

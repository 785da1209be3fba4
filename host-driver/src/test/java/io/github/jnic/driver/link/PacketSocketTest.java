package io.github.jnic.driver.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.spec.HostLink;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The link's Ethernet transport through Linux: two {@code AF_PACKET} sockets on the two ends of a
 * veth pair the test creates, a {@link LinkEndpoint} on each, a tenth of the frames dropped before
 * they reach the kernel. Messages of every size cross both ways at once and each is delivered
 * once, in order, byte for byte; frames of other EtherTypes on the same interface never reach the
 * sockets.
 */
class PacketSocketTest {
    static final String A = "jlk" + ProcessHandle.current().pid() % 100_000 + "a";
    static final String B = "jlk" + ProcessHandle.current().pid() % 100_000 + "b";

    @BeforeAll
    static void makeThePair() throws Exception {
        run("ip", "link", "add", A, "type", "veth", "peer", "name", B);
        run("ip", "link", "set", A, "up");
        run("ip", "link", "set", B, "up");
    }

    @AfterAll
    static void removeThePair() throws Exception {
        run("ip", "link", "del", A);
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", cmd) + ": " + out);
    }

    /** Messages into frames and back, a fraction of the frames lost on the way out. */
    static final class Port {
        final PacketSocket socket;
        final byte[] peerMac;
        final LinkEndpoint endpoint;
        final List<LinkMessage> delivered = new ArrayList<>();
        long foreign;

        Port(PacketSocket socket, byte[] peerMac, Random random, double loss) {
            this.socket = socket;
            this.peerMac = peerMac;
            this.endpoint = new LinkEndpoint(m -> {
                if (random.nextDouble() >= loss) socket.send(frame(m));
            }, delivered::add, 2_000_000);
        }

        byte[] frame(LinkMessage m) {
            return EthernetTransport.frame(peerMac, socket.macAddress(), m);
        }

        void pump(long now) {
            for (byte[] f; (f = socket.receive()) != null; ) {
                LinkMessage m = EthernetTransport.message(f);
                if (m == null) foreign++;
                else endpoint.receive(m, now);
            }
            endpoint.poll(now);
        }
    }

    private static List<LinkMessage> messages(Random random, int n) {
        List<LinkMessage> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] data = new byte[1 + random.nextInt(HostLink.MAX_DATA)];
            random.nextBytes(data);
            out.add(switch (random.nextInt(3)) {
                case 0 -> LinkMessage.regWrite(random.nextInt(1 << 17), random.nextInt());
                case 1 -> LinkMessage.dmaData(i & 0xFF, data);
                default -> LinkMessage.dmaWrite(random.nextLong(), data);
            });
        }
        return out;
    }

    @Test
    void messagesCrossAVethPairOnceInOrderBothWaysDespiteLoss() throws Exception {
        Random random = new Random(13);
        try (PacketSocket sa = PacketSocket.open(A, HostLink.ETHERTYPE); PacketSocket sb = PacketSocket.open(B, HostLink.ETHERTYPE)) {
            Port a = new Port(sa, sb.macAddress(), random, 0.1), b = new Port(sb, sa.macAddress(), random, 0.1);
            List<LinkMessage> toB = messages(random, 400), toA = messages(random, 400);
            long start = System.nanoTime();
            for (LinkMessage m : toB) a.endpoint.send(m, start);
            for (LinkMessage m : toA) b.endpoint.send(m, start);
            // a frame of another EtherType on the same wire: the socket's filter keeps it out
            byte[] ip = a.frame(LinkMessage.ackOnly());
            ip[12] = 0x08;
            ip[13] = 0x00;
            sa.send(ip);
            while ((b.delivered.size() < toB.size() || a.delivered.size() < toA.size() || !a.endpoint.idle() || !b.endpoint.idle())
                    && System.nanoTime() - start < 60_000_000_000L) {
                long now = System.nanoTime();
                a.pump(now);
                b.pump(now);
            }
            check(toB, b.delivered);
            check(toA, a.delivered);
            assertTrue(a.endpoint.retransmissions() + b.endpoint.retransmissions() > 0, "losses recovered by resending");
            assertEquals(0, a.foreign + b.foreign, "only the link's EtherType reaches the sockets");
            assertTrue(sa.received() > 0 && sb.received() > 0);
        }
    }

    @Test
    void theDriversBusReachesABoardThroughTheSocket() throws Exception {
        Random random = new Random(21);
        try (PacketSocket host = PacketSocket.open(A, HostLink.ETHERTYPE); PacketSocket boardSocket = PacketSocket.open(B, HostLink.ETHERTYPE)) {
            // the board: registers in a map, its frames a tenth lost
            java.util.Map<Integer, Integer> registers = new java.util.HashMap<>();
            EthernetTransport boardSide = new EthernetTransport(boardSocket, host.macAddress());
            LinkEndpoint[] board = new LinkEndpoint[1];
            board[0] = new LinkEndpoint(m -> { if (random.nextDouble() >= 0.1) boardSide.send(m); }, m -> {
                if (m.type() == HostLink.Type.REG_WRITE) registers.put((int) m.address(), m.value());
                if (m.type() == HostLink.Type.REG_READ)
                    board[0].send(LinkMessage.regData(m.tag(), registers.getOrDefault((int) m.address(), -1)), System.nanoTime());
            }, 2_000_000);
            EthernetTransport hostSide = new EthernetTransport(host, boardSocket.macAddress());
            LinkBus.Transport cable = new LinkBus.Transport() {
                @Override public void send(LinkMessage m) { hostSide.send(m); }

                @Override public LinkMessage receive() {
                    long now = System.nanoTime();   // the board runs while the host waits
                    for (LinkMessage m; (m = boardSide.receive()) != null; ) board[0].receive(m, now);
                    board[0].poll(now);
                    return hostSide.receive();
                }
            };
            LinkBus bus = new LinkBus(cable, ByteBuffer.allocateDirect(4096), 1L << 32, System::nanoTime, 2_000_000, 5_000_000_000L);
            for (int i = 0; i < 100; i++) bus.write(4 * i, i * 977);
            for (int i = 0; i < 100; i++) assertEquals(i * 977, bus.read(4 * i), "register " + 4 * i);
            assertTrue(board[0].retransmissions() > 0, "the board resent what was lost");
            assertEquals(0, hostSide.dropped(), "nothing but the board's frames reached the host");
        }
    }

    private static void check(List<LinkMessage> sent, List<LinkMessage> delivered) {
        assertEquals(sent.size(), delivered.size(), "messages delivered");
        for (int i = 0; i < sent.size(); i++) {
            LinkMessage s = sent.get(i), d = delivered.get(i);
            assertEquals(s.type(), d.type(), "message " + i);
            assertEquals(s.address(), d.address(), "message " + i);
            assertEquals(s.value(), d.value(), "message " + i);
            assertArrayEquals(s.data(), d.data(), "message " + i + ": " + Arrays.toString(Arrays.copyOf(d.data(), 4)));
        }
    }
}

package io.github.jnic.net.app.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.net.app.dhcp.DhcpClient.State;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A client and a server engine talking in virtual time, with a hand on the wire between them. */
class DhcpClientServerTest {
    static final long SECOND = 1_000_000_000L;
    static final int SERVER = 0x0a000001; // 10.0.0.1
    static final int POOL_START = 0x0a000064; // 10.0.0.100
    static final int POOL_END = 0x0a000066;
    static final byte[] MAC = DhcpMessageTest.MAC;

    final DhcpServer server = new DhcpServer(new DhcpServer.Config(SERVER, POOL_START, POOL_END, 0xffffff00, List.of(SERVER),
            List.of(SERVER), "jnic.test", 1000, 60, 600));
    final List<String> events = new ArrayList<>();
    final List<DhcpClient.Transmission> sent = new ArrayList<>();
    boolean conflict;
    boolean serverUp = true;
    long now;

    final DhcpClient client = new DhcpClient(MAC, new SplittableRandom(3), "demo", new DhcpClient.Listener() {
        @Override
        public void probe(int address) {
            events.add("probe " + Integer.toHexString(address));
        }

        @Override
        public void bound(DhcpLease lease) {
            events.add("bound " + Integer.toHexString(lease.address()));
        }

        @Override
        public void lost(DhcpLease lease, String why) {
            events.add("lost " + why);
        }
    });

    /** Carries messages both ways until both sides are quiet at the current time. */
    void exchange() {
        DhcpClient.Transmission t;
        while ((t = client.nextTransmission()) != null) {
            sent.add(t);
            if (!serverUp) continue;
            DhcpServer.Reply reply = server.receive(t.message(), 0, t.message().length, now);
            if (reply != null) client.receive(reply.message(), 0, reply.message().length, now);
        }
        if (events.size() > 0 && events.get(events.size() - 1).startsWith("probe") && client.state() == State.PROBING) {
            client.probeResult(conflict, now);
            exchange();
        }
    }

    /** Advances to the client's next deadline and runs it. */
    void advance() {
        now = client.poll(now);
        client.poll(now);
        exchange();
    }

    int lastType() {
        return DhcpMessage.parse(sent.get(sent.size() - 1).message()).messageType();
    }

    @Test
    void discoverOfferRequestAckThenBound() {
        client.start(now);
        exchange();
        assertEquals(State.BOUND, client.state());
        assertEquals(List.of("probe a000064", "bound a000064"), events);
        DhcpLease lease = client.lease();
        assertEquals(POOL_START, lease.address());
        assertEquals(SERVER, lease.server());
        assertEquals(0xffffff00, lease.subnetMask());
        assertEquals(List.of(SERVER), lease.dnsServers());
        assertEquals("jnic.test", lease.domainName());
        assertEquals(500 * SECOND, lease.renewAt());
        assertEquals(875 * SECOND, lease.rebindAt());
        assertEquals(1000 * SECOND, lease.expiresAt());
        assertEquals(List.of(DhcpMessage.DISCOVER, DhcpMessage.REQUEST), sent.stream().map(t -> DhcpMessage.parse(t.message()).messageType()).toList());
        DhcpMessage request = DhcpMessage.parse(sent.get(1).message());
        assertEquals(POOL_START, request.optionInt(DhcpMessage.REQUESTED_ADDRESS, 0));
        assertEquals(SERVER, request.optionInt(DhcpMessage.SERVER_ID, 0));
        assertEquals("demo", request.optionString(DhcpMessage.HOST_NAME));
        assertTrue(sent.stream().allMatch(t -> t.destination() == DhcpClient.BROADCAST && t.source() == 0));
        assertTrue(server.bindings().get(POOL_START).acknowledged());
        assertEquals(500 * SECOND, client.poll(now));
    }

    @Test
    void renewsAtT1WithAUnicastToTheServer() {
        client.start(now);
        exchange();
        advance();
        assertEquals(500 * SECOND, now);
        DhcpClient.Transmission renewal = sent.get(sent.size() - 1);
        assertEquals(SERVER, renewal.destination());
        assertEquals(POOL_START, renewal.source());
        assertEquals(POOL_START, DhcpMessage.parse(renewal.message()).ciaddr());
        assertEquals(State.BOUND, client.state());
        assertEquals(1000 * SECOND, client.lease().renewAt(), "new lease counted from the renewal");
    }

    @Test
    void rebindsAtT2AndLosesTheLeaseAtExpiry() {
        client.start(now);
        exchange();
        serverUp = false;
        advance(); // T1: unicast renewal, unanswered
        assertEquals(State.RENEWING, client.state());
        advance(); // half of the 375 s to T2 is 187.5 s
        assertEquals(687_500_000_000L, now);
        advance(); // half of what is left again
        assertEquals(781_250_000_000L, now);
        advance(); // 46.9 s would be under the 60 s floor
        assertEquals(841_250_000_000L, now);
        advance(); // never past T2
        assertEquals(875 * SECOND, now);
        assertEquals(State.REBINDING, client.state());
        assertEquals(DhcpClient.BROADCAST, sent.get(sent.size() - 1).destination());
        advance(); // half of the 125 s left
        assertEquals(937_500_000_000L, now);
        while (client.state() == State.REBINDING) advance();
        assertEquals(1000 * SECOND, now);
        assertTrue(events.contains("lost lease expired"));
        assertEquals(State.SELECTING, client.state());
    }

    @Test
    void retransmitsDiscoverWithJitteredBackoff() {
        serverUp = false;
        client.start(now);
        exchange();
        long previous = 0;
        long[] base = {4, 8, 16, 32, 64, 64};
        for (long b : base) {
            advance();
            long gap = now - previous;
            assertTrue(gap >= (b - 1) * SECOND && gap <= (b + 1) * SECOND, "gap " + gap + " around " + b + " s");
            previous = now;
        }
        assertEquals(7, sent.size());
        assertTrue(sent.stream().allMatch(t -> DhcpMessage.parse(t.message()).messageType() == DhcpMessage.DISCOVER));
        assertTrue(DhcpMessage.parse(sent.get(6).message()).secs() > 100, "secs counts from the start");
    }

    @Test
    void declinesAnAddressThatAnswersArpAndTakesAnother() {
        conflict = true;
        client.start(now);
        exchange();
        assertEquals(State.DECLINED, client.state());
        assertEquals(DhcpMessage.DECLINE, lastType());
        assertNull(server.bindings().get(POOL_START));
        conflict = false;
        advance();
        assertEquals(10 * SECOND, now, "waits ten seconds before starting over");
        assertEquals(State.BOUND, client.state());
        assertEquals(POOL_START + 1, client.lease().address(), "the declined address is set aside");
    }

    @Test
    void initRebootKeepsAKnownAddressAndIsRefusedAForeignOne() {
        client.start(now);
        exchange();
        client.release(now);
        exchange();
        assertEquals(DhcpMessage.RELEASE, lastType());
        assertEquals(SERVER, sent.get(sent.size() - 1).destination());
        assertNull(server.bindings().get(POOL_START));
        assertEquals(State.STOPPED, client.state());

        // A client the server has no record of is met with silence, then falls back to discovery.
        client.start(POOL_START, now);
        exchange();
        assertEquals(State.REBOOTING, client.state());
        while (client.state() == State.REBOOTING) advance();
        assertEquals(State.BOUND, client.state());

        // Now known: INIT-REBOOT is acknowledged at once; a wrong address is NAKed.
        client.start(client.lease().address(), now);
        exchange();
        assertEquals(State.BOUND, client.state());
        client.start(0x0b000001, now);
        exchange();
        assertTrue(events.contains("lost refused by the server (NAK)"));
        assertEquals(State.BOUND, client.state(), "and got a lease again through discovery");
    }

    @Test
    void serverHandsOutThePoolThenRefusesAndCountsIt() {
        for (int i = 0; i < 3; i++) {
            byte[] mac = {2, 0, 0, 0, 0, (byte) i};
            DhcpServer.Reply offer = server.receive(discover(mac), 0, 300, 0);
            assertEquals(POOL_START + i, DhcpMessage.parse(offer.message()).yiaddr());
            assertEquals(DhcpClient.BROADCAST, offer.destination());
        }
        assertNull(server.receive(discover(new byte[] {2, 0, 0, 0, 0, 9}), 0, 300, 0));
        assertEquals(1, server.rejects().get(DhcpReject.POOL_EXHAUSTED));
        assertEquals(60 * SECOND, server.poll(0), "offers lapse after 60 s");
        assertNotNull(server.receive(discover(new byte[] {2, 0, 0, 0, 0, 9}), 0, 300, 60 * SECOND));
    }

    @Test
    void serverWithdrawsItsOfferWhenTheClientChoosesAnother() {
        server.receive(discover(MAC), 0, 300, 0);
        byte[] elsewhere = new DhcpWriter(DhcpMessage.BOOTREQUEST, 7, MAC).optionByte(DhcpMessage.MESSAGE_TYPE, DhcpMessage.REQUEST)
                .optionInt(DhcpMessage.SERVER_ID, 0x0a0000fe).optionInt(DhcpMessage.REQUESTED_ADDRESS, 0x0a0000c8).toByteArray();
        assertNull(server.receive(elsewhere, 0, elsewhere.length, 0));
        assertTrue(server.bindings().isEmpty());
    }

    @Test
    void clientIgnoresRepliesForOthersAndCountsThem() {
        client.start(now);
        DhcpClient.Transmission discover = client.nextTransmission();
        DhcpServer.Reply offer = server.receive(discover.message(), 0, discover.message().length, 0);
        byte[] wrongXid = offer.message().clone();
        wrongXid[4] ^= 1;
        client.receive(wrongXid, 0, wrongXid.length, 0);
        client.receive(discover.message(), 0, discover.message().length, 0); // a request is not for a client
        client.receive(new byte[10], 0, 10, 0);
        assertEquals(State.SELECTING, client.state());
        assertEquals(1, client.rejects().get(DhcpReject.UNSOLICITED));
        assertEquals(1, client.rejects().get(DhcpReject.WRONG_DIRECTION));
        assertEquals(1, client.rejects().get(DhcpReject.TRUNCATED));
        client.receive(offer.message(), 0, offer.message().length, 0);
        assertEquals(State.REQUESTING, client.state());
        assertNotEquals(0, client.nextTransmission().message().length);
    }

    static byte[] discover(byte[] mac) {
        return new DhcpWriter(DhcpMessage.BOOTREQUEST, 42, mac).optionByte(DhcpMessage.MESSAGE_TYPE, DhcpMessage.DISCOVER).toByteArray();
    }
}

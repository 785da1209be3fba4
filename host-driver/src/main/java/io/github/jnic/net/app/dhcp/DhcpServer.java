package io.github.jnic.net.app.dhcp;

import io.github.jnic.net.app.MalformedException;
import io.github.jnic.net.app.Rejects;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A small DHCP server (RFC 2131 §4.3) for one directly attached network: a pool of addresses,
 * offers held for a short while, leases by client identifier (or hardware address), ACK and NAK
 * for every kind of REQUEST (selecting, init-reboot, renewing, rebinding), RELEASE, DECLINE (the
 * address is set aside) and INFORM. It answers from port 67 to port 68; replies go to the client's
 * address when it has one and are broadcast otherwise (which §4.1 allows in place of unicasting
 * to an unconfigured client), so the stack needs no ARP entry for a host without an address.
 */
public final class DhcpServer {
    static final long SECOND = 1_000_000_000L;

    /**
     * @param serverAddress this server's address on the network (its server identifier)
     * @param poolStart     first address to hand out; {@code poolEnd} the last (inclusive)
     */
    public record Config(int serverAddress, int poolStart, int poolEnd, int subnetMask, List<Integer> routers,
                         List<Integer> dnsServers, String domainName, long leaseSeconds, long offerSeconds, long declineSeconds) {
        public Config {
            if (Integer.compareUnsigned(poolStart, poolEnd) > 0) throw new IllegalArgumentException("empty pool");
            if ((poolStart & subnetMask) != (serverAddress & subnetMask) || (poolEnd & subnetMask) != (serverAddress & subnetMask)) {
                throw new IllegalArgumentException("the pool must lie in the server's subnet");
            }
            routers = List.copyOf(routers);
            dnsServers = List.copyOf(dnsServers);
        }

        /** One-hour leases, offers held 60 s, declined addresses set aside for 10 minutes. */
        public static Config of(int serverAddress, int poolStart, int poolEnd, int subnetMask, List<Integer> routers, List<Integer> dnsServers, String domainName) {
            return new Config(serverAddress, poolStart, poolEnd, subnetMask, routers, dnsServers, domainName, 3600, 60, 600);
        }
    }

    /** A reply to send from port 67 to port 68 at {@code destination} (255.255.255.255: broadcast). */
    public record Reply(byte[] message, int destination) {}

    /** A binding, offered or acknowledged. */
    public record Binding(String client, int address, boolean acknowledged, long expiresAt) {}

    private final Config config;
    private final Rejects rejects = new Rejects();
    private final Map<String, Binding> byClient = new HashMap<>();
    private final Map<Integer, Binding> byAddress = new HashMap<>();
    private final Map<Integer, Long> declined = new HashMap<>();

    public DhcpServer(Config config) {
        this.config = config;
    }

    public Rejects rejects() { return rejects; }

    public Map<Integer, Binding> bindings() {
        return Collections.unmodifiableMap(byAddress);
    }

    /** Handles a datagram that arrived on port 67; returns the reply to send, or null. */
    public Reply receive(byte[] b, int off, int len, long now) {
        expire(now);
        DhcpMessage m;
        try {
            m = DhcpMessage.parse(b, off, len);
        } catch (MalformedException e) {
            rejects.count(e.reason());
            return null;
        }
        if (m.op() != DhcpMessage.BOOTREQUEST) {
            rejects.count(DhcpReject.WRONG_DIRECTION);
            return null;
        }
        String client = clientKey(m);
        int serverId = m.optionInt(DhcpMessage.SERVER_ID, 0);
        switch (m.messageType()) {
            case DhcpMessage.DISCOVER -> {
                int address = choose(client, m.optionInt(DhcpMessage.REQUESTED_ADDRESS, 0));
                if (address == 0) {
                    rejects.count(DhcpReject.POOL_EXHAUSTED);
                    return null;
                }
                bind(new Binding(client, address, false, now + config.offerSeconds() * SECOND));
                return reply(m, DhcpMessage.OFFER, address);
            }
            case DhcpMessage.REQUEST -> {
                return request(m, client, serverId, now);
            }
            case DhcpMessage.DECLINE -> {
                int address = m.optionInt(DhcpMessage.REQUESTED_ADDRESS, 0);
                if (serverId != config.serverAddress()) {
                    rejects.count(DhcpReject.WRONG_SERVER);
                    return null;
                }
                Binding held = byAddress.get(address);
                if (held != null && held.client().equals(client)) unbind(held);
                if (inPool(address)) declined.put(address, now + config.declineSeconds() * SECOND);
                return null;
            }
            case DhcpMessage.RELEASE -> {
                Binding held = byAddress.get(m.ciaddr());
                if (held != null && held.client().equals(client)) unbind(held);
                return null;
            }
            case DhcpMessage.INFORM -> {
                return reply(m, DhcpMessage.ACK, 0);
            }
            default -> {
                rejects.count(DhcpReject.UNEXPECTED);
                return null;
            }
        }
    }

    /** Drops expired offers, leases and decline marks; returns the next expiry or {@link Long#MAX_VALUE}. */
    public long poll(long now) {
        expire(now);
        long next = Long.MAX_VALUE;
        for (Binding b : byAddress.values()) next = Math.min(next, b.expiresAt());
        for (long until : declined.values()) next = Math.min(next, until);
        return next;
    }

    private Reply request(DhcpMessage m, String client, int serverId, long now) {
        Binding held = byClient.get(client);
        int requested = m.optionInt(DhcpMessage.REQUESTED_ADDRESS, 0);
        if (serverId != 0) {
            // SELECTING: the client answers an offer, ours or another server's.
            if (serverId != config.serverAddress()) {
                if (held != null && !held.acknowledged()) unbind(held);
                return null;
            }
            if (held == null || held.address() != requested) return reply(m, DhcpMessage.NAK, 0);
            return ack(m, client, requested, now);
        }
        if (m.ciaddr() == 0) {
            // INIT-REBOOT: the client wants to keep an address it remembers.
            if (!inSubnet(requested)) return reply(m, DhcpMessage.NAK, 0);
            Binding owner = byAddress.get(requested);
            if (owner != null && !owner.client().equals(client)) return reply(m, DhcpMessage.NAK, 0);
            if (held == null) return null; // no record of this client: stay silent (§4.3.2)
            if (held.address() != requested) return reply(m, DhcpMessage.NAK, 0);
            return ack(m, client, requested, now);
        }
        // RENEWING or REBINDING: the client has ciaddr and wants more time.
        if (held != null && held.address() == m.ciaddr() && held.acknowledged()) return ack(m, client, m.ciaddr(), now);
        Binding owner = byAddress.get(m.ciaddr());
        if (owner != null || !inSubnet(m.ciaddr())) return reply(m, DhcpMessage.NAK, 0);
        return null;
    }

    private Reply ack(DhcpMessage m, String client, int address, long now) {
        bind(new Binding(client, address, true, now + config.leaseSeconds() * SECOND));
        return reply(m, DhcpMessage.ACK, address);
    }

    /** The client's current address, else the one it asks for if free, else the lowest free one; 0 if none. */
    private int choose(String client, int requested) {
        Binding held = byClient.get(client);
        if (held != null) return held.address();
        if (requested != 0 && free(requested)) return requested;
        for (long a = config.poolStart() & 0xffffffffL; a <= (config.poolEnd() & 0xffffffffL); a++) {
            if (free((int) a)) return (int) a;
        }
        return 0;
    }

    private boolean free(int address) {
        return inPool(address) && address != config.serverAddress() && !byAddress.containsKey(address) && !declined.containsKey(address);
    }

    private boolean inPool(int address) {
        return Integer.compareUnsigned(address, config.poolStart()) >= 0 && Integer.compareUnsigned(address, config.poolEnd()) <= 0;
    }

    private boolean inSubnet(int address) {
        return address != 0 && (address & config.subnetMask()) == (config.serverAddress() & config.subnetMask());
    }

    private void bind(Binding b) {
        Binding old = byClient.get(b.client());
        if (old != null) unbind(old);
        byClient.put(b.client(), b);
        byAddress.put(b.address(), b);
    }

    private void unbind(Binding b) {
        byClient.remove(b.client(), b);
        byAddress.remove(b.address(), b);
    }

    private void expire(long now) {
        for (Binding b : List.copyOf(byAddress.values())) {
            if (b.expiresAt() <= now) unbind(b);
        }
        declined.values().removeIf(until -> until <= now);
    }

    private Reply reply(DhcpMessage m, int type, int address) {
        DhcpWriter w = new DhcpWriter(DhcpMessage.BOOTREPLY, m.xid(), m.chaddr())
                .yiaddr(address)
                .giaddr(m.giaddr())
                .broadcastFlag(m.broadcastFlag())
                .optionByte(DhcpMessage.MESSAGE_TYPE, type)
                .optionInt(DhcpMessage.SERVER_ID, config.serverAddress());
        if (type == DhcpMessage.ACK && m.messageType() == DhcpMessage.INFORM) w.ciaddr(m.ciaddr());
        if (type != DhcpMessage.NAK) {
            if (address != 0) {
                w.optionInt(DhcpMessage.LEASE_TIME, (int) config.leaseSeconds());
                w.optionInt(DhcpMessage.RENEWAL_TIME, (int) (config.leaseSeconds() / 2));
                w.optionInt(DhcpMessage.REBINDING_TIME, (int) (config.leaseSeconds() * 7 / 8));
            }
            w.optionInt(DhcpMessage.SUBNET_MASK, config.subnetMask());
            if (!config.routers().isEmpty()) w.optionAddresses(DhcpMessage.ROUTER, config.routers());
            if (!config.dnsServers().isEmpty()) w.optionAddresses(DhcpMessage.DNS_SERVERS, config.dnsServers());
            if (config.domainName() != null) w.optionString(DhcpMessage.DOMAIN_NAME, config.domainName());
        }
        int destination;
        if (m.giaddr() != 0) destination = m.giaddr();
        else if (type != DhcpMessage.NAK && m.ciaddr() != 0) destination = m.ciaddr();
        else destination = DhcpClient.BROADCAST;
        return new Reply(w.toByteArray(), destination);
    }

    private static String clientKey(DhcpMessage m) {
        byte[] id = m.option(DhcpMessage.CLIENT_ID);
        return id != null ? "id:" + HexFormat.of().formatHex(id) : "hw:" + HexFormat.of().formatHex(m.chaddr());
    }
}

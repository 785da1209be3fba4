package io.github.jnic.net.app.dhcp;

import io.github.jnic.net.app.MalformedException;
import io.github.jnic.net.app.Rejects;
import java.util.ArrayDeque;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A DHCP client (RFC 2131 §4.4) as a state machine over the stack's clock (nanoseconds):
 * INIT → SELECTING → REQUESTING → PROBING → BOUND → RENEWING → REBINDING, and INIT-REBOOT /
 * REBOOTING for a remembered address. Retransmissions back off 4, 8, 16, 32, 64 s, each jittered by
 * a uniform ±1 s (§4.1); renewal and rebinding retransmit at half the time left, at least 60 s.
 * Before using an address it asks its {@link Listener} for an ARP probe (RFC 5227) and sends
 * DECLINE on a conflict, then waits 10 s before starting over (§3.1.5).
 *
 * <p>Messages to send come out of {@link #nextTransmission()}: from port 68 to port 67, from
 * {@link Transmission#source()} to {@link Transmission#destination()} (255.255.255.255 means
 * broadcast). Until it has an address the client sets the broadcast flag, asking servers to
 * broadcast their replies, since a host without an address cannot take unicast (§4.1).
 */
public final class DhcpClient {
    public enum State { STOPPED, INIT, SELECTING, REQUESTING, PROBING, BOUND, RENEWING, REBINDING, INIT_REBOOT, REBOOTING, DECLINED }

    public static final int BROADCAST = 0xffffffff;
    static final long SECOND = 1_000_000_000L;
    private static final int REQUEST_TRIES = 4;
    private static final long PROBE_GUARD = 10 * SECOND;
    private static final long DECLINE_WAIT = 10 * SECOND;

    /** A message to send from port 68 to port 67. */
    public record Transmission(byte[] message, int source, int destination) {}

    /** What the client tells its owner. */
    public interface Listener {
        /** Check {@code address} with ARP probes and answer with {@link #probeResult}. */
        void probe(int address);

        /** The address may be used (configure the interface); called again after each renewal. */
        void bound(DhcpLease lease);

        /** The lease is gone (expired, refused, released or declined): stop using the address. */
        void lost(DhcpLease lease, String why);
    }

    private final byte[] mac;
    private final RandomGenerator random;
    private final Listener listener;
    private final String hostName;
    private final Rejects rejects = new Rejects();
    private final ArrayDeque<Transmission> outbox = new ArrayDeque<>();

    private State state = State.STOPPED;
    private int xid;
    private long started;
    private int tries;
    private long deadline = Long.MAX_VALUE;
    private long requestSentAt;
    /** The offer or ACK being acted on. */
    private int offeredAddress;
    private int offerServer;
    private DhcpLease lease;
    private DhcpLease pending;

    public DhcpClient(byte[] mac, RandomGenerator random, String hostName, Listener listener) {
        if (mac.length != 6) throw new IllegalArgumentException("an Ethernet address has 6 bytes");
        this.mac = mac.clone();
        this.random = random;
        this.hostName = hostName;
        this.listener = listener;
    }

    public State state() { return state; }
    public DhcpLease lease() { return lease; }
    public Rejects rejects() { return rejects; }

    public Transmission nextTransmission() {
        return outbox.poll();
    }

    /** Starts from scratch (INIT). */
    public void start(long now) {
        enterInit(now);
    }

    /** Starts by asking to keep {@code previousAddress} (INIT-REBOOT, §3.2). */
    public void start(int previousAddress, long now) {
        state = State.REBOOTING;
        offeredAddress = previousAddress;
        offerServer = 0;
        newTransaction(now);
        sendRequest(now);
    }

    /** Gives the address back (RELEASE) and stops. */
    public void release(long now) {
        if (lease != null && (state == State.BOUND || state == State.RENEWING || state == State.REBINDING)) {
            DhcpWriter w = message(DhcpMessage.RELEASE, now).ciaddr(lease.address()).optionInt(DhcpMessage.SERVER_ID, lease.server());
            outbox.add(new Transmission(w.toByteArray(), lease.address(), lease.server()));
            DhcpLease old = lease;
            lease = null;
            listener.lost(old, "released");
        }
        state = State.STOPPED;
        deadline = Long.MAX_VALUE;
    }

    /** The answer to {@link Listener#probe}: {@code conflict} when another host answered for the address. */
    public void probeResult(boolean conflict, long now) {
        if (state != State.PROBING) return;
        if (!conflict) {
            bind(pending, now);
            return;
        }
        DhcpWriter w = message(DhcpMessage.DECLINE, now)
                .optionInt(DhcpMessage.REQUESTED_ADDRESS, pending.address())
                .optionInt(DhcpMessage.SERVER_ID, pending.server());
        outbox.add(new Transmission(w.toByteArray(), 0, BROADCAST));
        pending = null;
        state = State.DECLINED;
        deadline = now + DECLINE_WAIT;
    }

    /** A datagram that arrived on port 68. */
    public void receive(byte[] b, int off, int len, long now) {
        DhcpMessage m;
        try {
            m = DhcpMessage.parse(b, off, len);
        } catch (MalformedException e) {
            rejects.count(e.reason());
            return;
        }
        if (m.op() != DhcpMessage.BOOTREPLY) {
            rejects.count(DhcpReject.WRONG_DIRECTION);
            return;
        }
        if (m.xid() != xid || !m.chaddrIs(mac)) {
            rejects.count(DhcpReject.UNSOLICITED);
            return;
        }
        int type = m.messageType();
        int server = m.optionInt(DhcpMessage.SERVER_ID, 0);
        switch (state) {
            case SELECTING -> {
                if (type != DhcpMessage.OFFER || m.yiaddr() == 0 || server == 0) {
                    rejects.count(DhcpReject.UNEXPECTED);
                    return;
                }
                offeredAddress = m.yiaddr();
                offerServer = server;
                state = State.REQUESTING;
                tries = 0;
                sendRequest(now);
            }
            case REQUESTING, REBOOTING, RENEWING, REBINDING -> {
                if (type == DhcpMessage.NAK) {
                    if (state == State.REQUESTING && server != offerServer) {
                        rejects.count(DhcpReject.WRONG_SERVER);
                        return;
                    }
                    loseAndRestart("refused by the server (NAK)", now);
                } else if (type == DhcpMessage.ACK && m.yiaddr() != 0) {
                    boolean expected = switch (state) {
                        case REQUESTING, REBOOTING -> m.yiaddr() == offeredAddress;
                        default -> m.yiaddr() == lease.address();
                    };
                    if (!expected) {
                        rejects.count(DhcpReject.UNEXPECTED);
                        return;
                    }
                    acknowledged(m, server, now);
                } else {
                    rejects.count(DhcpReject.UNEXPECTED);
                }
            }
            default -> rejects.count(DhcpReject.UNEXPECTED);
        }
    }

    /** Runs timers; returns the next deadline or {@link Long#MAX_VALUE}. */
    public long poll(long now) {
        if (now < deadline) return deadline;
        switch (state) {
            case SELECTING -> sendDiscover(now); // same xid: a late offer is still welcome
            case REQUESTING, REBOOTING -> {
                if (tries >= REQUEST_TRIES) {
                    enterInit(now);
                } else {
                    sendRequest(now);
                }
            }
            case PROBING -> bind(pending, now); // the ARP layer never answered: nobody claimed the address
            case BOUND -> {
                state = State.RENEWING;
                newTransaction(now);
                sendRenewal(now);
            }
            case RENEWING -> {
                if (now >= lease.rebindAt()) {
                    state = State.REBINDING;
                    newTransaction(now);
                }
                sendRenewal(now);
            }
            case REBINDING -> {
                if (now >= lease.expiresAt()) {
                    loseAndRestart("lease expired", now);
                } else {
                    sendRenewal(now);
                }
            }
            case DECLINED, INIT -> enterInit(now);
            default -> deadline = Long.MAX_VALUE;
        }
        return deadline;
    }

    private void enterInit(long now) {
        state = State.SELECTING;
        offeredAddress = 0;
        offerServer = 0;
        newTransaction(now);
        sendDiscover(now);
    }

    private void loseAndRestart(String why, long now) {
        DhcpLease old = lease;
        lease = null;
        if (old != null) listener.lost(old, why);
        enterInit(now);
    }

    private void newTransaction(long now) {
        xid = random.nextInt();
        started = now;
        tries = 0;
    }

    private void sendDiscover(long now) {
        DhcpWriter w = message(DhcpMessage.DISCOVER, now).broadcastFlag(true);
        if (offeredAddress != 0) w.optionInt(DhcpMessage.REQUESTED_ADDRESS, offeredAddress);
        outbox.add(new Transmission(w.toByteArray(), 0, BROADCAST));
        deadline = now + backoff();
    }

    /** REQUEST in REQUESTING (with server id) or REBOOTING (without), both broadcast. */
    private void sendRequest(long now) {
        DhcpWriter w = message(DhcpMessage.REQUEST, now).broadcastFlag(true).optionInt(DhcpMessage.REQUESTED_ADDRESS, offeredAddress);
        if (offerServer != 0) w.optionInt(DhcpMessage.SERVER_ID, offerServer);
        outbox.add(new Transmission(w.toByteArray(), 0, BROADCAST));
        requestSentAt = tries == 0 ? now : requestSentAt;
        deadline = now + backoff();
    }

    /** REQUEST with ciaddr: unicast to the server when renewing, broadcast when rebinding. */
    private void sendRenewal(long now) {
        DhcpWriter w = message(DhcpMessage.REQUEST, now).ciaddr(lease.address());
        boolean renewing = state == State.RENEWING;
        outbox.add(new Transmission(w.toByteArray(), lease.address(), renewing ? lease.server() : BROADCAST));
        requestSentAt = now;
        long until = renewing ? lease.rebindAt() : lease.expiresAt();
        deadline = Math.min(until, now + Math.max(60 * SECOND, (until - now) / 2));
    }

    /** 4 s doubling to 64 s, plus a uniform jitter of ±1 s. */
    private long backoff() {
        long base = (4L << Math.min(tries, 4)) * SECOND;
        tries++;
        return base + random.nextLong(-SECOND, SECOND + 1);
    }

    private DhcpWriter message(int type, long now) {
        DhcpWriter w = new DhcpWriter(DhcpMessage.BOOTREQUEST, xid, mac)
                .secs((int) Math.max(0, (now - started) / SECOND))
                .optionByte(DhcpMessage.MESSAGE_TYPE, type)
                .option(DhcpMessage.CLIENT_ID, new byte[] {1, mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]});
        if (type == DhcpMessage.DISCOVER || type == DhcpMessage.REQUEST) {
            w.option(DhcpMessage.PARAMETER_LIST, new byte[] {DhcpMessage.SUBNET_MASK, DhcpMessage.ROUTER, DhcpMessage.DNS_SERVERS,
                    DhcpMessage.DOMAIN_NAME, DhcpMessage.LEASE_TIME, DhcpMessage.RENEWAL_TIME, DhcpMessage.REBINDING_TIME});
            w.option(DhcpMessage.MAX_MESSAGE_SIZE, new byte[] {(byte) (DhcpWriter.MAX_SIZE + 28 >>> 8), (byte) (DhcpWriter.MAX_SIZE + 28)});
        }
        if (hostName != null && type != DhcpMessage.RELEASE && type != DhcpMessage.DECLINE) w.optionString(DhcpMessage.HOST_NAME, hostName);
        return w;
    }

    private void acknowledged(DhcpMessage m, int server, long now) {
        long leaseSeconds = m.optionInt(DhcpMessage.LEASE_TIME, 0) & 0xffffffffL;
        if (leaseSeconds == 0) {
            rejects.count(DhcpReject.BAD_FIELD); // an ACK for an address must carry a lease time
            return;
        }
        boolean infinite = leaseSeconds == 0xffffffffL;
        long t1 = m.optionInt(DhcpMessage.RENEWAL_TIME, (int) (leaseSeconds / 2)) & 0xffffffffL;
        long t2 = m.optionInt(DhcpMessage.REBINDING_TIME, (int) (leaseSeconds * 7 / 8)) & 0xffffffffL;
        if (t2 > leaseSeconds || t1 > t2) { // inconsistent timers: fall back to the defaults of §4.4.5
            t1 = leaseSeconds / 2;
            t2 = leaseSeconds * 7 / 8;
        }
        long base = requestSentAt; // times count from when the request went out (§4.4.1)
        DhcpLease l = new DhcpLease(m.yiaddr(), server != 0 ? server : offerServer, m.optionInt(DhcpMessage.SUBNET_MASK, 0),
                m.optionAddresses(DhcpMessage.ROUTER), m.optionAddresses(DhcpMessage.DNS_SERVERS), m.optionString(DhcpMessage.DOMAIN_NAME),
                leaseSeconds,
                infinite ? Long.MAX_VALUE : base + t1 * SECOND,
                infinite ? Long.MAX_VALUE : base + t2 * SECOND,
                infinite ? Long.MAX_VALUE : base + leaseSeconds * SECOND);
        if (state == State.RENEWING || state == State.REBINDING) {
            bind(l, now); // the address is already in use by us: no probe
            return;
        }
        pending = l;
        state = State.PROBING;
        deadline = now + PROBE_GUARD;
        listener.probe(l.address());
    }

    private void bind(DhcpLease l, long now) {
        lease = l;
        pending = null;
        state = State.BOUND;
        deadline = l.renewAt();
        listener.bound(l);
    }
}

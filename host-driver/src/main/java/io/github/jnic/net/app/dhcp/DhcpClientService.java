package io.github.jnic.net.app.dhcp;

import io.github.jnic.net.app.UdpEndpoint;
import io.github.jnic.net.eth.NetInterface;
import io.github.jnic.net.ip.RoutingTable;
import io.github.jnic.net.stack.NetStack;
import java.io.IOException;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.LongUnaryOperator;
import java.util.random.RandomGenerator;

/**
 * A {@link DhcpClient} on a stack, configuring one interface: it talks on UDP port 68 (from
 * 0.0.0.0 by broadcast until it has an address), puts the leased address and subnet on the
 * interface, the first router as default gateway, and takes them away again when the lease is lost.
 *
 * <p>The address conflict check is the caller's {@link Prober}: the stack has no ARP probe
 * (RFC 5227) yet, so {@link #NO_PROBE} accepts every address at once.
 */
public final class DhcpClientService implements AutoCloseable {
    /** Checks an address before use; calls {@code done} with true when another host answers for it. */
    @FunctionalInterface
    public interface Prober {
        void probe(NetInterface iface, int address, Consumer<Boolean> done);
    }

    private static final long RELEASE_GRACE = 1_000_000_000L;

    public static final Prober NO_PROBE = (iface, address, done) -> done.accept(false);

    private final NetStack stack;
    private final NetInterface iface;
    private final UdpEndpoint endpoint;
    private final DhcpClient client;
    private final Consumer<DhcpLease> onBound;
    private final IntConsumer onLost;
    private final LongUnaryOperator timer = this::poll;
    private int configured;
    /** When a released address comes off the interface, or {@link Long#MAX_VALUE}. */
    private long removeAt = Long.MAX_VALUE;
    /** The default route this service added, or 0. */
    private int gateway;

    private DhcpClientService(NetStack stack, NetInterface iface, String hostName, RandomGenerator random, Prober prober,
                              Consumer<DhcpLease> onBound, IntConsumer onLost) throws IOException {
        this.stack = stack;
        this.iface = iface;
        this.onBound = onBound;
        this.onLost = onLost;
        this.client = new DhcpClient(iface.device().macAddress(), random, hostName, new DhcpClient.Listener() {
            @Override
            public void probe(int address) {
                prober.probe(iface, address, conflict -> stack.execute(() -> {
                    client().probeResult(conflict, stack.now());
                    flush();
                }));
            }

            @Override
            public void bound(DhcpLease lease) {
                configure(lease);
            }

            @Override
            public void lost(DhcpLease lease, String why) {
                if (removeAt == Long.MAX_VALUE) unconfigure(); // a release keeps the address a moment longer
            }
        });
        this.endpoint = UdpEndpoint.open(stack, 0, DhcpMessage.CLIENT_PORT, (e, data, len, src, srcPort, now) -> {
            client.receive(data, 0, len, now);
            flush();
        });
        stack.addTimer(timer);
    }

    /**
     * Starts asking for a lease on {@code iface}. {@code onBound} hears of each lease (and renewal),
     * {@code onLost} of each address given up. Stack thread.
     */
    public static DhcpClientService start(NetStack stack, NetInterface iface, String hostName, RandomGenerator random, Prober prober,
                                          Consumer<DhcpLease> onBound, IntConsumer onLost) throws IOException {
        DhcpClientService s = new DhcpClientService(stack, iface, hostName, random, prober, onBound, onLost);
        s.client.start(stack.now());
        s.flush();
        return s;
    }

    public DhcpClient client() {
        return client;
    }

    private long poll(long now) {
        if (now >= removeAt) {
            unconfigure();
            endpoint.close();
            stack.removeTimer(timer);
            removeAt = Long.MAX_VALUE;
            return Long.MAX_VALUE;
        }
        client.poll(now);
        flush();
        return Math.min(removeAt, client.poll(now));
    }

    private void flush() {
        DhcpClient.Transmission t;
        while ((t = client.nextTransmission()) != null) {
            endpoint.send(t.message(), 0, t.message().length, t.destination(), DhcpMessage.SERVER_PORT);
        }
    }

    private void configure(DhcpLease lease) {
        if (configured != lease.address()) {
            unconfigure();
            int prefix = Integer.bitCount(lease.subnetMask() == 0 ? 0xffffff00 : lease.subnetMask());
            stack.addAddress(iface, lease.address(), prefix);
            configured = lease.address();
            boolean haveDefault = stack.routes().routes().stream().anyMatch(r -> r.prefixLength() == 0);
            if (!lease.routers().isEmpty() && !haveDefault) {
                stack.routes().add(new RoutingTable.Route(0, 0, lease.routers().get(0), iface, 0));
                gateway = lease.routers().get(0);
            }
        }
        onBound.accept(lease);
    }

    private void unconfigure() {
        if (configured == 0) return;
        if (gateway != 0) stack.routes().remove(new RoutingTable.Route(0, 0, gateway, iface, 0));
        stack.removeAddress(iface, configured);
        onLost.accept(configured);
        configured = 0;
        gateway = 0;
    }

    /**
     * Gives the lease back (RELEASE) and removes the address a second later, so the RELEASE can
     * still get through ARP from that address. Stack thread.
     */
    @Override
    public void close() {
        removeAt = stack.now() + RELEASE_GRACE;
        client.release(stack.now());
        flush();
    }
}

package io.github.jnic.net.ip;

import io.github.jnic.net.eth.NetInterface;
import io.github.jnic.net.wire.Ipv4Address;
import java.util.ArrayList;
import java.util.List;

/**
 * IPv4 routes, looked up by longest-prefix match (then lowest metric). Routes to the subnets of
 * an interface's addresses are "connected" (no gateway); a default route is prefix 0/0 through a
 * gateway. Stack thread only.
 */
public final class RoutingTable {
    /** {@code gateway} 0 means the destination is on the link itself. */
    public record Route(int prefix, int prefixLength, int gateway, NetInterface iface, int metric) {
        public Route {
            if (prefixLength < 0 || prefixLength > 32) throw new IllegalArgumentException("prefix length " + prefixLength);
            prefix &= Ipv4Address.mask(prefixLength);
        }
        public boolean matches(int dst) { return (dst & Ipv4Address.mask(prefixLength)) == prefix; }
        /** Where to send a datagram for {@code dst}: the gateway, or {@code dst} itself. */
        public int nextHop(int dst) { return gateway != 0 ? gateway : dst; }
        @Override public String toString() {
            return Ipv4Address.toString(prefix) + "/" + prefixLength
                    + (gateway != 0 ? " via " + Ipv4Address.toString(gateway) : "") + " dev " + iface.device().name()
                    + (metric != 0 ? " metric " + metric : "");
        }
    }

    // Kept sorted: longest prefix first, then lowest metric, so the first match wins.
    private final List<Route> routes = new ArrayList<>();

    public void add(Route r) {
        int i = 0;
        while (i < routes.size() && (routes.get(i).prefixLength() > r.prefixLength()
                || (routes.get(i).prefixLength() == r.prefixLength() && routes.get(i).metric() <= r.metric()))) i++;
        routes.add(i, r);
    }

    public boolean remove(Route r) { return routes.remove(r); }

    /** Removes every route through {@code iface}. */
    public void removeAll(NetInterface iface) { routes.removeIf(r -> r.iface() == iface); }

    /** The best route to {@code dst}, or null. */
    public Route lookup(int dst) {
        for (int i = 0; i < routes.size(); i++) {
            Route r = routes.get(i);
            if (r.matches(dst)) return r;
        }
        return null;
    }

    public List<Route> routes() { return List.copyOf(routes); }

    @Override public String toString() {
        StringBuilder s = new StringBuilder();
        for (Route r : routes) s.append(r).append('\n');
        return s.toString();
    }
}

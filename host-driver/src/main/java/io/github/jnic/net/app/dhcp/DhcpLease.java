package io.github.jnic.net.app.dhcp;

import java.util.List;

/**
 * A lease as the client holds it. Times are the stack's clock in nanoseconds; {@code renewAt},
 * {@code rebindAt} and {@code expiresAt} are {@link Long#MAX_VALUE} for an infinite lease.
 */
public record DhcpLease(int address, int server, int subnetMask, List<Integer> routers, List<Integer> dnsServers,
                        String domainName, long leaseSeconds, long renewAt, long rebindAt, long expiresAt) {}

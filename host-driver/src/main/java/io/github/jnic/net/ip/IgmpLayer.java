package io.github.jnic.net.ip;

import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.net.eth.NetInterface;
import io.github.jnic.net.stats.Counter;
import io.github.jnic.net.stats.Counters;
import io.github.jnic.net.wire.Checksum;
import io.github.jnic.net.wire.IgmpMessage;
import io.github.jnic.net.wire.Ipv4Header;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * IGMPv2 host side (RFC 2236): joining a group sends a membership report (repeated once), leaving
 * sends a leave to all-routers, and queries are answered after a random delay within the query's
 * maximum response time, suppressed when another member reports first. Stack thread only.
 */
public final class IgmpLayer implements Ipv4Transport {
    private static final long UNSOLICITED_REPEAT_NANOS = 1_000_000_000L;

    private record Pending(NetInterface iface, int group, long due) {}

    private final Ipv4Layer ip;
    private final SplittableRandom random;
    private final List<Pending> pending = new ArrayList<>();
    private final IgmpMessage message = new IgmpMessage();
    private final Counter reportsSent, leavesSent, queries;
    private final Counter dropTruncated, dropChecksum, dropType;

    public IgmpLayer(Ipv4Layer ip, Counters counters, long seed) {
        this.ip = ip;
        this.random = new SplittableRandom(seed);
        String l = "igmp";
        reportsSent = counters.stat(l, "reports-sent", "membership reports sent");
        leavesSent = counters.stat(l, "leaves-sent", "leave-group messages sent");
        queries = counters.stat(l, "queries", "membership queries received");
        dropTruncated = counters.drop(l, "truncated", "message shorter than 8 bytes");
        dropChecksum = counters.drop(l, "bad-checksum", "checksum wrong");
        dropType = counters.drop(l, "unhandled-type", "type other than query or report");
    }

    @Override public int protocol() { return Ipv4Header.PROTO_IGMP; }

    /** Joins {@code group} on {@code iface} (no-op if already joined). */
    public void join(NetInterface iface, int group, long now) {
        if (!iface.joinGroup(group)) return;
        report(iface, group);
        pending.add(new Pending(iface, group, now + UNSOLICITED_REPEAT_NANOS));
    }

    public void leave(NetInterface iface, int group) {
        if (!iface.leaveGroup(group)) return;
        pending.removeIf(p -> p.iface() == iface && p.group() == group);
        send(iface, IgmpMessage.LEAVE_GROUP, group, IgmpMessage.ALL_ROUTERS);
        leavesSent.increment();
    }

    @Override public void receive(PacketBuffer seg, int src, int dst, long now) {
        try {
            if (seg.length() < IgmpMessage.LENGTH) { dropTruncated.increment(); return; }
            byte[] d = seg.data();
            if (Checksum.fold(Checksum.add(0, d, seg.start(), seg.length())) != 0xffff) {
                dropChecksum.increment();
                return;
            }
            IgmpMessage m = message.wrap(d, seg.start());
            RoutingTable.Route route = ip.route(src);
            NetInterface iface = route != null ? route.iface() : null;
            switch (m.type()) {
                case IgmpMessage.MEMBERSHIP_QUERY -> {
                    queries.increment();
                    int maxResp = m.maxResponseTime() == 0 ? 100 : m.maxResponseTime();
                    for (NetInterface i : ifacesFor(iface)) {
                        for (int g : i.groups()) {
                            if (m.group() != 0 && m.group() != g) continue;
                            if (scheduled(i, g)) continue;
                            long delay = random.nextLong(maxResp * 100_000_000L + 1);
                            pending.add(new Pending(i, g, now + delay));
                        }
                    }
                }
                case IgmpMessage.V1_REPORT, IgmpMessage.V2_REPORT ->   // someone else answered: ours is redundant
                        pending.removeIf(p -> p.group() == m.group());
                default -> dropType.increment();
            }
        } finally {
            seg.release();
        }
    }

    /** The interface the query came in on; every interface when its source says nothing (0.0.0.0). */
    private List<NetInterface> ifacesFor(NetInterface iface) {
        return iface != null ? List.of(iface) : ip.interfaces();
    }

    private boolean scheduled(NetInterface iface, int group) {
        for (Pending p : pending) if (p.iface() == iface && p.group() == group) return true;
        return false;
    }

    @Override public void icmpError(int type, int code, int originalSrc, int originalDst, byte[] q, int off, int len, long now) {}

    @Override public long poll(long now) {
        long next = Long.MAX_VALUE;
        for (int i = 0; i < pending.size(); ) {
            Pending p = pending.get(i);
            if (p.due() <= now) {
                pending.remove(i);
                if (p.iface().inGroup(p.group())) report(p.iface(), p.group());
            } else {
                next = Math.min(next, p.due());
                i++;
            }
        }
        return next;
    }

    private void report(NetInterface iface, int group) {
        send(iface, IgmpMessage.V2_REPORT, group, group);
        reportsSent.increment();
    }

    private void send(NetInterface iface, int type, int group, int dst) {
        PacketBuffer b = ip.allocate(IgmpMessage.LENGTH);
        int at = b.append(IgmpMessage.LENGTH);
        IgmpMessage.write(b.data(), at, type, group);
        ip.send(b, iface.primaryAddress(), dst, Ipv4Header.PROTO_IGMP, 1, 0xc0, false, iface);
    }
}

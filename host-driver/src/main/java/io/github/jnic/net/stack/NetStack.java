package io.github.jnic.net.stack;

import io.github.jnic.net.arp.ArpLayer;
import io.github.jnic.net.buf.BufferPool;
import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.net.dev.NetDevice;
import io.github.jnic.net.eth.EthernetLayer;
import io.github.jnic.net.eth.NetInterface;
import io.github.jnic.net.icmp.IcmpLayer;
import io.github.jnic.net.ip.IgmpLayer;
import io.github.jnic.net.ip.Ipv4Layer;
import io.github.jnic.net.ip.Ipv4Output;
import io.github.jnic.net.ip.Ipv4Transport;
import io.github.jnic.net.ip.RoutingTable;
import io.github.jnic.net.socket.StackExecutor;
import io.github.jnic.net.stats.Counters;
import io.github.jnic.net.udp.UdpLayer;
import io.github.jnic.net.wire.Ipv4Address;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;

/**
 * A whole IPv4 host: interfaces, Ethernet, ARP, IPv4 with routing, fragmentation and reassembly,
 * ICMP, IGMP, UDP, and whatever other transports are {@link #register}ed (TCP).
 *
 * <p>One thread owns a stack and drives it: {@link #poll(long)} with the time now (nanoseconds on
 * whatever clock the owner chose) processes queued application requests, received frames and due
 * timers, and returns the next deadline. Nothing inside reads the wall clock, so a test drives it
 * in virtual time ({@link Simulation}) and a program with the real clock ({@link StackRunner}).
 * Other threads talk to it only through {@link #execute} (see {@link StackExecutor}).
 */
public final class NetStack implements StackExecutor {

    /** Sizes and limits; the defaults suit a host on a 1500-byte Ethernet. */
    public static final class Config {
        public int bufferSize = 2048;
        public int preallocatedBuffers = 256;
        public int arpCacheSize = 256;
        /** Memory parked per unresolved neighbour (buffer capacity, Linux's unres_qlen_bytes): a 64 KiB datagram's fragments fit. */
        public int arpQueueBytes = ArpLayer.DEFAULT_QUEUE_BYTES;
        /** How long a confirmed neighbour stays REACHABLE (randomized ×0.5–1.5); {@link ArpLayer#NEVER}: aging off. */
        public long arpReachableNanos = ArpLayer.DEFAULT_REACHABLE_NANOS;
        public int maxReassemblies = 16;
        public long reassemblyTimeoutNanos = 30_000_000_000L;
        public int receiveBudget = 64;
        public long seed = 1;
    }

    private final Config config;
    private final Counters counters = new Counters();
    private final BufferPool pool;
    private final List<NetInterface> interfaces = new ArrayList<>();
    private final EthernetLayer eth;
    private final ArpLayer arp;
    private final Ipv4Layer ip;
    private final IcmpLayer icmp;
    private final IgmpLayer igmp;
    private final UdpLayer udp;
    private final List<Ipv4Transport> transports = new ArrayList<>();
    /** Application timers, replaced whole on change so a timer may add or remove timers while polled. */
    private LongUnaryOperator[] timers = new LongUnaryOperator[0];

    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private volatile Runnable wakeup = () -> {};
    // The thread driving the stack: the constructing thread until a poll comes from another one.
    private volatile Thread owner = Thread.currentThread();
    private volatile long now;
    private long deadline;
    private NetInterface receiving;
    private final NetDevice.FrameSink sink = this::onFrame;

    public NetStack() { this(new Config()); }

    public NetStack(Config config) {
        this.config = config;
        this.pool = new BufferPool(config.bufferSize, config.preallocatedBuffers);
        this.eth = new EthernetLayer(counters);
        this.arp = new ArpLayer(eth, pool, counters, config.arpCacheSize, config.arpQueueBytes, config.seed).reachableTime(config.arpReachableNanos);
        this.ip = new Ipv4Layer(eth, arp, pool, interfaces, counters, config.maxReassemblies, config.reassemblyTimeoutNanos, this::now, config.seed);
        eth.setHandlers(arp, ip);
        this.icmp = new IcmpLayer(ip, counters);
        ip.setErrorSender(icmp);
        arp.setUnresolvedListener((iface, hop, packet, t) -> ip.reportLocally(packet, t));
        this.igmp = new IgmpLayer(ip, counters, config.seed);
        this.udp = new UdpLayer(ip, this, counters);
        register(icmp);
        register(igmp);
        register(udp);
    }

    // ---- configuration (before the stack runs, or on the stack thread) -------------------------

    /** Adds an untagged interface on {@code device}. */
    public NetInterface addInterface(NetDevice device) { return addInterface(device, -1); }

    /** Adds an interface on {@code device} whose frames carry 802.1Q tag {@code vlanId} (-1: untagged). */
    public NetInterface addInterface(NetDevice device, int vlanId) {
        NetInterface iface = new NetInterface(interfaces.size(), device, vlanId);
        interfaces.add(iface);
        device.setReceiveWakeup(this::wake);
        return iface;
    }

    /** Assigns {@code "10.0.0.2/24"} to {@code iface}, adds the connected route, and announces it (gratuitous ARP). */
    public void addAddress(NetInterface iface, String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) throw new IllegalArgumentException("expected address/prefix, got '" + cidr + "'");
        addAddress(iface, Ipv4Address.parse(cidr.substring(0, slash)), Integer.parseInt(cidr.substring(slash + 1)));
    }

    public void addAddress(NetInterface iface, int address, int prefixLength) {
        iface.addAddress(address, prefixLength);
        ip.routes().add(new RoutingTable.Route(address, prefixLength, 0, iface, 0));
        if (iface.device().linkUp()) arp.announce(iface, address);
    }

    /** Takes an address off {@code iface} with its connected route (a DHCP lease ending). Stack thread. */
    public void removeAddress(NetInterface iface, int address) {
        for (NetInterface.Address a : List.copyOf(iface.addresses())) {
            if (a.address() != address) continue;
            iface.removeAddress(address);
            for (RoutingTable.Route r : ip.routes().routes()) {
                if (r.iface() == iface && r.gateway() == 0 && r.prefixLength() == a.prefixLength() && r.prefix() == a.network()) {
                    ip.routes().remove(r);
                    break;
                }
            }
        }
    }

    /** Adds a route to {@code "192.168.7.0/24"} through {@code gateway}, which must be reachable on a connected route. */
    public void addRoute(String cidr, String gateway) {
        int slash = cidr.indexOf('/');
        int prefix = Ipv4Address.parse(cidr.substring(0, slash));
        int length = Integer.parseInt(cidr.substring(slash + 1));
        int gw = Ipv4Address.parse(gateway);
        RoutingTable.Route via = ip.routes().lookup(gw);
        if (via == null) throw new IllegalArgumentException("gateway " + gateway + " is not on any connected network");
        ip.routes().add(new RoutingTable.Route(prefix, length, gw, via.iface(), 0));
    }

    public void setDefaultGateway(String gateway) { addRoute("0.0.0.0/0", gateway); }

    /** Registers a transport (TCP) with the IPv4 layer and the stack's timers. */
    public void register(Ipv4Transport t) {
        ip.register(t);
        transports.add(t);
    }

    /**
     * Adds an application timer (a DNS resolver's retransmissions, a DHCP lease, an HTTP idle
     * timeout): polled with the transports at every poll, it runs what is due at {@code now} and
     * returns its next deadline ({@link Long#MAX_VALUE}: none). Stack thread.
     */
    public void addTimer(LongUnaryOperator timer) {
        LongUnaryOperator[] t = java.util.Arrays.copyOf(timers, timers.length + 1);
        t[timers.length] = timer;
        timers = t;
    }

    public void removeTimer(LongUnaryOperator timer) {
        timers = java.util.Arrays.stream(timers).filter(t -> t != timer).toArray(LongUnaryOperator[]::new);
    }

    // ---- driving ------------------------------------------------------------------------------

    /**
     * Runs everything due at {@code now}: queued application requests, received frames (up to the
     * receive budget per device), timers. Returns the next deadline ({@code now} if work is left).
     */
    public long poll(long now) {
        owner = Thread.currentThread();
        this.now = now;
        flushDevices();   // what the application sent since the last poll
        runTasks();
        boolean more = false;
        for (int i = 0; i < transports.size(); i++) transports.get(i).beginBatch();
        try {
            for (int i = 0; i < interfaces.size(); i++) {
                receiving = interfaces.get(i);
                int n = receiving.device().receive(sink, config.receiveBudget);
                if (n >= config.receiveBudget) more = true;
            }
            // What the frames made ready (a socket's pump moving received bytes to its reader) runs
            // before the batch is answered, so the one ACK carries the window the reader reopened.
            runTasks();
        } finally {
            receiving = null;
            for (int i = 0; i < transports.size(); i++) transports.get(i).endBatch(now);
        }
        long next = arp.poll(now);
        next = Math.min(next, ip.poll(now));
        for (int i = 0; i < transports.size(); i++) next = Math.min(next, transports.get(i).poll(now));
        LongUnaryOperator[] due = timers;
        for (LongUnaryOperator t : due) next = Math.min(next, t.applyAsLong(now));
        if (more) next = now;
        flushDevices();
        deadline = next;
        return nextDeadline();
    }

    /** Rings every device's doorbell: what this poll sent leaves as one burst per device. */
    private void flushDevices() {
        for (int i = 0; i < interfaces.size(); i++) eth.flush(interfaces.get(i));
    }

    /**
     * What answers a frame at once (an ACK for a merged segment, a duplicate ACK, an echo reply)
     * leaves at once; what the batch's end decides and what applications sent leave together.
     */
    private void onFrame(PacketBuffer frame) {
        eth.receive(receiving, frame, now);
        flushDevices();
    }

    /** When {@link #poll} next has work: the earliest timer, device deadline, or now if requests are queued. */
    public long nextDeadline() {
        long next = deadline;
        for (int i = 0; i < interfaces.size(); i++) next = Math.min(next, interfaces.get(i).device().nextDeadline());
        synchronized (tasks) {
            if (!tasks.isEmpty()) next = Math.min(next, now);
        }
        return Math.max(next, now);   // anything overdue (a device saying "now, whatever the clock") is due now
    }

    private void runTasks() {
        int n;
        synchronized (tasks) {
            n = tasks.size();
        }
        for (; n > 0; n--) {
            Runnable r;
            synchronized (tasks) {
                r = tasks.poll();
            }
            if (r == null) break;
            r.run();
        }
    }

    /** Makes {@code thread} the stack thread from now on (a runner claims the stack before it starts). */
    public void claim(Thread thread) { owner = thread; }

    /** The callback that wakes whoever drives the stack (set by {@link StackRunner}). */
    public void setWakeup(Runnable wakeup) { this.wakeup = wakeup; }

    private void wake() { wakeup.run(); }

    // ---- StackExecutor ------------------------------------------------------------------------

    @Override public void execute(Runnable task) {
        synchronized (tasks) {
            tasks.add(task);
        }
        wakeup.run();
    }

    @Override public boolean inStackThread() { return Thread.currentThread() == owner; }

    @Override public long now() { return now; }

    // ---- parts --------------------------------------------------------------------------------

    public Counters counters() { return counters; }
    public BufferPool pool() { return pool; }
    public List<NetInterface> interfaces() { return interfaces; }
    public RoutingTable routes() { return ip.routes(); }
    /** What transports use to send (TCP gets it here). */
    public Ipv4Output ipv4() { return ip; }
    public Ipv4Layer ipLayer() { return ip; }
    public ArpLayer arp() { return arp; }
    public IcmpLayer icmp() { return icmp; }
    public IgmpLayer igmp() { return igmp; }
    public UdpLayer udp() { return udp; }
    public Config config() { return config; }
}

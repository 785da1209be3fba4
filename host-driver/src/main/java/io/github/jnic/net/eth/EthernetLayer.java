package io.github.jnic.net.eth;

import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.net.dev.NetDevice;
import io.github.jnic.net.stats.Counter;
import io.github.jnic.net.stats.Counters;
import io.github.jnic.net.wire.EthernetFrame;
import io.github.jnic.net.wire.MacAddress;

/**
 * Ethernet II: checks and strips the header (802.1Q tags included) of received frames and hands the
 * payload to the protocol registered for its EtherType; prepends the header to outgoing packets.
 * Stack thread only.
 */
public final class EthernetLayer {

    /** A protocol above Ethernet: receives the payload (header trimmed); takes ownership of the buffer. */
    @FunctionalInterface
    public interface Protocol {
        void receive(NetInterface iface, PacketBuffer payload, long now);
    }

    private final EthernetFrame frame = new EthernetFrame();
    private Protocol arp;
    private Protocol ipv4;

    private final Counter rxFrames, txFrames;
    private final Counter dropTruncated, dropTooManyTags, dropNotForUs, dropVlan, dropEtherType, dropTxRefused, dropLinkDown, dropOversize;

    public EthernetLayer(Counters counters) {
        String l = "eth";
        rxFrames = counters.stat(l, "rx-frames", "frames received");
        txFrames = counters.stat(l, "tx-frames", "frames handed to devices");
        dropTruncated = counters.drop(l, "truncated", "frame cut short: shorter than its Ethernet header and the tags it announces");
        dropTooManyTags = counters.drop(l, "too-many-tags", "more than two VLAN tags (802.1Q/802.1ad), not parsed further");
        dropNotForUs = counters.drop(l, "not-for-us", "destination MAC neither ours, broadcast, nor a joined group");
        dropVlan = counters.drop(l, "wrong-vlan", "VLAN tag does not match the interface");
        dropEtherType = counters.drop(l, "unknown-ethertype", "EtherType other than IPv4 and ARP");
        dropTxRefused = counters.drop(l, "tx-refused", "device refused the frame (queue full, interface down), when handed over or when sent");
        dropLinkDown = counters.drop(l, "link-down", "frame sent while the link was down");
        dropOversize = counters.drop(l, "tx-oversize", "frame larger than the device MTU allows");
    }

    public void setHandlers(Protocol arp, Protocol ipv4) {
        this.arp = arp;
        this.ipv4 = ipv4;
    }

    /** A frame from {@code iface}'s device; ownership passes here. */
    public void receive(NetInterface iface, PacketBuffer buf, long now) {
        rxFrames.increment();
        if (!frame.wrap(buf.data(), buf.start(), buf.length())) { drop(buf, frame.tooManyTags() ? dropTooManyTags : dropTruncated); return; }
        if (!(frame.destinationIs(iface.mac()) || frame.isBroadcast() || (frame.isMulticast() && acceptsMulticast(iface)))) {
            drop(buf, dropNotForUs);
            return;
        }
        int vlan = frame.vlanId();
        if (vlan != iface.vlanId() && !(vlan == 0 && iface.vlanId() < 0)) { drop(buf, dropVlan); return; }
        int type = frame.etherType();
        buf.trimFront(frame.headerLength());
        if (type == EthernetFrame.TYPE_IPV4) ipv4.receive(iface, buf, now);
        else if (type == EthernetFrame.TYPE_ARP) arp.receive(iface, buf, now);
        else drop(buf, dropEtherType);
    }

    /** Multicast frames pass when the low 23 bits match a joined group (the IP layer checks the group itself). */
    private boolean acceptsMulticast(NetInterface iface) {
        byte[] b = frame.data();
        int d = frame.destinationOffset();
        if (b[d] != 0x01 || b[d + 1] != 0x00 || b[d + 2] != 0x5e) return false;
        int low = ((b[d + 3] & 0x7f) << 16) | ((b[d + 4] & 0xff) << 8) | (b[d + 5] & 0xff);
        return iface.hasGroupMatchingMac(low) || (0xe0000001 & 0x7fffff) == low;   // all-hosts is always joined
    }

    /**
     * Prepends the Ethernet header (and the interface's VLAN tag) to {@code packet} and hands it to
     * the device. Takes ownership; returns whether the device took the frame.
     */
    public boolean transmit(NetInterface iface, PacketBuffer packet, byte[] dst, int dstOff, int etherType) {
        var dev = iface.device();
        if (!dev.linkUp()) { drop(packet, dropLinkDown); return false; }
        if (packet.length() > dev.mtu() && packet.segmentSize() == 0) { drop(packet, dropOversize); return false; }
        int hdr = EthernetFrame.headerLength(iface.vlanId());
        int at = packet.prepend(hdr);
        EthernetFrame.write(packet.data(), at, dst, dstOff, iface.mac(), iface.vlanId(), etherType);
        if (!dev.features().contains(NetDevice.Feature.SCATTER_GATHER)) packet.linearize();
        if (!dev.transmit(packet)) { drop(packet, dropTxRefused); return false; }
        txFrames.increment();
        return true;
    }

    /** Rings the doorbell of {@code iface}'s device ({@link NetDevice#flush}), counting what it refused. */
    public void flush(NetInterface iface) {
        dropTxRefused.add(iface.device().flush());
    }

    /** Broadcast to everyone on the segment. */
    public boolean broadcast(NetInterface iface, PacketBuffer packet, int etherType) {
        return transmit(iface, packet, BROADCAST, 0, etherType);
    }

    private static final byte[] BROADCAST = MacAddress.broadcast();

    private static void drop(PacketBuffer buf, Counter reason) {
        reason.increment();
        buf.release();
    }
}

package io.github.jnic.net.eth;

import io.github.jnic.net.dev.NetDevice;
import io.github.jnic.net.wire.Ipv4Address;
import java.util.ArrayList;
import java.util.List;

/**
 * One of the stack's interfaces: a device, the MAC address the stack uses on it, an optional VLAN,
 * its IPv4 addresses with their prefixes, and the multicast groups joined on it. Owned by the
 * stack thread.
 */
public final class NetInterface {
    /** An address assigned to the interface. */
    public record Address(int address, int prefixLength) {
        public int network() { return address & Ipv4Address.mask(prefixLength); }
        public int broadcast() { return prefixLength >= 31 ? Ipv4Address.BROADCAST : address | ~Ipv4Address.mask(prefixLength); }
        public boolean contains(int addr) { return (addr & Ipv4Address.mask(prefixLength)) == network(); }
        @Override public String toString() { return Ipv4Address.toString(address) + "/" + prefixLength; }
    }

    private final int index;
    private final NetDevice device;
    private final byte[] mac;
    private final int vlanId;
    private final List<Address> addresses = new ArrayList<>();
    private int[] groups = new int[0];

    public NetInterface(int index, NetDevice device, int vlanId) {
        this.index = index;
        this.device = device;
        this.mac = device.macAddress();
        this.vlanId = vlanId;
    }

    public int index() { return index; }
    public NetDevice device() { return device; }
    /** The stack's MAC address on this interface (do not modify). */
    public byte[] mac() { return mac; }
    /** The VLAN frames are tagged with on this interface, or -1 for untagged. */
    public int vlanId() { return vlanId; }
    /** Largest IP datagram: the device MTU. */
    public int mtu() { return device.mtu(); }
    public List<Address> addresses() { return addresses; }

    public void addAddress(int address, int prefixLength) {
        if (prefixLength < 0 || prefixLength > 32) throw new IllegalArgumentException("prefix length " + prefixLength);
        addresses.add(new Address(address, prefixLength));
    }

    /** Removes an address; returns whether it was there. */
    public boolean removeAddress(int address) {
        return addresses.removeIf(a -> a.address() == address);
    }

    /** The first address, or 0 when the interface has none (before DHCP, say). */
    public int primaryAddress() { return addresses.isEmpty() ? 0 : addresses.get(0).address(); }

    public boolean hasAddress(int addr) {
        for (int i = 0; i < addresses.size(); i++) if (addresses.get(i).address() == addr) return true;
        return false;
    }

    /** Whether {@code addr} is the limited broadcast or the directed broadcast of one of our subnets. */
    public boolean isBroadcast(int addr) {
        if (addr == Ipv4Address.BROADCAST) return true;
        for (int i = 0; i < addresses.size(); i++) {
            Address a = addresses.get(i);
            if (a.prefixLength() < 31 && a.broadcast() == addr) return true;
        }
        return false;
    }

    /** The address of ours on the subnet containing {@code addr}, else the primary address. */
    public int sourceFor(int addr) {
        for (int i = 0; i < addresses.size(); i++) if (addresses.get(i).contains(addr)) return addresses.get(i).address();
        return primaryAddress();
    }

    public boolean inGroup(int group) {
        for (int g : groups) if (g == group) return true;
        return false;
    }

    /** Whether a joined group maps to the multicast MAC whose low 23 bits are {@code low23}. */
    public boolean hasGroupMatchingMac(int low23) {
        for (int g : groups) if ((g & 0x7fffff) == low23) return true;
        return false;
    }

    /** Adds a multicast group; returns false if already a member. */
    public boolean joinGroup(int group) {
        if (inGroup(group)) return false;
        groups = java.util.Arrays.copyOf(groups, groups.length + 1);
        groups[groups.length - 1] = group;
        return true;
    }

    public boolean leaveGroup(int group) {
        for (int i = 0; i < groups.length; i++) {
            if (groups[i] == group) {
                int[] g = new int[groups.length - 1];
                System.arraycopy(groups, 0, g, 0, i);
                System.arraycopy(groups, i + 1, g, i, groups.length - i - 1);
                groups = g;
                return true;
            }
        }
        return false;
    }

    public int[] groups() { return groups.clone(); }

    @Override public String toString() { return device.name() + addresses; }
}

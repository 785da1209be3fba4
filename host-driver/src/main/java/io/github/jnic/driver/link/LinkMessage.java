package io.github.jnic.driver.link;

import io.github.jnic.spec.HostLink;
import io.github.jnic.spec.HostLink.Type;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One host-link message: the card's host side (register accesses, its DMA, its interrupt line) as
 * a unit the link carries, independent of the transport (an Ethernet frame of EtherType
 * {@link #ETHERTYPE} on the Colorlight boards, a {@link StreamFraming} frame on a UART).
 *
 * <p>The layout and the types are {@link HostLink}'s (nic-spec), which the board's bridge reads too.
 */
public record LinkMessage(HostLink.Type type, int tag, int seq, int ack, long address, int value, byte[] data) {

    public static final int ETHERTYPE = HostLink.ETHERTYPE;
    public static final int HEADER_BYTES = HostLink.HEADER_BYTES;
    public static final int MAX_DATA = HostLink.MAX_DATA;

    public LinkMessage {
        if (data == null) data = new byte[0];
        if (data.length > MAX_DATA) throw new IllegalArgumentException(data.length + " data bytes");
        if (type == Type.DMA_READ && (value <= 0 || value > MAX_DATA)) throw new IllegalArgumentException("DMA read of " + value);
    }

    public boolean sequenced() { return type.sequenced(); }

    /** The same message with the link's sequence fields set. */
    public LinkMessage numbered(int seq, int ack) {
        return new LinkMessage(type, tag, seq & 0xffff, ack & 0xffff, address, value, data);
    }

    public int encodedBytes() { return HEADER_BYTES + data.length; }

    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(encodedBytes()).order(ByteOrder.BIG_ENDIAN);
        b.put((byte) type.code).put((byte) tag).putShort((short) seq).putShort((short) ack)
                .putLong(address).putInt(value).putShort((short) data.length).put(data);
        return b.array();
    }

    /**
     * The message in {@code bytes[offset, offset + length)}, or null if it is not one: an unknown
     * type, a length field that disagrees with the bytes (a transport may pad: trailing bytes past
     * the data are allowed, as an Ethernet frame pads to 60 bytes), or a malformed DMA read.
     */
    public static LinkMessage decode(byte[] bytes, int offset, int length) {
        if (length < HEADER_BYTES) return null;
        ByteBuffer b = ByteBuffer.wrap(bytes, offset, length).order(ByteOrder.BIG_ENDIAN);
        Type type = Type.of(b.get() & 0xff);
        int tag = b.get() & 0xff, seq = b.getShort() & 0xffff, ack = b.getShort() & 0xffff;
        long address = b.getLong();
        int value = b.getInt(), n = b.getShort() & 0xffff;
        if (type == null || n > MAX_DATA || n > length - HEADER_BYTES) return null;
        if (type == Type.DMA_READ && (value <= 0 || value > MAX_DATA)) return null;
        byte[] data = Arrays.copyOfRange(bytes, offset + HEADER_BYTES, offset + HEADER_BYTES + n);
        return new LinkMessage(type, tag, seq, ack, address, value, data);
    }

    public static LinkMessage regRead(int tag, int offset) { return new LinkMessage(Type.REG_READ, tag, 0, 0, offset, 0, null); }
    public static LinkMessage regWrite(int offset, int value) { return new LinkMessage(Type.REG_WRITE, 0, 0, 0, offset, value, null); }
    public static LinkMessage regData(int tag, int value) { return new LinkMessage(Type.REG_DATA, tag, 0, 0, 0, value, null); }
    public static LinkMessage dmaRead(int tag, long address, int bytes) { return new LinkMessage(Type.DMA_READ, tag, 0, 0, address, bytes, null); }
    public static LinkMessage dmaData(int tag, byte[] data) { return new LinkMessage(Type.DMA_DATA, tag, 0, 0, 0, 0, data); }
    public static LinkMessage dmaWrite(long address, byte[] data) { return new LinkMessage(Type.DMA_WRITE, 0, 0, 0, address, 0, data); }
    /**
     * A DMA_WRITE of a burst: {@code beats} (8 bytes a beat) from {@code address}, 8-byte aligned,
     * with {@code strobes[i]} the byte strobes of beat {@code i}, laid out as {@link Type#DMA_WRITE} says.
     */
    public static LinkMessage dmaWriteBurst(long address, byte[] beats, byte[] strobes) {
        int n = strobes.length;
        if (beats.length != 8 * n || n == 0 || (address & 7) != 0) throw new IllegalArgumentException(n + " beats at 0x" + Long.toHexString(address));
        byte[] data = new byte[HostLink.dmaWriteLength(n)];
        for (int first = 0, at = 0; first < n; first += HostLink.STROBE_GROUP) {
            int group = Math.min(HostLink.STROBE_GROUP, n - first);
            System.arraycopy(beats, 8 * first, data, at, 8 * group);
            System.arraycopy(strobes, first, data, at + 8 * group, group);
            at += 8 * group + 8;
        }
        return new LinkMessage(Type.DMA_WRITE, 0, 0, 0, address, 0, data);
    }

    /** The beats of a DMA_WRITE message's burst, or -1 if its data is not laid out as one. */
    public int writeBeats() {
        int n = 0, at = 0;
        while (at < data.length) {
            int group = Math.min(HostLink.STROBE_GROUP, (data.length - at) / 8 - 1);
            if (group < 1) return -1;
            n += group;
            at += 8 * group + 8;
        }
        return at == data.length && n > 0 ? n : -1;
    }

    /**
     * Writes a DMA_WRITE burst's strobed bytes into {@code memory}, its byte 0 at bus address
     * {@code base}; the burst must lie in it ({@link #writeBeats()} beats from {@code address}).
     */
    public void writeBurst(ByteBuffer memory, long base) {
        int beat = 0;
        for (int at = 0; at < data.length; ) {
            int group = Math.min(HostLink.STROBE_GROUP, (data.length - at) / 8 - 1);
            for (int i = 0; i < group; i++, beat++) {
                int strobes = data[at + 8 * group + i] & 0xff;
                for (int j = 0; j < 8; j++)
                    if ((strobes >> j & 1) != 0) memory.put((int) (address - base) + 8 * beat + j, data[at + 8 * i + j]);
            }
            at += 8 * group + 8;
        }
    }

    public static LinkMessage irq(boolean level) { return new LinkMessage(Type.IRQ, 0, 0, 0, 0, level ? 1 : 0, null); }
    public static LinkMessage ackOnly() { return new LinkMessage(Type.ACK, 0, 0, 0, 0, 0, null); }

    @Override
    public boolean equals(Object o) {
        return o instanceof LinkMessage m && m.type == type && m.tag == tag && m.seq == seq && m.ack == ack
                && m.address == address && m.value == value && Arrays.equals(m.data, data);
    }

    @Override
    public int hashCode() { return Arrays.hashCode(data) * 31 + type.hashCode() + seq; }

    @Override
    public String toString() {
        return type + "[tag " + tag + " seq " + seq + " ack " + ack + " addr 0x" + Long.toHexString(address)
                + " value " + value + " " + data.length + " bytes]";
    }
}

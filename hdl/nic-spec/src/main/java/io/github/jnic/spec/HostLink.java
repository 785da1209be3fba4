package io.github.jnic.spec;

import java.util.List;

/**
 * The host link's messages: the card's host side (register accesses, its DMA, its interrupt line)
 * carried over a cable between a board's bridge and the host, as the bridge's RTL and the host's
 * link layer both read them.
 *
 * <p>Header, big-endian: {@code type u8, tag u8, seq u16, ack u16, address u64, value u32,
 * length u16}, then {@code length} data bytes. {@code seq} numbers the sender's sequenced messages
 * (every type but {@link Type#ACK}); {@code ack} is the next {@code seq} the sender expects from its
 * peer (cumulative, go-back-N). Fields a type does not use are zero. On Ethernet a message is the
 * payload of a frame of EtherType {@link #ETHERTYPE}; bytes after its data (the frame's padding)
 * are not part of it.
 */
public final class HostLink {
    private HostLink() {}

    /** IEEE 802 local experimental EtherType 1. */
    public static final int ETHERTYPE = 0x88B5;
    public static final int HEADER_BYTES = 20;
    /** The most data one message carries: a 1500-byte Ethernet payload less the header, rounded down to a power of two. */
    public static final int MAX_DATA = 1024;
    /** Where a message starts in its Ethernet frame: after the destination, the source and the EtherType. */
    public static final int FRAME_OFFSET = 14;

    /** Beats of a DMA_WRITE burst followed by one word of their strobes. */
    public static final int STROBE_GROUP = 8;

    /** The data bytes of a DMA_WRITE message carrying a burst of {@code beats} 8-byte beats. */
    public static int dmaWriteLength(int beats) {
        return 8 * beats + 8 * ((beats + STROBE_GROUP - 1) / STROBE_GROUP);
    }

    /** A header field: its first byte and its length in bytes. */
    public record Part(String name, int offset, int bytes) {
        public int bits() { return 8 * bytes; }
    }

    public static final Part TYPE = new Part("type", 0, 1);
    public static final Part TAG = new Part("tag", 1, 1);
    public static final Part SEQ = new Part("seq", 2, 2);
    public static final Part ACK = new Part("ack", 4, 2);
    public static final Part ADDRESS = new Part("address", 6, 8);
    public static final Part VALUE = new Part("value", 14, 4);
    public static final Part LENGTH = new Part("length", 18, 2);
    public static final List<Part> HEADER = List.of(TYPE, TAG, SEQ, ACK, ADDRESS, VALUE, LENGTH);

    public enum Type {
        /** host to board: read register {@code address}; answered by REG_DATA with the same tag. */
        REG_READ(1, true),
        /** host to board: write {@code value} to register {@code address}. */
        REG_WRITE(2, true),
        /** board to host: the value read for REG_READ {@code tag}. */
        REG_DATA(3, false),
        /** board to host: the card reads {@code value} bytes (1 to MAX_DATA) at {@code address}; tag names the read. */
        DMA_READ(0x10, false),
        /** host to board: the bytes for DMA_READ {@code tag} (all of them, one message). */
        DMA_DATA(0x11, true),
        /**
         * board to host: the card writes a burst of 8-byte beats from {@code address} (8-byte aligned),
         * the bytes whose strobes are set: {@code data} is the beats in groups of up to
         * {@link #STROBE_GROUP}, each group followed by one 8-byte word of its strobes (its byte
         * {@code i} the strobes of the group's beat {@code i}, bit {@code j} byte {@code j} of that beat).
         */
        DMA_WRITE(0x12, false),
        /** board to host: the interrupt line is now {@code value} (0 or 1). */
        IRQ(0x20, false),
        /** either way: acknowledges only (not sequenced, never acknowledged itself). */
        ACK(0x30, true);

        public final int code;
        /** Sent by the host (the board accepts it); ACK goes both ways. */
        public final boolean fromHost;

        Type(int code, boolean fromHost) {
            this.code = code;
            this.fromHost = fromHost;
        }

        public boolean sequenced() { return this != ACK; }

        /** The type of a code, or null. */
        public static Type of(int code) {
            for (Type t : values()) if (t.code == code) return t;
            return null;
        }
    }
}

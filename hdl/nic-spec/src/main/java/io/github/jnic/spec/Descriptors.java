package io.github.jnic.spec;

import static io.github.jnic.spec.Field.bit;
import static io.github.jnic.spec.Field.bytes;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The 16-byte descriptors of the receive and transmit rings, little-endian, as the 8254x's legacy
 * receive descriptor and its legacy, context and data transmit descriptors. A field's bits count
 * from bit 0 of the descriptor's first byte, so the RTL slices a 128-bit word and the driver reads
 * bytes with {@link #get}/{@link #put} from the same {@link Field}s.
 */
public final class Descriptors {
    private Descriptors() {}

    public static final int SIZE = 16;

    /** Receive descriptor (legacy). The card writes it back with DD written last. */
    public static final class Rx {
        private Rx() {}
        public static final Field ADDRESS = bytes("ADDRESS", 0, 8, "buffer address (driver)");
        public static final Field LENGTH = bytes("LENGTH", 8, 2, "bytes written into this buffer (card)");
        public static final Field CSUM = bytes("CSUM", 10, 2, "packet checksum: ones'-complement sum of the frame from RXCSUM.PCSS (card)");
        public static final Field STATUS = bytes("STATUS", 12, 1, "status (card)");
        public static final Field ERRORS = bytes("ERRORS", 13, 1, "errors (card)");
        public static final Field SPECIAL = bytes("SPECIAL", 14, 2, "VLAN tag, when VP (card)");
        public static final List<Field> FIELDS = List.of(ADDRESS, LENGTH, CSUM, STATUS, ERRORS, SPECIAL);

        /** Bits of STATUS. */
        public static final Field DD = bit("DD", 0, "descriptor done");
        public static final Field EOP = bit("EOP", 1, "end of packet: the frame's last buffer");
        public static final Field IXSM = bit("IXSM", 2, "ignore checksum indications (the engine did not check this frame)");
        public static final Field VP = bit("VP", 3, "802.1Q tag stripped into SPECIAL");
        public static final Field UDPCS = bit("UDPCS", 4, "UDP checksum checked");
        public static final Field TCPCS = bit("TCPCS", 5, "TCP checksum checked");
        public static final Field IPCS = bit("IPCS", 6, "IPv4 header checksum checked");
        public static final List<Field> STATUS_BITS = List.of(DD, EOP, IXSM, VP, UDPCS, TCPCS, IPCS);

        /** Bits of ERRORS. */
        public static final Field CE = bit("CE", 0, "CRC (FCS) error (only with RCTL.SBP)");
        public static final Field SE = bit("SE", 1, "symbol error (RX_ER)");
        public static final Field TCPE = bit("TCPE", 5, "TCP/UDP checksum error");
        public static final Field IPE = bit("IPE", 6, "IPv4 header checksum error");
        public static final Field RXE = bit("RXE", 7, "receive data error");
        public static final List<Field> ERROR_BITS = List.of(CE, SE, TCPE, IPE, RXE);
    }

    /** Transmit descriptor, legacy form (CMD.DEXT = 0). */
    public static final class TxLegacy {
        private TxLegacy() {}
        public static final Field ADDRESS = bytes("ADDRESS", 0, 8, "buffer address");
        public static final Field LENGTH = bytes("LENGTH", 8, 2, "bytes in this buffer");
        public static final Field CSO = bytes("CSO", 10, 1, "checksum offset: where to write the checksum (with CMD.IC)");
        public static final Field CMD = bytes("CMD", 11, 1, "command");
        public static final Field STATUS = bytes("STATUS", 12, 1, "status (card writes DD when CMD.RS)");
        public static final Field CSS = bytes("CSS", 13, 1, "checksum start");
        public static final Field SPECIAL = bytes("SPECIAL", 14, 2, "VLAN tag to insert (with CMD.VLE)");
        public static final List<Field> FIELDS = List.of(ADDRESS, LENGTH, CSO, CMD, STATUS, CSS, SPECIAL);
    }

    /** Bits of a transmit descriptor's command byte (legacy CMD and data DCMD share them). */
    public static final class TxCmd {
        private TxCmd() {}
        public static final Field EOP = bit("EOP", 0, "end of packet: the frame's last descriptor");
        public static final Field IFCS = bit("IFCS", 1, "insert the FCS (jnic's MAC always does)");
        public static final Field IC = bit("IC", 2, "legacy: insert checksum (CSS, CSO); data descriptor: TSE, TCP segmentation");
        public static final Field TSE = IC;
        public static final Field RS = bit("RS", 3, "report status: write DD back when done");
        public static final Field DEXT = bit("DEXT", 5, "extended descriptor (context or data, by DTYP)");
        public static final Field VLE = bit("VLE", 6, "insert the VLAN tag from SPECIAL");
        public static final Field IDE = bit("IDE", 7, "interrupt delay enable: TXDW for this descriptor goes through TIDV/TADV");
        public static final List<Field> BITS = List.of(EOP, IFCS, IC, RS, DEXT, VLE, IDE);
    }

    /** Bit of a transmit descriptor's status byte. */
    public static final Field TX_DD = bit("DD", 0, "descriptor done");

    /** Transmit context descriptor (DEXT = 1, DTYP = 0): checksum offload and TSO parameters. */
    public static final class TxContext {
        private TxContext() {}
        public static final Field IPCSS = bytes("IPCSS", 0, 1, "IP checksum start: the IPv4 header's first byte");
        public static final Field IPCSO = bytes("IPCSO", 1, 1, "IP checksum offset: where the header checksum goes");
        public static final Field IPCSE = bytes("IPCSE", 2, 2, "IP checksum end, inclusive (0: to the end of the frame)");
        public static final Field TUCSS = bytes("TUCSS", 4, 1, "TCP/UDP checksum start");
        public static final Field TUCSO = bytes("TUCSO", 5, 1, "TCP/UDP checksum offset: where the checksum goes (its seed already there)");
        public static final Field TUCSE = bytes("TUCSE", 6, 2, "TCP/UDP checksum end, inclusive (0: to the end)");
        public static final Field PAYLEN = new Field("PAYLEN", 64, 20, "TSO: payload bytes after the header, all segments");
        public static final Field DTYP = new Field("DTYP", 84, 4, "descriptor type: 0 = context, 1 = data");
        public static final Field TUCMD = bytes("TUCMD", 11, 1, "command");
        public static final Field STATUS = bytes("STATUS", 12, 1, "status (DD when TUCMD.RS)");
        public static final Field HDRLEN = bytes("HDRLEN", 13, 1, "TSO: header length, Ethernet + IP + TCP, bytes");
        public static final Field MSS = bytes("MSS", 14, 2, "TSO: maximum segment payload, bytes");
        public static final List<Field> FIELDS = List.of(IPCSS, IPCSO, IPCSE, TUCSS, TUCSO, TUCSE, PAYLEN, DTYP, TUCMD, STATUS, HDRLEN, MSS);

        /** Bits of TUCMD. */
        public static final Field TCP = bit("TCP", 0, "1 = TCP, 0 = UDP");
        public static final Field IP = bit("IP", 1, "1 = IPv4, 0 = IPv6");
        public static final Field TSE = bit("TSE", 2, "TCP segmentation");
        public static final Field RS = bit("RS", 3, "report status");
        public static final Field DEXT = bit("DEXT", 5, "extended: 1");
        public static final Field IDE = bit("IDE", 7, "interrupt delay enable");
        public static final List<Field> TUCMD_BITS = List.of(TCP, IP, TSE, RS, DEXT, IDE);
    }

    /** Transmit data descriptor (DEXT = 1, DTYP = 1). */
    public static final class TxData {
        private TxData() {}
        public static final Field ADDRESS = bytes("ADDRESS", 0, 8, "buffer address");
        public static final Field DTALEN = new Field("DTALEN", 64, 20, "bytes in this buffer");
        public static final Field DTYP = new Field("DTYP", 84, 4, "descriptor type: 1 = data");
        public static final Field DCMD = bytes("DCMD", 11, 1, "command (TxCmd bits; IC means TSE here)");
        public static final Field STATUS = bytes("STATUS", 12, 1, "status (DD when DCMD.RS)");
        public static final Field POPTS = bytes("POPTS", 13, 1, "packet options");
        public static final Field SPECIAL = bytes("SPECIAL", 14, 2, "VLAN tag to insert (with DCMD.VLE)");
        public static final List<Field> FIELDS = List.of(ADDRESS, DTALEN, DTYP, DCMD, STATUS, POPTS, SPECIAL);

        /** Bits of POPTS (first descriptor of a frame). */
        public static final Field IXSM = bit("IXSM", 0, "insert the IPv4 header checksum (context's IPCSS/IPCSO/IPCSE)");
        public static final Field TXSM = bit("TXSM", 1, "insert the TCP/UDP checksum (context's TUCSS/TUCSO/TUCSE)");
        public static final List<Field> POPTS_BITS = List.of(IXSM, TXSM);
    }

    public static final int DTYP_CONTEXT = 0;
    public static final int DTYP_DATA = 1;

    /**
     * Reads {@code field} of the descriptor at {@code base} in {@code ring} (whatever byte order is
     * set on it). Allocates nothing: drivers call it for every descriptor.
     */
    public static long get(ByteBuffer ring, int base, Field field) {
        int shift = shiftInHalf(field);
        return (half(ring, base, field) >>> shift) & valueMask(field);
    }

    /** Writes {@code value} into {@code field} of the descriptor at {@code base}, leaving its other bits. */
    public static void put(ByteBuffer ring, int base, Field field, long value) {
        long max = valueMask(field);
        if (field.width() < 64 && (value & ~max) != 0) throw new IllegalArgumentException(field.name() + " = " + value + " does not fit in " + field.width() + " bits");
        int shift = shiftInHalf(field);
        long word = (half(ring, base, field) & ~(max << shift)) | (value << shift);
        int at = base + 8 * (field.lsb() / 64);
        ring.putLong(at, ring.order() == ByteOrder.LITTLE_ENDIAN ? word : Long.reverseBytes(word));
    }

    /**
     * {@code value} where {@code field} lies in its 64-bit half: a driver ORs a half's fields together
     * and writes the descriptor with {@link #putHalves}, two stores instead of a read and a write per field.
     */
    public static long inHalf(Field field, long value) {
        if (field.width() < 64 && (value & ~valueMask(field)) != 0) throw new IllegalArgumentException(field.name() + " = " + value + " does not fit in " + field.width() + " bits");
        return value << shiftInHalf(field);
    }

    /** Writes the whole descriptor at {@code base}: its low half (bytes 0-7) and high half (8-15), as {@link #inHalf} builds them. */
    public static void putHalves(ByteBuffer ring, int base, long low, long high) {
        boolean little = ring.order() == ByteOrder.LITTLE_ENDIAN;
        ring.putLong(base, little ? low : Long.reverseBytes(low));
        ring.putLong(base + 8, little ? high : Long.reverseBytes(high));
    }

    /** The 64-bit little-endian half of the descriptor that holds {@code field}. */
    private static long half(ByteBuffer ring, int base, Field field) {
        long word = ring.getLong(base + 8 * (field.lsb() / 64));
        return ring.order() == ByteOrder.LITTLE_ENDIAN ? word : Long.reverseBytes(word);
    }

    /** Where {@code field} starts inside its half (no descriptor field spans the halves). */
    private static int shiftInHalf(Field field) {
        int half = field.lsb() / 64;
        if (field.msb() / 64 != half) throw new IllegalArgumentException(field.name() + " spans the descriptor's halves");
        return field.lsb() - 64 * half;
    }

    private static long valueMask(Field field) {
        return field.width() == 64 ? -1L : (1L << field.width()) - 1;
    }
}

package io.github.jnic.spec;

import static io.github.jnic.spec.Field.bit;
import static io.github.jnic.spec.Field.bits;
import static io.github.jnic.spec.Register.Access.RC;
import static io.github.jnic.spec.Register.Access.RO;
import static io.github.jnic.spec.Register.Access.RW;
import static io.github.jnic.spec.Register.Access.WO;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The card's register map: the one source of truth that the register file's RTL, the driver, the
 * tests and the table in docs/nic.md are built from. Names, offsets, units and bit positions are
 * the Intel 8254x (e1000) ones wherever the 8254x has the register, so its datasheet, QEMU's
 * {@code e1000.c} and Linux's {@code e1000e} explain jnic too; jnic's additions sit in space the
 * 8254x leaves free and are marked so ({@link Register#e1000()} false).
 *
 * <p>Timer units: RDTR, RADV, TIDV and TADV count 1.024 µs; ITR counts 256 ns.
 */
public final class Registers {
    private Registers() {}

    private static final List<Register> ALL = new ArrayList<>();

    private static Register e1000(String name, int offset, Register.Access access, long reset, String doc, Field... fields) {
        return add(new Register(name, offset, access, reset, true, doc, List.of(fields)));
    }

    private static Register jnic(String name, int offset, Register.Access access, long reset, String doc, Field... fields) {
        return add(new Register(name, offset, access, reset, false, doc, List.of(fields)));
    }

    private static Register add(Register r) {
        for (Register other : ALL) {
            if (other.offset() == r.offset()) throw new IllegalStateException(r.name() + " and " + other.name() + " share " + r.hexOffset());
        }
        ALL.add(r);
        return r;
    }

    // ---- device control --------------------------------------------------------------------------

    /** Device control. */
    public static final class Ctrl {
        private Ctrl() {}
        public static final Field FD = bit("FD", 0, "full duplex (always 1: the MAC is full duplex only)");
        public static final Field SLU = bit("SLU", 6, "set link up");
        public static final Field SPEED = bits("SPEED", 9, 8, "speed when not auto-detected: 0 = 10, 1 = 100, 2 = 1000 Mb/s");
        public static final Field RST = bit("RST", 26, "device reset: self-clearing; every register and both DMA engines return to reset, bus transactions in flight complete first");
        public static final Field VME = bit("VME", 30, "VLAN mode: strip an 802.1Q tag on receive into the descriptor's VLAN field (VP set)");
    }

    public static final Register CTRL = e1000("CTRL", 0x0000, RW, Ctrl.FD.of(1),
            "device control", Ctrl.FD, Ctrl.SLU, Ctrl.SPEED, Ctrl.RST, Ctrl.VME);

    /** Device status. */
    public static final class Status {
        private Status() {}
        public static final Field FD = bit("FD", 0, "full duplex");
        public static final Field LU = bit("LU", 1, "link up (the PHY's link, read over MDIO or from the PHY adapter)");
        public static final Field TXOFF = bit("TXOFF", 4, "transmission paused");
        public static final Field SPEED = bits("SPEED", 7, 6, "link speed: 0 = 10, 1 = 100, 2 = 1000 Mb/s");
    }

    public static final Register STATUS = e1000("STATUS", 0x0008, RO, 0,
            "device status", Status.FD, Status.LU, Status.TXOFF, Status.SPEED);

    /**
     * MDI control: the driver's access to a PHY register over MDIO, as the 8254x's MDIC. Writing
     * MDIC with OP = write or read starts the access (R reads 0 until it is done); when it is done R
     * is set and, for a read, DATA holds the PHY register's value. The card polls the PHY between
     * such accesses ({@code PhyMonitor}), so both never talk at once.
     */
    public static final class Mdic {
        private Mdic() {}
        public static final int OP_WRITE = 1, OP_READ = 2;
        public static final Field DATA = bits("DATA", 15, 0, "the value to write; after a read, the value read");
        public static final Field REGADD = bits("REGADD", 20, 16, "PHY register address");
        public static final Field PHYADD = bits("PHYADD", 25, 21, "PHY address");
        public static final Field OP = bits("OP", 27, 26, "operation: 1 = write, 2 = read (0 and 3 start nothing)");
        public static final Field R = bit("R", 28, "ready: set by the card when the access is done (writes do not store it)");
        public static final Field I = bit("I", 29, "interrupt at the end of the access (stored; jnic has no MDI cause, poll R)");
        public static final Field E = bit("E", 30, "error: the access failed (jnic's master does not detect failures; reads 0)");
    }

    public static final Register MDIC = e1000("MDIC", 0x0020, RW, 0, "MDI control: a PHY register access over MDIO",
            Mdic.DATA, Mdic.REGADD, Mdic.PHYADD, Mdic.OP, Mdic.R, Mdic.I, Mdic.E);

    /** VLAN Ether type compared with a frame's type field to recognise an 802.1Q tag. */
    public static final Register VET = e1000("VET", 0x0038, RW, 0x8100, "VLAN Ether type",
            bits("VET", 15, 0, "the tag protocol identifier (0x8100)"));

    // ---- interrupts ------------------------------------------------------------------------------

    /**
     * Interrupt causes: the bits of ICR, ICS, IMS and IMC. The 8254x's positions, and one jnic
     * cause, {@link #DMAERR}, in a bit the 8254x leaves reserved.
     */
    public static final class Cause {
        private Cause() {}
        public static final Field TXDW = bit("TXDW", 0, "transmit descriptor written back (RS descriptor done; moderated by TIDV/TADV for IDE descriptors)");
        public static final Field TXQE = bit("TXQE", 1, "transmit queue empty (TDH reached TDT)");
        public static final Field LSC = bit("LSC", 2, "link status change");
        public static final Field RXDMT0 = bit("RXDMT0", 4, "receive descriptors below the minimum threshold (RCTL.RDMTS)");
        public static final Field RXO = bit("RXO", 6, "receiver overrun: a frame was dropped for want of a descriptor or FIFO space");
        public static final Field RXT0 = bit("RXT0", 7, "receiver timer: frames were written back and the moderation (RDTR, RADV, RXFC) says tell the host");
        public static final Field DMAERR = bit("DMAERR", 24, "jnic: a DMA transfer got a bus error, or the driver broke a ring rule; the ring stopped (DMAES says which)");
        public static final Field INT_ASSERTED = bit("INT_ASSERTED", 31, "ICR only: the interrupt line is asserted (as e1000e)");
        public static final List<Field> ALL = List.of(TXDW, TXQE, LSC, RXDMT0, RXO, RXT0, DMAERR);
    }

    private static Field[] causes() {
        return Cause.ALL.toArray(Field[]::new);
    }

    public static final Register ICR = e1000("ICR", 0x00C0, RC, 0,
            "interrupt cause read: the pending causes; a read returns and clears them (a write of 1s also clears)", withAsserted());
    public static final Register ITR = e1000("ITR", 0x00C4, RW, 0,
            "interrupt throttling: the minimum interval between two interrupts, in 256 ns units (0 = no limit)",
            bits("INTERVAL", 15, 0, "minimum inter-interrupt interval, 256 ns units"));
    public static final Register ICS = e1000("ICS", 0x00C8, WO, 0, "interrupt cause set: writing 1s sets those causes (for tests and software)", causes());
    public static final Register IMS = e1000("IMS", 0x00D0, RW, 0, "interrupt mask set/read: writing 1s enables those causes; reads give the mask", causes());
    public static final Register IMC = e1000("IMC", 0x00D8, WO, 0, "interrupt mask clear: writing 1s disables those causes", causes());

    private static Field[] withAsserted() {
        List<Field> f = new ArrayList<>(Cause.ALL);
        f.add(Cause.INT_ASSERTED);
        return f.toArray(Field[]::new);
    }

    // ---- receive and transmit control ------------------------------------------------------------

    /** Receive control. */
    public static final class Rctl {
        private Rctl() {}
        public static final Field EN = bit("EN", 1, "receiver enable");
        public static final Field SBP = bit("SBP", 2, "store bad packets (frames with FCS errors go to the host, RXE set)");
        public static final Field UPE = bit("UPE", 3, "unicast promiscuous");
        public static final Field MPE = bit("MPE", 4, "multicast promiscuous");
        public static final Field LPE = bit("LPE", 5, "long packet enable: frames up to 9018 bytes (else 1518, 1522 tagged)");
        public static final Field RDMTS = bits("RDMTS", 9, 8, "RXDMT0 threshold: free descriptors below 1/2, 1/4, 1/8 of the ring");
        public static final Field MO = bits("MO", 13, 12, "multicast offset: which 12 destination-address bits index the MTA (0 = bits 47:36)");
        public static final Field BAM = bit("BAM", 15, "broadcast accept mode");
        public static final Field BSIZE = bits("BSIZE", 17, 16, "receive buffer size: 0 = 2048, 1 = 1024, 2 = 512, 3 = 256 bytes (x16 with BSEX)");
        public static final Field BSEX = bit("BSEX", 25, "buffer size extension: BSIZE 1, 2, 3 mean 16384, 8192, 4096 bytes");
        public static final Field SECRC = bit("SECRC", 26, "strip the FCS (jnic always strips it; the bit reads back as written)");
    }

    public static final Register RCTL = e1000("RCTL", 0x0100, RW, 0, "receive control",
            Rctl.EN, Rctl.SBP, Rctl.UPE, Rctl.MPE, Rctl.LPE, Rctl.RDMTS, Rctl.MO, Rctl.BAM, Rctl.BSIZE, Rctl.BSEX, Rctl.SECRC);

    /** Transmit control. */
    public static final class Tctl {
        private Tctl() {}
        public static final Field EN = bit("EN", 1, "transmitter enable");
        public static final Field PSP = bit("PSP", 3, "pad short packets to 64 bytes");
    }

    public static final Register TCTL = e1000("TCTL", 0x0400, RW, 0, "transmit control", Tctl.EN, Tctl.PSP);

    public static final Register TIPG = e1000("TIPG", 0x0410, RW, 12, "transmit inter-packet gap",
            bits("IPGT", 9, 0, "the gap between frames in byte times (at least 12)"));

    // ---- receive ring ----------------------------------------------------------------------------

    public static final Register RDBAL = e1000("RDBAL", 0x2800, RW, 0, "receive descriptor ring base, low 32 bits (16-byte aligned)",
            bits("RDBAL", 31, 4, "base address bits 31:4 (bits 3:0 read 0)"));
    public static final Register RDBAH = e1000("RDBAH", 0x2804, RW, 0, "receive descriptor ring base, high 32 bits",
            bits("RDBAH", 31, 0, "base address bits 63:32"));
    public static final Register RDLEN = e1000("RDLEN", 0x2808, RW, 0, "receive ring length in bytes, a multiple of 128 (8 descriptors)",
            bits("LEN", 19, 7, "length / 128"));
    public static final Register RDH = e1000("RDH", 0x2810, RW, 0, "receive head: the next descriptor the card fills (write only while the receiver is disabled)",
            bits("RDH", 15, 0, "descriptor index"));
    public static final Register RDT = e1000("RDT", 0x2818, RW, 0, "receive tail: one past the last descriptor the driver gave the card",
            bits("RDT", 15, 0, "descriptor index"));
    public static final Register RDTR = e1000("RDTR", 0x2820, RW, 0, "receive delay timer: restarted by every frame written back; 1.024 µs units",
            bits("DELAY", 15, 0, "packet timer, 1.024 µs units (0 = off)"),
            bit("FPD", 31, "flush partial descriptor block: writing 1 fires the pending receive interrupt now (self-clearing)"));
    public static final Register RADV = e1000("RADV", 0x282C, RW, 0, "receive absolute delay: started by the first frame after an interrupt, not restarted; 1.024 µs units",
            bits("DELAY", 15, 0, "absolute timer, 1.024 µs units (0 = off)"));

    // ---- transmit ring ---------------------------------------------------------------------------

    public static final Register TDBAL = e1000("TDBAL", 0x3800, RW, 0, "transmit descriptor ring base, low 32 bits (16-byte aligned)",
            bits("TDBAL", 31, 4, "base address bits 31:4 (bits 3:0 read 0)"));
    public static final Register TDBAH = e1000("TDBAH", 0x3804, RW, 0, "transmit descriptor ring base, high 32 bits",
            bits("TDBAH", 31, 0, "base address bits 63:32"));
    public static final Register TDLEN = e1000("TDLEN", 0x3808, RW, 0, "transmit ring length in bytes, a multiple of 128",
            bits("LEN", 19, 7, "length / 128"));
    public static final Register TDH = e1000("TDH", 0x3810, RW, 0, "transmit head: the next descriptor the card reads (write only while the transmitter is disabled)",
            bits("TDH", 15, 0, "descriptor index"));
    public static final Register TDT = e1000("TDT", 0x3818, RW, 0, "transmit tail, the doorbell: one past the last descriptor the driver queued",
            bits("TDT", 15, 0, "descriptor index"));
    public static final Register TIDV = e1000("TIDV", 0x3820, RW, 0, "transmit interrupt delay: restarted by every IDE descriptor written back; 1.024 µs units",
            bits("DELAY", 15, 0, "packet timer, 1.024 µs units (0 = off)"),
            bit("FPD", 31, "flush: writing 1 fires the pending transmit interrupt now (self-clearing)"));
    public static final Register TADV = e1000("TADV", 0x382C, RW, 0, "transmit absolute delay: started by the first IDE descriptor after an interrupt; 1.024 µs units",
            bits("DELAY", 15, 0, "absolute timer, 1.024 µs units (0 = off)"));

    // ---- receive filter and checksum -------------------------------------------------------------

    public static final Register RXCSUM = e1000("RXCSUM", 0x5000, RW, 0, "receive checksum control",
            bits("PCSS", 7, 0, "packet checksum start: the byte from which the descriptor's checksum field sums the frame"),
            bit("IPOFLD", 8, "verify IPv4 header checksums (IPCS, IPE)"),
            bit("TUOFLD", 9, "verify TCP and UDP checksums (TCPCS/UDPCS, TCPE)"));

    /** The multicast table array: 128 words, 4096 hash bits (bit = address bits chosen by RCTL.MO). */
    public static final int MTA = 0x5200;
    public static final int MTA_WORDS = 128;

    /** Receive address entries: RAL(n) at 0x5400 + 8n, RAH(n) at 0x5404 + 8n. */
    public static final int RECEIVE_ADDRESSES = 4;

    /** Receive address high: the top two bytes of an exact-match unicast entry and its valid bit. */
    public static final class Rah {
        private Rah() {}
        public static final Field RAH = bits("RAH", 15, 0, "address bytes 4 and 5 (byte 4 in bits 7:0)");
        public static final Field AV = bit("AV", 31, "address valid: the entry takes part in filtering");
    }

    public static int ral(int n) {
        return 0x5400 + 8 * n;
    }

    public static int rah(int n) {
        return 0x5404 + 8 * n;
    }

    /**
     * Registers that repeat with one layout: {@code <name><n>} at {@code offset + stride * n} for
     * n = 0 .. count - 1 (the docs table gives them one row).
     */
    public record Repeated(String name, int offset, int stride, int count, String doc) {
        /** True if {@code r} is one of them. */
        public boolean contains(Register r) {
            int d = r.offset() - offset;
            return d >= 0 && d % stride == 0 && d / stride < count && r.name().equals(name + d / stride);
        }
    }

    private static final List<Repeated> REPEATED = new ArrayList<>();

    /** The registers that repeat (RAL, RAH, MTA). */
    public static List<Repeated> repeated() {
        return Collections.unmodifiableList(REPEATED);
    }

    static {
        REPEATED.add(new Repeated("RAL", ral(0), 8, RECEIVE_ADDRESSES, "receive address n, bytes 0-3 (byte 0 in bits 7:0)"));
        REPEATED.add(new Repeated("RAH", rah(0), 8, RECEIVE_ADDRESSES, "receive address n, bytes 4-5 and valid"));
        REPEATED.add(new Repeated("MTA", MTA, 4, MTA_WORDS, "multicast table word n: hash bits 32n to 32n + 31"));
        for (int n = 0; n < RECEIVE_ADDRESSES; n++) {
            e1000("RAL" + n, ral(n), RW, 0, "receive address " + n + ", bytes 0-3 (byte 0 in bits 7:0)", bits("RAL", 31, 0, "address bytes 0-3"));
            e1000("RAH" + n, rah(n), RW, 0, "receive address " + n + ", bytes 4-5 and valid", Rah.RAH, Rah.AV);
        }
        for (int i = 0; i < MTA_WORDS; i++) {
            e1000("MTA" + i, MTA + 4 * i, RW, 0, "multicast table word " + i, bits("MTA", 31, 0, "hash bits " + (32 * i) + "-" + (32 * i + 31)));
        }
    }

    // ---- jnic additions (space the 8254x leaves free) ----------------------------------------------

    public static final Register JNICID = jnic("JNICID", 0x0E00, RO, 0x4A4E_0001L,
            "identifies the card: 'JN' in bits 31:16, the programming-model version in bits 15:0",
            bits("MAGIC", 31, 16, "0x4A4E ('JN')"), bits("VERSION", 15, 0, "1"));
    public static final Register RXFC = jnic("RXFC", 0x0E04, RW, 0,
            "receive frame-count threshold (ethtool rx-frames): RXT0 fires once this many frames are written back since the last interrupt (0 = off)",
            bits("FRAMES", 15, 0, "frames"));
    /**
     * Adaptive interrupt moderation (docs/nic.md, "Interrupt moderation"): the card counts the frames
     * written back in each window of {@link #WINDOW_UNITS} × 1.024 µs; a frame seen while the count
     * (of the last window or of this one) is at most SPARSE interrupts at once, otherwise the frame
     * starts a batch that ends after FRAMES frames or after a delay the card derives from the
     * count (the time FRAMES frames take at that rate, to within a factor of 2), capped by MAXDELAY.
     */
    public static final class Aim {
        private Aim() {}
        /** The rate window, in 1.024 µs units (a power of two). */
        public static final int WINDOW_UNITS = 128;
        /**
         * Bytes per window (frame lengths as written back) at or above which the wire is busy and
         * MAXDELAY no longer caps the delay: three quarters of the 16 384 bytes a gigabit wire
         * carries in a window. There latency is the queue's anyway, and only a longer delay keeps
         * large frames at FRAMES per interrupt (100 frames of 1518 bytes take 1.23 ms).
         */
        public static final int BUSY_BYTES = 12_288;
        public static final Field EN = bit("EN", 0, "adaptive mode on: the card sets its own receive delay from the frame rate it sees (RDTR, RADV, RXFC are not used for receive while on; ITR and the transmit timers still apply)");
        public static final Field SPARSE = bits("SPARSE", 7, 4, "frames per window at or below which traffic is sparse: each frame interrupts at once");
        public static final Field FRAMES = bits("FRAMES", 15, 8, "frames per interrupt to aim at under load (0 acts as 1)");
        public static final Field MAXDELAY = bits("MAXDELAY", 31, 16, "the longest delay the adaptive mode may choose while the wire is not busy, 1.024 µs units (0 = no cap)");
    }

    /** Adaptive interrupt moderation: the card chooses the receive moderation itself (docs/nic.md). */
    public static final Register AIM = jnic("AIM", 0x0E08, RW, 0, "adaptive interrupt moderation control",
            Aim.EN, Aim.SPARSE, Aim.FRAMES, Aim.MAXDELAY);
    /** DMA error status: which ring stopped and why (DMAERR cause). */
    public static final class Dmaes {
        private Dmaes() {}
        public static final Field RX_STOPPED = bit("RX_STOPPED", 0, "the receive ring stopped on an error (restart: reset, or disable and re-enable RCTL.EN)");
        public static final Field TX_STOPPED = bit("TX_STOPPED", 1, "the transmit ring stopped on an error (restart: reset, or disable and re-enable TCTL.EN)");
        public static final Field BUS_ERROR = bit("BUS_ERROR", 4, "an AXI read or write answered SLVERR or DECERR");
        public static final Field BAD_RING = bit("BAD_RING", 5, "the driver broke a ring rule: a length not a multiple of 128, a head or tail past the ring");
        public static final Field BAD_DESCRIPTOR = bit("BAD_DESCRIPTOR", 6, "a transmit descriptor of length 0 or a frame longer than the card can send");
    }

    public static final Register DMAES = jnic("DMAES", 0x0E0C, RO, 0, "DMA error status (cleared by reset or by re-enabling the ring)",
            Dmaes.RX_STOPPED, Dmaes.TX_STOPPED, Dmaes.BUS_ERROR, Dmaes.BAD_RING, Dmaes.BAD_DESCRIPTOR);
    public static final Register DMAEAL = jnic("DMAEAL", 0x0E10, RO, 0, "the bus address of the first DMA error, low 32 bits", bits("ADDR", 31, 0, "address bits 31:0"));
    public static final Register DMAEAH = jnic("DMAEAH", 0x0E14, RO, 0, "the bus address of the first DMA error, high 32 bits", bits("ADDR", 31, 0, "address bits 63:32"));

    // ---- statistics (read to clear, as the 8254x's) --------------------------------------------

    private static final List<Statistic> STATS = new ArrayList<>();

    private static Register stat(String name, int offset, String doc) {
        return counter(e1000(name, offset, RC, 0, doc, bits("COUNT", 31, 0, "count")));
    }

    private static Register jnicStat(String name, int offset, String doc) {
        return counter(jnic(name, offset, RC, 0, doc, bits("COUNT", 31, 0, "count")));
    }

    private static Register counter(Register r) {
        STATS.add(new Statistic(r.name(), r, null));
        return r;
    }

    /** A 64-bit count read as {@code <name>L} at {@code offset} and {@code <name>H} after it. */
    private static Statistic stat64(String name, int offset, String doc) {
        Register low = e1000(name + "L", offset, RC, 0, doc + ", low 32 bits (read " + name + "L first: it latches " + name + "H)", bits("COUNT", 31, 0, "count bits 31:0"));
        Register high = e1000(name + "H", offset + 4, RC, 0, doc + ", high 32 bits", bits("COUNT", 31, 0, "count bits 63:32"));
        Statistic s = new Statistic(name, low, high);
        STATS.add(s);
        return s;
    }

    public static final Register CRCERRS = stat("CRCERRS", 0x4000, "frames received with an FCS error");
    public static final Register RXERRC = stat("RXERRC", 0x400C, "frames received with a PHY error (RX_ER)");
    public static final Register MPC = stat("MPC", 0x4010, "missed packets: frames dropped for want of a descriptor or receive FIFO space");
    public static final Register GPRC = stat("GPRC", 0x4074, "good packets received (passed the filter, written to host memory)");
    public static final Register BPRC = stat("BPRC", 0x4078, "broadcast packets received");
    public static final Register MPRC = stat("MPRC", 0x407C, "multicast packets received");
    public static final Register GPTC = stat("GPTC", 0x4080, "good packets transmitted");
    public static final Statistic GORC = stat64("GORC", 0x4088, "good octets received");
    public static final Register GORCL = GORC.low(), GORCH = GORC.high();
    public static final Statistic GOTC = stat64("GOTC", 0x4090, "good octets transmitted");
    public static final Register GOTCL = GOTC.low(), GOTCH = GOTC.high();
    public static final Register RNBC = stat("RNBC", 0x40A0, "receive no buffers: frames dropped because the ring had no free descriptor");
    public static final Register RUC = stat("RUC", 0x40A4, "receive undersize: frames shorter than 64 bytes with a good FCS");
    public static final Register ROC = stat("ROC", 0x40AC, "receive oversize: frames longer than the maximum with a good FCS");
    public static final Register TPR = stat("TPR", 0x40D0, "total packets received (before the address filter)");
    public static final Register TPT = stat("TPT", 0x40D4, "total packets transmitted");
    public static final Register MPTC = stat("MPTC", 0x40F0, "multicast packets transmitted");
    public static final Register BPTC = stat("BPTC", 0x40F4, "broadcast packets transmitted");
    public static final Register TSCTC = stat("TSCTC", 0x40F8, "TCP segmentation contexts transmitted");
    public static final Register TSCTFC = stat("TSCTFC", 0x40FC, "TCP segmentation contexts that failed (bad request: not sent)");
    public static final Register DMAEC = jnicStat("DMAEC", 0x4100, "DMA transfers answered with a bus error");
    public static final Register DDEC = jnicStat("DDEC", 0x4104, "driver errors: ring rules broken, bad transmit descriptors");
    public static final Register RFILT = jnicStat("RFILT", 0x4108, "frames dropped by the address filter");

    /** The statistics (read to clear), in the order declared: each 32-bit count, and the 64-bit pairs. */
    public static List<Statistic> statistics() {
        return Collections.unmodifiableList(STATS);
    }

    /** The statistic that {@code r} is (a half of), or null. */
    public static Statistic statistic(Register r) {
        for (Statistic s : STATS) if (s.low() == r || s.high() == r) return s;
        return null;
    }

    /**
     * The bits of a read-write register that a write stores and a read gives back: its fields'
     * bits less the commands that clear themselves (CTRL.RST, RDTR.FPD, TIDV.FPD) and the status
     * the card sets (MDIC.R, MDIC.E). 0 for a register that is not read-write.
     */
    public static long storedBits(Register r) {
        if (r.access() != RW) return 0;
        long mask = 0;
        for (Field f : r.fields()) mask |= f.mask();
        if (r == CTRL) mask &= ~Ctrl.RST.mask();
        if (r == RDTR || r == TIDV) mask &= ~r.field("FPD").mask();
        if (r == MDIC) mask &= ~(Mdic.R.mask() | Mdic.E.mask());
        return mask;
    }

    /** Every register, in the order declared (the docs table's order). */
    public static List<Register> all() {
        return Collections.unmodifiableList(ALL);
    }

    /** The register at {@code offset}, or null. */
    public static Register at(int offset) {
        for (Register r : ALL) if (r.offset() == offset) return r;
        return null;
    }
}

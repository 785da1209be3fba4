package io.github.jnic.driver;

import static io.github.jnic.spec.Descriptors.SIZE;

import io.github.jnic.net.buf.BufferPool;
import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.net.dev.NetDevice;
import io.github.jnic.net.stats.Counter;
import io.github.jnic.net.stats.Counters;
import io.github.jnic.net.wire.Bytes;
import io.github.jnic.net.wire.Checksum;
import io.github.jnic.spec.Descriptors;
import io.github.jnic.spec.Descriptors.Rx;
import io.github.jnic.spec.Descriptors.TxCmd;
import io.github.jnic.spec.Descriptors.TxContext;
import io.github.jnic.spec.Descriptors.TxData;
import io.github.jnic.spec.Descriptors.TxLegacy;
import io.github.jnic.spec.Field;
import io.github.jnic.spec.Register;
import io.github.jnic.spec.Registers;
import io.github.jnic.spec.Registers.Cause;
import io.github.jnic.spec.Registers.Ctrl;
import io.github.jnic.spec.Registers.Rctl;
import io.github.jnic.spec.Registers.Status;
import io.github.jnic.spec.Registers.Tctl;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The driver of the jnic card, a {@link NetDevice} for the stack. Read it top to bottom: bring-up,
 * transmit, receive, the interrupt (NAPI), then settings and statistics.
 *
 * <p>Memory. Each ring is an array of 16-byte descriptors in DMA memory, and each descriptor has a
 * buffer of its own beside it (a "slot"). The stack's packets live on the Java heap, where the card
 * cannot reach, so their headers are copied into slots. A payload the stack gathers from buffers
 * allocated in the driver's DMA memory ({@link #dmaBuffers}) is not copied: one descriptor per
 * piece points at it, and the frame is kept until the card has written DD past it; unless the
 * frame is no longer than the copybreak ({@link Config#txCopyBreak}), which costs less copied.
 * Any other frame is copied whole into its slots (its gathered payload read where it lies). On receive, a
 * frame is copied from the slots into a pooled buffer the stack reads where it lies. Nothing is
 * allocated per frame.
 *
 * <p>Called from the stack thread only.
 */
public final class NicDriver implements NetDevice {

    /** How the driver sets up the card. */
    public static final class Config {
        public String name = "jnic0";
        /** The station address, written into the card's first receive address entry. */
        public byte[] mac = {0x02, 0x4a, 0x4e, 0, 0, 1};
        public int mtu = 1500;
        /** Descriptors per ring: a multiple of 8 (RDLEN/TDLEN count 128-byte blocks). */
        public int rxRingSize = 256;
        public int txRingSize = 256;
        /** Receive buffer per descriptor: 256, 512, 1024, 2048 (BSIZE) or 4096, 8192, 16384 (BSEX). */
        public int rxBufferSize = 2048;
        /** Transmit slot per descriptor; a larger frame spans several descriptors. */
        public int txBufferSize = 2048;
        /**
         * Copybreak: a frame of at most this many bytes is copied into its slots even when its
         * pieces lie in the driver's DMA memory (one descriptor, nothing held until DD), a longer
         * one is sent where it lies; 0 sends every such frame where it lies. A 1514-byte frame
         * costs less copied than as three descriptors held until their DD.
         */
        public int txCopyBreak = 2048;
        /** NAPI budget: frames handled per poll before the interrupt stays masked and polling goes on. */
        public int napiBudget = 64;
        /**
         * RCTL.RDMTS: RXDMT0 (enabled) is raised when the descriptors the card still owns fall to
         * 1/2 (0), 1/4 (1) or 1/8 (2) of the ring. e1000e sets 1/2; a lower one lets a moderated
         * batch grow past half the ring, at the price of less warning before the ring runs dry.
         */
        public int rxLowThreshold = 0;
        /** Transmit checksum offload and TSO (the card's offload engines); off unless the card has them. */
        public boolean txOffload;
        /** Receive checksum verdicts (RXCSUM.IPOFLD/TUOFLD). */
        public boolean rxChecksum;
        /** Strip 802.1Q tags into the descriptor (CTRL.VME); the driver puts them back for the stack. */
        public boolean vlanStrip;
        public Coalescing coalescing = Coalescing.defaults();
    }

    /** What the card's moderation is set to raise, and what the driver enables in IMS. */
    private static final int CAUSES = (int) (Cause.RXT0.mask() | Cause.RXO.mask() | Cause.RXDMT0.mask()
            | Cause.TXDW.mask() | Cause.LSC.mask() | Cause.DMAERR.mask());
    private static final int ALL_CAUSES = -1 & ~(int) Cause.INT_ASSERTED.mask();
    private static final int RESET_POLLS = 1000;
    private static final int RX_HEADROOM = PacketBuffer.DEFAULT_HEADROOM;
    private static final int ETHERNET_HEADER = 14, VLAN_TAG = 4;

    private final HostBus bus;
    private final Config config;
    private final Set<Feature> features;
    private final Counters counters = new Counters();

    // Receive ring: the card owns [RDH, RDT); the driver cleans from rxNext and holds the slot before it.
    private final int rxSize;
    private final DmaMemory rxRing;
    private final DmaMemory rxBuffers;
    private final ByteBuffer rxDesc;
    private final BufferPool rxPool;
    private int rxNext;
    private PacketBuffer rxFrame;        // a frame whose first descriptors were seen, not yet its EOP
    private boolean rxFrameBad;

    // Transmit ring: the driver fills from txTail, the card sends up to TDT, the driver reclaims from txClean.
    private final int txSize;
    private final DmaMemory txRing;
    private final DmaMemory txBuffers;
    private final ByteBuffer txDesc;
    private int txTail;
    private int txClean;
    private int txDoorbell;              // the TDT last written
    private final int[] txReports;       // descriptors with RS, oldest first: what cleaning waits on
    private int txReportsHead, txReportsCount;
    private int txLastEop = -1;          // the last frame's EOP descriptor since the doorbell
    private int txSinceReport;
    private long txContextKey = -1;      // the offload context the card holds
    private final PacketBuffer[] txHeld; // at a frame's EOP descriptor: a frame sent without a copy, until the card has read it
    private int txHeldCount;
    private final DmaBuffers dmaBuffers;

    // The interrupt.
    private boolean polling;
    private boolean linkUp;
    private final long[] causeCounts = new long[32];
    private long interrupts, polls, pollsAtBudget;
    private final long[] cardStats;
    private final Register[] statRegisters;

    private final Counter rxFrames, rxBytes, txFrames, txBytes, txZeroCopy, txZeroCopyBytes, txCopyFallback, txCopyBreak, txCopiedBytes, rxChecksumGood, rxChecksumBad, rxVlan, txContexts, txTso,
            dropRxErrors, dropRxOversize, dropTxBusy, dropTxOversize, resets, dmaErrors;

    public NicDriver(HostBus bus, Config config) {
        this.bus = bus;
        this.config = config;
        if (config.rxRingSize % 8 != 0 || config.txRingSize % 8 != 0 || config.rxRingSize < 8 || config.txRingSize < 8) {
            throw new IllegalArgumentException("ring sizes must be multiples of 8: " + config.rxRingSize + ", " + config.txRingSize);
        }
        rxBufferSizeBits(config.rxBufferSize);   // refuses a size the card cannot be told
        if (config.rxLowThreshold < 0 || config.rxLowThreshold > 2) throw new IllegalArgumentException("RDMTS 0, 1 or 2: " + config.rxLowThreshold);
        rxSize = config.rxRingSize;
        txSize = config.txRingSize;
        rxRing = bus.allocate(rxSize * SIZE, 128);
        rxBuffers = bus.allocate(rxSize * config.rxBufferSize, 4096);
        txRing = bus.allocate(txSize * SIZE, 128);
        txBuffers = bus.allocate(txSize * config.txBufferSize, 4096);
        rxDesc = rxRing.bytes();
        txDesc = txRing.bytes();
        txReports = new int[txSize];
        txHeld = new PacketBuffer[txSize];
        dmaBuffers = new DmaBuffers(bus);
        int frameMax = config.mtu + ETHERNET_HEADER + VLAN_TAG;
        rxPool = new BufferPool(RX_HEADROOM + frameMax, rxSize + config.napiBudget);

        features = EnumSet.of(Feature.SCATTER_GATHER);
        if (config.rxChecksum) features.add(Feature.RX_CHECKSUM);
        if (config.txOffload) {
            features.add(Feature.TX_CHECKSUM);
            // A TSO frame (64 KiB at most) must fit in the ring with its context descriptor.
            if ((0x10000 + config.txBufferSize - 1) / config.txBufferSize + 2 < txSize) features.add(Feature.TSO);
        }

        String l = "nic";
        rxFrames = counters.stat(l, "rx-frames", "frames handed to the stack");
        rxBytes = counters.stat(l, "rx-bytes", "bytes handed to the stack");
        txFrames = counters.stat(l, "tx-frames", "frames queued on the transmit ring");
        txBytes = counters.stat(l, "tx-bytes", "bytes queued on the transmit ring");
        txZeroCopy = counters.stat(l, "tx-zero-copy", "frames whose gathered pieces the card read where they lie (the driver's DMA memory)");
        txZeroCopyBytes = counters.stat(l, "tx-zero-copy-bytes", "bytes the card read from those pieces, not copied");
        txCopyFallback = counters.stat(l, "tx-copy-fallback", "frames with pieces outside the driver's DMA memory, copied into slots");
        txCopyBreak = counters.stat(l, "tx-copybreak", "frames with gathered pieces but no longer than the copybreak (Config.txCopyBreak), copied into slots");
        txCopiedBytes = counters.stat(l, "tx-copied-bytes", "bytes copied into transmit slots (whole frames, or the headers of those sent without a copy)");
        rxChecksumGood = counters.stat(l, "rx-checksum-good", "frames the card vouched for (TCPCS/UDPCS)");
        rxChecksumBad = counters.stat(l, "rx-checksum-bad", "frames the card found a bad TCP/UDP checksum in (TCPE)");
        rxVlan = counters.stat(l, "rx-vlan", "802.1Q tags the card stripped (VP) and the driver put back");
        txContexts = counters.stat(l, "tx-contexts", "context descriptors written (offload parameters changed)");
        txTso = counters.stat(l, "tx-tso", "frames handed to the card to segment (TSO)");
        dropRxErrors = counters.drop(l, "rx-errors", "frames the card marked bad (RXE, CE, SE)");
        dropRxOversize = counters.drop(l, "rx-oversize", "frames longer than the driver's buffers");
        dropTxBusy = counters.drop(l, "tx-ring-full", "frames refused: no free transmit descriptors (the stack keeps them)");
        dropTxOversize = counters.drop(l, "tx-oversize", "frames too long for the ring");
        resets = counters.stat(l, "resets", "card resets (bring-up and recovery from a DMA error)");
        dmaErrors = counters.drop(l, "dma-errors", "DMA errors the card reported (a ring stopped; the driver reset the card)");

        int n = 0;
        for (Register r : Registers.all()) if (isStatistic(r)) n++;
        statRegisters = new Register[n];
        n = 0;
        for (Register r : Registers.all()) if (isStatistic(r)) statRegisters[n++] = r;
        cardStats = new long[n];

        bringUp();
    }

    // ---- bring-up ----------------------------------------------------------------------------

    /** Resets the card and sets it up: address filter, both rings, moderation, interrupts, link. */
    private void bringUp() {
        reset();
        long id = bus.read(Registers.JNICID) & 0xffffffffL;
        if (Registers.JNICID.field("MAGIC").get(id) != Registers.JNICID.field("MAGIC").get(Registers.JNICID.reset())) {
            throw new IllegalStateException(String.format("not a jnic card: JNICID = 0x%08x", id));
        }
        setAddress(config.mac);
        for (int i = 0; i < Registers.MTA_WORDS; i++) bus.write(Registers.MTA + 4 * i, 0);
        initRx();
        initTx();
        setCoalescing(config.coalescing);
        int ctrl = bus.read(Registers.CTRL) | (int) Ctrl.SLU.mask();
        if (config.vlanStrip) ctrl |= (int) Ctrl.VME.mask();
        bus.write(Registers.CTRL, ctrl);
        linkUp = Status.LU.isSet(bus.read(Registers.STATUS));
        polling = false;
        bus.write(Registers.IMS, CAUSES);
    }

    /** CTRL.RST, then wait for the card to clear it; interrupts off and causes cleared. */
    private void reset() {
        bus.write(Registers.IMC, ALL_CAUSES);
        bus.write(Registers.CTRL, bus.read(Registers.CTRL) | (int) Ctrl.RST.mask());
        int polls = 0;
        while (Ctrl.RST.isSet(bus.read(Registers.CTRL))) {
            if (++polls > RESET_POLLS) throw new IllegalStateException("the card did not leave reset");
        }
        bus.write(Registers.IMC, ALL_CAUSES);
        bus.read(Registers.ICR);
        resets.increment();
    }

    private void setAddress(byte[] mac) {
        int low = (mac[0] & 0xff) | (mac[1] & 0xff) << 8 | (mac[2] & 0xff) << 16 | (mac[3] & 0xff) << 24;
        int high = (int) (Registers.Rah.RAH.of((mac[4] & 0xff) | (mac[5] & 0xff) << 8) | Registers.Rah.AV.mask());
        bus.write(Registers.ral(0), low);
        bus.write(Registers.rah(0), high);
    }

    /** Every receive descriptor gets its slot; the card is given all but one (RDT one behind RDH). */
    private void initRx() {
        for (int i = 0; i < rxSize; i++) {
            int d = i * SIZE;
            rxDesc.putLong(d, 0);
            rxDesc.putLong(d + 8, 0);
            Descriptors.put(rxDesc, d, Rx.ADDRESS, rxBuffers.busAddress(i * config.rxBufferSize));
        }
        if (rxFrame != null) rxFrame.release();
        rxFrame = null;
        rxNext = 0;
        bus.write(Registers.RDBAL, (int) rxRing.busAddress());
        bus.write(Registers.RDBAH, (int) (rxRing.busAddress() >>> 32));
        bus.write(Registers.RDLEN, rxSize * SIZE);
        bus.write(Registers.RDH, 0);
        bus.write(Registers.RDT, 0);
        if (config.rxChecksum) {
            Register c = Registers.RXCSUM;
            bus.write(c, (int) (c.field("PCSS").of(ETHERNET_HEADER) | c.field("IPOFLD").mask() | c.field("TUOFLD").mask()));
        }
        long rctl = Rctl.EN.mask() | Rctl.BAM.mask() | Rctl.SECRC.mask() | Rctl.RDMTS.of(config.rxLowThreshold) | rxBufferSizeBits(config.rxBufferSize);
        if (config.mtu > 1500) rctl |= Rctl.LPE.mask();
        bus.write(Registers.RCTL, (int) rctl);
        bus.write(Registers.RDT, rxSize - 1);
    }

    /** RCTL's BSIZE and BSEX for a buffer size. */
    private static long rxBufferSizeBits(int size) {
        return switch (size) {
            case 2048 -> Rctl.BSIZE.of(0);
            case 1024 -> Rctl.BSIZE.of(1);
            case 512 -> Rctl.BSIZE.of(2);
            case 256 -> Rctl.BSIZE.of(3);
            case 16384 -> Rctl.BSIZE.of(1) | Rctl.BSEX.mask();
            case 8192 -> Rctl.BSIZE.of(2) | Rctl.BSEX.mask();
            case 4096 -> Rctl.BSIZE.of(3) | Rctl.BSEX.mask();
            default -> throw new IllegalArgumentException("receive buffers of " + size + " bytes: the card takes 256 to 16384, powers of two");
        };
    }

    private void initTx() {
        releaseHeld(txClean, txTail);   // after the reset nothing reads them
        for (int i = 0; i < txSize * SIZE; i += 8) txDesc.putLong(i, 0);
        txTail = txClean = txDoorbell = 0;
        txReportsHead = txReportsCount = 0;
        txLastEop = -1;
        txSinceReport = 0;
        txContextKey = -1;
        bus.write(Registers.TDBAL, (int) txRing.busAddress());
        bus.write(Registers.TDBAH, (int) (txRing.busAddress() >>> 32));
        bus.write(Registers.TDLEN, txSize * SIZE);
        bus.write(Registers.TDH, 0);
        bus.write(Registers.TDT, 0);
        bus.write(Registers.TCTL, (int) (Tctl.EN.mask() | Tctl.PSP.mask()));
    }

    // ---- transmit ----------------------------------------------------------------------------

    /**
     * Puts a frame on the transmit ring: a context descriptor if its offload differs from the one
     * the card holds, then its data: a frame whose gathered pieces all lie in the driver's DMA
     * memory ({@link #dmaBuffers}) as one descriptor for its headers (copied into their slot), one
     * per piece, read by the card where it lies, and one for any bytes after them; any other frame
     * copied slot by slot, one descriptor each. EOP on the last. The card hears of it at the doorbell
     * ({@link #flush}). A frame sent without a copy is kept until the card has read it ({@link #cleanTx}).
     */
    @Override public boolean transmit(PacketBuffer frame) {
        int len = frame.length();
        boolean offload = frame.checksumRequested() && features.contains(Feature.TX_CHECKSUM);
        boolean tso = offload && frame.segmentSize() > 0 && features.contains(Feature.TSO);
        if (!offload && frame.checksumRequested()) frame.completeChecksum();
        if ((!tso && len > config.mtu + ETHERNET_HEADER + VLAN_TAG) || len > 0xffff + ETHERNET_HEADER + VLAN_TAG || len == 0) {
            dropTxOversize.increment();
            frame.release();
            return true;
        }
        boolean zeroCopy = frame.gathers() && len > config.txCopyBreak && gathersInPlace(frame, tso);
        int head = zeroCopy ? frame.gatherAt() - frame.start() : 0, tail = zeroCopy ? frame.end() - frame.gatherAt() - frame.gatherLength() : 0;
        int data = zeroCopy ? 1 + frame.pieces() + (tail > 0 ? 1 : 0) : (len + config.txBufferSize - 1) / config.txBufferSize;
        long key = offload ? contextKey(frame, tso) : -1;
        boolean context = offload && (tso || key != txContextKey);
        int need = data + (context ? 1 : 0);
        if (need > txFree()) {
            cleanTx();
            if (need > txFree()) {
                dropTxBusy.increment();
                return false;
            }
        }
        if (context) writeContext(frame, tso, key);
        int first = txTail;
        if (zeroCopy) {
            copyIntoSlot(frame, 0, head, offload, tso, true, false);
            for (int i = 0; i < frame.pieces(); i++) {
                long bus = dmaBuffers.busAddress(frame.pieceAddress(i), frame.pieceLength(i));
                describe(bus, frame.pieceLength(i), offload, tso, false, tail == 0 && i == frame.pieces() - 1);
            }
            if (tail > 0) copyIntoSlot(frame, len - tail, tail, offload, tso, false, true);
            txZeroCopy.increment();
            txZeroCopyBytes.add(frame.gatherLength());
        } else {
            if (frame.gathers()) (len > config.txCopyBreak ? txCopyFallback : txCopyBreak).increment();
            for (int off = 0; off < len; off += config.txBufferSize) {
                int n = Math.min(config.txBufferSize, len - off);
                copyIntoSlot(frame, off, n, offload, tso, off == 0, off + n == len);
            }
        }
        if (tso) prepareTso(frame, first);
        int eop = txLastEop;
        if (++txSinceReport >= config.coalescing.txReportEvery()) reportStatus();
        txFrames.increment();
        txBytes.add(len);
        if (zeroCopy) {
            // its pieces are read by the card after the doorbell: released once DD says they were
            txHeld[eop] = frame;
            txHeldCount++;
        } else {
            frame.release();
        }
        return true;
    }

    /**
     * Whether the card can read a frame's pieces where they lie: each in one region of the driver's
     * DMA memory, after headers that fit one slot (for TSO the whole header, which the driver
     * patches there), and at most a slot's worth of bytes after them.
     */
    private boolean gathersInPlace(PacketBuffer frame, boolean tso) {
        int head = frame.gatherAt() - frame.start(), tail = frame.end() - frame.gatherAt() - frame.gatherLength();
        if (head == 0 || head > config.txBufferSize || tail > config.txBufferSize) return false;
        if (tso && head < tsoHeaderLength(frame)) return false;
        for (int i = 0; i < frame.pieces(); i++) {
            if (dmaBuffers.busAddress(frame.pieceAddress(i), frame.pieceLength(i)) < 0) return false;
        }
        return true;
    }

    /** Copies {@code n} of the frame's bytes from {@code off} into the next descriptor's slot and describes them. */
    private void copyIntoSlot(PacketBuffer frame, int off, int n, boolean offload, boolean tso, boolean first, boolean eop) {
        int slot = txTail * config.txBufferSize;
        frame.copyTo(off, n, txBuffers.bytes(), slot);
        txCopiedBytes.add(n);
        describe(txBuffers.busAddress(slot), n, offload, tso, first, eop);
    }

    /** The next descriptor: {@code n} bytes at bus {@code address}, a data descriptor with offload, else legacy. */
    private void describe(long address, int n, boolean offload, boolean tso, boolean first, boolean eop) {
        if (offload) writeData(txTail, address, n, eop, tso, first);
        else writeLegacy(txTail, address, n, eop);
        if (eop) txLastEop = txTail;
        txTail = next(txTail, txSize);
    }

    /** Descriptors the driver may still fill (one stays empty, so a full ring is not TDH == TDT). */
    private int txFree() {
        return txSize - 1 - Math.floorMod(txTail - txClean, txSize);
    }

    private void writeLegacy(int index, long address, int n, boolean eop) {
        Descriptors.putHalves(txDesc, index * SIZE, address, Descriptors.inHalf(TxLegacy.LENGTH, n) | Descriptors.inHalf(TxLegacy.CMD, command(eop)));
    }

    private void writeData(int index, long address, int n, boolean eop, boolean tso, boolean first) {
        long cmd = command(eop) | TxCmd.DEXT.mask() | (tso ? TxCmd.TSE.mask() : 0);
        long high = Descriptors.inHalf(TxData.DTALEN, n) | Descriptors.inHalf(TxData.DTYP, Descriptors.DTYP_DATA) | Descriptors.inHalf(TxData.DCMD, cmd);
        if (first) high |= Descriptors.inHalf(TxData.POPTS, TxData.TXSM.mask() | (tso ? TxData.IXSM.mask() : 0));
        Descriptors.putHalves(txDesc, index * SIZE, address, high);
    }

    /** A data or legacy descriptor's command: FCS, EOP on the frame's last, IDE when tx-usecs is set. */
    private long command(boolean eop) {
        return TxCmd.IFCS.mask() | (eop ? TxCmd.EOP.mask() : 0) | (config.coalescing.txDelayed() ? TxCmd.IDE.mask() : 0);
    }

    /** What a checksum-offload context is made of (a TSO context is written for every TSO frame). */
    private static long contextKey(PacketBuffer frame, boolean tso) {
        long css = frame.checksumStart() - frame.start();
        return css | (long) frame.checksumOffset() << 16 | (long) ipStart(frame) << 32 | (tso ? 1L << 48 : 0);
    }

    /** HDRLEN: the bytes up to the end of the TCP header, which the card replays in front of every segment. */
    private static int tsoHeaderLength(PacketBuffer frame) {
        return frame.checksumStart() - frame.start() + ((frame.data()[frame.checksumStart() + 12] >> 4) & 0xf) * 4;
    }

    /** Where the IPv4 header starts: after the Ethernet header and an 802.1Q tag if there is one. */
    private static int ipStart(PacketBuffer frame) {
        int type = Bytes.get16(frame.data(), frame.start() + 12);
        return type == 0x8100 ? ETHERNET_HEADER + VLAN_TAG : ETHERNET_HEADER;
    }

    /**
     * The context descriptor for checksum offload (CHECKSUM_PARTIAL: sum from TUCSS to the end, store
     * at TUCSO) and for TSO (the IPv4 header checksum too, and HDRLEN, MSS, PAYLEN).
     */
    private void writeContext(PacketBuffer frame, boolean tso, long key) {
        int css = frame.checksumStart() - frame.start();
        int ip = ipStart(frame);
        boolean tcp = frame.checksumOffset() == 16;
        long low = Descriptors.inHalf(TxContext.TUCSS, css) | Descriptors.inHalf(TxContext.TUCSO, css + frame.checksumOffset());
        long tucmd = TxContext.DEXT.mask() | TxContext.IP.mask() | (tcp ? TxContext.TCP.mask() : 0);
        long high = Descriptors.inHalf(TxContext.DTYP, Descriptors.DTYP_CONTEXT);
        if (tso) {
            int ihl = (frame.data()[frame.start() + ip] & 0xf) * 4;
            int hdrLen = tsoHeaderLength(frame);
            low |= Descriptors.inHalf(TxContext.IPCSS, ip) | Descriptors.inHalf(TxContext.IPCSO, ip + 10) | Descriptors.inHalf(TxContext.IPCSE, ip + ihl - 1);
            high |= Descriptors.inHalf(TxContext.HDRLEN, hdrLen) | Descriptors.inHalf(TxContext.MSS, frame.segmentSize())
                    | Descriptors.inHalf(TxContext.PAYLEN, frame.length() - hdrLen);
            tucmd |= TxContext.TSE.mask();
            txTso.increment();
        }
        Descriptors.putHalves(txDesc, txTail * SIZE, low, high | Descriptors.inHalf(TxContext.TUCMD, tucmd));
        txContextKey = tso ? -1 : key;
        txContexts.increment();
        txTail = next(txTail, txSize);
    }

    /**
     * TSO's seed convention (CARD.md, as e1000e_tso): in the copy the card reads, the TCP checksum
     * field holds the pseudo-header sum without the length (the card adds each segment's), and the
     * IPv4 header checksum is zero (the card sums each segment's header).
     */
    private void prepareTso(PacketBuffer frame, int first) {
        ByteBuffer b = txBuffers.bytes();
        int slot = first * config.txBufferSize;
        int css = frame.checksumStart() - frame.start();
        int field = slot + css + frame.checksumOffset();
        int seed = get16(b, field);
        put16(b, field, Checksum.fold(seed + (~(frame.length() - css) & 0xffff)));
        put16(b, slot + ipStart(frame) + 10, 0);
    }

    /** Marks the last frame queued to report its completion (RS): cleaning waits on these. */
    private void reportStatus() {
        if (txLastEop < 0) return;
        int d = txLastEop * SIZE;
        int cmdAt = d + TxLegacy.CMD.byteOffset();   // legacy CMD and data DCMD share the byte
        txDesc.put(cmdAt, (byte) (txDesc.get(cmdAt) | TxCmd.RS.mask()));
        txReports[(txReportsHead + txReportsCount) % txSize] = txLastEop;
        txReportsCount++;
        txLastEop = -1;
        txSinceReport = 0;
    }

    /** The doorbell: the card may send everything up to the new tail. */
    @Override public int flush() {
        if (txTail == txDoorbell) return 0;
        reportStatus();   // the batch's last frame reports, so nothing waits on a later batch
        VarHandle.fullFence();   // descriptors and slots reach memory before the card hears of them
        bus.write(Registers.TDT, txTail);
        txDoorbell = txTail;
        return 0;
    }

    /**
     * Reclaims the descriptors of every frame up to the newest RS descriptor the card wrote back,
     * and releases the frames among them sent without a copy: the card writes DD only once it has
     * read the buffers of that descriptor and of every one before it (TxDma's ring order), so their
     * pieces are the stack's again.
     */
    private void cleanTx() {
        int from = txClean;
        while (txReportsCount > 0) {
            int index = txReports[txReportsHead];
            if (!Descriptors.TX_DD.isSet(Descriptors.get(txDesc, index * SIZE, TxLegacy.STATUS))) break;
            txClean = next(index, txSize);
            txReportsHead = next(txReportsHead, txSize);
            txReportsCount--;
        }
        releaseHeld(from, txClean);
    }

    /** Releases the frames held at descriptors {@code [from, to)}. */
    private void releaseHeld(int from, int to) {
        for (int i = from; txHeldCount > 0 && i != to; i = next(i, txSize)) {
            PacketBuffer f = txHeld[i];
            if (f == null) continue;
            txHeld[i] = null;
            txHeldCount--;
            f.release();
        }
    }

    // ---- receive -----------------------------------------------------------------------------

    /**
     * Hands up to {@code quota} received frames to {@code sink}: from rxNext, every descriptor the
     * card wrote back (DD), a frame's buffers gathered until EOP; each descriptor goes back to the
     * card at once (its slot is free again once copied).
     */
    private int cleanRx(FrameSink sink, int quota) {
        int done = 0, cleaned = 0;
        ByteBuffer slots = rxBuffers.bytes();
        while (done < quota) {
            int d = rxNext * SIZE;
            long status = Descriptors.get(rxDesc, d, Rx.STATUS);
            if (!Rx.DD.isSet(status)) break;
            VarHandle.acquireFence();   // DD is written last: what follows was written before it
            int len = (int) Descriptors.get(rxDesc, d, Rx.LENGTH);
            if (rxFrame == null) {
                rxFrame = rxPool.take(RX_HEADROOM);
                rxFrameBad = false;
            }
            if (len > rxFrame.tailroom()) rxFrameBad = true;
            if (!rxFrameBad) slots.get(rxNext * config.rxBufferSize, rxFrame.data(), rxFrame.append(len), len);
            if (Rx.EOP.isSet(status)) {
                PacketBuffer frame = rxFrame;
                rxFrame = null;
                if (handUp(frame, status, Descriptors.get(rxDesc, d, Rx.ERRORS), d, sink)) done++;
            }
            Descriptors.put(rxDesc, d, Rx.STATUS, 0);
            rxNext = next(rxNext, rxSize);
            cleaned++;
        }
        if (cleaned > 0) {
            VarHandle.fullFence();
            bus.write(Registers.RDT, Math.floorMod(rxNext - 1, rxSize));   // refill: the cleaned slots go back
        }
        return done;
    }

    /** A whole frame: dropped if the card marked it bad, else its tag put back, its checksum verdict set. */
    private boolean handUp(PacketBuffer frame, long status, long errors, int d, FrameSink sink) {
        if (rxFrameBad) {
            dropRxOversize.increment();
            frame.release();
            return false;
        }
        if ((errors & (Rx.RXE.mask() | Rx.CE.mask() | Rx.SE.mask())) != 0) {
            dropRxErrors.increment();
            frame.release();
            return false;
        }
        if (Rx.VP.isSet(status)) insertVlanTag(frame, (int) Descriptors.get(rxDesc, d, Rx.SPECIAL));
        if (config.rxChecksum && !Rx.IXSM.isSet(status) && (status & (Rx.TCPCS.mask() | Rx.UDPCS.mask())) != 0) {
            boolean bad = Rx.TCPE.isSet(errors);
            frame.rxChecksum(bad ? PacketBuffer.RxChecksum.BAD : PacketBuffer.RxChecksum.GOOD);
            (bad ? rxChecksumBad : rxChecksumGood).increment();
        }
        rxFrames.increment();
        rxBytes.add(frame.length());
        sink.accept(frame);
        return true;
    }

    /** The stack reads 802.1Q tags from the frame: the addresses move 4 bytes forward, the tag goes after them. */
    private void insertVlanTag(PacketBuffer frame, int tci) {
        if (frame.length() < 12) return;
        byte[] data = frame.data();
        int at = frame.prepend(VLAN_TAG);
        System.arraycopy(data, at + VLAN_TAG, data, at, 12);
        Bytes.put16(data, at + 12, (int) Registers.VET.reset());   // the driver leaves VET at its reset value
        Bytes.put16(data, at + 14, tci);
        rxVlan.increment();
    }

    // ---- the interrupt: NAPI -----------------------------------------------------------------

    /**
     * The stack's receive call is the driver's interrupt handler and its poll loop. Not polling: if
     * the line is up, read ICR (which clears it), mask everything (IMC) and start polling. Polling:
     * reclaim transmit descriptors, receive up to the budget and refill; under budget, unmask (IMS)
     * and wait for the next interrupt, else stay in polling (the stack comes back at once).
     */
    @Override public int receive(FrameSink sink, int budget) {
        if (!polling) {
            if (!bus.interruptAsserted()) return 0;
            int icr = bus.read(Registers.ICR);
            bus.write(Registers.IMC, ALL_CAUSES);
            polling = true;
            interrupts++;
            for (int b = 0; b < 31; b++) if ((icr >>> b & 1) != 0) causeCounts[b]++;
            if ((icr & Cause.LSC.mask()) != 0) linkUp = Status.LU.isSet(bus.read(Registers.STATUS));
            if ((icr & Cause.DMAERR.mask()) != 0) {
                recoverFromDmaError();
                return 0;
            }
        }
        polls++;
        int quota = Math.min(budget, config.napiBudget);
        cleanTx();
        int done = cleanRx(sink, quota);
        if (done < quota) {
            polling = false;
            bus.write(Registers.IMS, CAUSES);
        } else {
            pollsAtBudget++;
        }
        return done;
    }

    /** A ring stopped on a DMA error (DMAES says which): as e1000e's reset task, reset and bring up again. */
    private void recoverFromDmaError() {
        dmaErrors.increment();
        restart();
    }

    /**
     * Resets the card and brings it up again, keeping the statistics: what the driver does after a
     * DMA error, and what a host's watchdog (or a link down and up) asks for. Frames in the rings
     * are lost, as with e1000e's reset task.
     */
    public void restart() {
        readStatistics();   // the reset would clear them
        bringUp();
    }

    /** Polling: now. Waiting for the interrupt: when the bus says the line may rise. */
    @Override public long nextDeadline() {
        return polling ? 0 : bus.nextInterruptCheck();
    }

    @Override public void setReceiveWakeup(Runnable wakeup) {
        bus.setInterruptWakeup(wakeup);
    }

    // ---- the device ----------------------------------------------------------------------------

    @Override public String name() { return config.name; }
    @Override public byte[] macAddress() { return config.mac.clone(); }
    @Override public int mtu() { return config.mtu; }
    @Override public boolean linkUp() { return linkUp; }
    @Override public Set<Feature> features() { return features; }

    /**
     * The driver's DMA memory for buffers to send from: a frame whose gathered pieces lie there is
     * sent without a copy (a connection's send buffer, a zero-copy sender's own buffers).
     */
    public DmaBuffers dmaBuffers() { return dmaBuffers; }

    /** Frames sent without a copy whose pieces the card may still read (released at the reclaim after their DD). */
    public int transmitHeld() { return txHeldCount; }

    // ---- settings ------------------------------------------------------------------------------

    /** ethtool -C: writes the moderation registers ({@link Coalescing} says how each maps). */
    public void setCoalescing(Coalescing c) {
        config.coalescing = c;
        bus.write(Registers.ITR, c.itr());
        bus.write(Registers.RDTR, c.rdtr());
        bus.write(Registers.RADV, c.radv());
        bus.write(Registers.RXFC, c.rxfc());
        bus.write(Registers.TIDV, c.tidv());
        bus.write(Registers.TADV, c.tadv());
        bus.write(Registers.AIM, c.aim());
    }

    public Coalescing coalescing() { return config.coalescing; }

    // ---- statistics ----------------------------------------------------------------------------

    private static boolean isStatistic(Register r) {
        return r.access() == Register.Access.RC && r != Registers.ICR;
    }

    /** Adds the card's read-to-clear counters into the driver's running totals. */
    private void readStatistics() {
        for (int i = 0; i < statRegisters.length; i++) cardStats[i] += bus.read(statRegisters[i]) & 0xffffffffL;
    }

    /**
     * ethtool -S: the card's counters since bring-up ({@code card.<register>}; a low/high pair as one
     * 64-bit count), then the driver's ({@code nic.*}), then the interrupt counts ({@code irq.*}).
     */
    public Map<String, Long> statistics() {
        readStatistics();
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < statRegisters.length; i++) {
            String name = statRegisters[i].name(), pair = name.substring(0, name.length() - 1);
            if (name.endsWith("L") && i + 1 < statRegisters.length && statRegisters[i + 1].name().equals(pair + "H")) {
                m.put("card." + pair, cardStats[i] + (cardStats[i + 1] << 32));   // GORCL + GORCH: one 64-bit count
                i++;
            } else {
                m.put("card." + name, cardStats[i]);
            }
        }
        m.putAll(counters.snapshot());
        m.put("irq.interrupts", interrupts);
        m.put("irq.polls", polls);
        m.put("irq.polls-at-budget", pollsAtBudget);
        for (Field f : Cause.ALL) m.put("irq." + f.name(), causeCounts[f.lsb()]);
        return m;
    }

    /** The card's counter {@code register} since bring-up (e.g. {@link Registers#MPC}). */
    public long cardStatistic(Register register) {
        readStatistics();
        for (int i = 0; i < statRegisters.length; i++) if (statRegisters[i] == register) return cardStats[i];
        throw new IllegalArgumentException(register.name() + " is not a statistics register");
    }

    /** Interrupts taken, and how often each cause was among those ICR reported. */
    public long interrupts() { return interrupts; }

    public long causeCount(Field cause) { return causeCounts[cause.lsb()]; }

    /** NAPI polls, and those that used their whole budget (polling went on with the interrupt masked). */
    public long polls() { return polls; }

    public long pollsAtBudget() { return pollsAtBudget; }

    /** Whether the driver is polling with the interrupt masked. */
    public boolean polling() { return polling; }

    /** The driver's own counters (drops by reason, traffic). */
    public Counters counters() { return counters; }

    /** A {@code /proc/interrupts}-like view: one line per cause, with what it means. */
    public String interruptsView() {
        StringBuilder s = new StringBuilder(String.format("%-8s %12s%n", "", config.name));
        for (Field f : Cause.ALL) s.append(String.format("%-8s %12d   %s%n", f.name() + ":", causeCounts[f.lsb()], f.doc()));
        s.append(String.format("%-8s %12d   interrupts taken (%d polls, %d at budget)%n", "total:", interrupts, polls, pollsAtBudget));
        return s.toString();
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static int next(int i, int size) {
        return i + 1 == size ? 0 : i + 1;
    }

    private static int get16(ByteBuffer b, int at) {
        return (b.get(at) & 0xff) << 8 | (b.get(at + 1) & 0xff);
    }

    private static void put16(ByteBuffer b, int at, int v) {
        b.put(at, (byte) (v >>> 8));
        b.put(at + 1, (byte) v);
    }
}

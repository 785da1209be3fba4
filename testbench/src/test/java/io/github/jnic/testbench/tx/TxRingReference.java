package io.github.jnic.testbench.tx;

import io.github.jnic.spec.Descriptors;
import io.github.jnic.spec.Descriptors.TxCmd;
import io.github.jnic.spec.Descriptors.TxContext;
import io.github.jnic.spec.Descriptors.TxData;
import io.github.jnic.spec.Descriptors.TxLegacy;
import io.github.jnic.testbench.offload.OffloadReference;
import io.github.jnic.testbench.offload.OffloadReference.Command;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The e1000 transmit ring's rules, in Java, written from the programming model (NIC.md, the
 * 8254x's descriptor formats in {@code io.github.jnic.spec.Descriptors}) and the choices docs/nic.md
 * states, not from the RTL: descriptors are taken in order from head up to the tail; a context
 * descriptor sets the offload fields for the frames after it; data and legacy descriptors gather a
 * frame up to EOP, the first one giving its command; a descriptor is done once its buffer is read
 * (head passes it; TXQE when head reaches the tail), and a done RS descriptor gets DD in its status
 * byte. A frame becomes what {@link OffloadReference} says its command makes of it. A zero length, a
 * buffer address 0, a frame longer than {@link #MAX_FRAME} or a buffer where the bus answers an
 * error stops the ring there (head stays, the open frame is lost); restarted, the ring goes on
 * from head with the context it had.
 */
final class TxRingReference {
    static final int MAX_FRAME = 0x10000 + 64;
    /** The frame buffer holds frames up to 16 KiB; a longer one is dropped there. */
    static final int MAX_SENT = 1 << 14;

    /** The host memory as it must be: the bytes the test wrote, and DD where the card reports. */
    final ByteBuffer expected;
    final long busBase, ringBase;
    final int count;
    int head, tail;
    boolean stopped;
    /** The frames that reach the wire, in order. */
    final List<byte[]> sent = new ArrayList<>();
    int descriptorsDone, ideDone, queueEmpty, badDescriptors, busErrors, oversize, tsoContexts, tsoFailed;
    /** Bus addresses that answer with an error, [from, to). */
    long errorFrom, errorTo;
    /** Descriptors marked done, in order (the test's driver reclaims from them). */
    final List<Integer> done = new ArrayList<>();

    // the context in force
    private int ipcss, ipcso, ipcse, tucss, tucso, tucse, paylen, hdrlen, mss;
    private boolean tcp, ipv4;
    // the frame being gathered
    private ByteArrayOutputStream frame;
    private Command command;

    TxRingReference(ByteBuffer expected, long busBase, long ringBase, int count) {
        this.expected = expected;
        this.busBase = busBase;
        this.ringBase = ringBase;
        this.count = count;
    }

    int descriptorOffset(int d) {
        return (int) (ringBase - busBase) + d * Descriptors.SIZE;
    }

    /** Descriptors the card owns (queued and not done). */
    int owned() {
        return Math.floorMod(tail - head, count);
    }

    /** The ring restarted (TCTL.EN off and on): from head on, what is queued is taken again. */
    void restart() {
        stopped = false;
        frame = null;
        tail(tail);
    }

    /** The driver wrote TDT: the card takes what is queued. */
    void tail(int t) {
        tail = t;
        while (!stopped && head != tail) take(head);
    }

    private void take(int d) {
        int o = descriptorOffset(d);
        long cmd = Descriptors.get(expected, o, TxLegacy.CMD);
        boolean dext = TxCmd.DEXT.isSet(cmd);
        if (dext && Descriptors.get(expected, o, TxData.DTYP) == Descriptors.DTYP_CONTEXT) {
            ipcss = (int) Descriptors.get(expected, o, TxContext.IPCSS);
            ipcso = (int) Descriptors.get(expected, o, TxContext.IPCSO);
            ipcse = (int) Descriptors.get(expected, o, TxContext.IPCSE);
            tucss = (int) Descriptors.get(expected, o, TxContext.TUCSS);
            tucso = (int) Descriptors.get(expected, o, TxContext.TUCSO);
            tucse = (int) Descriptors.get(expected, o, TxContext.TUCSE);
            paylen = (int) Descriptors.get(expected, o, TxContext.PAYLEN);
            hdrlen = (int) Descriptors.get(expected, o, TxContext.HDRLEN);
            mss = (int) Descriptors.get(expected, o, TxContext.MSS);
            long tucmd = Descriptors.get(expected, o, TxContext.TUCMD);
            tcp = TxContext.TCP.isSet(tucmd);
            ipv4 = TxContext.IP.isSet(tucmd);
            done(d, cmd);
            return;
        }
        long address = Descriptors.get(expected, o, TxLegacy.ADDRESS);
        int length = (int) (dext ? Descriptors.get(expected, o, TxData.DTALEN) : Descriptors.get(expected, o, TxLegacy.LENGTH));
        int gathered = frame == null ? 0 : frame.size();
        if (address == 0 || length == 0 || gathered + length > MAX_FRAME) {
            badDescriptors++;
            stop();
            return;
        }
        if (address < errorTo && address + length > errorFrom) {
            busErrors++;
            stop();
            return;
        }
        if (frame == null) {
            frame = new ByteArrayOutputStream();
            if (dext) {
                long popts = Descriptors.get(expected, o, TxData.POPTS);
                command = new Command(ipcss, ipcso, ipcse, tucss, tucso, tucse, paylen, hdrlen, mss, TxCmd.TSE.isSet(cmd), tcp, ipv4,
                        TxData.IXSM.isSet(popts), TxData.TXSM.isSet(popts));
            } else if (TxCmd.IC.isSet(cmd)) {
                command = Command.checksum(false, 0, 0, 0, true, (int) Descriptors.get(expected, o, TxLegacy.CSS),
                        (int) Descriptors.get(expected, o, TxLegacy.CSO), 0);
            } else {
                command = Command.none();
            }
        }
        byte[] bytes = new byte[length];
        expected.get((int) (address - busBase), bytes);
        frame.writeBytes(bytes);
        done(d, cmd);
        if (TxCmd.EOP.isSet(cmd)) {
            OffloadReference.Tx t = OffloadReference.transmit(frame.toByteArray(), command);
            for (byte[] f : t.sent()) {
                if (f.length > MAX_SENT) oversize++;
                else sent.add(f);
            }
            tsoContexts += t.tsoContexts();
            tsoFailed += t.tsoFailed();
            frame = null;
        }
    }

    /** The ring stops; the open frame is lost (the frame buffer counts it oversize if it already held more than it can). */
    private void stop() {
        stopped = true;
        if (frame != null && !command.tse() && frame.size() >= MAX_SENT) oversize++;
        frame = null;
    }

    private void done(int d, long cmd) {
        if (TxCmd.RS.isSet(cmd)) {
            Descriptors.put(expected, descriptorOffset(d), TxLegacy.STATUS, Descriptors.TX_DD.mask());
            descriptorsDone++;
            if (TxCmd.IDE.isSet(cmd)) ideDone++;
        }
        done.add(d);
        head = (head + 1) % count;
        if (head == tail) queueEmpty++;
    }
}

package io.github.jnic.testbench.rx;

import io.github.jnic.spec.Descriptors;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * What a receive ring must look like after the card has taken frames, from the e1000 rules alone
 * (docs/nic.md, "Receive"): the card owns descriptors from the next one it fills up to the tail less
 * one; a frame needs ceil(length / buffer size) of them or is dropped whole (RNBC); its bytes go
 * into the buffers in order, each descriptor written back with its length and DD, the last with EOP
 * and the VLAN tag; a descriptor without a usable buffer address (0 or not 8-byte aligned) takes no
 * data and ends its frame with RXE. The expected host memory is kept as bytes, so a test compares
 * all of memory: a byte the card should not have written shows up too.
 */
final class RxRingReference {
    /** A frame as the DMA engine gets it: bytes, and the tag stripped from it (if any). */
    record Frame(byte[] data, boolean vp, int vlan) {}

    final ByteBuffer expected;
    final long busBase;
    final long ringBase;
    final int count;
    final int ringBytes;
    final int bufferBytes;
    final int rdmts;
    int tail;
    /** The next descriptor the card fills (RDH once everything is written back). */
    int next;
    long framesDone, bytesDone, noBuffer, badDescriptors, lowDescriptors;

    RxRingReference(byte[] memory, long busBase, long ringBase, int ringBytes, int bufferBytes, int rdmts) {
        this.expected = ByteBuffer.wrap(memory).order(ByteOrder.LITTLE_ENDIAN);
        this.busBase = busBase;
        this.ringBase = ringBase;
        this.ringBytes = ringBytes;
        this.count = ringBytes / Descriptors.SIZE;
        this.bufferBytes = bufferBytes;
        this.rdmts = rdmts;
    }

    int descriptorOffset(int index) {
        return (int) (ringBase - busBase) + index * Descriptors.SIZE;
    }

    long bufferAddress(int index) {
        return Descriptors.get(expected, descriptorOffset(index), Descriptors.Rx.ADDRESS);
    }

    /** Descriptors the card owns now. */
    int owned() {
        return Math.floorMod(tail - next, count);
    }

    void receive(Frame f) {
        int length = f.data().length;
        int need = (length + bufferBytes - 1) / bufferBytes;
        if (need > owned()) {
            noBuffer++;
            return;
        }
        int at = 0;
        while (true) {
            int d = next;
            next = (next + 1) % count;
            long address = bufferAddress(d);
            if (address == 0 || address % 8 != 0) {
                writeBack(d, 0, true, false, 0, true);
                badDescriptors++;
                break;
            }
            int chunk = Math.min(bufferBytes, length - at);
            expected.put((int) (address - busBase), f.data(), at, chunk);
            at += chunk;
            boolean eop = at == length;
            writeBack(d, chunk, eop, eop && f.vp(), eop && f.vp() ? f.vlan() : 0, false);
            if (eop) {
                bytesDone += length;
                break;
            }
        }
        framesDone++;
        if (owned() * Descriptors.SIZE <= ringBytes >> (rdmts + 1)) lowDescriptors++;
    }

    private void writeBack(int d, int length, boolean eop, boolean vp, int vlan, boolean rxe) {
        int o = descriptorOffset(d);
        long status = Descriptors.Rx.DD.of(1) | Descriptors.Rx.IXSM.of(1) | (eop ? Descriptors.Rx.EOP.of(1) : 0) | (vp ? Descriptors.Rx.VP.of(1) : 0);
        Descriptors.put(expected, o, Descriptors.Rx.LENGTH, length);
        Descriptors.put(expected, o, Descriptors.Rx.CSUM, 0);
        Descriptors.put(expected, o, Descriptors.Rx.STATUS, status);
        Descriptors.put(expected, o, Descriptors.Rx.ERRORS, rxe ? Descriptors.Rx.RXE.of(1) : 0);
        Descriptors.put(expected, o, Descriptors.Rx.SPECIAL, vlan);
    }
}

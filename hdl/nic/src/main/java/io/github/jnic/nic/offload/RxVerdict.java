package io.github.jnic.nic.offload;

import static io.github.jnic.jhdl.Hdl.uint;

import io.github.jnic.jhdl.Bundle;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.spec.Descriptors.Rx;

/**
 * {@link RxChecksum}'s verdict on one received frame, laid out as the receive descriptor's fields
 * so the RX DMA can OR it in: {@code status} holds only IXSM, UDPCS, TCPCS and IPCS (at their
 * {@link Rx} bit positions; the DMA adds DD, EOP, VP), {@code errors} only TCPE and IPE, and
 * {@code csum} is the descriptor's CSUM field.
 */
public class RxVerdict extends Bundle {
    /** Descriptor STATUS bits {@link Rx#IXSM}, {@link Rx#UDPCS}, {@link Rx#TCPCS}, {@link Rx#IPCS}; the others 0. */
    public final UInt status = uint(Rx.STATUS.width());
    /** Descriptor ERRORS bits {@link Rx#TCPE}, {@link Rx#IPE}; the others 0. */
    public final UInt errors = uint(Rx.ERRORS.width());
    /** Descriptor CSUM: the ones'-complement sum of the frame from RXCSUM.PCSS to its end (not complemented). */
    public final UInt csum = uint(Rx.CSUM.width());
}

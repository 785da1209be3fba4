package io.github.jnic.nic.offload;

import static io.github.jnic.jhdl.Hdl.bool;
import static io.github.jnic.jhdl.Hdl.uint;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Bundle;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.spec.Descriptors.TxContext;

/**
 * What {@link TxOffload} is told about one frame: the context descriptor's fields in force for it
 * ({@link TxContext}, widths taken from there) and the data descriptor's option bits. The TX DMA
 * offers one command per frame on {@code TxOffload.cmd}; it is taken together with the frame's
 * first beat. A frame without offload has {@code ixsm = txsm = tse = 0} (the other fields are then
 * ignored). A legacy descriptor with CMD.IC maps to {@code txsm = 1, tucss = CSS, tucso = CSO,
 * tucse = 0}.
 *
 * <p>Byte offsets count from the frame's first byte (the destination MAC address). Ends are
 * inclusive; an end of 0 means "to the end of the frame".
 */
public class TxCommand extends Bundle {
    /** IP checksum start: the IPv4 header's first byte (TSO: the IPv4 or IPv6 header's first byte). */
    public final UInt ipcss = uint(TxContext.IPCSS.width());
    /** Where the IPv4 header checksum goes. */
    public final UInt ipcso = uint(TxContext.IPCSO.width());
    /** Last byte of the IPv4 header checksum's range, inclusive (0: to the end of the frame). */
    public final UInt ipcse = uint(TxContext.IPCSE.width());
    /** TCP/UDP checksum start. */
    public final UInt tucss = uint(TxContext.TUCSS.width());
    /** Where the TCP/UDP checksum goes (its seed is already there). */
    public final UInt tucso = uint(TxContext.TUCSO.width());
    /** Last byte of the TCP/UDP checksum's range, inclusive (0: to the end of the frame). */
    public final UInt tucse = uint(TxContext.TUCSE.width());
    /** TSO: payload bytes after the header, all segments together. */
    public final UInt paylen = uint(TxContext.PAYLEN.width());
    /** TSO: header bytes (Ethernet, IP, TCP), replayed in front of every segment. */
    public final UInt hdrlen = uint(TxContext.HDRLEN.width());
    /** TSO: payload bytes per segment (the last segment carries the rest). */
    public final UInt mss = uint(TxContext.MSS.width());
    /** TCP segmentation (the context's TUCMD.TSE and the data descriptor's DCMD.TSE). */
    public final Bool tse = bool();
    /** TUCMD.TCP: 1 TCP, 0 UDP. */
    public final Bool tcp = bool();
    /** TUCMD.IP: 1 IPv4, 0 IPv6. */
    public final Bool ipv4 = bool();
    /** POPTS.IXSM: insert the IPv4 header checksum. */
    public final Bool ixsm = bool();
    /** POPTS.TXSM: insert the TCP/UDP checksum. */
    public final Bool txsm = bool();
}

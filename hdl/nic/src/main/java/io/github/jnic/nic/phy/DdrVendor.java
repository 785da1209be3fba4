package io.github.jnic.nic.phy;

/** Which double-data-rate I/O cells {@link DdrOutput} and {@link DdrInput} are built from. */
public enum DdrVendor {
    /** Plain registers on both clock edges: portable, for simulation and for any FPGA. */
    GENERIC,
    /** Lattice iCE40 SB_IO in DDR mode. */
    ICE40,
    /** Lattice ECP5 ODDRX1F / IDDRX1F. */
    ECP5
}

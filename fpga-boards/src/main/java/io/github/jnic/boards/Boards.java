package io.github.jnic.boards;

import static io.github.jnic.boards.Pin.clock;
import static io.github.jnic.boards.Pin.in;
import static io.github.jnic.boards.Pin.inout;
import static io.github.jnic.boards.Pin.out;

import io.github.jnic.jhdl.flow.PlaceAndRoute;
import io.github.jnic.jhdl.flow.PlaceAndRoute.Family;
import java.util.List;

/**
 * The boards and their pin tables. Vectors list their sites bit 0 first (litex-boards' order). The
 * tables hold every pin the card can use on the board; a design's pin file has only those it uses.
 */
public final class Boards {
    private Boards() {}

    private static final String LVCMOS33 = "LVCMOS33";
    private static final PlaceAndRoute.Device LFE5U_25F_BG256 = new PlaceAndRoute.Device(Family.ECP5, "25k", "CABGA256", 6);
    private static final PlaceAndRoute.Device LFE5U_25F_BG381 = new PlaceAndRoute.Device(Family.ECP5, "25k", "CABGA381", 6);

    /** Port 0's PHY address on the Colorlight boards, as the bring-up image polls it (not checked on a board). */
    static final int COLORLIGHT_PHY = 1;
    /** The LAN8720 module's PHY address on the iCEBreaker (its PHYAD0 strap; not checked on a board). */
    static final int ICEBREAKER_PHY = 1;

    /**
     * Colorlight 5A-75B v8.0: two RTL8211FD. Its 25 MHz clock comes from PHY1's clock output, so the
     * PHYs' shared reset (R6) must never be held.
     */
    public static final Board COLORLIGHT_5A_75B_V8 = new Board("colorlight-5a-75b-v8", "Colorlight 5A-75B v8.0", Board.Vendor.ECP5,
            LFE5U_25F_BG256, "LFE5U-25F-6BG256C", LVCMOS33, List.of(
                    clock("clk25", "P6", 25),
                    out("led", "T6").lowActive(),
                    in("button", "R7").lowActive().withPullUp(),
                    out("phyReset", "R6").lowActive(),
                    out("mdc", "R5"),
                    inout("mdio", "T4"),
                    out("eth0Txc", "L1"), out("eth0TxCtl", "L2"), out("eth0Txd", "M2", "M1", "P1", "R1"),
                    clock("eth0Rxc", "J1", 125), in("eth0RxCtl", "J2"), in("eth0Rxd", "K2", "J3", "K1", "K3"),
                    out("eth1Txc", "J16"), out("eth1TxCtl", "K14"), out("eth1Txd", "K16", "J15", "J14", "K15"),
                    clock("eth1Rxc", "M16", 125), in("eth1RxCtl", "P16"), in("eth1Rxd", "M15", "R16", "L15", "L16")),
            "amaranth-boards Colorlight_5A75B_R80Platform (after chubby75 5a-75b/hardware_V8.0.md); the same LED, button and Ethernet pins in LiteX-style v8.0 platform files",
            List.of("-b", "colorlight", "-c", "ft232"), () -> new RgmiiBringUp(COLORLIGHT_PHY));

    /**
     * The card itself on the 5A-75B v8.0 ({@link CardBringUp}): port 0 the network, port 1 the host link.
     */
    public static final Board COLORLIGHT_5A_75B_V8_CARD = new Board("colorlight-5a-75b-v8-card", "Colorlight 5A-75B v8.0, the card",
            Board.Vendor.ECP5, LFE5U_25F_BG256, "LFE5U-25F-6BG256C", LVCMOS33,
            COLORLIGHT_5A_75B_V8.pins(), COLORLIGHT_5A_75B_V8.pinSources(), COLORLIGHT_5A_75B_V8.loader(),
            () -> new CardBringUp(COLORLIGHT_PHY));

    /** The same without the card's offload engines (the configuration that fits the LFE5U-25F). */
    public static final Board COLORLIGHT_5A_75B_V8_CARD_NO_OFFLOAD = new Board("colorlight-5a-75b-v8-card-no-offload",
            "Colorlight 5A-75B v8.0, the card without offload", Board.Vendor.ECP5, LFE5U_25F_BG256, "LFE5U-25F-6BG256C", LVCMOS33,
            COLORLIGHT_5A_75B_V8_CARD.pins(), COLORLIGHT_5A_75B_V8_CARD.pinSources(), COLORLIGHT_5A_75B_V8.loader(),
            () -> new CardBringUp(COLORLIGHT_PHY, false));

    /** Colorlight 5A-75B v7.0: two B50612D. */
    public static final Board COLORLIGHT_5A_75B_V7 = new Board("colorlight-5a-75b-v7", "Colorlight 5A-75B v7.0", Board.Vendor.ECP5,
            LFE5U_25F_BG256, "LFE5U-25F-6BG256C", LVCMOS33, List.of(
                    clock("clk25", "P6", 25),
                    out("led", "P11").lowActive(),
                    in("button", "M13").lowActive().withPullUp(),
                    out("phyReset", "P5").lowActive(),
                    out("mdc", "P3"),
                    inout("mdio", "T2"),
                    out("eth0Txc", "M2"), out("eth0TxCtl", "M3"), out("eth0Txd", "L1", "L3", "P2", "L4"),
                    clock("eth0Rxc", "M1", 125), in("eth0RxCtl", "N6"), in("eth0Rxd", "N1", "M5", "N5", "M6"),
                    out("eth1Txc", "M12"), out("eth1TxCtl", "R15"), out("eth1Txd", "T14", "R12", "R13", "R14"),
                    clock("eth1Rxc", "M16", 125), in("eth1RxCtl", "L15"), in("eth1Rxd", "P13", "N13", "P14", "M15")),
            "litex-boards litex_boards/platforms/colorlight_5a_75b.py (_io_v7_0, from chubby75 hardware_V7.0.md)",
            List.of("-b", "colorlight", "-c", "ft232"), () -> new RgmiiBringUp(COLORLIGHT_PHY));

    /** Colorlight i5 (v7.0) on its extension board: two B50612D, a serial port through the board's debugger. */
    public static final Board COLORLIGHT_I5 = new Board("colorlight-i5", "Colorlight i5 v7.0", Board.Vendor.ECP5,
            LFE5U_25F_BG381, "LFE5U-25F-6BG381C", LVCMOS33, List.of(
                    clock("clk25", "P3", 25),
                    out("led", "U16").lowActive(),
                    out("serialTx", "J17"), in("serialRx", "H18"),
                    out("phyReset", "P4").lowActive(),
                    out("mdc", "N5"),
                    inout("mdio", "P5"),
                    out("eth0Txc", "G1"), out("eth0TxCtl", "K1"), out("eth0Txd", "G2", "H1", "J1", "J3"),
                    clock("eth0Rxc", "H2", 125), in("eth0RxCtl", "P2"), in("eth0Rxd", "K2", "L1", "N1", "P1"),
                    out("eth1Txc", "U19"), out("eth1TxCtl", "P19"), out("eth1Txd", "U20", "T19", "T20", "R20"),
                    clock("eth1Rxc", "L19", 125), in("eth1RxCtl", "M20"), in("eth1Rxd", "P20", "N19", "N20", "M19")),
            "litex-boards litex_boards/platforms/colorlight_i5.py (_io_v7_0)",
            List.of("-b", "colorlight-i5"), () -> new RgmiiBringUp(COLORLIGHT_PHY));

    /**
     * iCEBreaker (iCE40 UP5K-SG48) with a LAN8720 RMII module on PMOD2 (litex-boards' PMOD2 pin order
     * 27 25 21 19 26 23 20 18). No published wiring of such a module to this board was found, so this
     * one is the project's: the reference clock on PMOD2:6 (pin 20, a global-buffer input), MDIO on
     * PMOD1B:0 (pin 43) because the module needs nine signals and a PMOD has eight.
     */
    public static final Board ICEBREAKER = new Board("icebreaker", "iCEBreaker v1.0 + LAN8720 module", Board.Vendor.ICE40,
            new PlaceAndRoute.Device(Family.ICE40, "up5k", "sg48", 0), "iCE40UP5K-SG48", LVCMOS33, List.of(
                    clock("clk12", "35", 12),
                    out("ledRed", "11").lowActive(),
                    out("ledGreen", "37").lowActive(),
                    in("button", "10").lowActive(),
                    in("uartRx", "6"), out("uartTx", "9"),
                    out("rmiiTxd", "27", "25"),
                    out("rmiiTxEn", "21"),
                    out("mdc", "19"),
                    in("rmiiRxd", "26", "23"),
                    clock("refClk", "20", 50),
                    in("rmiiCrsDv", "18"),
                    inout("mdio", "43")),
            "litex-boards litex_boards/platforms/icebreaker.py (clock, LEDs, button, serial, PMOD pin order); RMII wiring: this project's",
            List.of("-b", "ice40_generic"), () -> new RmiiBringUp(ICEBREAKER_PHY));

    /**
     * The card itself on the iCEBreaker ({@link CardUartBringUp}): the card on the LAN8720's RMII, the
     * host link on the FTDI UART. It does not fit the UP5K (docs/boards.md); it is built and simulated.
     */
    public static final Board ICEBREAKER_CARD = new Board("icebreaker-card", "iCEBreaker v1.0 + LAN8720 module, the card over the UART",
            Board.Vendor.ICE40, ICEBREAKER.device(), ICEBREAKER.part(), LVCMOS33, ICEBREAKER.pins(), ICEBREAKER.pinSources(),
            ICEBREAKER.loader(), () -> new CardUartBringUp(ICEBREAKER_PHY));

    /** Digilent Arty A7-35T: a DP83848 on MII, its 25 MHz reference from the FPGA. */
    public static final Board ARTY_A7_35T = new Board("arty-a7-35t", "Digilent Arty A7-35T", Board.Vendor.XILINX,
            null, "xc7a35ticsg324-1L", LVCMOS33, List.of(
                    clock("clk100", "E3", 100),
                    out("led", "H5"),
                    out("ethRefClk", "G18"),
                    clock("ethTxClk", "H16", 25),
                    clock("ethRxClk", "F15", 25),
                    out("phyReset", "C16").lowActive(),
                    inout("mdio", "K13"),
                    out("mdc", "F16"),
                    in("miiRxDv", "G16"), in("miiRxEr", "C17"), in("miiRxd", "D18", "E17", "E18", "G17"),
                    out("miiTxEn", "H15"), out("miiTxd", "H14", "J14", "J13", "H17"),
                    in("miiCol", "D17"), in("miiCrs", "G14")),
            "litex-boards litex_boards/platforms/digilent_arty.py",
            List.of("-b", "arty_a7_35t"), () -> new MiiBringUp(1));

    public static final List<Board> ALL = List.of(COLORLIGHT_5A_75B_V8, COLORLIGHT_5A_75B_V8_CARD, COLORLIGHT_5A_75B_V8_CARD_NO_OFFLOAD, COLORLIGHT_5A_75B_V7, COLORLIGHT_I5, ICEBREAKER, ICEBREAKER_CARD, ARTY_A7_35T);

    public static Board byId(String id) {
        for (Board b : ALL) if (b.id().equals(id)) return b;
        throw new IllegalArgumentException("no board '" + id + "'; ./nic board list shows them");
    }
}

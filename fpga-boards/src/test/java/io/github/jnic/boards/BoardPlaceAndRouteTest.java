package io.github.jnic.boards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.jhdl.flow.PlaceAndRoute;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bring-up tops of the iCEBreaker and the 5A-75B v8.0 placed, routed and packed into bitstreams
 * with their generated pin files: every pin placed, each clock domain constrained (from the pin file,
 * or derived by nextpnr through the PLL), the PLL and the tristate in the netlist. Timing is reported,
 * not judged here (./nic board build judges it).
 */
class BoardPlaceAndRouteTest {

    @Test
    void icebreakerBecomesABitstream(@TempDir Path dir) throws IOException {
        List<String> steps = new ArrayList<>();
        BoardBuild.Result r = BoardBuild.build(Boards.ICEBREAKER, dir, 1, steps::add);
        assertEquals(4, steps.size(), steps.toString());
        byte[] bin = Files.readAllBytes(r.pnr().bitstream());
        assertTrue(bin.length > 100_000 && indexOf(bin, new byte[] {0x7E, (byte) 0xAA, (byte) 0x99, 0x7E}) >= 0, "an UP5K image with its sync word");
        assertEquals(bits(Boards.ICEBREAKER, r), r.pnr().resource("SB_IO").used(), r.pnr().resources().toString());
        assertEquals(1, r.pnr().resource("ICESTORM_PLL").used());
        // nextpnr derives the PLL's output from the 12 MHz input's period in picoseconds: 25.14 for 25.125
        assertConstraints(List.of(25.125, 50.0), r);
        assertInout(dir, Boards.ICEBREAKER);
    }

    @Test
    void colorlight5a75bV8BecomesABitstream(@TempDir Path dir) throws IOException {
        BoardBuild.Result r = BoardBuild.build(Boards.COLORLIGHT_5A_75B_V8, dir, 1, s -> {});
        byte[] bit = Files.readAllBytes(r.pnr().bitstream());
        assertTrue(bit.length > 500_000 && indexOf(bit, new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xBD, (byte) 0xB3}) >= 0, "an LFE5U-25F bitstream with its preamble");
        assertEquals(bits(Boards.COLORLIGHT_5A_75B_V8, r), r.pnr().resource("TRELLIS_IO").used(), r.pnr().resources().toString());
        assertEquals(1, r.pnr().resource("EHXPLLL").used());
        // 11 DDR cells per port: TXD, TX_CTL, TXC out; RXD, RX_CTL in
        assertEquals(22, r.pnr().resource("IOLOGIC").used());
        // CLKOS 62.5 MHz, CLKOP 125 MHz (derived through the PLL), the two RXC 125 MHz (from the LPF)
        assertConstraints(List.of(62.5, 125.0, 125.0, 125.0), r);
        assertInout(dir, Boards.COLORLIGHT_5A_75B_V8);
    }

    /** No open place and route for the Artix-7: synthesis, the XDC, and a Vivado script naming every file. */
    @Test
    void artySynthesizesForXilinxWithAVivadoScript(@TempDir Path dir) throws IOException {
        BoardBuild.Result r = BoardBuild.build(Boards.ARTY_A7_35T, dir, 1, s -> {});
        assertEquals(List.of(), r.synth().latches());
        assertTrue(r.synth().luts() > 300 && r.synth().flipFlops() > 300, r.synth().cells().toString());
        String tcl = Files.readString(dir.resolve("vivado.tcl"));
        for (String f : r.design().files().keySet()) assertTrue(tcl.contains("read_verilog rtl/" + f + "\n"), f);
        assertTrue(tcl.contains("read_xdc jnic_arty_a7_35t.xdc") && tcl.contains("-part xc7a35ticsg324-1L"), tcl);
        assertTrue(Files.readString(dir.resolve("jnic_arty_a7_35t.xdc")).contains("create_clock -period 10.000 -name clk100 [get_ports {clk100}]"));
    }

    private static int bits(Board board, BoardBuild.Result r) {
        return PadRing.usedPins(board, r.design()).stream().mapToInt(Pin::width).sum();
    }

    private static void assertConstraints(List<Double> expected, BoardBuild.Result r) {
        List<Double> got = r.pnr().clocks().stream().map(PlaceAndRoute.Clock::constraintMHz).sorted().toList();
        assertEquals(expected.size(), got.size(), r.pnr().clocks().toString());
        for (int i = 0; i < got.size(); i++) assertEquals(expected.get(i), got.get(i), expected.get(i) * 1e-3, r.pnr().clocks().toString());
    }

    /** yosys kept MDIO an inout port of the top, so its tristate is in the pad's I/O cell. */
    private static void assertInout(Path dir, Board board) throws IOException {
        String json = Files.readString(dir.resolve(board.topName() + ".json"));
        assertTrue(json.matches("(?s).*\"mdio\":\\s*\\{\\s*\"direction\":\\s*\"inout\".*"), "mdio is inout in the netlist");
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) if (data[i + j] != pattern[j]) continue outer;
            return i;
        }
        return -1;
    }
}

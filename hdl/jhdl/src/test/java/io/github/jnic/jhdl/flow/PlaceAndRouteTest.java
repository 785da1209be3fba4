package io.github.jnic.jhdl.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.jhdl.Tools;
import io.github.jnic.jhdl.Verilog;
import io.github.jnic.jhdl.examples.Counter;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real place-and-route to a bitstream on both open flows, with nextpnr's report read back. */
class PlaceAndRouteTest {

    @Test
    void ice40DesignBecomesABitstreamWithItsClockReported(@TempDir Path dir) throws IOException {
        Tools.requireTool("nextpnr-ice40");
        VerilogDesign d = Verilog.emit(new Counter(24));
        // iCEBreaker: 12 MHz oscillator on pin 35, the counter on the three PMODs, button 10, red LED 11.
        StringBuilder pcf = new StringBuilder("set_io clk 35\nset_frequency clk 12\nset_io enable 10\nset_io wrapped 11\nset_io reset 6\n");
        int[] pins = {4, 2, 47, 45, 3, 48, 46, 44, 43, 38, 34, 31, 42, 36, 32, 28, 27, 25, 21, 19, 26, 23, 20, 18};
        for (int i = 0; i < 24; i++) pcf.append("set_io count[").append(i).append("] ").append(pins[i]).append('\n');
        List<String> steps = new ArrayList<>();
        PlaceAndRoute.Result r = PlaceAndRoute.build(d, new PlaceAndRoute.Device(PlaceAndRoute.Family.ICE40, "up5k", "sg48", 0), pcf.toString(), 1, dir, steps::add);

        assertEquals(3, steps.size(), steps.toString());
        byte[] bin = Files.readAllBytes(r.bitstream());
        assertTrue(bin.length > 100_000, "an UP5K image is ~104 kB, got " + bin.length);
        // every iCE40 image carries the synchronisation word 7EAA997E
        assertTrue(indexOf(bin, new byte[] {0x7E, (byte) 0xAA, (byte) 0x99, 0x7E}) >= 0, "sync word");
        assertEquals(1, r.clocks().size(), r.clocks().toString());
        assertEquals(12.0, r.clocks().get(0).constraintMHz(), 1e-3);
        assertTrue(r.meetsTiming(), r.clocks().toString());
        PlaceAndRoute.Resource lcs = r.resource("ICESTORM_LC");
        assertTrue(lcs.used() >= 24 && lcs.available() == 5280, lcs.toString());
        assertEquals(28, r.resource("SB_IO").used(), r.resources().toString());
    }

    @Test
    void ecp5DesignBecomesABitstreamInTheTrixieChroot(@TempDir Path dir) throws IOException {
        Tools.requireTool("unshare");
        VerilogDesign d = Verilog.emit(new Counter(24));
        // Colorlight 5A-75B v8.0: 25 MHz on P6; the counter's outputs on HUB75 connector pins.
        StringBuilder lpf = new StringBuilder("LOCATE COMP \"clk\" SITE \"P6\";\nIOBUF PORT \"clk\" IO_TYPE=LVCMOS33;\nFREQUENCY PORT \"clk\" 25 MHZ;\n");
        String[] sites = {"C4", "D4", "E4", "D3", "F5", "E3", "N4", "N5", "N3", "P3", "P4", "M3", "N1", "M4", "F1", "F2", "G2", "G1", "H2", "H3", "B1", "C2", "C1", "D1"};
        for (int i = 0; i < 24; i++) lpf.append("LOCATE COMP \"count[").append(i).append("]\" SITE \"").append(sites[i]).append("\";\n");
        lpf.append("LOCATE COMP \"enable\" SITE \"R7\";\nLOCATE COMP \"wrapped\" SITE \"T6\";\nLOCATE COMP \"reset\" SITE \"E2\";\n");
        PlaceAndRoute.Result r = PlaceAndRoute.build(d, new PlaceAndRoute.Device(PlaceAndRoute.Family.ECP5, "25k", "CABGA256", 6), lpf.toString(), 1, dir, s -> {});

        byte[] bit = Files.readAllBytes(r.bitstream());
        assertTrue(bit.length > 500_000, "an LFE5U-25F bitstream is ~580 kB, got " + bit.length);
        // ECP5 bitstreams carry the preamble BDB3 after their comment block
        assertTrue(indexOf(bit, new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xBD, (byte) 0xB3}) >= 0, "preamble");
        assertEquals(1, r.clocks().size(), r.clocks().toString());
        assertEquals(25.0, r.clocks().get(0).constraintMHz(), 1e-3);
        assertTrue(r.meetsTiming(), r.clocks().toString());
        PlaceAndRoute.Resource ff = r.resource("TRELLIS_FF");
        assertTrue(ff.used() >= 24 && ff.available() == 24288, ff.toString());
        assertTrue(r.tools().contains("nextpnr-ecp5"), r.tools());
    }

    @Test
    void reportParsingReadsEveryClockAndCell() {
        String report = "{\"critical_paths\": [], \"fmax\": {\"$glbnet$a\": {\"achieved\": 61.5, \"constraint\": 62.5}, \"b\": {\"achieved\": 1.3e2, \"constraint\": 125}},"
                + " \"utilization\": {\"DP16KD\": {\"available\": 56, \"used\": 3}, \"TRELLIS_COMB\": {\"available\": 24288, \"used\": 5000}}}";
        PlaceAndRoute.Result r = PlaceAndRoute.parse(new PlaceAndRoute.Device(PlaceAndRoute.Family.ECP5, "25k", "CABGA256", 6), report, Path.of("x.bit"), "", "");
        assertEquals(List.of(new PlaceAndRoute.Clock("$glbnet$a", 61.5, 62.5), new PlaceAndRoute.Clock("b", 130, 125)), r.clocks());
        assertEquals(false, r.meetsTiming());
        assertEquals(new PlaceAndRoute.Resource("DP16KD", 3, 56), r.resource("DP16KD"));
        assertEquals(5000, r.resource("TRELLIS_COMB").used());
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) if (data[i + j] != pattern[j]) continue outer;
            return i;
        }
        assertArrayEquals(pattern, Arrays.copyOf(data, pattern.length), "pattern not found");
        return -1;
    }
}

package io.github.jnic.boards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.jhdl.Verilog;
import io.github.jnic.jhdl.flow.VerilatorLint;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Pin tables to pin files and pad rings: every pin once, every port of each board's top on a pin, the files say what the table says. */
class PinTableTest {

    @Test
    void everySiteAndPortOfATableIsUnique() {
        for (Board b : Boards.ALL) {
            Set<String> sites = new HashSet<>(), ports = new HashSet<>();
            for (Pin p : b.pins()) {
                assertTrue(ports.add(p.port()), b.id() + ": port " + p.port() + " twice");
                for (String s : p.sites()) assertTrue(sites.add(s), b.id() + ": site " + s + " used twice");
            }
        }
        assertEquals(Boards.ALL.size(), Boards.ALL.stream().map(Board::id).distinct().count());
    }

    /** Facts from the boards' published tables, restated so that an edit of a table has to be deliberate. */
    @Test
    void tablesHoldThePublishedPins() {
        Board v8 = Boards.COLORLIGHT_5A_75B_V8;
        assertEquals(List.of("M2", "M1", "P1", "R1"), v8.pin("eth0Txd").sites());
        assertEquals(List.of("K2", "J3", "K1", "K3"), v8.pin("eth0Rxd").sites());
        assertEquals(List.of("M15", "R16", "L15", "L16"), v8.pin("eth1Rxd").sites());
        assertEquals(List.of("R6"), v8.pin("phyReset").sites());
        assertTrue(v8.pin("led").activeLow() && v8.pin("phyReset").activeLow());
        assertEquals(List.of("L1", "L3", "P2", "L4"), Boards.COLORLIGHT_5A_75B_V7.pin("eth0Txd").sites());
        assertEquals(List.of("P20", "N19", "N20", "M19"), Boards.COLORLIGHT_I5.pin("eth1Rxd").sites());
        assertEquals(List.of("35"), Boards.ICEBREAKER.pin("clk12").sites());
        assertEquals(List.of("D18", "E17", "E18", "G17"), Boards.ARTY_A7_35T.pin("miiRxd").sites());
    }

    @Test
    void everyPortOfEachBoardTopHasAPinAndTheFilesSayWhereEachBitGoes() {
        for (Board b : Boards.ALL) {
            VerilogDesign core = Verilog.emit(b.top().get());
            VerilogDesign top = PadRing.wrap(b, core);
            List<Pin> used = PadRing.usedPins(b, top);
            String file = Constraints.forVendor(b, used);
            List<String[]> placed = placements(b.vendor(), file);
            List<String> expected = new ArrayList<>();
            for (Pin p : used) for (int i = 0; i < p.width(); i++) expected.add(p.bit(i) + "@" + p.sites().get(i));
            List<String> got = placed.stream().map(a -> a[0] + "@" + a[1]).toList();
            assertEquals(expected, got, b.id() + ":\n" + file);
            // each core port is reached through the pad ring, nothing is left over
            int coreBits = core.ports().stream().mapToInt(VerilogDesign.Port::width).sum();
            int inouts = (int) used.stream().filter(p -> p.kind() == Pin.Kind.INOUT).count();
            assertEquals(coreBits, expected.size() + 2 * inouts, b.id());
            for (Pin p : used) {
                if (p.clockMHz() == 0) continue;
                String line = switch (b.vendor()) {
                    case ECP5 -> "FREQUENCY PORT \"" + p.port() + "\" " + Constraints.mhz(p.clockMHz()) + " MHZ;";
                    case ICE40 -> "set_frequency " + p.port() + " " + Constraints.mhz(p.clockMHz());
                    case XILINX -> String.format(java.util.Locale.ROOT, "create_clock -period %.3f -name %s [get_ports {%s}]", 1000 / p.clockMHz(), p.port(), p.port());
                };
                assertTrue(file.lines().anyMatch(line::equals), b.id() + " clock " + line + "\n" + file);
            }
        }
    }

    @Test
    void padRingsLintCleanWithTheirTristateAndInverters() {
        for (Board b : Boards.ALL) {
            VerilogDesign top = PadRing.wrap(b, Verilog.emit(b.top().get()));
            String ring = top.files().get(b.topName() + ".v");
            assertTrue(ring.contains("inout  wire mdio"), ring);
            assertTrue(ring.contains("assign mdio = mdioOe ? mdioOut : 1'bz;"), ring);
            VerilatorLint.requireClean(top);
        }
        String ring = PadRing.wrap(Boards.COLORLIGHT_5A_75B_V8, Verilog.emit(Boards.COLORLIGHT_5A_75B_V8.top().get())).files().get("jnic_colorlight_5a_75b_v8.v");
        assertTrue(ring.contains("assign phyReset = ~phyResetAsserted;") && ring.contains("assign led = ~ledAsserted;"), ring);
    }

    @Test
    void aPortWithoutAPinIsRefused() {
        Board noMdc = new Board("x", "x", Board.Vendor.ECP5, null, "x", "LVCMOS33",
                Boards.COLORLIGHT_5A_75B_V8.pins().stream().filter(p -> !p.port().equals("mdc")).toList(), "", List.of(), () -> null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PadRing.wrap(noMdc, Verilog.emit(Boards.COLORLIGHT_5A_75B_V8.top().get())));
        assertTrue(e.getMessage().contains("[mdc]"), e.getMessage());
    }

    /** (port bit, site) pairs, read back from a pin file in its own syntax. */
    private static List<String[]> placements(Board.Vendor vendor, String file) {
        Pattern p = switch (vendor) {
            case ECP5 -> Pattern.compile("^LOCATE COMP \"([^\"]+)\" SITE \"([^\"]+)\";$", Pattern.MULTILINE);
            case ICE40 -> Pattern.compile("^set_io (?:-pullup yes )?(\\S+) (\\S+)$", Pattern.MULTILINE);
            case XILINX -> Pattern.compile("^set_property -dict \\{PACKAGE_PIN (\\S+) IOSTANDARD \\S+\\} \\[get_ports \\{([^}]+)\\}\\]$", Pattern.MULTILINE);
        };
        List<String[]> out = new ArrayList<>();
        Matcher m = p.matcher(file);
        while (m.find()) out.add(vendor == Board.Vendor.XILINX ? new String[] {m.group(2), m.group(1)} : new String[] {m.group(1), m.group(2)});
        return out;
    }
}

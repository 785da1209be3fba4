package io.github.jnic.boards;

import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.flow.PlaceAndRoute;
import java.util.List;
import java.util.function.Supplier;

/**
 * A board: its FPGA, its pin table (the single source of the pin files and of the pad ring), where
 * the pins come from, how a bitstream is loaded, and the design built for it.
 *
 * @param id          the name on the command line: {@code colorlight-5a-75b-v8}
 * @param name        for people: {@code Colorlight 5A-75B v8.0}
 * @param vendor      which pin-file format and flow
 * @param device      nextpnr's name of the FPGA; null where there is no open place and route (Xilinx)
 * @param part        the vendor's part number
 * @param ioStandard  the I/O standard of every pin (the banks are at 3.3 V on all these boards)
 * @param pins        the pin table
 * @param pinSources  where the pin table was checked
 * @param loader      openFPGALoader's arguments for this board, before the bitstream's path
 * @param top         the design the board builds
 */
public record Board(String id, String name, Vendor vendor, PlaceAndRoute.Device device, String part, String ioStandard,
                    List<Pin> pins, String pinSources, List<String> loader, Supplier<Module> top) {
    public enum Vendor { ECP5, ICE40, XILINX }

    public Board {
        pins = List.copyOf(pins);
        loader = List.copyOf(loader);
    }

    public Pin pin(String port) {
        for (Pin p : pins) if (p.port().equals(port)) return p;
        throw new IllegalArgumentException(id + " has no pin " + port);
    }

    /** The Verilog module name of the board's top (the pad ring). */
    public String topName() {
        return "jnic_" + id.replace('-', '_');
    }
}

package io.github.jnic.jhdl.flow;

import io.github.jnic.jhdl.verilog.VerilogDesign;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A design all the way to a bitstream: yosys synthesis, nextpnr placement and routing against a pin
 * file, and the family's packer; with what nextpnr reports of each clock (achieved against
 * constrained frequency) and of each kind of cell (used against available). iCE40 uses Debian 12's
 * own nextpnr-ice40 and icepack; ECP5 runs nextpnr-ecp5 and ecppack in the {@link DebianChroot}.
 * nextpnr is run with {@code --timing-allow-fail} so that a design that misses timing still gives its
 * report: the caller judges {@link Result#meetsTiming()}.
 */
public final class PlaceAndRoute {
    private PlaceAndRoute() {}

    public enum Family { ICE40, ECP5 }

    /**
     * An FPGA as nextpnr names it.
     *
     * @param device  nextpnr's device switch without dashes: {@code up5k}, {@code 25k}
     * @param pkg     the package: {@code sg48}, {@code CABGA256}
     * @param speed   the ECP5 speed grade (6, 7, 8); 0 for iCE40
     */
    public record Device(Family family, String device, String pkg, int speed) {
        public String describe() {
            return family == Family.ECP5 ? "LFE5U-" + device.toUpperCase() + "F-" + speed + " " + pkg : "iCE40" + device.toUpperCase() + " " + pkg;
        }
    }

    /** One clock net: the frequency it reached and the one it was constrained to (0 if none). */
    public record Clock(String net, double achievedMHz, double constraintMHz) {
        public boolean passes() {
            return achievedMHz >= constraintMHz;
        }
    }

    /** One kind of cell: how many the design uses of how many the device has. */
    public record Resource(String cell, int used, int available) {
        public double share() {
            return available == 0 ? 0 : (double) used / available;
        }
    }

    /** What one run produced. {@code tools} names the versions used. */
    public record Result(Device device, List<Clock> clocks, List<Resource> resources, Path bitstream, String tools, String log) {
        public boolean meetsTiming() {
            return clocks.stream().allMatch(Clock::passes);
        }

        /** The resource row for {@code cell}, or a row of zeros. */
        public Resource resource(String cell) {
            return resources.stream().filter(r -> r.cell().equals(cell)).findFirst().orElse(new Resource(cell, 0, 0));
        }
    }

    /**
     * Builds {@code design} for {@code device} with the pin file {@code constraints} (PCF or LPF text)
     * into {@code outDir} ({@code <top>.bit} or {@code <top>.bin} plus the intermediate files), telling
     * {@code progress} each step as it starts.
     */
    public static Result build(VerilogDesign design, Device device, String constraints, int seed, Path outDir, Consumer<String> progress) {
        try {
            Files.createDirectories(outDir);
            List<String> names = new ArrayList<>();
            Path rtl = outDir.resolve("rtl");
            Files.createDirectories(rtl);
            for (Path p : design.writeTo(rtl)) names.add("rtl/" + p.getFileName());
            String top = design.top();
            String synth = (device.family() == Family.ECP5 ? Yosys.Target.ECP5 : Yosys.Target.ICE40).command;
            progress.accept("synthesis (yosys " + synth + ")");
            Tool.Run y = Tool.run(outDir, List.of("yosys", "-q", "-l", "yosys.log", "-p",
                    "read_verilog -defer " + String.join(" ", names) + "; " + synth + " -top " + top + " -json " + top + ".json"));
            if (y.exitCode() != 0) throw new IllegalStateException("yosys failed for " + top + ":\n" + tail(y.output()));
            String yosysVersion = firstLine(Tool.run(outDir, List.of("yosys", "-V")).output());
            return device.family() == Family.ECP5
                    ? ecp5(top, device, constraints, seed, outDir, progress, yosysVersion)
                    : ice40(top, device, constraints, seed, outDir, progress, yosysVersion);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Result ice40(String top, Device device, String constraints, int seed, Path dir, Consumer<String> progress, String yosys) throws IOException {
        Files.writeString(dir.resolve(top + ".pcf"), constraints);
        progress.accept("place and route (nextpnr-ice40 --" + device.device() + " --package " + device.pkg() + ", seed " + seed + ")");
        Tool.Run p = Tool.run(dir, List.of("nextpnr-ice40", "--" + device.device(), "--package", device.pkg(), "--json", top + ".json",
                "--pcf", top + ".pcf", "--asc", top + ".asc", "--report", "report.json", "--seed", Integer.toString(seed),
                "--timing-allow-fail", "-l", "nextpnr.log", "-q"));
        if (p.exitCode() != 0) throw new IllegalStateException("nextpnr-ice40 failed for " + top + ":\n" + tail(p.output()));
        progress.accept("bitstream (icepack)");
        Tool.Run pack = Tool.run(dir, List.of("icepack", top + ".asc", top + ".bin"));
        if (pack.exitCode() != 0) throw new IllegalStateException("icepack failed:\n" + tail(pack.output()));
        String tools = yosys + "; " + firstLine(Tool.run(dir, List.of("nextpnr-ice40", "--version")).output());
        return result(device, dir, dir.resolve(top + ".bin"), tools);
    }

    private static Result ecp5(String top, Device device, String constraints, int seed, Path dir, Consumer<String> progress, String yosys) throws IOException {
        DebianChroot chroot = DebianChroot.with(DebianChroot.ECP5_TOOLS);
        Path job = chroot.newJobDirectory(top);
        try {
            Files.copy(dir.resolve(top + ".json"), job.resolve(top + ".json"));
            Files.writeString(job.resolve(top + ".lpf"), constraints);
            progress.accept("place and route (nextpnr-ecp5 --" + device.device() + " --package " + device.pkg() + " --speed " + device.speed() + ", seed " + seed + ")");
            Tool.Run p = chroot.run(job, "nextpnr-ecp5 -q --" + device.device() + " --package " + device.pkg() + " --speed " + device.speed()
                    + " --json " + top + ".json --lpf " + top + ".lpf --textcfg " + top + ".config --report report.json --seed " + seed
                    + " --timing-allow-fail -l nextpnr.log");
            if (p.exitCode() != 0) throw new IllegalStateException("nextpnr-ecp5 failed for " + top + ":\n" + tail(p.output()));
            progress.accept("bitstream (ecppack)");
            Tool.Run pack = chroot.run(job, "ecppack " + top + ".config " + top + ".bit");
            if (pack.exitCode() != 0) throw new IllegalStateException("ecppack failed:\n" + tail(pack.output()));
            for (String f : List.of(top + ".config", top + ".bit", "report.json", "nextpnr.log", top + ".lpf")) {
                Files.copy(job.resolve(f), dir.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            String tools = yosys + "; " + chroot.version("nextpnr-ecp5") + " (Debian " + DebianChroot.SUITE + " chroot)";
            return result(device, dir, dir.resolve(top + ".bit"), tools);
        } finally {
            Tool.delete(job);
        }
    }

    private static final Pattern FMAX = Pattern.compile("\"([^\"]+)\":\\s*\\{\\s*\"achieved\":\\s*([0-9.eE+-]+),\\s*\"constraint\":\\s*([0-9.eE+-]+)\\s*\\}");
    private static final Pattern CELLS = Pattern.compile("\"([^\"]+)\":\\s*\\{\\s*\"available\":\\s*(\\d+),\\s*\"used\":\\s*(\\d+)\\s*\\}");

    private static Result result(Device device, Path dir, Path bitstream, String tools) throws IOException {
        String report = Files.readString(dir.resolve("report.json"));
        return parse(device, report, bitstream, tools, Files.readString(dir.resolve("nextpnr.log")));
    }

    /** Reads nextpnr's {@code --report} JSON (its "fmax" and "utilization" objects). */
    static Result parse(Device device, String report, Path bitstream, String tools, String log) {
        List<Clock> clocks = new ArrayList<>();
        int fmax = report.indexOf("\"fmax\"");
        int util = report.indexOf("\"utilization\"");
        if (fmax >= 0) {
            Matcher m = FMAX.matcher(report.substring(fmax, util > fmax ? util : report.length()));
            while (m.find()) clocks.add(new Clock(m.group(1), Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3))));
        }
        List<Resource> resources = new ArrayList<>();
        if (util >= 0) {
            Matcher m = CELLS.matcher(report.substring(util));
            while (m.find()) resources.add(new Resource(m.group(1), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(2))));
        }
        return new Result(device, List.copyOf(clocks), List.copyOf(resources), bitstream, tools, log);
    }

    private static String firstLine(String s) {
        return s.lines().findFirst().orElse("").strip();
    }

    private static String tail(String s) {
        return s.length() > 4000 ? "..." + s.substring(s.length() - 4000) : s;
    }
}

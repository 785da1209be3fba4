package io.github.jnic.testbench.bench;

import io.github.jnic.jhdl.Verilog;
import io.github.jnic.jhdl.flow.Yosys;
import io.github.jnic.jhdl.verilog.VerilogDesign;
import io.github.jnic.nic.mac.EthernetMac;
import io.github.jnic.nic.mac.GmiiMac;
import io.github.jnic.nic.mac.MacRx;
import io.github.jnic.nic.mac.MacTx;
import io.github.jnic.nic.mac.RmiiEcho;
import io.github.jnic.nic.mac.RmiiMac;
import io.github.jnic.nic.mac.RxStats;
import io.github.jnic.testbench.phy.Burst;
import io.github.jnic.testbench.phy.Ethernet;
import io.github.jnic.testbench.phy.GmiiWire;
import io.github.jnic.testbench.phy.MacReference;
import io.github.jnic.testbench.phy.MacTestbench;
import io.github.jnic.testbench.phy.PhyWire;
import io.github.jnic.testbench.phy.RmiiWire;
import io.github.jnic.testbench.sim.StreamSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./nic bench mac}: the MAC's figures, each beside its reference, from one run.
 * <ol>
 * <li>Throughput per frame size: byte times per frame measured on the simulated wire, back to back,
 * against the line-rate figure (frame + 8 preamble/SFD + 12 gap); and the receive side fed at line
 * rate, frames delivered.</li>
 * <li>Size: yosys {@code synth_ecp5} LUT4 and FF of the GMII MAC core (MacTx + MacRx) against
 * verilog-ethernet's {@code eth_mac_1g} with default parameters (515 LUT4, 179 FF on yosys 0.23, a
 * figure quoted, not re-synthesized here).</li>
 * <li>Timing: nextpnr-ice40 on an iCE40 UP5K for the RMII MAC in a board top ({@link RmiiEcho}).</li>
 * </ol>
 */
public final class MacBench {
    private static final int[] SIZES = {64, 128, 512, 1518, 9018};
    private static final int REFERENCE_LUTS = 515, REFERENCE_FFS = 179;

    public static void main(String[] args) throws Exception {
        System.out.println("## Throughput (frames back to back, minimum gap)\n");
        System.out.println("| wire | frame bytes | frames | byte times per frame, measured | line rate (frame + 20) | of line rate | received good |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        throughput("GMII", GmiiMac::new, GmiiWire::new, 1);
        throughput("RMII 100 Mb/s", RmiiMac::new, () -> new RmiiWire(false, true), 4);

        System.out.println("\n## Size (yosys synth_ecp5)\n");
        System.out.println("| design | LUT4 | FF | reference eth_mac_1g LUT4 | FF |");
        System.out.println("|---|---:|---:|---:|---:|");
        Yosys.Result tx = Yosys.synth(Verilog.emit(new MacTx()), Yosys.Target.ECP5);
        Yosys.Result rx = Yosys.synth(Verilog.emit(new MacRx()), Yosys.Target.ECP5);
        System.out.printf("| MacTx | %d | %d | | |%n", tx.luts(), tx.flipFlops());
        System.out.printf("| MacRx | %d | %d | | |%n", rx.luts(), rx.flipFlops());
        System.out.printf("| GMII MAC core (MacTx + MacRx) | %d | %d | %d | %d |%n", tx.luts() + rx.luts(),
                tx.flipFlops() + rx.flipFlops(), REFERENCE_LUTS, REFERENCE_FFS);
        Yosys.Result whole = Yosys.synth(Verilog.emit(new GmiiMac()), Yosys.Target.ECP5);
        System.out.printf("| GmiiMac (core, GMII input registers, statistics) | %d | %d | | |%n", whole.luts(), whole.flipFlops());

        System.out.println("\n## Timing (nextpnr-ice40, iCE40 UP5K sg48, RmiiEcho)\n");
        timing();
        System.out.printf("%nmachine: %d cores; %s%n", Runtime.getRuntime().availableProcessors(), firstLine("yosys", "-V"));
    }

    static void throughput(String name, Supplier<EthernetMac> top, Supplier<PhyWire> wire, int clocksPerByte) {
        VerilogDesign design = Verilog.emit(top.get());
        Random random = new Random(1);
        for (int size : SIZES) {
            int count = size >= 9018 ? 40 : size >= 1518 ? 200 : 1000;
            if (clocksPerByte > 1) count = Math.max(20, count / 10);
            List<StreamSource.Frame> frames = new ArrayList<>();
            List<Burst> lineRate = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                byte[] f = new byte[size - Ethernet.FCS_LENGTH];
                random.nextBytes(f);
                frames.add(new StreamSource.Frame(f, 0, 0));
                lineRate.add(MacReference.transmit(f));
            }
            try (MacTestbench tb = new MacTestbench(design, wire.get(), 1, 0)) {
                tb.sim().port("jumbo").set(1);
                List<Burst> bursts = tb.transmit(frames);
                if (bursts.size() != count) throw new IllegalStateException(count + " frames sent, " + bursts.size() + " on the wire");
                long byteTimes = 0;
                for (int i = 1; i < bursts.size(); i++) byteTimes += bursts.get(i - 1).bytes().length + bursts.get(i).idleBefore();
                double measured = (double) byteTimes / (count - 1);
                int theory = size + Ethernet.OVERHEAD;
                tb.receive(lineRate);
                long good = tb.rxCounter(RxStats.FRAMES);
                System.out.printf("| %s | %d | %d | %.2f | %d | %.2f %% | %d / %d |%n", name, size, count, measured, theory,
                        100.0 * theory / measured, good, count);
            }
        }
    }

    static void timing() throws IOException, InterruptedException {
        VerilogDesign design = Verilog.emit(new RmiiEcho(32));
        Path dir = Files.createTempDirectory("jnic-mac-timing-");
        try {
            List<Path> files = design.writeTo(dir);
            List<String> names = files.stream().map(p -> dir.relativize(p).toString()).toList();
            String script = "read_verilog " + String.join(" ", names) + "; synth_ice40 -top " + design.top() + " -json echo.json";
            String yosys = run(dir, List.of("yosys", "-q", "-p", script));
            String pnr = run(dir, List.of("nextpnr-ice40", "--up5k", "--package", "sg48", "--json", "echo.json",
                    "--freq", "50", "--pcf-allow-unconstrained", "--timing-allow-fail", "--seed", "1"));
            Matcher m = Pattern.compile("Max frequency for clock '([^']+)': ([0-9.]+) MHz \\((PASS|FAIL) at ([0-9.]+) MHz\\)").matcher(pnr);
            String last = null;
            List<String> rows = new ArrayList<>();
            while (m.find()) rows.add(String.format("| %s | %s MHz | %s MHz | %s |", m.group(1), m.group(2), m.group(4), m.group(3)));
            // nextpnr prints the figures after placement and again after routing: keep the final ones
            int half = rows.size() / 2;
            System.out.println("| clock | fmax after routing | required | |");
            System.out.println("|---|---:|---:|---|");
            for (String r : rows.subList(half, rows.size())) System.out.println(r);
            Matcher u = Pattern.compile("ICESTORM_LC:\\s+(\\d+)/\\s*(\\d+)").matcher(pnr);
            Matcher b = Pattern.compile("ICESTORM_RAM:\\s+(\\d+)/\\s*(\\d+)").matcher(pnr);
            if (u.find()) System.out.printf("%nlogic cells %s of %s", u.group(1), u.group(2));
            if (b.find()) System.out.printf(", block RAMs %s of %s%n", b.group(1), b.group(2));
            if (!yosys.isBlank()) System.out.println(yosys.strip());
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String run(Path dir, List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + out);
        return out;
    }

    private static String firstLine(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return out.lines().findFirst().orElse("").strip();
        } catch (IOException | InterruptedException e) {
            return cmd[0] + " (version unknown)";
        }
    }

    private MacBench() {}
}

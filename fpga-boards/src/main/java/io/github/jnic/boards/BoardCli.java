package io.github.jnic.boards;

import io.github.jnic.jhdl.flow.PlaceAndRoute;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** {@code ./nic board list | build <board> [--seed N] [-o DIR] | flash <board> [-o DIR]}. */
public final class BoardCli {
    private BoardCli() {}

    static final String USAGE = """
            usage: ./nic board list
                   ./nic board build <board> [--seed N] [-o DIR] [--device 45k]
                                   bitstream, utilization, fmax per clock (default DIR build/boards/<board>;
                                   --device: another ECP5 size in the same package)
                   ./nic board flash <board> [-o DIR] [--cable C]  load the bitstream built in DIR with openFPGALoader
            """;

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length == 0) {
            System.err.print(USAGE);
            System.exit(2);
        }
        switch (args[0]) {
            case "list" -> list();
            case "build" -> System.exit(build(args));
            case "flash" -> System.exit(flash(args));
            default -> {
                System.err.print(USAGE);
                System.exit(2);
            }
        }
    }

    static void list() {
        System.out.printf("%-22s %-34s %-20s %s%n", "board", "name", "FPGA", "flow");
        for (Board b : Boards.ALL) {
            String flow = switch (b.vendor()) {
                case ECP5 -> "nextpnr-ecp5 (Debian trixie chroot)";
                case ICE40 -> "nextpnr-ice40";
                case XILINX -> "yosys synth_xilinx only; Vivado script";
            };
            System.out.printf("%-22s %-34s %-20s %s%n", b.id(), b.name(), b.part(), flow);
        }
    }

    static int build(String[] args) {
        Board board = Boards.byId(need(args, 1));
        String device = option(args, "--device", null);
        if (device != null) {
            // the same board and pins with another size of the same family and package (ECP5: 12k, 25k, 45k, 85k)
            PlaceAndRoute.Device d = board.device();
            board = new Board(board.id(), board.name() + " with --" + device, board.vendor(), new PlaceAndRoute.Device(d.family(), device, d.pkg(), d.speed()),
                    board.part().replaceFirst("^LFE5U-\\d+F", "LFE5U-" + device.replace("k", "") + "F"), board.ioStandard(), board.pins(), board.pinSources(), board.loader(), board.top());
        }
        int seed = Integer.parseInt(option(args, "--seed", "1"));
        Path dir = Path.of(option(args, "-o", "build/boards/" + board.id()));
        AtomicInteger step = new AtomicInteger();
        int steps = board.vendor() == Board.Vendor.XILINX ? 2 : 4;
        long start = System.nanoTime();
        BoardBuild.Result r;
        try {
            r = BoardBuild.build(board, dir, seed, s -> System.out.printf("[%d/%d] %s%n", step.incrementAndGet(), steps, s));
        } catch (IllegalStateException e) {
            System.out.println("failed: " + e.getMessage().strip());
            for (String line : BoardBuild.synthesisCells(dir, board)) System.out.println(line);
            return 1;
        }
        System.out.printf("%s (%s) in %.1f s, files in %s%n", board.name(), board.part(), (System.nanoTime() - start) / 1e9, dir);
        for (String line : BoardBuild.report(r)) System.out.println(line);
        if (!r.meetsTiming()) {
            System.out.println("timing: FAIL (a clock is below its constraint)");
            return 1;
        }
        if (r.pnr() != null) System.out.println("timing: PASS");
        return 0;
    }

    static int flash(String[] args) throws IOException, InterruptedException {
        Board board = Boards.byId(need(args, 1));
        if (board.vendor() == Board.Vendor.XILINX) {
            System.err.println(board.name() + ": no open bitstream here; build it with Vivado (vivado.tcl in the build directory), then: openFPGALoader "
                    + String.join(" ", board.loader()) + " " + board.topName() + ".bit");
            return 1;
        }
        Path dir = Path.of(option(args, "-o", "build/boards/" + board.id()));
        Path bitstream = dir.resolve(board.topName() + (board.vendor() == Board.Vendor.ECP5 ? ".bit" : ".bin"));
        if (!Files.exists(bitstream)) {
            System.err.println("no bitstream at " + bitstream + "; first: ./nic board build " + board.id());
            return 1;
        }
        List<String> loader = new ArrayList<>(board.loader());
        String cable = option(args, "--cable", null);
        if (cable != null) {
            int c = loader.indexOf("-c");
            if (c >= 0) loader.set(c + 1, cable);
            else loader.addAll(List.of("-c", cable));
        }
        List<String> command = new ArrayList<>(List.of("openFPGALoader"));
        command.addAll(loader);
        command.add(bitstream.toString());
        String line = String.join(" ", command);
        if (!onPath("openFPGALoader")) {
            System.err.println("openFPGALoader is not installed (Debian: apt-get install openfpgaloader). With it and the board connected this runs:");
            System.out.println(line);
            return 1;
        }
        List<String> detect = new ArrayList<>(List.of("openFPGALoader"));
        detect.addAll(loader);
        detect.add("--detect");
        Process p = new ProcessBuilder(detect).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0) {
            System.err.println("no board or cable found (" + String.join(" ", detect) + ": " + lastLine(said) + "). With the board connected this runs:");
            System.out.println(line);
            return 1;
        }
        System.out.println(line);
        return new ProcessBuilder(command).inheritIO().start().waitFor();
    }

    private static boolean onPath(String command) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) if (new File(d, command).canExecute()) return true;
        return false;
    }

    private static String lastLine(String s) {
        String[] lines = s.split("\n");
        return lines.length == 0 ? "" : lines[lines.length - 1].strip();
    }

    private static String need(String[] args, int i) {
        if (args.length <= i) {
            System.err.print(USAGE);
            System.exit(2);
        }
        return args[i];
    }

    private static String option(String[] args, String name, String otherwise) {
        for (int i = 0; i + 1 < args.length; i++) if (args[i].equals(name)) return args[i + 1];
        return otherwise;
    }
}

package io.github.jnic.testbench.offload;

import io.github.jnic.jhdl.Verilog;
import io.github.jnic.jhdl.flow.Yosys;
import io.github.jnic.nic.offload.RxChecksum;
import io.github.jnic.nic.offload.TxOffload;
import io.github.jnic.testbench.offload.OffloadReference.Command;
import io.github.jnic.testbench.offload.Packets.Packet;
import io.github.jnic.testbench.offload.Packets.Shape;
import io.github.jnic.testbench.sim.Simulator;
import io.github.jnic.testbench.sim.StreamSink;
import io.github.jnic.testbench.sim.StreamSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * {@code ./nic bench offload}: TxOffload's throughput in the simulator, inputs never idle and
 * outputs always ready, beside what 1 GbE needs at the card's 62.5 MHz system clock (a frame of
 * n bytes takes n + 4 FCS + 8 preamble + 12 gap byte times, 8 ns each: (n + 24) / 2 cycles).
 * TSO: one 64 KiB send per MSS, cycles from one segment's end to the next against its wire time;
 * checksum offload: back-to-back frames of one size; TSO through the frame buffer to the byte stream
 * the MAC takes; the host CPU per byte the stack saves with the offloads ({@link HostCpuBench}). Then
 * the engines' size (yosys synth_ecp5).
 * Every frame is checked against {@link OffloadReference} on the way, so a fast wrong engine
 * cannot post a figure.
 */
public final class OffloadBench {
    static final double CYCLES_PER_BYTE_TIME_1G = 62.5e6 / 125e6;   // 62.5 MHz system clock, 125 MB/s wire

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("host")) {   // the host CPU figure alone: no simulator, no yosys
            HostCpuBench.Sender sender = args.length < 2 ? HostCpuBench.Sender.IDEAL
                    : args[1].equals("driver") ? HostCpuBench.Sender.DRIVER
                    : args[1].equals("driver-copy") ? HostCpuBench.Sender.DRIVER_COPY : null;
            if (sender == null) throw new IllegalArgumentException("host [driver|driver-copy [rounds]]: " + args[1]);
            System.out.println(switch (sender) {
                case IDEAL -> "## Host CPU per byte sent: the stack with TSO and checksum offload against software\n";
                case DRIVER -> "## Host CPU per byte sent: the stack and NicDriver gathering from its DMA memory (over the card model, untimed), TSO and checksum offload against software\n";
                case DRIVER_COPY -> "## Host CPU per byte sent: the stack and NicDriver copying every frame into its slots (over the card model, untimed), TSO and checksum offload against software\n";
            });
            hostCpu(sender, args.length > 2 ? Integer.parseInt(args[2]) : 9);
            System.out.printf("%nmachine: %d cores, %s%n", Runtime.getRuntime().availableProcessors(), cpuModel());
            return;
        }
        System.out.println("## TSO: one 64 KiB send (IPv4, TCP with timestamps), segments leaving the engine\n");
        System.out.println("| MSS | segments | engine cycles per segment | wire cycles per segment at 1 GbE (62.5 MHz) | engine cycles per byte | engine speed / line rate |");
        System.out.println("|---:|---:|---:|---:|---:|---:|");
        for (int mss : new int[] {536, 1448, 8948}) tso(mss);
        System.out.println("\n## TSO through TxFrameBuffer and the Downsizer: the byte stream the MAC takes\n");
        System.out.println("| MSS | segments | bytes | idle byte clocks between segments (most, total) | of the byte stream busy |");
        System.out.println("|---:|---:|---:|---:|---:|");
        for (int mss : new int[] {536, 1448, 8948}) path(mss);
        System.out.println("\n## Checksum offload: frames back to back (IPv4 TCP)\n");
        System.out.println("| frame bytes | frames | engine cycles per frame | wire cycles per frame at 1 GbE | engine speed / line rate |");
        System.out.println("|---:|---:|---:|---:|---:|");
        for (int size : new int[] {60, 590, 1514}) checksum(size);
        System.out.println("\n## Host CPU per byte sent: the stack with TSO and checksum offload against software\n");
        hostCpu(HostCpuBench.Sender.IDEAL, 9);
        System.out.println("\n## Size (yosys synth_ecp5)\n");
        System.out.println("| engine | LUT4 | FF | block RAM (DP16KD) |");
        System.out.println("|---|---:|---:|---:|");
        Yosys.Result tx = Yosys.synth(Verilog.emit(new TxOffload()), Yosys.Target.ECP5);
        Yosys.Result rx = Yosys.synth(Verilog.emit(new RxChecksum(1)), Yosys.Target.ECP5);
        size("TxOffload (TSO, header RAM, BytePacker, TxChecksum)", tx);
        size("RxChecksum", rx);
        // the whole card for scale (RGMII, ECP5's DDR cells), engines included
        io.github.jnic.nic.card.Nic.Config config = new io.github.jnic.nic.card.Nic.Config().phy(io.github.jnic.nic.card.Nic.Phy.RGMII);
        config.vendor = io.github.jnic.nic.phy.DdrVendor.ECP5;
        Yosys.Result card = Yosys.synth(Verilog.emit(new io.github.jnic.nic.card.Nic(config)), Yosys.Target.ECP5);
        size("the card (Nic, RGMII), engines included", card);
        System.out.printf("| the engines' share of the card | %.0f %% | %.0f %% | |%n", 100.0 * (tx.luts() + rx.luts()) / card.luts(),
                100.0 * (tx.flipFlops() + rx.flipFlops()) / card.flipFlops());
        System.out.printf("%nmachine: %d cores, %s; cycles are simulated (Verilator), so they do not depend on it%n",
                Runtime.getRuntime().availableProcessors(), cpuModel());
    }

    /** The bench in the simulator, no gaps, always ready. */
    static final class Run implements AutoCloseable {
        final Simulator sim = Simulator.load(Verilog.emit(new TxOffloadBench()));
        final StreamSource commands, frames;
        final StreamSink out, patches;

        Run() {
            sim.resetHigh("reset", "clk", 2);
            commands = new StreamSource(sim, "clk", pins(sim, "commands"), 1, 0);
            frames = new StreamSource(sim, "clk", pins(sim, "frames"), 2, 0);
            out = new StreamSink(sim, "clk", pins(sim, "out"), 3, 1);
            patches = new StreamSink(sim, "clk", pins(sim, "patchWords"), 4, 1);
        }

        static StreamSource.Pins pins(Simulator sim, String p) {
            return new StreamSource.Pins(sim.port(p + "_valid"), sim.port(p + "_ready"), sim.port(p + "_payload_data"),
                    sim.port(p + "_last"), sim.port(p + "_payload_keep"), sim.hasPort(p + "_user") ? sim.port(p + "_user") : null);
        }

        /** Sends the requests, runs until the expected frames are out, checks them, returns their end cycles. */
        List<StreamSink.Frame> run(List<byte[]> inputs, List<Command> cmds) {
            List<byte[]> expected = new ArrayList<>();
            List<StreamSource.Frame> c = new ArrayList<>(), f = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                expected.addAll(OffloadReference.transmit(inputs.get(i), cmds.get(i)).sent());
                c.add(new StreamSource.Frame(TxOffloadBench.pack(cmds.get(i)), 0, 0));
                f.add(new StreamSource.Frame(inputs.get(i), 0, 0));
            }
            commands.send(c);
            frames.send(f);
            for (long spent = 0; out.framesReceived() < expected.size() && spent < 50_000_000; spent += 10_000) sim.step("clk", 10_000);
            sim.step("clk", 100);
            List<StreamSink.Frame> got = out.receive(), p = patches.receive();
            if (got.size() != expected.size()) throw new IllegalStateException(got.size() + " frames out, " + expected.size() + " expected");
            for (int i = 0; i < got.size(); i++) {
                byte[] g = got.get(i).data().clone();
                for (int at = 0; at < 16; at += 8) {
                    TxOffloadBench.PatchWord w = TxOffloadBench.PatchWord.of(p.get(i).data(), at);
                    if (w.enable()) {
                        g[w.offset()] = (byte) (w.value() >>> 8);
                        g[w.offset() + 1] = (byte) w.value();
                    }
                }
                if (!Arrays.equals(g, expected.get(i))) throw new IllegalStateException("frame " + i + " is not the reference's");
            }
            return got;
        }

        @Override public void close() {
            sim.close();
        }
    }

    static void tso(int mss) {
        Random r = new Random(mss);
        int header = 14 + 20 + 32;
        int paylen = 65535 - header;
        Packet p = Packets.random(r, new Shape(true, true, false, 0, 12, paylen));
        Command c = Command.tso(true, p.ipStart(), p.ipHeaderBytes(), p.l4Start(), p.headerBytes(), mss, paylen);
        try (Run run = new Run()) {
            // two sends: the second's segments follow the first's, so the gap between sends shows too
            List<StreamSink.Frame> got = run.run(List.of(p.tsoSeeded(), p.tsoSeeded()), List.of(c, c));
            int n = got.size();
            long cycles = got.get(n - 1).cycle() - got.get(n / 2 - 1).cycle();
            double perSegment = (double) cycles / (n / 2), fullWire = (header + mss + 24) * CYCLES_PER_BYTE_TIME_1G;
            long bytes = 0;
            for (int i = n / 2; i < n; i++) bytes += got.get(i).data().length;
            double wire = (bytes + 24.0 * (n / 2)) * CYCLES_PER_BYTE_TIME_1G / (n / 2);
            System.out.printf("| %d | %d | %.1f | %.1f (full: %.1f) | %.3f | %.1f× |%n", mss, n / 2, perSegment, wire, fullWire,
                    (double) cycles / bytes, wire / perSegment);
        }
    }

    /**
     * Two 64 KiB sends through the frame buffer to the byte stream, always taken: a frame's last
     * byte at cycle c_i, so the idle clocks before segment i + 1 are c_(i+1) − c_i − its length.
     */
    static void path(int mss) {
        Random r = new Random(mss);
        int header = 14 + 20 + 32, paylen = 65535 - header;
        Packet p = Packets.random(r, new Shape(true, true, false, 0, 12, paylen));
        Command c = Command.tso(true, p.ipStart(), p.ipHeaderBytes(), p.l4Start(), p.headerBytes(), mss, paylen);
        List<byte[]> expected = new ArrayList<>(OffloadReference.transmit(p.tsoSeeded(), c).sent());
        expected.addAll(OffloadReference.transmit(p.tsoSeeded(), c).sent());
        try (Simulator sim = Simulator.load(Verilog.emit(new TxPathOffloadBench()))) {
            sim.resetHigh("reset", "clk", 2);
            StreamSource commands = new StreamSource(sim, "clk", Run.pins(sim, "commands"), 1, 0);
            StreamSource frames = new StreamSource(sim, "clk", Run.pins(sim, "frames"), 2, 0);
            StreamSink bytes = new StreamSink(sim, "clk", new StreamSource.Pins(sim.port("bytes_valid"), sim.port("bytes_ready"),
                    sim.port("bytes_payload"), sim.port("bytes_last"), null, null), 3, 1);
            for (int k = 0; k < 2; k++) {
                commands.send(List.of(new StreamSource.Frame(TxOffloadBench.pack(c), 0, 0)));
                frames.send(List.of(new StreamSource.Frame(p.tsoSeeded(), 0, 0)));
            }
            for (long spent = 0; bytes.framesReceived() < expected.size() && spent < 50_000_000; spent += 10_000) sim.step("clk", 10_000);
            List<StreamSink.Frame> got = bytes.receive();
            if (got.size() != expected.size()) throw new IllegalStateException(got.size() + " frames out, " + expected.size() + " expected");
            long most = 0, idle = 0, total = 0;
            for (int i = 0; i < got.size(); i++) {
                if (!Arrays.equals(got.get(i).data(), expected.get(i))) throw new IllegalStateException("frame " + i + " is not the reference's");
                total += got.get(i).data().length;
                if (i == 0) continue;
                long gap = got.get(i).cycle() - got.get(i - 1).cycle() - got.get(i).data().length;
                most = Math.max(most, gap);
                idle += gap;
            }
            System.out.printf("| %d | %d | %d | %d, %d | %.2f %% |%n", mss, got.size(), total, most, idle, 100.0 * total / (total + idle));
        }
    }

    static void checksum(int size) {
        Random r = new Random(size);
        int count = 400;
        List<byte[]> inputs = new ArrayList<>();
        List<Command> cmds = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Packet p = Packets.random(r, new Shape(true, true, false, 0, 0, size - 54));
            inputs.add(p.partial());
            cmds.add(Command.checksum(true, 14, 24, 33, true, 34, 50, 0));
        }
        try (Run run = new Run()) {
            List<StreamSink.Frame> got = run.run(inputs, cmds);
            double perFrame = (double) (got.get(count - 1).cycle() - got.get(0).cycle()) / (count - 1);
            double wire = (size + 24) * CYCLES_PER_BYTE_TIME_1G;
            System.out.printf("| %d | %d | %.1f | %.1f | %.1f× |%n", size, count, perFrame, wire, wire / perFrame);
        }
    }

    /**
     * {@link HostCpuBench}: after two warm-up rounds each way (the JIT), rounds alternating the four
     * ways (offload or not, the application's bytes copied in or handed over without a copy); the
     * median of each, and the spread, since a shared machine's noise moves single rounds.
     * {@code sender}: the ideal card, or NicDriver over the card model gathering or copying
     * ({@link HostCpuBench.Sender}; {@code ./nic bench offload host [driver|driver-copy [rounds]]}).
     */
    static void hostCpu(HostCpuBench.Sender sender, int rounds) {
        long bytes = 256L << 20;
        String[] names = {"offload, write (copy)", "software, write (copy)", "offload, writeZeroCopy", "software, writeZeroCopy"};
        HostCpuBench.Result[][] r = new HostCpuBench.Result[4][rounds];
        double[] copyRatio = new double[rounds], zeroCopyRatio = new double[rounds];
        try {
            for (int w = 0; w < 2; w++) for (int way = 0; way < 4; way++) HostCpuBench.run(way % 2 == 0, way >= 2, 64L << 20, sender);
            System.out.println("| round | " + String.join(" | ", names) + " | less with offload: copy, zero-copy |");
            System.out.println("|---:|---:|---:|---:|---:|---:|");
            for (int round = 0; round < rounds; round++) {
                for (int way = 0; way < 4; way++) r[way][round] = HostCpuBench.run(way % 2 == 0, way >= 2, bytes, sender);
                copyRatio[round] = r[1][round].stackNanosPerByte() / r[0][round].stackNanosPerByte();
                zeroCopyRatio[round] = r[3][round].stackNanosPerByte() / r[2][round].stackNanosPerByte();
                System.out.printf("| %d | %.4f | %.4f | %.4f | %.4f | %.1f×, %.1f× |%n", round + 1, r[0][round].stackNanosPerByte(),
                        r[1][round].stackNanosPerByte(), r[2][round].stackNanosPerByte(), r[3][round].stackNanosPerByte(),
                        copyRatio[round], zeroCopyRatio[round]);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        System.out.println("\n| way | sender's CPU per byte, median (least–most) | of it in writes | in polls | mean frame handed to the device |");
        System.out.println("|---|---:|---:|---:|---:|");
        double[] medians = new double[4];
        for (int way = 0; way < 4; way++) {
            double[] total = new double[rounds], write = new double[rounds], poll = new double[rounds];
            for (int i = 0; i < rounds; i++) {
                total[i] = r[way][i].stackNanosPerByte();
                write[i] = r[way][i].writeNanosPerByte();
                poll[i] = r[way][i].pollNanosPerByte();
            }
            medians[way] = median(total);
            System.out.printf("| %s | %.4f ns (%.4f–%.4f) | %.4f ns | %.4f ns | %.0f bytes |%n", names[way], medians[way], min(total), max(total),
                    median(write), median(poll), r[way][0].meanFrameBytes());
        }
        double[] copy = new double[4 * rounds], clock = new double[4 * rounds];
        for (int i = 0; i < 4 * rounds; i++) {
            copy[i] = r[i % 4][i / 4].copyNanosPerByte();
            clock[i] = r[i % 4][i / 4].clockNanos();
        }
        System.out.printf("%nless CPU per byte with offload, median of %d rounds (least, most): write %.1f× (%.1f×, %.1f×), writeZeroCopy %.1f× (%.1f×, %.1f×); target 5×%n",
                rounds, median(copyRatio), min(copyRatio), max(copyRatio), median(zeroCopyRatio), min(zeroCopyRatio), max(zeroCopyRatio));
        System.out.printf("offload with writeZeroCopy against the best software way (%s): %.1f×%n",
                medians[1] <= medians[3] ? names[1] : names[3], Math.min(medians[1], medians[3]) / medians[2]);
        System.out.printf("the copy alone (the same bytes into a direct buffer of the send buffer's size): %.4f ns per byte, median%n", median(copy));
        System.out.printf("one pair of thread CPU clock readings, taken out of every figure: %.0f ns, median%n", median(clock));
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static double min(double[] v) { return Arrays.stream(v).min().orElse(Double.NaN); }
    static double max(double[] v) { return Arrays.stream(v).max().orElse(Double.NaN); }

    static String cpuModel() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/cpuinfo")))
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
        } catch (java.io.IOException e) {
            // not Linux: the model is not known
        }
        return "unknown CPU";
    }

    static void size(String name, Yosys.Result r) {
        System.out.printf("| %s | %d | %d | %d |%n", name, r.luts(), r.flipFlops(), r.blockRams());
    }
}

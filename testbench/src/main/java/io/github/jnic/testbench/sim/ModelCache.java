package io.github.jnic.testbench.sim;

import io.github.jnic.jhdl.verilog.VerilogDesign;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Builds and caches the native pieces of the harness under one root directory:
 * <ul>
 *   <li>{@code shim-<hash>/libjnic_sim.so}: the JNI shim with the bus models (per JDK and source);</li>
 *   <li>{@code runtime-<hash>/*.o}: Verilator's own runtime, compiled once per version and flags;</li>
 *   <li>{@code model-<hash>/model.so}: one design (per Verilog, flags, Verilator version, ABI source).</li>
 * </ul>
 * Each is built in a private temporary directory and published by an atomic rename, so JVMs
 * building the same thing at once never see half a build.
 */
public final class ModelCache {
    static final String NATIVE = "/io/github/jnic/testbench/sim/native/";
    private static final List<String> SHIM_SOURCES =
            List.of("jnic_model.h", "bus_model.h", "jnic_shim.cpp", "stream_models.cpp", "pin_models.cpp", "axi_models.cpp", "card_models.cpp", "event_models.cpp");
    private static final List<String> MODEL_SOURCES = List.of("jnic_model.h", "jnic_vl_hooks.h", "jnic_model.cpp");
    private static final Map<String, String> VERSIONS = new ConcurrentHashMap<>();

    private final Path root;
    private final String searchPath;

    public ModelCache(Path root, String searchPath) {
        this.root = root;
        this.searchPath = searchPath;
    }

    /** The cache and search path that {@code options} name. */
    public static ModelCache of(SimOptions options) {
        return new ModelCache(options.cacheDir(), options.searchPath());
    }

    /** {@code ${JNIC_CACHE:-$HOME/.cache/jnic}/verilator} */
    public static Path defaultRoot() {
        String env = System.getenv("JNIC_CACHE");
        Path base = env != null && !env.isEmpty() ? Paths.get(env)
                : Paths.get(System.getProperty("user.home"), ".cache", "jnic");
        return base.resolve("verilator");
    }

    public Path root() {
        return root;
    }

    /** The JNI shim library, built if missing. */
    Path shim() {
        String gcc = tool("g++", "g++");
        Path javaHome = Paths.get(System.getProperty("java.home"));
        Path include = javaHome.resolve("include");
        if (!Files.isRegularFile(include.resolve("jni.h")))
            throw new BuildException("no jni.h under " + include + ": the harness needs a full JDK "
                    + "(Debian package openjdk-17-jdk-headless)");
        String key = hash(sources(SHIM_SOURCES), javaHome.toString(), version(gcc));
        return publish("shim-" + key, "libjnic_sim.so", dir -> {
            writeSources(dir, SHIM_SOURCES);
            List<String> cmd = new ArrayList<>(List.of(gcc, "-std=c++17", "-O2", "-fPIC", "-shared", "-Wall",
                    "-I" + include, "-I" + include.resolve("linux"), "-I" + dir, "-o", dir.resolve("libjnic_sim.so").toString()));
            for (String s : SHIM_SOURCES) if (s.endsWith(".cpp")) cmd.add(dir.resolve(s).toString());
            cmd.add("-ldl");
            exec(cmd, dir, "compiling the JNI shim");
        });
    }

    /** The model library of a design, built if missing; {@code traced} selects the waveform variant. */
    public Path model(VerilogDesign design, boolean traced, List<String> flags) {
        String verilator = tool("verilator", "verilator");
        String gcc = tool("g++", "g++");
        tool("make", "make");
        String toolVersions = version(verilator) + "\n" + version(gcc);
        List<String> common = commonFlags(traced);
        StringBuilder designText = new StringBuilder(design.top()).append('\n');
        design.files().forEach((n, t) -> designText.append(n).append('\0').append(t).append('\0'));
        design.simulationModels().forEach((n, t) -> designText.append("sim:").append(n).append('\0').append(t).append('\0'));
        design.ports().forEach(p -> designText.append(p).append('\n'));
        String build = String.join(" ", MODEL_BUILD);
        String key = hash(sources(MODEL_SOURCES), toolVersions, build, String.join(" ", common), String.join(" ", flags),
                designText.toString());
        Path runtime = root.resolve("runtime-" + hash(toolVersions, build, String.join(" ", common)));
        return publish("model-" + key, "model.so", dir -> {
            writeSources(dir, MODEL_SOURCES);
            Files.writeString(dir.resolve("jnic_ports.inc"), portTable(design));
            List<Path> verilog = new ArrayList<>(design.writeTo(dir.resolve("src")));
            verilog.addAll(design.writeSimulationModelsTo(dir.resolve("src")));
            // Relative names, so messages name src/<module>.v and not a temporary directory.
            Path obj = Files.createDirectories(dir.resolve("obj"));
            if (Files.isDirectory(runtime)) {
                try (Stream<Path> objects = Files.list(runtime)) {
                    for (Path o : (Iterable<Path>) objects::iterator) Files.copy(o, obj.resolve(o.getFileName()));
                }
            }
            List<String> cmd = new ArrayList<>(List.of(verilator, "--cc", "--exe", "--build", "-j", "2",
                    "--prefix", "Vtop", "--top-module", design.top(), "-Mdir", obj.toString(), "-o", "model.so"));
            cmd.addAll(MODEL_BUILD);
            for (String f : common) {
                cmd.add(f.startsWith("--") ? f : "-CFLAGS");
                if (!f.startsWith("--")) cmd.add(f);
            }
            cmd.addAll(List.of("-CFLAGS", "-I" + dir, "-CFLAGS", "-include " + dir.resolve("jnic_vl_hooks.h")));
            cmd.addAll(flags);
            cmd.add(dir.resolve("jnic_model.cpp").toString());
            for (Path v : verilog) cmd.add(dir.relativize(v).toString());
            exec(cmd, dir, "verilating " + design.top());
            Files.move(obj.resolve("model.so"), dir.resolve("model.so"));
            if (!Files.isDirectory(runtime)) publishRuntime(obj, runtime);
            try (Stream<Path> files = Files.list(obj)) { // keep the headers (the bench links against them)
                for (Path f : (Iterable<Path>) files::iterator) {
                    String n = f.getFileName().toString();
                    if (n.endsWith(".o") || n.endsWith(".a") || n.endsWith(".d")) Files.delete(f);
                }
            }
        });
    }

    /**
     * Compiles a C++ program against a design's (untraced) model library, with the model's headers
     * and flags: the program uses the verilated class {@code Vtop} directly. For measuring the bare
     * Verilator loop the harness is compared with. Returns the executable, written into {@code outDir}.
     */
    public Path compileAgainstModel(VerilogDesign design, String mainSource, Path outDir) {
        Path library = model(design, false, List.of());
        Path modelDir = library.getParent();
        String gcc = tool("g++", "g++");
        String verilatorRoot = exec(List.of(tool("verilator", "verilator"), "--getenv", "VERILATOR_ROOT"), modelDir,
                "asking verilator for its root").trim();
        try {
            Files.createDirectories(outDir);
            Path main = outDir.resolve("main.cpp");
            Files.writeString(main, mainSource);
            Path exe = outDir.resolve("bare-loop");
            List<String> cmd = new ArrayList<>(List.of(gcc, "-O2", "-faligned-new", "-I" + modelDir.resolve("obj"),
                    "-I" + modelDir, "-I" + verilatorRoot + "/include", "-I" + verilatorRoot + "/include/vltstd",
                    "-include", modelDir.resolve("jnic_vl_hooks.h").toString(), "-DVM_COVERAGE=0", "-DVM_SC=0",
                    "-DVM_TRACE=0", "-DVM_TRACE_FST=0", "-DVM_TRACE_VCD=0"));
            for (String f : commonFlags(false)) if (f.startsWith("-D")) cmd.add(f);
            cmd.addAll(List.of(main.toString(), library.toString(), "-Wl,-rpath," + modelDir, "-pthread", "-latomic",
                    "-o", exe.toString()));
            exec(cmd, outDir, "compiling a program against " + design.top());
            return exe;
        } catch (IOException e) {
            throw new BuildException("cannot write into " + outDir + ": " + e, e);
        }
    }

    /**
     * How every model is verilated and compiled, beyond {@link #commonFlags}: part of both cache keys.
     * {@code -fno-dfg}: without Verilator's data-flow-graph pass the card's model runs 5 % faster
     * (docs/benchmarks.md, the card's simulation speed).
     */
    private static final List<String> MODEL_BUILD = List.of("--timescale", "1ps/1ps", "-Wno-fatal", "-fno-dfg",
            "-MAKEFLAGS", "OPT_FAST=-O2 OPT_GLOBAL=-O2", "-LDFLAGS", "-shared");

    /** Flags that shape every compiled object, the runtime's included: part of both cache keys. */
    private static List<String> commonFlags(boolean traced) {
        List<String> f = new ArrayList<>(List.of("-fPIC", "-fno-semantic-interposition", "-DVL_USER_FINISH",
                "-DVL_USER_STOP", "-DVL_USER_FATAL", "-DVL_PRINTF=jnic_vl_printf", "-DVL_VPRINTF=jnic_vl_vprintf"));
        if (traced) f.add("--trace");
        return f;
    }

    private void publishRuntime(Path obj, Path runtime) throws IOException {
        Path tmp = Files.createTempDirectory(root, "tmp-runtime-");
        try (Stream<Path> files = Files.list(obj)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String n = f.getFileName().toString();
                if (n.startsWith("verilated") && n.endsWith(".o")) Files.copy(f, tmp.resolve(n));
            }
        }
        rename(tmp, runtime);
    }

    /** The port list in the form jnic_model.cpp includes. */
    static String portTable(VerilogDesign design) {
        StringBuilder sb = new StringBuilder("// Generated from the design's port list: name, is output, width.\n");
        for (VerilogDesign.Port p : design.ports())
            sb.append("JNIC_PORT(").append(p.name()).append(", ")
              .append(p.direction() == VerilogDesign.Direction.OUTPUT ? 1 : 0).append(", ").append(p.width()).append(")\n");
        return sb.toString();
    }

    // ---- building blocks -------------------------------------------------------------------------

    interface Build {
        void into(Path dir) throws IOException;
    }

    /** Returns root/name/file, building it in a temporary directory first when absent. */
    private Path publish(String name, String file, Build build) {
        Path target = root.resolve(name);
        if (Files.isRegularFile(target.resolve(file))) return target.resolve(file);
        Path tmp = null;
        try {
            Files.createDirectories(root);
            removeAbandonedBuilds();
            tmp = Files.createTempDirectory(root, "tmp-" + name + "-");
            build.into(tmp);
            rename(tmp, target);
            tmp = null;
            return target.resolve(file);
        } catch (IOException e) {
            throw new BuildException("cannot build " + name + " in " + root + ": " + e, e);
        } finally {
            if (tmp != null) deleteTree(tmp);
        }
    }

    /** Temporary directories of builds whose JVM was killed: anything a day old is abandoned. */
    private void removeAbandonedBuilds() throws IOException {
        long dayAgo = System.currentTimeMillis() - 24 * 3600 * 1000L;
        try (Stream<Path> entries = Files.list(root)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                if (!p.getFileName().toString().startsWith("tmp-")) continue;
                try {
                    if (Files.getLastModifiedTime(p).toMillis() < dayAgo) deleteTree(p);
                } catch (IOException | UncheckedIOException e) {
                    // another JVM removed it first
                }
            }
        }
    }

    /** Atomic publication; when another process won the race, its copy is kept and ours dropped. */
    private static void rename(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the cache directory must allow atomic renames", e);
        } catch (IOException e) {
            // rename(2) onto a non-empty directory fails (ENOTEMPTY): someone published first
            if (!Files.isDirectory(target)) throw e;
            deleteTree(tmp);
        }
    }

    /** Deletes a directory and everything under it (nothing when it does not exist). */
    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> sources(List<String> names) {
        List<String> texts = new ArrayList<>();
        for (String n : names) texts.add(n + "\0" + source(n));
        return texts;
    }

    /** A native source file shipped in this jar. */
    static String source(String name) {
        try (InputStream in = ModelCache.class.getResourceAsStream(NATIVE + name)) {
            if (in == null) throw new IllegalStateException("missing native source " + name + " in the testbench jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeSources(Path dir, List<String> names) throws IOException {
        for (String n : names) Files.writeString(dir.resolve(n), source(n));
    }

    /** The absolute path of a tool on the search path, or a BuildException naming its Debian package. */
    public String tool(String command, String debianPackage) {
        for (String d : searchPath.split(":")) {
            if (d.isEmpty()) continue;
            Path p = Paths.get(d, command);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return p.toString();
        }
        throw new BuildException("'" + command + "' was not found on the PATH (" + searchPath + "); "
                + "install the Debian package '" + debianPackage + "': apt-get install " + debianPackage);
    }

    /** First line of `tool --version`, remembered per JVM. */
    public String version(String tool) {
        return VERSIONS.computeIfAbsent(tool, t -> {
            String out = exec(List.of(t, "--version"), Paths.get(System.getProperty("java.io.tmpdir")),
                    "asking " + t + " for its version");
            return out.lines().findFirst().orElse("").trim();
        });
    }

    /** Runs a command with the search path as PATH; returns its output or throws with its first errors. */
    String exec(List<String> cmd, Path dir, String what) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
            pb.environment().put("PATH", searchPath);
            pb.environment().remove("MAKEFLAGS");
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int rc = p.waitFor();
            if (rc != 0) {
                Path log = root.resolve("last-failure.log");
                try {
                    Files.createDirectories(root);
                    Files.writeString(log, String.join(" ", cmd) + "\n\n" + out);
                } catch (IOException ignored) {
                    log = null;
                }
                throw new BuildException(what + " failed (exit " + rc + "):\n" + firstErrors(out)
                        + (log != null ? "\nfull log: " + log : ""));
            }
            return out;
        } catch (IOException e) {
            throw new BuildException(what + ": cannot run " + cmd.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildException(what + " interrupted", e);
        }
    }

    /** The compiler's or Verilator's first error lines, with a little context. */
    static String firstErrors(String output) {
        List<String> lines = output.lines().toList();
        List<String> picked = new ArrayList<>();
        for (int i = 0; i < lines.size() && picked.size() < 12; i++) {
            String l = lines.get(i);
            if (l.contains("%Error") || l.contains("error:") || l.contains("Error ") || l.contains("fatal")) {
                picked.add(l);
                if (l.contains("error:") && i + 1 < lines.size()) picked.add(lines.get(++i));
            }
        }
        if (picked.isEmpty()) picked = lines.subList(Math.max(0, lines.size() - 12), lines.size());
        return String.join("\n", picked);
    }

    static String hash(Object... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Object part : parts) {
                md.update(String.valueOf(part).getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            return HexFormat.of().formatHex(md.digest(), 0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

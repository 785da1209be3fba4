package io.github.jnic.jhdl.flow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Tools Debian 12 does not package (nextpnr-ecp5, the ECP5 bitstream database, openFPGALoader 0.13)
 * run from a Debian 13 ("trixie") chroot that the project installs itself the first time they are
 * needed: {@code debootstrap --variant=minbase} and an {@code apt-get install} inside, about 45 s and
 * 650 MB, cached under {@code ${JNIC_CACHE:-~/.cache/jnic}/toolchains/} by a hash of the suite and
 * package list. Each command runs in a private mount namespace ({@code unshare -m}) with {@code /proc}
 * mounted, which yosys and ecppack need; the mount ends with the command, whatever happens to it.
 * Installing needs root (as in CI); without it the error says what to run.
 */
public final class DebianChroot {
    public static final String SUITE = "trixie";
    public static final String MIRROR = "http://deb.debian.org/debian";
    /** What the ECP5 flow needs from the chroot. */
    public static final List<String> ECP5_TOOLS = List.of("nextpnr-ecp5", "fpga-trellis", "openfpgaloader");

    private final Path root;
    private final List<String> packages;

    private DebianChroot(Path root, List<String> packages) {
        this.root = root;
        this.packages = packages;
    }

    /** The chroot holding {@code packages}, installed now if it is not in the cache yet. */
    public static synchronized DebianChroot with(List<String> packages) {
        Path base = cacheDir().resolve("toolchains");
        Path root = base.resolve(SUITE + "-" + hash(SUITE + " " + String.join(" ", packages)));
        DebianChroot chroot = new DebianChroot(root, List.copyOf(packages));
        if (!Files.exists(root.resolve(".complete"))) chroot.install(base);
        return chroot;
    }

    /** The directory the chroot lives in (its {@code /}). */
    public Path root() {
        return root;
    }

    /** A fresh scratch directory inside the chroot, and the path it has there. */
    public Path newJobDirectory(String name) {
        try {
            Files.createDirectories(root.resolve("jobs"));
            return Files.createTempDirectory(root.resolve("jobs"), name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code dir} (below {@link #root}) as the chroot sees it. */
    public String inside(Path dir) {
        return "/" + root.relativize(dir.toAbsolutePath()).toString();
    }

    /**
     * Runs {@code command} (a shell command line) inside the chroot with {@code dir} (below {@link #root})
     * as its working directory; returns what it printed.
     *
     * @throws IllegalStateException with the output's tail if it exits non-zero
     */
    public String exec(Path dir, String command) {
        Tool.Run r = run(dir, command);
        must(r, command);
        return r.output();
    }

    Tool.Run run(Path dir, String command) {
        String script = "mount -t proc proc '" + root.resolve("proc") + "' && exec chroot '" + root + "' /bin/sh -c 'cd " + inside(dir) + " && " + command + "'";
        return Tool.run(dir, List.of("unshare", "-m", "/bin/sh", "-c", script));
    }

    /** The first line a tool prints for {@code --version} inside the chroot. */
    public String version(String tool) {
        Tool.Run r = run(root.resolve("tmp"), tool + " --version 2>&1 | head -1");
        return r.output().strip();
    }

    private void install(Path base) {
        try {
            Files.createDirectories(base);
            try (FileChannel lock = FileChannel.open(base.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock held = lock.lock()) {
                // another process may have finished the same install while this one waited
                if (!Files.exists(root.resolve(".complete"))) installLocked(base);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install the " + SUITE + " chroot under " + base, e);
        }
    }

    private void installLocked(Path base) {
        if (!isRoot()) {
            throw new IllegalStateException("the ECP5 tools (" + String.join(", ", packages) + ") come from a Debian " + SUITE
                    + " chroot that is installed as root; run once as root: ./nic board build <an ECP5 board>");
        }
        try {
            if (Tool.run(base, List.of("sh", "-c", "command -v debootstrap")).exitCode() != 0) {
                must(Tool.run(base, List.of("sh", "-c", "apt-get install -y -q debootstrap || (apt-get update -q && apt-get install -y -q debootstrap)")), "apt-get install debootstrap");
            }
            Path tmp = Files.createTempDirectory(base, "installing-");
            System.err.println("nic: installing " + String.join(" ", packages) + " in a Debian " + SUITE + " chroot (once; about a minute)");
            must(Tool.run(base, List.of("debootstrap", "--variant=minbase", SUITE, tmp.toString(), MIRROR)), "debootstrap " + SUITE);
            DebianChroot staging = new DebianChroot(tmp, packages);
            Files.createDirectories(tmp.resolve("tmp"));
            must(staging.run(tmp.resolve("tmp"), "apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "
                    + String.join(" ", packages) + " && apt-get clean"), "apt-get install in the chroot");
            Files.writeString(tmp.resolve(".complete"), String.join("\n", packages) + "\n");
            if (Files.exists(root)) Tool.run(base, List.of("rm", "-rf", root.toString()));
            Files.move(tmp, root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install the " + SUITE + " chroot under " + base, e);
        }
    }

    private static void must(Tool.Run r, String what) {
        if (r.exitCode() != 0) {
            String out = r.output();
            throw new IllegalStateException(what + " failed (exit " + r.exitCode() + "):\n" + (out.length() > 3000 ? "..." + out.substring(out.length() - 3000) : out));
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    static Path cacheDir() {
        String env = System.getenv("JNIC_CACHE");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "jnic");
    }

    private static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

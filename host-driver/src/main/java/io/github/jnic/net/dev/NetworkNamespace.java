package io.github.jnic.net.dev;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Linux network namespace holding the kernel side of a {@link TapDevice}: how tests, benchmarks
 * and demos put the Linux kernel on the other end of a jnic stack without touching the host's own
 * network. The TAP is created by this process in the root namespace (where it gets no address),
 * then moved into a fresh namespace and given {@code <subnet>.1/24} there; the stack on this
 * process's end of the TAP uses {@code <subnet>.2}. Nothing is routed outside the namespace.
 * Needs root (or CAP_NET_ADMIN and CAP_SYS_ADMIN) and the {@code ip} tool.
 */
public final class NetworkNamespace implements AutoCloseable {
    private final String name;
    private final TapDevice tap;
    private final String subnet;

    /** The result of a command: exit status and combined output. */
    public record Result(int exit, String output) {}

    /** Why namespaces with TAP devices cannot be made here, or null if they can. */
    public static String unavailableReason() {
        String tap = TapDevice.unavailableReason();
        if (tap != null) return tap;
        if (!onPath("ip")) return "the 'ip' tool (iproute2) is not installed";
        return null;
    }

    /** Whether {@code tool} is an executable on the PATH (or in /sbin, /usr/sbin). */
    public static boolean onPath(String tool) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/sbin"));
        for (String dir : dirs) if (new java.io.File(dir, tool).canExecute()) return true;
        return false;
    }

    /**
     * Creates namespace {@code jnic-<random>} with a TAP whose far end (this process) uses
     * {@code stackMac}, and gives the kernel side {@code subnet + ".1/24"} (e.g. subnet "10.213.7").
     */
    public static NetworkNamespace create(String subnet, byte[] stackMac, int mtu) throws IOException, InterruptedException {
        return create(subnet, stackMac, mtu, false);
    }

    /** {@link #create(String, byte[], int)} with a TAP whose kernel side does checksums and TSO ({@link TapDevice} offloads). */
    public static NetworkNamespace create(String subnet, byte[] stackMac, int mtu, boolean offloads) throws IOException, InterruptedException {
        String name = "jnic-" + Long.toHexString(System.nanoTime() & 0xffffffL);
        runOnHost("ip", "netns", "add", name);
        TapDevice tap = null;
        try {
            tap = TapDevice.open("jnic%d", stackMac, mtu, offloads);
            runOnHost("ip", "link", "set", tap.name(), "netns", name);
            NetworkNamespace ns = new NetworkNamespace(name, tap, subnet);
            ns.run("ip", "link", "set", "lo", "up");
            ns.run("ip", "link", "set", tap.name(), "mtu", Integer.toString(mtu));
            ns.run("ip", "addr", "add", ns.linuxAddress() + "/24", "dev", tap.name());
            ns.run("ip", "link", "set", tap.name(), "up");
            return ns;
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (tap != null) tap.close();
            exec(30, List.of("ip", "netns", "del", name));
            throw e;
        }
    }

    private NetworkNamespace(String name, TapDevice tap, String subnet) {
        this.name = name;
        this.tap = tap;
        this.subnet = subnet;
    }

    public String name() { return name; }
    /** This process's end of the TAP: give it to a stack. */
    public TapDevice tap() { return tap; }
    /** The kernel's address, {@code <subnet>.1}. */
    public String linuxAddress() { return subnet + ".1"; }
    /** The address meant for the stack, {@code <subnet>.2}. */
    public String stackAddress() { return subnet + ".2"; }

    /** Runs a command inside the namespace; returns its output; throws if it fails. */
    public String run(String... cmd) throws IOException, InterruptedException {
        Result r = exec(30, cmd);
        if (r.exit() != 0) throw new IOException(String.join(" ", cmd) + " failed (" + r.exit() + "): " + r.output());
        return r.output();
    }

    /** Runs a command inside the namespace, waiting at most {@code timeoutSeconds} (then killing it). */
    public Result exec(long timeoutSeconds, String... cmd) throws IOException, InterruptedException {
        return exec(timeoutSeconds, inside(cmd));
    }

    /** Starts a command inside the namespace (output and errors merged). */
    public Process start(String... cmd) throws IOException {
        return new ProcessBuilder(inside(cmd)).redirectErrorStream(true).start();
    }

    private List<String> inside(String... cmd) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(cmd));
        return full;
    }

    private static Result exec(long timeoutSeconds, List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor();
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static void runOnHost(String... cmd) throws IOException, InterruptedException {
        Result r = exec(30, List.of(cmd));
        if (r.exit() != 0) throw new IOException(String.join(" ", cmd) + " failed (" + r.exit() + "): " + r.output());
    }

    /** Closes the TAP and deletes the namespace. */
    @Override public void close() throws IOException {
        tap.close();
        try {
            exec(30, List.of("ip", "netns", "del", name));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while deleting namespace " + name);
        }
    }
}

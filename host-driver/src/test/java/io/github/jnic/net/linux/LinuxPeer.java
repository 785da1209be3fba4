package io.github.jnic.net.linux;

import io.github.jnic.net.dev.TapDevice;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Linux as the peer of a jnic stack: a network namespace made for one test class, holding the
 * kernel side of a TAP device. The TAP is created by this process (in the root namespace, where
 * it gets no address) and moved into the namespace, where it gets {@code 10.213.N.1/24}; the stack
 * on the other end of the TAP uses {@code 10.213.N.2}. Nothing is routed outside the namespace.
 */
final class LinuxPeer implements AutoCloseable {
    final String namespace;
    final TapDevice tap;
    final String subnet;          // "10.213.N"
    final String linuxAddress;    // ".1"
    final String stackAddress;    // ".2"

    /** Why these tests cannot run here (null: they can). */
    static String unavailableReason() {
        String tap = TapDevice.unavailableReason();
        if (tap != null) return tap;
        for (String tool : List.of("ip", "ping", "nc")) {
            if (!onPath(tool)) return "'" + tool + "' is not installed (./nic test installs it)";
        }
        return null;
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (new java.io.File(dir, tool).canExecute()) return true;
        }
        return new java.io.File("/usr/sbin/" + tool).canExecute() || new java.io.File("/sbin/" + tool).canExecute();
    }

    LinuxPeer(byte[] stackMac) throws IOException, InterruptedException {
        int n = 1 + (int) (ProcessHandle.current().pid() % 250);
        this.namespace = "jnic-" + Long.toHexString(System.nanoTime() & 0xffffffL);
        this.subnet = "10.213." + n;
        this.linuxAddress = subnet + ".1";
        this.stackAddress = subnet + ".2";
        run("ip", "netns", "add", namespace);
        TapDevice t = null;
        try {
            t = TapDevice.open("jnic%d", stackMac, 1500);
            run("ip", "link", "set", t.name(), "netns", namespace);
            ns("ip", "link", "set", "lo", "up");
            ns("ip", "addr", "add", linuxAddress + "/24", "dev", t.name());
            ns("ip", "link", "set", t.name(), "up");
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (t != null) t.close();
            run("ip", "netns", "del", namespace);
            throw e;
        }
        this.tap = t;
    }

    /** Runs a command inside the namespace; returns its output; throws if it fails. */
    String ns(String... cmd) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(List.of(cmd));
        return run(full.toArray(String[]::new));
    }

    /** Starts a command inside the namespace. */
    Process start(String... cmd) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(List.of(cmd));
        return new ProcessBuilder(full).redirectErrorStream(true).start();
    }

    static Result exec(long timeoutSeconds, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.exitValue(), out);
    }

    record Result(int exit, String output) {}

    Result nsExec(long timeoutSeconds, String... cmd) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(List.of(cmd));
        return exec(timeoutSeconds, full.toArray(String[]::new));
    }

    static String run(String... cmd) throws IOException, InterruptedException {
        Result r = exec(30, cmd);
        if (r.exit() != 0) throw new IOException(String.join(" ", cmd) + " failed (" + r.exit() + "): " + r.output());
        return r.output();
    }

    @Override public void close() throws IOException, InterruptedException {
        tap.close();
        exec(30, "ip", "netns", "del", namespace);
    }
}

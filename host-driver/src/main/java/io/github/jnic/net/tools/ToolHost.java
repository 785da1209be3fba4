package io.github.jnic.net.tools;

import io.github.jnic.net.dev.TapDevice;
import io.github.jnic.net.stack.NetStack;
import io.github.jnic.net.stack.StackRunner;
import io.github.jnic.net.wire.MacAddress;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The host a command-line tool runs on: a jnic stack on a Linux TAP device, driven by a
 * {@link StackRunner}. Its options are {@link #USAGE}: the TAP is created if it does not exist
 * (and then needs its Linux side configured, e.g. {@code ip addr add 10.9.0.1/24 dev jnic0; ip
 * link set jnic0 up}, as root), the stack takes {@code --address} and routes through
 * {@code --gateway}.
 */
final class ToolHost implements AutoCloseable {
    static final String USAGE = "--tap NAME --address A.B.C.D/LEN [--gateway A.B.C.D] [--mtu N]";

    /** A tool's work on a running stack (application thread): returns the exit status. */
    @FunctionalInterface
    interface Tool {
        int run(List<String> args, NetStack stack, PrintStream out, PrintStream err) throws IOException;
    }

    /**
     * A tool's {@code main}: takes the host options out of {@code args}, opens the host, runs the
     * tool on what is left and exits with its status (2, with the usage, on bad host options).
     */
    static void runTool(String name, String usage, String[] args, Tool tool) throws IOException {
        List<String> rest = new ArrayList<>(List.of(args));
        List<String> hostOptions;
        try {
            hostOptions = takeHostOptions(rest);
        } catch (IllegalArgumentException e) {
            System.err.println(name + ": " + e.getMessage() + "\nusage: " + usage + " " + USAGE);
            System.exit(2);
            return;
        }
        try (ToolHost host = open(hostOptions)) {
            System.exit(tool.run(rest, host.stack(), System.out, System.err));
        }
    }

    private final TapDevice tap;
    private final NetStack stack;
    private final StackRunner runner;

    private ToolHost(TapDevice tap, NetStack stack, StackRunner runner) {
        this.tap = tap;
        this.stack = stack;
        this.runner = runner;
    }

    /**
     * Takes the host options out of {@code args} (what is left belongs to the tool) and checks
     * them; throws {@code IllegalArgumentException} on a missing or malformed one.
     */
    static List<String> takeHostOptions(List<String> args) {
        List<String> host = new ArrayList<>();
        for (Iterator<String> it = args.iterator(); it.hasNext(); ) {
            String flag = it.next();
            if (!List.of("--tap", "--address", "--gateway", "--mtu").contains(flag)) continue;
            it.remove();
            if (!it.hasNext()) throw new IllegalArgumentException(flag + " needs a value");
            host.add(flag);
            host.add(it.next());
            it.remove();
        }
        if (!host.contains("--tap") || !host.contains("--address")) throw new IllegalArgumentException("--tap and --address are required");
        return host;
    }

    /** Opens the TAP and starts the stack as {@code hostOptions} (from {@link #takeHostOptions}) say. */
    static ToolHost open(List<String> hostOptions) throws IOException {
        String tapName = null, address = null, gateway = null;
        int mtu = 1500;
        for (int i = 0; i < hostOptions.size(); i += 2) {
            String v = hostOptions.get(i + 1);
            switch (hostOptions.get(i)) {
                case "--tap" -> tapName = v;
                case "--address" -> address = v;
                case "--gateway" -> gateway = v;
                case "--mtu" -> mtu = Integer.parseInt(v);
                default -> throw new IllegalArgumentException(hostOptions.get(i));
            }
        }
        String reason = TapDevice.unavailableReason();
        if (reason != null) throw new IOException("cannot open a TAP device: " + reason);
        TapDevice tap = TapDevice.open(tapName, MacAddress.local(ProcessHandle.current().pid()), mtu);
        try {
            NetStack stack = new NetStack();
            stack.addAddress(stack.addInterface(tap), address);
            if (gateway != null) stack.setDefaultGateway(gateway);
            return new ToolHost(tap, stack, StackRunner.start(stack, "jnic-" + tapName));
        } catch (RuntimeException e) {
            tap.close();
            throw e;
        }
    }

    NetStack stack() { return stack; }

    @Override public void close() throws IOException {
        runner.close();
        tap.close();
    }
}

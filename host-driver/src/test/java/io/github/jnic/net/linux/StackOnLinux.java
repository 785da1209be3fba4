package io.github.jnic.net.linux;

import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.jnic.net.dev.NetworkNamespace;
import io.github.jnic.net.stack.NetStack;
import io.github.jnic.net.stack.StackRunner;
import io.github.jnic.net.tcp.Tcp;
import java.io.IOException;
import org.junit.jupiter.api.Assumptions;

/**
 * For tests against Linux: a network namespace with a TAP device ({@link #linux}), a jnic stack on
 * it (with TCP when asked), driven by its own {@link StackRunner}. Closing stops the runner, deletes the
 * namespace and asserts the stack thread never threw.
 */
public final class StackOnLinux implements AutoCloseable {
    public final NetworkNamespace linux;
    public final NetStack stack = new NetStack();
    /** TCP on the stack, or null when not asked for. */
    public final Tcp tcp;
    public final StackRunner runner;

    /** {@code subnet} as for {@link NetworkNamespace#create}; {@code offloads}: the TAP's virtio-net offloads. */
    public StackOnLinux(String subnet, byte[] mac, boolean offloads, boolean withTcp, String threadName) throws IOException, InterruptedException {
        linux = NetworkNamespace.create(subnet, mac, 1500, offloads);
        stack.addAddress(stack.addInterface(linux.tap()), linux.stackAddress() + "/24");
        tcp = withTcp ? new Tcp(stack.ipv4()) : null;
        if (withTcp) stack.register(tcp);
        runner = StackRunner.start(stack, threadName);
    }

    /**
     * Skips the calling test class (a JUnit assumption, with the reason) unless namespaces with TAP
     * devices can be made here and every tool is installed.
     */
    public static void skipUnless(String what, String... tools) {
        String reason = NetworkNamespace.unavailableReason();
        for (String tool : tools) {
            if (reason == null && !NetworkNamespace.onPath(tool)) reason = "'" + tool + "' is not installed (./nic test installs it)";
        }
        String why = reason;
        Assumptions.assumeTrue(why == null, () -> "skipping " + what + ": " + why);
    }

    /** A 10.213.x subnet unlikely to collide with another test run on the same machine; {@code k} tells a test's apart. */
    public static String subnet(int k) {
        return "10.213." + (1 + (ProcessHandle.current().pid() * 2 + k) % 250);
    }

    @Override public void close() throws IOException {
        try {
            runner.close();
        } finally {
            linux.close();
        }
        assertNull(runner.failure(), "the stack thread threw");
    }
}

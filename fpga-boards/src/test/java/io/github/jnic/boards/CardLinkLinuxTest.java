package io.github.jnic.boards;

import io.github.jnic.net.dev.NetworkNamespace;

/**
 * The whole Colorlight top-level simulated ({@link SimulatedBoard}, {@link LinuxThroughTheLink}):
 * the Java driver reaches the card through the board's host-link port (its pins bridged to a TAP,
 * the driver's {@code AF_PACKET} socket on the Linux side of it), and Linux on the network port
 * pings the stack on the card and fetches a page from it.
 */
class CardLinkLinuxTest extends LinuxThroughTheLink {
    CardLinkLinuxTest() {
        super("Colorlight board");
    }

    @Override
    SimulatedTop board(NetworkNamespace linux, long pid) throws Exception {
        return new SimulatedBoard(linux.tap(), "jnl" + pid % 100_000);
    }
}

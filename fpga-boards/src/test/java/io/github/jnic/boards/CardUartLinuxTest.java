package io.github.jnic.boards;

import io.github.jnic.net.dev.NetworkNamespace;

/**
 * The whole iCEBreaker card top simulated ({@link SimulatedIcebreaker}, {@link LinuxThroughTheLink}):
 * the Java driver reaches the card over the FTDI UART's pins at 3 Mbaud (a UART model, the driver's
 * {@code SerialTransport} on it), and Linux on the RMII network port pings the stack on the card and
 * fetches a page from it.
 */
class CardUartLinuxTest extends LinuxThroughTheLink {
    CardUartLinuxTest() {
        super("iCEBreaker");
    }

    @Override
    SimulatedTop board(NetworkNamespace linux, long pid) {
        return new SimulatedIcebreaker(linux.tap(), f -> {});
    }
}

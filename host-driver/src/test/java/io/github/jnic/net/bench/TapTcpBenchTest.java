package io.github.jnic.net.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Short runs of the TCP-over-TAP benchmark's pieces, so the reference and the measurements stay
 * sound between benchmark runs: the ceiling's hand-made connection must really carry data that
 * Linux acknowledges (or sends), with and without the TAP's offloads, and the engine runs must
 * finish. Figures are never judged here, only that there are some. Needs root, /dev/net/tun, ip
 * and nc (CI has them); elsewhere skipped with the reason.
 */
class TapTcpBenchTest {
    private static final double SECONDS = 0.3;

    @BeforeAll
    static void needsTap() {
        String reason = TapCeiling.unavailableReason();
        Assumptions.assumeTrue(reason == null, () -> "skipping the TAP benchmark checks: " + reason);
    }

    @Test
    void theTcpShapedCeilingCarriesDataBothWays() throws Exception {
        for (boolean offloads : new boolean[] {false, true}) {
            TapTcpCeiling.Ceiling c = TapTcpCeiling.measure(SECONDS, offloads);
            assertTrue(c.toLinuxMbps() > 0, "Linux acknowledged the ceiling's segments (offloads " + offloads + ")");
            assertTrue(c.fromLinuxMbps() > 0, "the ceiling took Linux's segments in order (offloads " + offloads + ")");
        }
    }

    @Test
    void theEngineRunsFinishBothWays() throws Exception {
        double[] e = TcpBench.tapEngine(SECONDS, false);
        assertTrue(e[0] > 0 && e[1] > 0, e[0] + " " + e[1]);
    }
}

package io.github.jnic.net.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Reading the figures out of wrk's {@code --latency} report. */
class HttpWrkBenchTest {
    private static final String REPORT = """
            Running 5s test @ http://10.214.9.2/
              1 threads and 64 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency     4.10ms    9.81ms 208.52ms   97.61%
                Req/Sec    18.21k     2.03k   21.40k    74.00%
              Latency Distribution
                 50%    2.98ms
                 75%    3.41ms
                 90%    4.02ms
                 99%   33.90ms
              90602 requests in 5.00s, 13.22MB read
              Socket errors: connect 0, read 2, write 0, timeout 0
            Requests/sec:  18119.42
            Transfer/sec:      2.64MB
            """;

    @Test
    void readsRateP99AndErrors() {
        HttpWrkBench.WrkResult r = HttpWrkBench.parse(REPORT);
        assertEquals(18119.42, r.requestsPerSecond(), 1e-9);
        assertEquals(33900, r.p99Micros(), 1e-6);
        assertEquals("Socket errors: connect 0, read 2, write 0, timeout 0", r.errors());
    }

    @Test
    void convertsEveryLatencyUnitToMicroseconds() {
        assertEquals(812.5, HttpWrkBench.parse(REPORT.replace("33.90ms", "812.50us")).p99Micros(), 1e-6);
        assertEquals(1_200_000, HttpWrkBench.parse(REPORT.replace("33.90ms", "1.20s")).p99Micros(), 1e-6);
    }

    @Test
    void refusesAReportWithoutFigures() {
        assertThrows(IllegalArgumentException.class, () -> HttpWrkBench.parse("unable to connect to 10.214.9.2:80 Connection refused"));
    }
}

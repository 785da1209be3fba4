package io.github.jnic.testbench.phy;

import io.github.jnic.net.capture.PcapWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes what crossed the wire to a pcap file: each burst's bytes after the SFD, FCS included
 * (link type Ethernet; read it with {@code tshark -o eth.fcs:Always}). A burst's timestamp is its
 * start in nanoseconds at the wire's byte rate.
 */
public final class WireCapture {
    private WireCapture() {}

    /** @param byteTimeNs nanoseconds per byte time (8 at 1000 Mb/s) */
    public static void write(Path file, List<Burst> bursts, double byteTimeNs) {
        try (PcapWriter pcap = PcapWriter.create(file)) {
            long byteTimes = 0;
            for (Burst b : bursts) {
                byteTimes += b.idleBefore();
                byte[] frame = b.afterSfd();
                if (frame != null) pcap.write(Math.round(byteTimes * byteTimeNs), frame, 0, frame.length);
                byteTimes += b.bytes().length;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}

package io.github.jnic.testbench.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.net.capture.PcapWriter;
import io.github.jnic.testbench.offload.OffloadReference.Command;
import io.github.jnic.testbench.offload.Packets.Packet;
import io.github.jnic.testbench.offload.Packets.Shape;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tshark, an implementation of its own, judges what TxOffload sends: TSO segments and
 * checksum-offloaded frames (IPv4 with options and IPv6, TCP with options and UDP, VLAN tags)
 * written to a pcap and read back with IP, TCP and UDP checksum validation on; every checksum of
 * every frame must be "good".
 */
class TxOffloadWireTest {

    @Test
    void tsharkFindsEveryChecksumGood(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("offload.pcap");
        List<byte[]> wire;
        int ipv4 = 0, tcp = 0, udp = 0;
        try (TxRig rig = new TxRig(7, 0.1, 0.8)) {
            Random r = new Random(7);
            for (int i = 0; i < 40; i++) {
                int mss = TxOffloadTest.mss(r), paylen = Math.min(60_000, 1 + r.nextInt(mss * (1 + r.nextInt(6))));
                Packet p = Packets.random(r, Shape.randomTcp(r, paylen));
                rig.send(p.tsoSeeded(), Command.tso(p.ipv4(), p.ipStart(), p.ipHeaderBytes(), p.l4Start(), p.headerBytes(), mss, paylen));
                Packet q = Packets.random(r, Shape.random(r, r.nextInt(1500)));
                rig.send(q.partial(), Command.checksum(q.ipv4(), q.ipStart(), q.ipStart() + 10, q.ipStart() + q.ipHeaderBytes() - 1, true,
                        q.l4Start(), q.checksumAt(), 0).withKind(q.tcp(), q.ipv4()));
                if (i % 10 == 9) rig.settle(4_000_000, "request " + i);
            }
            rig.settle(4_000_000, "all");
            wire = rig.wire;
        }
        try (PcapWriter pcap = PcapWriter.create(file)) {
            long t = 0;
            for (byte[] f : wire) pcap.write(t += 1000, f, 0, f.length);
        }
        Process tshark = new ProcessBuilder("tshark", "-r", file.toString(), "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
                "-o", "udp.check_checksum:TRUE", "-T", "fields", "-E", "separator=|", "-e", "frame.number", "-e", "ip.checksum.status",
                "-e", "tcp.checksum.status", "-e", "udp.checksum.status").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> lines = new String(tshark.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertTrue(tshark.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, tshark.exitValue(), "tshark reads the capture");
        assertEquals(wire.size(), lines.size(), "tshark reads every frame");
        for (String line : lines) {
            String[] f = line.split("\\|", -1);
            // 1 is good, 0 bad, 2 unverified; tunnelled or nested headers would list several
            if (!f[1].isEmpty()) { assertEquals("1", f[1], "IPv4 header checksum: " + line); ipv4++; }
            if (!f[2].isEmpty()) { assertEquals("1", f[2], "TCP checksum: " + line); tcp++; }
            if (!f[3].isEmpty()) { assertEquals("1", f[3], "UDP checksum: " + line); udp++; }
            assertTrue(!f[2].isEmpty() || !f[3].isEmpty(), "a transport checksum in every frame: " + line);
        }
        assertTrue(tcp > 100 && udp > 5 && ipv4 > 50, "TCP " + tcp + ", UDP " + udp + ", IPv4 " + ipv4);
    }
}

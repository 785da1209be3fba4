package io.github.jnic.net.stack;

import static org.junit.jupiter.api.Assertions.*;

import io.github.jnic.net.capture.CapturingDevice;
import io.github.jnic.net.capture.PcapWriter;
import io.github.jnic.net.dev.MemoryLink;
import io.github.jnic.net.socket.DatagramSocket;
import java.io.File;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tshark, an independent implementation, reads what the stack put on the wire (through the pcap
 * writer) and checks every IPv4, UDP and ICMP checksum and the fragments' reassembly.
 */
class CaptureCheckedByTsharkTest {

    @Test
    void tsharkAgreesWithEveryChecksum(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(new File("/usr/bin/tshark").canExecute(), "skipping: tshark is not installed (./nic test installs it)");
        Path file = dir.resolve("a.pcap");
        Simulation sim = new Simulation();
        NetStack a = sim.add(new NetStack());
        NetStack b = sim.add(new NetStack());
        MemoryLink link = new MemoryLink(sim.clock());
        int frames;
        try (PcapWriter pcap = PcapWriter.create(file)) {
            a.addAddress(a.addInterface(new CapturingDevice(link.a(), pcap, sim.clock())), "10.0.0.1/24");
            b.addAddress(b.addInterface(link.b()), "10.0.0.2/24");
            DatagramSocket server = new DatagramSocket(b, 53);
            DatagramSocket client = new DatagramSocket(a);
            for (int size : new int[]{0, 1, 17, 1472, 3000}) {   // odd sizes, exactly one frame, fragmented
                client.send(new DatagramPacket(new byte[size], size, InetAddress.getByName("10.0.0.2"), 53));
            }
            sim.runFor(100_000_000L);
            DatagramPacket p = new DatagramPacket(new byte[4000], 4000);
            while (server.tryReceive(p)) server.send(new DatagramPacket(p.getData(), p.getLength(), p.getAddress(), p.getPort()));
            byte[] ping = new byte[5000];
            a.icmp().sendEcho(0x0a000002, 1, 1, ping, 0, ping.length);
            sim.runFor(100_000_000L);
            frames = (int) (a.counters().get("eth.rx-frames") + a.counters().get("eth.tx-frames"));
        }
        Process t = new ProcessBuilder("tshark", "-r", file.toString(), "-o", "ip.check_checksum:TRUE",
                "-o", "udp.check_checksum:TRUE", "-T", "fields", "-E", "separator=|",
                "-e", "ip.checksum.status", "-e", "udp.checksum.status", "-e", "icmp.checksum.status", "-e", "icmp.type",
                "-e", "data.len", "-e", "_ws.expert.message")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> lines = new String(t.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertTrue(t.waitFor(60, TimeUnit.SECONDS));
        assertEquals(frames, lines.size(), "tshark reads every frame written");
        int udpGood = 0, icmpGood = 0;
        for (String line : lines) {
            String[] f = line.split("\\|", -1);
            for (String status : f[0].split(",")) assertNotEquals("0", status, "bad IP checksum: " + line);   // 0 bad, 1 good
            if (!f[0].isEmpty()) assertTrue(f[0].contains("1"), "IP checksum verified: " + line);
            if (!f[1].isEmpty()) { assertEquals("1", f[1], "UDP checksum: " + line); udpGood++; }
            if (!f[2].isEmpty()) { assertEquals("1", f[2], "ICMP checksum: " + line); icmpGood++; }
            assertTrue(f[5].isEmpty() || !f[5].toLowerCase().contains("bad"), line);
        }
        assertEquals(10, udpGood, "5 datagrams each way, reassembled by tshark where fragmented");
        assertEquals(2, icmpGood, "the 5000-byte echo and its reply, reassembled");
        assertTrue(Files.size(file) > 16000);
    }
}

package io.github.jnic.testbench.mac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.jnic.jhdl.Verilog;
import io.github.jnic.nic.mac.GmiiMac;
import io.github.jnic.testbench.phy.Burst;
import io.github.jnic.testbench.phy.GmiiWire;
import io.github.jnic.testbench.phy.MacTestbench;
import io.github.jnic.testbench.phy.WireCapture;
import io.github.jnic.testbench.sim.StreamSource;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wireshark's Ethernet dissector, an independent judge, reads what the MAC put on the wire: every
 * good frame has a good FCS, every frame cut short by an underrun (sent with TX_ER) a bad one, and
 * nothing that is long enough to hold an Ethernet header is malformed.
 */
class WireCaptureTest {

    @Test
    void tsharkFindsEveryFcsRightAndNothingMalformed(@TempDir Path dir) throws Exception {
        assumeTrue(onPath("tshark"), "tshark is not installed (./nic test installs it); skipping the dissector check");
        Random random = new Random(9);
        List<StreamSource.Frame> sent = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            sent.add(new StreamSource.Frame(MacWireTests.frame(random, 14 + random.nextInt(1501)), 0, 0));
        }
        List<Burst> bursts;
        try (MacTestbench tb = new MacTestbench(Verilog.emit(new GmiiMac()), new GmiiWire(), 9, 0.0005)) {
            bursts = tb.transmit(sent);
        }
        assertEquals(sent.size(), bursts.size());
        Path pcap = dir.resolve("gmii-tx.pcap");
        WireCapture.write(pcap, bursts, 8);

        Process p = new ProcessBuilder("tshark", "-r", pcap.toString(), "-o", "eth.fcs:Always", "-o", "eth.check_fcs:TRUE",
                "-T", "fields", "-e", "frame.number", "-e", "eth.fcs.status", "-e", "_ws.malformed")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertEquals(0, p.waitFor(), "tshark exit code");
        assertEquals(sent.size(), lines.size(), "frames tshark read");
        int bad = 0;
        for (int i = 0; i < lines.size(); i++) {
            String[] f = lines.get(i).split("\t", -1);
            Burst b = bursts.get(i);
            if (b.hasError()) bad++;
            if (b.afterSfd().length < 18) continue; // an underrun left less than a header and an FCS
            assertEquals(b.hasError() ? "0" : "1", f[1], "FCS status (1 good, 0 bad) of frame " + (i + 1) + ": " + lines.get(i));
            assertEquals("", f[2], "frame " + (i + 1) + " is malformed");
        }
        assertTrue(bad > 0 && bad < sent.size() / 2, bad + " frames underran");
    }

    static boolean onPath(String command) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, command))) return true;
        }
        return false;
    }
}

package io.github.jnic.testbench.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.driver.link.LinkEndpoint;
import io.github.jnic.driver.link.LinkMessage;
import io.github.jnic.spec.HostLink;
import io.github.jnic.testbench.link.BridgeRig.Access;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The board's end of the link as the host's driver would use it: the host's own go-back-N
 * endpoint ({@link LinkEndpoint}) sends register writes and reads across a link that loses a tenth
 * of the frames both ways and swaps neighbours, with foreign frames mixed in ({@link BridgeRig});
 * the bank sees every access exactly once, in the host's order; every read comes back with its tag
 * and the value the bank held; the interrupt line's changes reach the host, its last report the
 * line's last level.
 */
class LinkBridgeTest {
    private int lastReport;

    @Test
    void registerAccessesArriveOnceInOrderAndTheInterruptLineFollows() {
        Random random = new Random(77);
        try (BridgeRig rig = new BridgeRig(77, 0.1)) {
            // the host's script: writes and reads over a few registers, so reads see earlier writes
            List<Access> script = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                long a = 4L * random.nextInt(16);
                script.add(random.nextBoolean() ? new Access(true, a, 0) : new Access(false, a, random.nextInt() & 0xFFFF_FFFFL));
            }
            List<LinkMessage> delivered = new ArrayList<>();
            LinkEndpoint host = new LinkEndpoint(rig::send, m -> {
                delivered.add(m);
                if (m.type() == HostLink.Type.IRQ) lastReport = m.value();
            }, 20_000);
            for (int i = 0; i < script.size(); i++) {
                Access a = script.get(i);
                host.send(a.read() ? LinkMessage.regRead(i & 0xFF, (int) a.address()) : LinkMessage.regWrite((int) a.address(), (int) a.value()), 0);
            }
            long reads = script.stream().filter(Access::read).count();
            while (rig.cycle < 3_000_000) {
                boolean done = rig.seen.size() == script.size() && host.idle()
                        && delivered.stream().filter(m -> m.type() == HostLink.Type.REG_DATA).count() == reads;
                if (done && lastReport == (rig.irq ? 1 : 0)) break;
                if (!done && random.nextInt(3000) == 0) rig.irq = !rig.irq;   // the interrupt line, now and then
                rig.step();
                for (LinkMessage m; (m = rig.received()) != null; ) host.receive(m, rig.cycle);
                if (rig.cycle % 32 == 0) host.poll(rig.cycle);
            }
            List<Integer> irqReports = delivered.stream().filter(m -> m.type() == HostLink.Type.IRQ).map(LinkMessage::value).toList();
            List<LinkMessage> answers = delivered.stream().filter(m -> m.type() == HostLink.Type.REG_DATA).toList();

            assertEquals(script.size(), rig.seen.size(), "register accesses the bank saw");
            Map<Long, Long> model = new HashMap<>();
            int answered = 0;
            for (int i = 0; i < script.size(); i++) {
                Access want = script.get(i), got = rig.seen.get(i);
                assertEquals(want.read(), got.read(), "access " + i + ": read or write");
                assertEquals(want.address(), got.address(), "access " + i + ": address");
                if (!want.read()) {
                    assertEquals(want.value(), got.value(), "access " + i + ": value written");
                    model.put(want.address(), want.value());
                } else {
                    LinkMessage answer = answers.get(answered++);
                    assertEquals(i & 0xFF, answer.tag(), "read " + i + ": its tag");
                    assertEquals((long) model.getOrDefault(want.address(), want.address() * 0x01010101L & 0xFFFF_FFFFL),
                            answer.value() & 0xFFFF_FFFFL, "read " + i + ": the value the bank held");
                }
            }
            assertEquals(answered, answers.size(), "one answer a read");
            assertEquals(rig.foreignSent, rig.foreignSeen, "foreign frames counted");
            assertTrue(rig.foreignSent > 0);
            assertTrue(irqReports.size() >= 2, "the interrupt line's changes reported: " + irqReports);
            for (int i = 1; i < irqReports.size(); i++) assertNotEquals(irqReports.get(i - 1), irqReports.get(i), "a report is a change");
            assertEquals(rig.irq ? 1 : 0, (int) irqReports.get(irqReports.size() - 1), "the last report is the line's level");
            assertTrue(host.retransmissions() > 0, "the host resent what the link lost");
        }
    }
}

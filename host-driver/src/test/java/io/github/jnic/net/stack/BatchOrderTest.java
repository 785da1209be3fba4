package io.github.jnic.net.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jnic.net.buf.PacketBuffer;
import io.github.jnic.net.ip.Ipv4Transport;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Work a received batch makes ready (a socket's pump, queued as a task while the frames are
 * handled) runs before the transports answer the batch, so their one answer reflects it: a reader
 * that drained its bytes is announced in the batch's ACK, not in a window update after it.
 */
class BatchOrderTest {
    private static final int PROTOCOL = 253;   // RFC 3692: for experiments

    @Test
    void tasksQueuedByTheBatchRunBeforeItIsAnswered() {
        TwoHosts net = new TwoHosts();
        List<String> order = new ArrayList<>();
        net.b.register(new Ipv4Transport() {
            @Override public int protocol() { return PROTOCOL; }
            @Override public void receive(PacketBuffer segment, int src, int dst, long now) {
                segment.release();
                order.add("frame");
                net.b.execute(() -> order.add("task"));
            }
            @Override public void icmpError(int type, int code, int src, int dst, byte[] quoted, int off, int len, long now) {}
            @Override public void endBatch(long now) { if (!order.isEmpty() && !order.get(order.size() - 1).equals("end")) order.add("end"); }
            @Override public long poll(long now) { return Long.MAX_VALUE; }
        });
        for (int i = 0; i < 2; i++) {
            PacketBuffer p = net.a.ipv4().allocate(8);
            p.append(8);
            net.a.ipv4().send(p, TwoHosts.A, TwoHosts.B, PROTOCOL, 64, 0, false);
        }
        net.sim.runFor(10_000_000L);
        assertEquals(List.of("frame", "frame", "task", "task", "end"), order);
    }
}

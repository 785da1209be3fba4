package io.github.jnic.testbench.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jnic.testbench.sim.Port;
import io.github.jnic.testbench.sim.Simulator;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The card's side of the bridge's {@code dma} port, played in Java clock by clock: an AXI4 master
 * that issues the bursts it is given (reads and writes, several in flight, IDs of its choosing),
 * presents write data with random gaps, takes R and B at random, and checks what comes back
 * against what each read was {@link Burst#expected expected} to find: per ID in order, as AXI
 * requires, every beat's data and response, RLAST on the last.
 */
final class DmaMaster {
    /** One burst: a write ({@code beats} and {@code strobes}) or a read (its {@code expected} bytes and response). */
    static final class Burst {
        final boolean write;
        final int id;
        final long address;
        final int beats;
        final byte[] data;      // write: 8 bytes a beat; read: the bytes expected
        final byte[] strobes;   // write only
        final int resp;         // read: the response expected on every beat; write: on B
        int got;                // read beats or B received
        Runnable onDone = () -> { };

        Burst(boolean write, int id, long address, int beats, byte[] data, byte[] strobes, int resp) {
            this.write = write;
            this.id = id;
            this.address = address;
            this.beats = beats;
            this.data = data;
            this.strobes = strobes;
            this.resp = resp;
        }

        @Override
        public String toString() {
            return (write ? "write" : "read") + " id " + id + " 0x" + Long.toHexString(address) + " " + beats + " beats";
        }
    }

    private final Simulator sim;
    private final Random random;
    private final String p;
    private final ArrayDeque<Burst> reads = new ArrayDeque<>(), writes = new ArrayDeque<>();
    private final ArrayDeque<Burst> writeData = new ArrayDeque<>();   // address accepted, beats to send
    private final Map<Integer, ArrayDeque<Burst>> readsOut = new HashMap<>(), writesOut = new HashMap<>();
    private final List<Burst> done = new ArrayList<>();
    private int wBeat;

    DmaMaster(Simulator sim, String prefix, long seed) {
        this.sim = sim;
        this.p = prefix + "_";
        this.random = new Random(seed);
    }

    void issue(Burst b) {
        (b.write ? writes : reads).add(b);
    }

    /** Bursts issued and not yet answered in full. */
    int pending() {
        int n = reads.size() + writes.size();
        for (ArrayDeque<Burst> q : readsOut.values()) n += q.size();
        for (ArrayDeque<Burst> q : writesOut.values()) n += q.size();
        return n;
    }

    List<Burst> done() {
        return done;
    }

    private Port port(String name) {
        return sim.port(p + name);
    }

    /** Drives the port for the coming clock edge and takes what crosses on it. */
    void beforeEdge() {
        Burst ar = reads.peek(), aw = writes.peek(), w = writeData.peek();
        boolean wValid = w != null && random.nextInt(4) != 0;
        boolean rReady = random.nextInt(3) != 0, bReady = random.nextInt(3) != 0;
        set("ar_valid", ar != null);
        if (ar != null) address("ar", ar);
        set("aw_valid", aw != null);
        if (aw != null) address("aw", aw);
        set("w_valid", wValid);
        if (wValid) {
            long v = 0;
            for (int j = 7; j >= 0; j--) v = v << 8 | (w.data[8 * wBeat + j] & 0xFF);
            port("w_payload_data").set(v);
            port("w_payload_strb").set(w.strobes[wBeat] & 0xFF);
            port("w_last").set(wBeat == w.beats - 1);
        }
        set("r_ready", rReady);
        set("b_ready", bReady);

        if (ar != null && port("ar_ready").isHigh()) readsOut.computeIfAbsent(reads.poll().id, k -> new ArrayDeque<>()).add(ar);
        if (aw != null && port("aw_ready").isHigh()) {
            writesOut.computeIfAbsent(writes.poll().id, k -> new ArrayDeque<>()).add(aw);
            writeData.add(aw);
        }
        if (wValid && port("w_ready").isHigh() && ++wBeat == w.beats) {
            writeData.poll();
            wBeat = 0;
        }
        if (rReady && port("r_valid").isHigh()) {
            int id = (int) port("r_payload_id").get();
            ArrayDeque<Burst> q = readsOut.get(id);
            assertTrue(q != null && !q.isEmpty(), "an R beat for ID " + id + ", which has no read out");
            Burst b = q.peek();
            long v = port("r_payload_data").get();
            for (int j = 0; j < 8; j++)
                assertEquals(b.data[8 * b.got + j], (byte) (v >>> 8 * j), b + ", beat " + b.got + " byte " + j);
            assertEquals(b.resp, port("r_payload_resp").get(), b + ", beat " + b.got + ": the response");
            assertEquals(++b.got == b.beats, port("r_last").isHigh(), b + ", beat " + (b.got - 1) + ": RLAST");
            if (b.got == b.beats) finish(q.poll());
        }
        if (bReady && port("b_valid").isHigh()) {
            int id = (int) port("b_payload_id").get();
            ArrayDeque<Burst> q = writesOut.get(id);
            assertTrue(q != null && !q.isEmpty(), "a B for ID " + id + ", which has no write out");
            Burst b = q.poll();
            assertEquals(0, writeData.stream().filter(x -> x == b).count(), b + ": B before all its data");
            assertEquals(b.resp, port("b_payload_resp").get(), b + ": the response");
            finish(b);
        }
    }

    private void finish(Burst b) {
        done.add(b);
        b.onDone.run();
    }

    private void address(String ch, Burst b) {
        port(ch + "_payload_id").set(b.id);
        port(ch + "_payload_addr").set(b.address);
        port(ch + "_payload_len").set(b.beats - 1);
        port(ch + "_payload_size").set(3);
        port(ch + "_payload_burst").set(1);
    }

    private void set(String name, boolean v) {
        port(name).set(v);
    }
}

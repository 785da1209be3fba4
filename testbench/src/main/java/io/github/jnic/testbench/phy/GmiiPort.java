package io.github.jnic.testbench.phy;

import io.github.jnic.testbench.sim.NativeModel;
import io.github.jnic.testbench.sim.Port;
import io.github.jnic.testbench.sim.Simulator;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The far end of a design's GMII pins, at full speed (native models "gmii_tx" and "gmii_rx"): what the
 * MAC sends is recorded as whole frames as they were on the wire (preamble, SFD, frame, FCS), and
 * frames handed to {@link #send} are played onto the receive pins at or after a chosen edge, with at
 * least the inter-frame gap between them. Nothing crosses JNI per cycle.
 */
public final class GmiiPort {
    /** A frame the MAC sent: its bytes on the wire, the transmit clock's edge count at its end, and whether TX_ER was raised. */
    public record Sent(byte[] wire, long endEdge, boolean error) {}

    private final Recorder recorder;
    private final Player player;

    /**
     * @param gapBytes the least idle time between two received frames, in byte times (12 on Ethernet)
     */
    public GmiiPort(Simulator sim, String txClock, String rxClock, String prefix, int gapBytes) {
        recorder = new Recorder(sim, txClock, new Port[] {sim.port(prefix + "Txd"), sim.port(prefix + "TxEn"), sim.port(prefix + "TxEr")});
        player = new Player(sim, rxClock, new Port[] {sim.port(prefix + "Rxd"), sim.port(prefix + "RxDv"), sim.port(prefix + "RxEr")}, gapBytes);
    }

    /** The frames sent since the last call, in order. */
    public List<Sent> sent() {
        return recorder.frames();
    }

    /** Queues a frame (bytes as on the wire) to arrive no earlier than the receive clock's edge {@code earliestEdge}. */
    public void send(byte[] wire, long earliestEdge) {
        player.queue(wire, earliestEdge);
    }

    /** Frames the receive pins have started to carry so far. */
    public long framesStarted() {
        return player.started();
    }

    /** Frames waiting to be played. */
    public long framesQueued() {
        return player.queued();
    }

    /** Whether the MAC is sending a frame right now. */
    public boolean sending() {
        return recorder.sending();
    }

    private static final class Recorder extends NativeModel {
        Recorder(Simulator sim, String clock, Port[] pins) {
            super(sim, "gmii_tx", clock, pins);
        }

        @Override
        protected int pendingQuery() {
            return 1;
        }

        boolean sending() {
            return query(3) != 0;
        }

        List<Sent> frames() {
            List<Sent> out = new ArrayList<>();
            while (query(1) > 0) {
                ByteBuffer b = take();
                if (!b.hasRemaining()) break;
                while (b.hasRemaining()) {
                    int length = b.getInt();
                    long end = b.getLong();
                    boolean error = b.get() != 0;
                    byte[] wire = new byte[length];
                    b.get(wire);
                    out.add(new Sent(wire, end, error));
                }
            }
            return out;
        }
    }

    private static final class Player extends NativeModel {
        Player(Simulator sim, String clock, Port[] pins, int gap) {
            super(sim, "gmii_rx", clock, pins, gap);
        }

        void queue(byte[] wire, long earliest) {
            if (wire.length == 0) throw new IllegalArgumentException("an empty frame");
            ByteBuffer b = buffer(12 + wire.length);
            b.putInt(wire.length).putLong(earliest).put(wire);
            if (!put(b)) throw new IllegalStateException("gmii_rx refused a frame");
        }

        long started() {
            return query(0);
        }

        long queued() {
            return query(1);
        }
    }
}

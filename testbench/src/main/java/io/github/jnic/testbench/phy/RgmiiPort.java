package io.github.jnic.testbench.phy;

import io.github.jnic.testbench.sim.PinPlayer;
import io.github.jnic.testbench.sim.Simulator;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The PHY side of a design's RGMII port at 1000 Mb/s, for runs of any length: frames handed to
 * {@link #send} are played onto the receive pins (preamble, SFD and FCS added, 12 idle bytes in front
 * of each), and the transmit pins are decoded as they go, each frame with a good FCS handed on without
 * its preamble and FCS. Between frames the receive pins carry idle: the player is kept fed, so its
 * vectors stay paired with the clock's edges (the rising-edge half first), and a frame queued now is on
 * the pins within the idle already queued.
 *
 * <p>The transmit pins are sampled on both edges of the design's transmit clock; a byte is the values
 * before a falling edge (TXC high: the low nibble and TX_EN) and before the next rising edge (TXC low:
 * the high nibble and TX_EN xor TX_ER), found by TXC itself, so decoding needs no alignment from outside.
 */
public final class RgmiiPort {
    private static final long[] IDLE = {0, 0};
    private final RgmiiWire wire = new RgmiiWire();
    private final PinPlayer rx, tx;
    private final Consumer<byte[]> sink;
    private final ByteArrayOutputStream frame = new ByteArrayOutputStream(2048);
    private long[] firstHalf;
    private boolean inFrame, frameError;
    private long badFrames, bytesIn, bytesOut;

    /**
     * Moves the simulation to just after a rising edge of {@code rxClock}, where the receive pins'
     * first vector is queued. {@code sink} gets every good frame the design sends, without preamble and FCS.
     */
    public RgmiiPort(Simulator sim, String txClock, String rxClock, String prefix, Consumer<byte[]> sink) {
        this.sink = sink;
        sim.step(rxClock, 1);
        rx = new PinPlayer(sim, rxClock, PinPlayer.Edges.BOTH, List.of(sim.port(prefix + "Rxd"), sim.port(prefix + "RxCtl")), List.of());
        tx = new PinPlayer(sim, txClock, PinPlayer.Edges.BOTH, List.of(),
                List.of(sim.port(prefix + "Txd"), sim.port(prefix + "TxCtl"), sim.port(prefix + "Txc")));
        feed(64);
    }

    /**
     * Queues a frame (without FCS; padded to 60 bytes) for the receive pins. Returns the edges of the
     * receive clock from now until its last byte (FCS) is on the pins.
     */
    public long send(byte[] frame) {
        long ahead = rx.queued();
        byte[] onWire = Ethernet.onWire(Ethernet.padAndFcs(frame), Ethernet.PREAMBLE_LENGTH);
        rx.play(wire.encode(List.of(Burst.of(onWire, 12))));
        bytesIn += onWire.length + 12;
        return ahead + 2L * (12 + onWire.length);
    }

    /** Keeps at least {@code edges} vectors queued on the receive pins (idle if nothing else), so they never run dry. */
    public void feed(long edges) {
        long missing = edges - rx.queued();
        if (missing <= 0) return;
        long[][] idle = new long[(int) (missing + (missing & 1))][];
        Arrays.fill(idle, IDLE);
        rx.play(idle);
    }

    /** Decodes what the transmit pins carried since the last call, handing on each good frame. */
    public void drain() {
        for (long[] v : tx.recorded()) {
            if (v[2] == 1) {               // before a falling edge: the first half of a byte
                firstHalf = v;
                continue;
            }
            long[] first = firstHalf;
            firstHalf = null;
            if (first == null) continue;    // a low half without its high one (the recording's start)
            if (first[1] != 0) {
                frame.write((int) (first[0] | v[0] << 4));
                frameError |= (first[1] ^ v[1]) != 0;
                inFrame = true;
            } else if (inFrame) {
                end();
            }
        }
    }

    private void end() {
        byte[] wire = frame.toByteArray();
        frame.reset();
        inFrame = false;
        boolean error = frameError;
        frameError = false;
        int sfd = 0;
        while (sfd < wire.length && wire[sfd] == Ethernet.PREAMBLE) sfd++;
        byte[] withFcs = sfd < wire.length && wire[sfd] == Ethernet.SFD ? Arrays.copyOfRange(wire, sfd + 1, wire.length) : new byte[0];
        if (error || withFcs.length < Ethernet.MIN_FRAME || !Ethernet.fcsGood(withFcs)) {
            badFrames++;
            return;
        }
        bytesOut += wire.length + 12;
        sink.accept(Arrays.copyOf(withFcs, withFcs.length - Ethernet.FCS_LENGTH));
    }

    /** Frames the design sent with a bad FCS, TX_ER, a short length or no SFD (never expected). */
    public long badFrames() { return badFrames; }

    /** Bytes the frames queued for the receive pins take on the wire: preamble, SFD, frame, FCS and the 12-byte gap. */
    public long wireBytesIn() { return bytesIn; }

    /** The same for the good frames the design sent. */
    public long wireBytesOut() { return bytesOut; }

    /** Edges on which the receive pins had nothing queued (never expected: {@link #feed} keeps them fed). */
    public long underruns() { return rx.underruns(); }
}

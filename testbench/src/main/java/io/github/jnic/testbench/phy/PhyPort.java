package io.github.jnic.testbench.phy;

import io.github.jnic.testbench.sim.PinPlayer;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The PHY side of a design's Ethernet port for runs of any length: frames handed to {@link #send}
 * are played onto the receive pins (preamble, SFD and FCS added, 12 idle bytes in front of each),
 * and the bytes a subclass decodes off the transmit pins are gathered into frames, each with a good
 * FCS handed on without its preamble and FCS, each bad one (TX_ER, short, no SFD, bad FCS) counted.
 */
public abstract class PhyPort {
    protected final PinPlayer rx;
    private final Consumer<byte[]> sink;
    private final ByteArrayOutputStream frame = new ByteArrayOutputStream(2048);
    private final int edgesPerByte;
    private boolean inFrame, frameError;
    private long badFrames, bytesIn, bytesOut;

    /** {@code rx} plays the receive pins, {@code edgesPerByte} of its edges a byte; {@code sink} gets every good frame. */
    protected PhyPort(PinPlayer rx, int edgesPerByte, Consumer<byte[]> sink) {
        this.rx = rx;
        this.edgesPerByte = edgesPerByte;
        this.sink = sink;
    }

    /** The receive pins' vectors for one burst. */
    protected abstract long[][] encode(Burst burst);

    /** Decodes what the transmit pins carried since the last call, handing on each good frame. */
    public abstract void drain();

    /**
     * Queues a frame (without FCS; padded to 60 bytes) for the receive pins. Returns the edges of the
     * receive clock from now until its last byte (FCS) is on the pins.
     */
    public long send(byte[] frame) {
        long ahead = rx.queued();
        byte[] onWire = Ethernet.onWire(Ethernet.padAndFcs(frame), Ethernet.PREAMBLE_LENGTH);
        rx.play(encode(Burst.of(onWire, 12)));
        bytesIn += onWire.length + 12;
        return ahead + (long) edgesPerByte * (12 + onWire.length);
    }

    /**
     * A wire's vectors for one burst ({@link PhyWire#encode}), spaced for frames queued back to back:
     * of the {@code trailingIdle} idle vectors the wire puts after the burst, a byte's worth stays (the
     * pins hold the last vector if they ever run dry), and a byte's worth goes from the 12 idle bytes
     * in front, so frames are 12 bytes apart, at line rate.
     */
    protected final long[][] backToBack(long[][] vectors, int trailingIdle) {
        return Arrays.copyOfRange(vectors, edgesPerByte, vectors.length - trailingIdle + edgesPerByte);
    }

    /** A byte the transmit pins carried ({@code error}: with TX_ER). */
    protected final void transmitted(int b, boolean error) {
        frame.write(b);
        frameError |= error;
        inFrame = true;
    }

    /** The transmit pins went idle: the frame so far, if any, has ended. */
    protected final void idle() {
        if (!inFrame) return;
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

    /** Bytes' worth of vectors queued on the receive pins (idle included). */
    public long queuedBytes() { return rx.queued() / edgesPerByte; }

    /** Frames the design sent with a bad FCS, TX_ER, a short length or no SFD (never expected). */
    public long badFrames() { return badFrames; }

    /** Bytes the frames queued for the receive pins take on the wire: preamble, SFD, frame, FCS and the 12-byte gap. */
    public long wireBytesIn() { return bytesIn; }

    /** The same for the good frames the design sent. */
    public long wireBytesOut() { return bytesOut; }

    /** Edges on which the receive pins had nothing queued. */
    public long underruns() { return rx.underruns(); }
}

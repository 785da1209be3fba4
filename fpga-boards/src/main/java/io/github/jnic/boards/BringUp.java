package io.github.jnic.boards;

import static io.github.jnic.jhdl.Hdl.bool;
import static io.github.jnic.jhdl.Hdl.reg;
import static io.github.jnic.jhdl.Hdl.uint;
import static io.github.jnic.jhdl.Hdl.wire;
import static io.github.jnic.jhdl.Hdl.withDomain;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.ClockDomain;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.lib.AsyncFifo;
import io.github.jnic.jhdl.lib.Flow;
import io.github.jnic.jhdl.lib.Stream;
import io.github.jnic.jhdl.lib.StreamFifo;
import io.github.jnic.nic.card.Nic;
import io.github.jnic.nic.mac.EthernetMac;

/** What the board tops share: clock domains with a power-on reset, the echo of received frames, the card's wiring. */
final class BringUp {
    private BringUp() {}

    /** Bytes of the FIFO between a port's receive and transmit clocks (they differ by the two oscillators' ppm). */
    static final int ECHO_FIFO = 64;

    /**
     * A domain on {@code clock} whose synchronous reset {@code <name>Reset} is held from power-on
     * until {@code running} (a PLL's lock, or true) has been seen on two clocks in a row.
     */
    static ClockDomain domain(String name, Bool clock, Bool running) {
        Bool[] reset = new Bool[1];
        withDomain(ClockDomain.internal(name + "Clock", clock), () -> {
            Bool stopped = reg(bool(), true).named(name + "Stopped");
            stopped.markSynchronizer(); // the lock is asynchronous to every clock
            stopped.next(running.not());
            reset[0] = reg(bool(), true).named(name + "ResetHold");
            reset[0].next(stopped);
        });
        return ClockDomain.internal(name + "Clock", clock).withSyncReset(name + "Reset", reset[0]);
    }

    /**
     * Sends every frame {@code mac} receives back out of it: the receiver's bytes cross from {@code rx}
     * to {@code tx} through an {@link AsyncFifo}. The transmitter takes the first byte and then sends
     * 8 bytes of preamble, so the FIFO holds a few bytes before the frame's second one is wanted and
     * the rates differ only by ppm: no gap inside a frame. A beat that finds the FIFO full (a sender
     * faster than this transmitter over many back-to-back frames) is lost and the frame goes out bad.
     *
     * @return one {@code rx} clock per frame received (for an activity LED)
     */
    static Bool echo(EthernetMac mac, ClockDomain rx, ClockDomain tx, String name) {
        Stream<UInt> received = wire(Stream.packets(uint(8), 1)).named(name + "Received");
        Bool[] frame = new Bool[1];
        withDomain(rx, () -> {
            // registered once, so no path runs from the MAC's checks into the FIFO's pointers
            Flow<UInt> staged = mac.rx.stage();
            received.valid.assign(staged.valid);
            received.payload.assign(staged.payload);
            received.last.assign(staged.last);
            received.user.assign(staged.user);
            frame[0] = reg(bool(), false).named(name + "Frame");
            frame[0].next(staged.valid.and(staged.last));
        });
        if (rx.sameClockAs(tx)) {
            // one clock (RMII): register FIFOs, faster than a block RAM's on an iCE40
            Stream<UInt>[] queued = new Stream[] {received};
            withDomain(rx, () -> {
                for (int held = 0; held < ECHO_FIFO / 2; held += StreamFifo.REGISTER_DEPTH) queued[0] = queued[0].fifo(StreamFifo.REGISTER_DEPTH);
            });
            queued[0].connectTo(mac.tx);
        } else {
            AsyncFifo<UInt> fifo = new AsyncFifo<>(Stream.packets(uint(8), 1), ECHO_FIFO, rx, tx).named(name + "Fifo");
            received.connectTo(fifo.in);
            fifo.out.connectTo(mac.tx);
        }
        mac.ifg.assign(12);
        mac.jumbo.assign(false);
        mac.txStats.clear.assign(false);
        mac.txStats.select.assign(0);
        mac.rxStats.clear.assign(false);
        mac.rxStats.select.assign(0);
        return frame[0];
    }

    /** The card's configuration on a board: its PHY, the system clock's MHz, the PHY's MDIO address. */
    static Nic.Config card(Nic.Phy phy, double systemMhz, int phyAddress) {
        Nic.Config c = new Nic.Config().phy(phy);
        c.systemHz = Math.round(systemMhz * 1e6);
        c.phyAddress = phyAddress;
        return c;
    }

    /** The card's MDIO master on the top's pins. */
    static void mdio(Nic card, Bool mdc, Bool mdioOut, Bool mdioOe, Bool mdioIn) {
        mdc.assign(card.mdc);
        mdioOut.assign(card.mdioOut);
        mdioOe.assign(card.mdioOe);
        card.mdioIn.assign(mdioIn);
    }

    /**
     * The card's status LED ({@link StatusLed}: the network port's link, dark a moment for each frame
     * the card receives or sends), in the current domain, which runs at {@code hz}; returns it lit.
     */
    static Bool status(Nic card, long hz) {
        StatusLed status = new StatusLed(hz).named("status");
        status.linkUp.assign(card.linkUp);
        status.activity.assign(card.rxFrameStored.or(card.txFrameQueued));
        return status.on;
    }

    /** A MAC address as the bridge's {@code station} port takes it: the first byte in bits 7:0. */
    static long address(byte[] mac) {
        long a = 0;
        for (int i = 5; i >= 0; i--) a = a << 8 | (mac[i] & 0xFF);
        return a;
    }
}

package io.github.jnic.nic.mac;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.lib.Flow;
import io.github.jnic.jhdl.lib.Stream;
import io.github.jnic.jhdl.lib.StreamFifo;

/**
 * A board top around {@link RmiiMac} with only RMII pins and a few LEDs, small enough for an iCE40
 * UP5K's pins: every frame received is sent back through FIFOs holding {@code fifoDepth} bytes (both
 * sides run at the same rate, so they only take up the transmitter's preamble and any difference in
 * gaps and preambles; beats that find them full are lost) and the LEDs show the low bits of a receive counter chosen by
 * {@code statSelect}. It exists for place-and-route and timing of the MAC on a real part.
 */
public class RmiiEcho extends Module {
    public final Bool speed10 = input(bool());
    public final UInt rmiiTxd = output(uint(2));
    public final Bool rmiiTxEn = output(bool());
    public final UInt rmiiRxd = input(uint(2));
    public final Bool rmiiCrsDv = input(bool());
    public final UInt statSelect = input(uint(4));
    public final UInt leds = output(uint(4));

    RmiiMac mac;

    public RmiiEcho(int fifoDepth) {
        withDomain(RmiiMac.REF, () -> {
            mac = new RmiiMac();
            // registered once, so no path runs from the MAC's checks into the FIFO's pointers
            Flow<UInt> staged = mac.rx.stage();
            Stream<UInt> received = wire(Stream.packets(uint(8), 1)).named("received");
            received.valid.assign(staged.valid);
            received.payload.assign(staged.payload);
            received.last.assign(staged.last);
            received.user.assign(staged.user);
            // FIFOs kept in registers: the lib's block-RAM FIFO is the slower path on this part
            Stream<UInt> queued = received;
            for (int held = 0; held < fifoDepth; held += StreamFifo.REGISTER_DEPTH) queued = queued.fifo(StreamFifo.REGISTER_DEPTH);
            queued.connectTo(mac.tx);
        });
        mac.ifg.assign(12);
        mac.jumbo.assign(false);
        mac.speed10.assign(speed10);
        rmiiTxd.assign(mac.rmiiTxd);
        rmiiTxEn.assign(mac.rmiiTxEn);
        mac.rmiiRxd.assign(rmiiRxd);
        mac.rmiiCrsDv.assign(rmiiCrsDv);
        mac.rmiiRxEr.assign(false);
        mac.txStats.clear.assign(false);
        mac.txStats.select.assign(0);
        mac.rxStats.clear.assign(false);
        mac.rxStats.select.assign(statSelect);
        leds.assign(mac.rxStats.value.slice(3, 0));
    }
}

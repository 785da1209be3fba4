package io.github.jnic.nic.mac;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.lib.Stream;

/**
 * A board top around {@link RmiiMac} with only RMII pins and a few LEDs, small enough for an iCE40
 * UP5K's pins: every frame received is sent back (through a FIFO of {@code fifoDepth} bytes; beats
 * that find it full are lost) and the LEDs show the low bits of a receive counter chosen by
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
            Stream<UInt> received = wire(Stream.packets(uint(8), 1)).named("received");
            received.valid.assign(mac.rx.valid);
            received.payload.assign(mac.rx.payload);
            received.last.assign(mac.rx.last);
            received.user.assign(mac.rx.user);
            received.fifo(fifoDepth).connectTo(mac.tx);
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

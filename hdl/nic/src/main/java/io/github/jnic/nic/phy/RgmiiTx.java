package io.github.jnic.nic.phy;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;

/**
 * RGMII transmit adapter at 1000 Mb/s (125 MHz, a byte every clock): the low nibble goes out on
 * the rising edge and the high nibble on the falling edge; TX_CTL carries TX_EN on the rising edge
 * and TX_EN xor TX_ER on the falling edge. TXC is forwarded through a DDR cell (1 then 0), edge
 * aligned: the PHY's internal TX delay (or a board delay) centres it on the data.
 */
public class RgmiiTx extends Module {
    /** The transmit clock, as a signal (the DDR cells need it). */
    public final Bool clock = input(bool());
    public final UInt txd = input(uint(8));
    public final Bool txEn = input(bool());
    public final Bool txEr = input(bool());

    public final UInt rgmiiTxd = output(uint(4));
    public final Bool rgmiiTxCtl = output(bool());
    public final Bool rgmiiTxc = output(bool());

    /** 10/100 only: send nibbles, one per TXC period. */
    public final Bool nibbleMode;
    /** 10/100 only: 10 Mb/s (TXC 2.5 MHz) rather than 100 (25 MHz). */
    public final Bool speed10;
    /** 10/100 only: the MAC's byte is taken (always high at 1000 Mb/s). */
    public final Bool ce;

    final DdrOutput data;
    final DdrOutput control;

    public RgmiiTx(DdrVendor vendor) {
        this(vendor, false);
    }

    /**
     * With {@code tenHundred}, also 100 and 10 Mb/s: while {@link #nibbleMode} is high, each nibble
     * is held for a whole TXC period ({@link #speed10}: 50 clocks of 125 MHz for 2.5 MHz, else 5 for
     * 25 MHz) on both edges, low nibble first, and TXC is made from the same 125 MHz clock, its edges
     * a quarter period away from the nibble's changes (RGMII 2.0 section 3.3: at 10/100 TXD is taken
     * on the rising edge, TX_CTL is TX_EN at the rising edge and TX_EN xor TX_ER at the falling one). {@link #ce} then asks the MAC for a byte every second nibble.
     */
    public RgmiiTx(DdrVendor vendor, boolean tenHundred) {
        data = new DdrOutput(4, vendor);
        control = new DdrOutput(2, vendor);
        data.clock.assign(clock);
        control.clock.assign(clock);
        rgmiiTxd.assign(data.q);
        rgmiiTxCtl.assign(control.q.bit(1));
        rgmiiTxc.assign(control.q.bit(0));
        if (!tenHundred) {
            nibbleMode = null;
            speed10 = null;
            ce = null;
            gigabit();
            return;
        }
        nibbleMode = input(bool());
        speed10 = input(bool());
        ce = output(bool());
        // the speed is static: registered, so that only the phase counter's compares are on the paths
        Bool mode = reg(bool(), false).named("mode");
        mode.next(nibbleMode);
        UInt last = reg(uint(6), 4).named("lastPhase");
        last.next(mux(speed10, U(6, 49), U(6, 4)));
        UInt lo = reg(uint(7), 5).named("txcHighFrom");
        lo.next(mux(speed10, U(7, 27), U(7, 5)));
        UInt hi = reg(uint(7), 10).named("txcHighUntil");
        hi.next(mux(speed10, U(7, 77), U(7, 10)));
        // phase 0..P-1 of the nibble period P; the nibble registers load at phase 0
        UInt phase = reg(uint(6), 0).named("phase");
        phase.next(mux(phase.eq(last), U(6, 0), phase.plus(1)));
        Bool tick = phase.eq(0).named("tick");
        Bool highNibble = reg(bool(), false).named("highNibble");
        UInt nibble = reg(uint(4), 0).named("nibble");
        Bool en = reg(bool(), false).named("en");
        Bool er = reg(bool(), false).named("er");
        when(tick, () -> {
            highNibble.next(highNibble.not());
            nibble.next(mux(highNibble, txd.slice(7, 4), txd.slice(3, 0)));
            en.next(txEn);
            er.next(txEr);
        });
        // TXC is high for the half clocks [lo, hi) of the 2P in a nibble (lo = ceil(P / 2) + 2, hi = lo + P):
        // through the registers below and the DDR cells the data changes 4 halves into the period and
        // TXC 2 halves after its pattern, so the nibble changes a quarter period before TXC rises and a
        // quarter after it falls
        UInt doubled = cat(phase, bool(false)).asUInt().named("halfIndex");
        UInt doubledPlus = cat(phase, bool(true)).asUInt().named("halfIndexSecond");
        Bool txcFirst = doubled.ge(lo).and(doubled.lt(hi)).named("txcFirstHalf");
        Bool txcSecond = doubledPlus.ge(lo).and(doubledPlus.lt(hi)).named("txcSecondHalf");
        // TX_CTL: TX_EN while TXC is high, TX_EN xor TX_ER while it is low; all of the pins' values
        // registered once more (the same delay for data and TXC), off the DDR cells' inputs
        Bool enEr = en.xor(er).named("enXorEr");
        UInt pinsFirst = reg(uint(2), 0).named("controlFirst");
        pinsFirst.next(cat(mux(txcFirst, en, enEr), txcFirst).asUInt());
        UInt pinsSecond = reg(uint(2), 0).named("controlSecond");
        pinsSecond.next(cat(mux(txcSecond, en, enEr), txcSecond).asUInt());
        UInt nibbleOut = reg(uint(4), 0).named("nibbleOut");
        nibbleOut.next(nibble);
        // the MAC's byte is taken at the tick of a high nibble: known a clock ahead, so the enable is a
        // register, the mode's choice made in front of it (it fans out to the MAC's whole transmitter
        // and the FIFO behind it); the next cycle's mode is nibbleMode, what `mode` takes in
        Bool takeByte = reg(bool(), true).named("takeByte");
        takeByte.next(mux(nibbleMode, phase.eq(last).and(highNibble), bool(true)));
        ce.assign(takeByte);
        data.d0.assign(mux(mode, nibbleOut, txd.slice(3, 0)));
        data.d1.assign(mux(mode, nibbleOut, txd.slice(7, 4)));
        control.d0.assign(mux(mode, pinsFirst, cat(txEn, bool(true)).asUInt()));
        control.d1.assign(mux(mode, pinsSecond, cat(txEn.xor(txEr), bool(false)).asUInt()));
    }

    private void gigabit() {
        data.d0.assign(txd.slice(3, 0));
        data.d1.assign(txd.slice(7, 4));
        control.d0.assign(cat(txEn, bool(true)).asUInt());
        control.d1.assign(cat(txEn.xor(txEr), bool(false)).asUInt());
    }
}

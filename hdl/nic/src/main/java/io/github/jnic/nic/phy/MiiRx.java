package io.github.jnic.nic.phy;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;

/**
 * MII receive adapter: pairs the PHY's nibbles (low nibble first) into bytes for the MAC. The byte
 * boundary is found from the start-of-frame delimiter itself — a 0x5 nibble followed by 0xD — so a
 * preamble of any length, even or odd in nibbles, is accepted. When RX_DV falls the MAC gets a
 * byte time with {@code rxDv} low, and {@code oddNibble} if half a byte was left over.
 */
public class MiiRx extends Module {
    public final UInt miiRxd = input(uint(4));
    public final Bool miiRxDv = input(bool());
    public final Bool miiRxEr = input(bool());

    public final Bool ce = output(reg(bool(), false));
    public final UInt rxd = output(reg(uint(8), 0));
    public final Bool rxDv = output(reg(bool(), false));
    public final Bool rxEr = output(reg(bool(), false));
    public final Bool oddNibble = output(reg(bool(), false));

    // the pins, registered once
    final UInt nibble = reg(uint(4), 0);
    final Bool dv = reg(bool(), false);
    final Bool er = reg(bool(), false);

    final Bool aligned = reg(bool(), false);
    final Bool prevWasFive = reg(bool(), false);
    final Bool haveLow = reg(bool(), false);
    final UInt low = reg(uint(4), 0);
    final Bool lowEr = reg(bool(), false);

    public MiiRx() {
        nibble.next(miiRxd);
        dv.next(miiRxDv);
        er.next(miiRxEr);

        ce.next(false);
        oddNibble.next(false);
        when(dv, () -> {
            prevWasFive.next(nibble.eq(0x5));
            when(aligned.not(), () -> when(prevWasFive.and(nibble.eq(0xD)), () -> {
                ce.next(true);
                rxd.next(0xD5);
                rxDv.next(true);
                rxEr.next(false);
                aligned.next(true);
                haveLow.next(false);
            })).elseWhen(haveLow.not(), () -> {
                low.next(nibble);
                lowEr.next(er);
                haveLow.next(true);
            }).otherwise(() -> {
                ce.next(true);
                rxd.next(cat(nibble, low).asUInt());
                rxDv.next(true);
                rxEr.next(er.or(lowEr));
                haveLow.next(false);
            });
        }).otherwise(() -> {
            ce.next(true);
            rxDv.next(false);
            rxEr.next(false);
            oddNibble.next(aligned.and(haveLow));
            aligned.next(false);
            haveLow.next(false);
            prevWasFive.next(false);
        });
    }
}

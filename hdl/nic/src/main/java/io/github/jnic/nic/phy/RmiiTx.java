package io.github.jnic.nic.phy;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;

/**
 * RMII transmit adapter, on the 50 MHz reference clock: sends each byte as four dibits, least
 * significant first, each held one clock at 100 Mb/s or ten clocks at 10 Mb/s ({@code speed10}).
 * RMII has no TX_ER: the MAC's complemented FCS is what marks a bad frame.
 */
public class RmiiTx extends Module {
    public final Bool speed10 = input(bool());
    /** The MAC's byte, which changes after each clock with {@code ce}. */
    public final UInt txd = input(uint(8));
    public final Bool txEn = input(bool());
    public final Bool ce = output(bool());

    public final UInt rmiiTxd = output(reg(uint(2), 0));
    public final Bool rmiiTxEn = output(reg(bool(), false));

    final UInt dibit = reg(uint(2), 0);
    final UInt repeat = reg(uint(4), 0);

    public RmiiTx() {
        Bool dibitDone = speed10.not().or(repeat.eq(9)).named("dibitDone");
        ce.assign(dibitDone.and(dibit.eq(3)));
        when(dibitDone, () -> {
            repeat.next(0);
            dibit.next(dibit.plus(1));
        }).otherwise(() -> repeat.next(repeat.plus(1)));
        rmiiTxd.next(mux(dibit.bit(1), mux(dibit.bit(0), txd.slice(7, 6), txd.slice(5, 4)),
                mux(dibit.bit(0), txd.slice(3, 2), txd.slice(1, 0))));
        rmiiTxEn.next(txEn);
    }
}

package io.github.jnic.nic.phy;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;

/**
 * RMII receive adapter, on the 50 MHz reference clock: gathers dibits (least significant first)
 * into bytes. At 10 Mb/s each dibit lasts ten clocks and is sampled in its middle, counting from
 * the rise of CRS_DV. The byte boundary comes from the start-of-frame delimiter (dibits 01 01 01
 * 11), so a preamble of any length is accepted. CRS_DV is read as the standard multiplexes it: at the end of a frame it may toggle at
 * nibble boundaries (low on a nibble's first dibit, high on its second) while the PHY still has
 * data, so the frame ends only when CRS_DV is low on both dibits of a nibble; ending on half a
 * byte raises {@code oddNibble}.
 */
public class RmiiRx extends Module {
    public final Bool speed10 = input(bool());
    public final UInt rmiiRxd = input(uint(2));
    public final Bool rmiiCrsDv = input(bool());
    public final Bool rmiiRxEr = input(bool());

    public final Bool ce = output(reg(bool(), false));
    public final UInt rxd = output(reg(uint(8), 0));
    public final Bool rxDv = output(reg(bool(), false));
    public final Bool rxEr = output(reg(bool(), false));
    public final Bool oddNibble = output(reg(bool(), false));

    // the pins, registered once
    final UInt dibit = reg(uint(2), 0);
    final Bool crsDv = reg(bool(), false);
    final Bool er = reg(bool(), false);
    final Bool crsDvBefore = reg(bool(), false);

    final UInt phase = reg(uint(4), 0);
    final Bool aligned = reg(bool(), false);
    /** The last three dibits while hunting, the most recent lowest. */
    final UInt history = reg(uint(6), 0);
    final UInt index = reg(uint(2), 0);
    final UInt shift = reg(uint(6), 0);
    final Bool erSeen = reg(bool(), false);
    final Bool crsDvOnFirst = reg(bool(), false);

    public RmiiRx() {
        dibit.next(rmiiRxd);
        crsDv.next(rmiiCrsDv);
        er.next(rmiiRxEr);
        crsDvBefore.next(crsDv);

        when(aligned.not().and(crsDv).and(crsDvBefore.not()).or(phase.eq(9)), () -> phase.next(0))
                .otherwise(() -> phase.next(phase.plus(1)));
        Bool sample = speed10.not().or(phase.eq(4)).named("sample");

        ce.next(false);
        oddNibble.next(false);
        when(sample, () -> {
            when(aligned.not(), () -> {
                history.next(mux(crsDv, cat(history.slice(3, 0), dibit).asUInt(), U(6, 0)));
                when(crsDv.and(history.eq(0b010101)).and(dibit.eq(3)), () -> {
                    ce.next(true);
                    rxd.next(0xD5);
                    rxDv.next(true);
                    rxEr.next(false);
                    aligned.next(true);
                    index.next(0);
                    erSeen.next(false);
                }).elseWhen(crsDv.not(), () -> {
                    ce.next(true);
                    rxDv.next(false);
                    rxEr.next(false);
                });
            }).otherwise(() -> {
                index.next(index.plus(1));
                shift.next(cat(dibit, shift.slice(5, 2)).asUInt());
                when(er, () -> erSeen.next(true));
                when(index.lsb().not(), () -> crsDvOnFirst.next(crsDv))
                        .elseWhen(crsDv.or(crsDvOnFirst).not(), () -> {
                            ce.next(true);
                            rxDv.next(false);
                            rxEr.next(false);
                            oddNibble.next(index.eq(3));
                            aligned.next(false);
                            history.next(0);
                        })
                        .elseWhen(index.eq(3), () -> {
                            ce.next(true);
                            rxd.next(cat(dibit, shift).asUInt());
                            rxDv.next(true);
                            rxEr.next(erSeen.or(er));
                            erSeen.next(false);
                        });
            });
        });
    }
}

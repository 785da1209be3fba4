package io.github.jnic.nic.mdio;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.lib.Fsm;

/**
 * Watches a PHY over MDIO and says what it negotiated, from the IEEE 802.3 registers every PHY has
 * (so it works the same with an RTL8211F, a B50612D, a LAN8720 or a DP83848): every
 * {@code pollCycles} it reads BMSR (1) for the link, ANAR (4) and ANLPAR (5) for 10/100, and for a
 * gigabit PHY 1000BASE-T control (9) and status (10), then resolves the highest mode both ends
 * advertise (802.3 annex 28B.3): 1000 full, 100 full, 100 half, 10 full, 10 half. {@code changed}
 * pulses when the link or the speed changes — the card's LSC cause.
 *
 * <p>The driver reaches the PHY through the same master between polls ({@code command}: the e1000
 * MDIC register's fields), so both never talk at once.
 *
 * <p>BMSR's link bit latches low (802.3 22.2.4.2.13): a link that dropped since the last poll reads
 * as down once, so even a short drop is reported.
 */
public class PhyMonitor extends Module {
    public static final int BMSR = 1, ANAR = 4, ANLPAR = 5, GBCR = 9, GBSR = 10;
    public static final int SPEED_10 = 0, SPEED_100 = 1, SPEED_1000 = 2;

    public final UInt phyAddress = input(uint(5));
    /** Read registers 9 and 10 (a gigabit PHY); off for 10/100 PHYs, which may not answer them. */
    public final Bool gigabit = input(bool());

    public final Bool linkUp = output(reg(bool(), false));
    /** {@link #SPEED_10}, {@link #SPEED_100} or {@link #SPEED_1000}: meaningful while {@link #linkUp}. */
    public final UInt speed = output(reg(uint(2), 0));
    public final Bool fullDuplex = output(reg(bool(), false));
    /** One clock when the link or the speed changed at the end of a poll. */
    public final Bool changed = output(reg(bool(), false));

    /** A driver's register access (the e1000 MDIC command): taken between polls. */
    public final Bool commandStart = input(bool());
    public final Bool commandWrite = input(bool());
    public final UInt commandPhy = input(uint(5));
    public final UInt commandRegister = input(uint(5));
    public final UInt commandData = input(uint(16));
    /** High from the command's acceptance until its result is in {@link #commandResult}. */
    public final Bool commandBusy = output(reg(bool(), false));
    public final UInt commandResult = output(reg(uint(16), 0));

    public final Bool mdc = output(bool());
    public final Bool mdioOut = output(bool());
    public final Bool mdioOe = output(bool());
    public final Bool mdioIn = input(bool());

    enum Step { WAIT, ISSUE, READING, COMMAND, RESOLVE }

    final MdioMaster mdio;
    final Fsm<Step> step = new Fsm<>(Step.WAIT);

    /**
     * @param halfPeriod clocks per half period of MDC (at most 2.5 MHz: 25 at 125 MHz)
     * @param pollCycles clocks between two polls (a few milliseconds is what operating systems use)
     */
    public PhyMonitor(int halfPeriod, int pollCycles) {
        mdio = new MdioMaster(halfPeriod);
        mdc.assign(mdio.mdc);
        mdioOut.assign(mdio.mdioOut);
        mdioOe.assign(mdio.mdioOe);
        mdio.mdioIn.assign(mdioIn);

        int timerBits = Math.max(1, 32 - Integer.numberOfLeadingZeros(pollCycles));
        UInt timer = reg(uint(timerBits), 0).named("timer");
        UInt index = reg(uint(3), 0).named("index");   // which register of the poll is being read
        // only the bits the resolution needs: BMSR's link, the 10/100 abilities (bits 8:6: 100 full,
        // 100 half, 10 full) of ANAR and ANLPAR, 1000 full in GBCR (bit 9) and GBSR (bit 11)
        Bool link = reg(bool(), false).named("link");
        UInt ours = reg(uint(3), 0).named("ours");
        UInt theirs = reg(uint(3), 0).named("theirs");
        Bool our1000 = reg(bool(), false).named("our1000");
        Bool their1000 = reg(bool(), false).named("their1000");
        Bool started = reg(bool(), false).named("started"); // the master took the command this step issued

        UInt polled = wire(uint(5)).named("polled");
        polled.assign(mux(index.eq(0), U(5, BMSR), mux(index.eq(1), U(5, ANAR), mux(index.eq(2), U(5, ANLPAR), mux(index.eq(3), U(5, GBCR), U(5, GBSR))))));
        Bool lastRegister = mux(gigabit, index.eq(4), index.eq(2)).named("lastRegister");

        Bool accept = step.is(Step.WAIT).and(commandStart).and(commandBusy.not()).named("accept");
        mdio.start.assign(step.is(Step.ISSUE).or(accept));
        mdio.write.assign(accept.and(commandWrite));
        mdio.phyAddress.assign(mux(accept, commandPhy, phyAddress));
        mdio.regAddress.assign(mux(accept, commandRegister, polled));
        mdio.writeData.assign(commandData);
        changed.next(false);

        step.on(Step.WAIT, () -> {
            timer.next(timer.plus(1));
            when(accept, () -> {
                commandBusy.next(true);
                step.goTo(Step.COMMAND);
            }).elseWhen(timer.ge(pollCycles), () -> {
                timer.next(0);
                index.next(0);
                step.goTo(Step.ISSUE);
            });
        }).on(Step.ISSUE, () -> {
            started.next(false);
            step.goTo(Step.READING);
        }).on(Step.READING, () -> {
            when(mdio.busy, () -> started.next(true));
            when(started.and(mdio.busy.not()), () -> {
                var s = switchOn(index);
                s.is(0, () -> link.next(mdio.readData.bit(2)))
                        .is(1, () -> ours.next(mdio.readData.slice(8, 6)))
                        .is(2, () -> theirs.next(mdio.readData.slice(8, 6)))
                        .is(3, () -> our1000.next(mdio.readData.bit(9)))
                        .is(4, () -> their1000.next(mdio.readData.bit(11)));
                index.next(index.plus(1));
                when(lastRegister, () -> step.goTo(Step.RESOLVE)).otherwise(() -> step.goTo(Step.ISSUE));
            });
        }).on(Step.COMMAND, () -> {
            when(mdio.busy, () -> started.next(true));
            when(started.and(mdio.busy.not()), () -> {
                started.next(false);
                commandResult.next(mdio.readData);
                commandBusy.next(false);
                step.goTo(Step.WAIT);
            });
        }).on(Step.RESOLVE, () -> {
            // 802.3 annex 28B.3's priority: 1000 full, 100 full, 100 half, 10 full, 10 half
            Bool g1000 = gigabit.and(our1000).and(their1000).named("common1000Full");
            UInt common = ours.and(theirs).named("common");
            Bool fd100 = common.bit(2), hd100 = common.bit(1), fd10 = common.bit(0);
            UInt newSpeed = mux(g1000, U(2, SPEED_1000), mux(fd100.or(hd100), U(2, SPEED_100), U(2, SPEED_10))).named("resolvedSpeed");
            Bool newLink = link;
            linkUp.next(newLink);
            speed.next(newSpeed);
            fullDuplex.next(g1000.or(fd100).or(hd100.not().and(fd10)));
            changed.next(newLink.ne(linkUp).or(newLink.and(newSpeed.ne(speed))));
            step.goTo(Step.WAIT);
        });
    }
}

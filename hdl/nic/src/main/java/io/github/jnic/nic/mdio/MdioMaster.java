package io.github.jnic.nic.mdio;

import io.github.jnic.jhdl.Bool;
import io.github.jnic.jhdl.Module;
import io.github.jnic.jhdl.UInt;

/**
 * MDIO management master, IEEE 802.3 clause 22, so a board can read and write its PHY's registers.
 *
 * <p>A command is taken when {@code start} is high and {@code busy} low. It goes out as one 64-bit
 * frame, most significant bit first: 32 ones (preamble), 01 (start), the opcode (01 write, 10
 * read), 5 bits of PHY address, 5 bits of register address, the turnaround and 16 bits of data.
 * Each bit lasts one MDC period of 2 × {@code halfPeriod} clocks: the master changes MDIO while
 * MDC is low and the PHY samples it on the rising edge. For a read the master lets go of MDIO for
 * the turnaround and samples the PHY's 16 data bits on the rising edges of MDC; {@code readData}
 * holds them when {@code busy} falls.
 */
public class MdioMaster extends Module {
    public final Bool start = input(bool());
    public final Bool write = input(bool());
    public final UInt phyAddress = input(uint(5));
    public final UInt regAddress = input(uint(5));
    public final UInt writeData = input(uint(16));
    public final Bool busy = output(reg(bool(), false));
    public final UInt readData = output(reg(uint(16), 0));

    public final Bool mdc = output(reg(bool(), false));
    public final Bool mdioOut = output(bool());
    /** High while the master drives MDIO (the pin's output enable). */
    public final Bool mdioOe = output(reg(bool(), false));
    public final Bool mdioIn = input(bool());

    final UInt frame = reg(uint(64), 0);
    final UInt bit = reg(uint(6), 0);
    final UInt divider;
    final Bool reading = reg(bool(), false);

    /** @param halfPeriod clocks per half period of MDC (MDC must stay at or below 2.5 MHz) */
    public MdioMaster(int halfPeriod) {
        int dividerBits = Math.max(1, 32 - Integer.numberOfLeadingZeros(halfPeriod - 1));
        divider = reg(uint(dividerBits), 0);
        mdioOut.assign(frame.msb());
        Bool halfDone = divider.eq(halfPeriod - 1).named("halfDone");

        when(busy.not(), () -> {
            mdc.next(false);
            mdioOe.next(false);
            when(start, () -> {
                UInt opcode = mux(write, U(2, 0b01), U(2, 0b10));
                UInt turnaround = mux(write, U(2, 0b10), U(2, 0b11));
                frame.next(cat(U(32, 0xFFFFFFFFL), U(2, 0b01), opcode, phyAddress, regAddress, turnaround,
                        mux(write, writeData, U(16, 0xFFFF))).asUInt());
                reading.next(write.not());
                bit.next(0);
                divider.next(0);
                mdioOe.next(true);
                busy.next(true);
            });
        }).otherwise(() -> {
            divider.next(mux(halfDone, U(dividerBits, 0), divider.plus(1)));
            when(halfDone, () -> {
                mdc.next(mdc.not());
                when(mdc.not(), () -> {
                    // rising edge of MDC: a read samples the PHY's data bits
                    when(reading.and(bit.ge(48)), () -> readData.next(cat(readData.slice(14, 0), mdioIn).asUInt()));
                }).otherwise(() -> {
                    // falling edge: on to the next bit
                    frame.next(frame.shiftLeft(1));
                    bit.next(bit.plus(1));
                    when(reading.and(bit.eq(45)), () -> mdioOe.next(false));
                    when(bit.eq(63), () -> {
                        busy.next(false);
                        mdioOe.next(false);
                    });
                });
            });
        });
    }
}

package io.github.jnic.testbench.phy;

import io.github.jnic.testbench.sim.Port;

/**
 * The management side of a PHY, IEEE 802.3 clause 22, as a cycle-by-cycle model: call {@link #tick}
 * after every clock of the design. It samples MDIO on each rising edge of MDC and, for a read
 * addressed to it, drives the turnaround zero and the 16 data bits, each right after the rising edge
 * before the one where the master samples it. MDIO idles high (the bus pull-up).
 */
public final class MdioPhy {
    private enum State { PREAMBLE, START, HEADER, READ, WRITE, OTHERS }

    private final Port mdc, mdioOut, mdioOe, mdioIn;
    private final int address;
    /** The 32 registers. */
    public final int[] registers = new int[32];
    private State state = State.PREAMBLE;
    private boolean mdcBefore;
    private int ones, bits, header, data;
    /** Frames that did not follow the standard (short preamble, bad start or turnaround). */
    public int protocolErrors;

    public MdioPhy(Port mdc, Port mdioOut, Port mdioOe, Port mdioIn, int address) {
        this.mdc = mdc;
        this.mdioOut = mdioOut;
        this.mdioOe = mdioOe;
        this.mdioIn = mdioIn;
        this.address = address;
        mdioIn.set(1);
    }

    /** Looks at the pins after a clock edge and answers. */
    public void tick() {
        boolean now = mdc.isHigh();
        boolean rising = now && !mdcBefore;
        mdcBefore = now;
        if (!rising) return;
        int bit = mdioOe.isHigh() ? (int) mdioOut.get() : (int) mdioIn.get();
        switch (state) {
            case PREAMBLE -> {
                if (bit == 1) {
                    ones++;
                } else {
                    if (ones < 32) protocolErrors++;
                    state = ones >= 32 ? State.START : State.PREAMBLE;
                    ones = 0;
                }
            }
            case START -> {
                if (bit != 1) protocolErrors++;
                state = bit == 1 ? State.HEADER : State.PREAMBLE;
                bits = 0;
                header = 0;
            }
            case HEADER -> {
                header = header << 1 | bit;
                if (++bits == 12) {
                    int op = header >> 10, phy = header >> 5 & 31;
                    bits = 0;
                    data = 0;
                    state = phy != address ? State.OTHERS : op == 0b10 ? State.READ : op == 0b01 ? State.WRITE : State.PREAMBLE;
                    if (state == State.PREAMBLE) protocolErrors++;
                }
            }
            case READ -> {
                // edge 0 is the first turnaround bit's; after it comes our zero, then the data
                int k = bits++;
                int reg = header & 31;
                if (k == 0) mdioIn.set(0);
                else if (k <= 16) mdioIn.set(registers[reg] >> (16 - k) & 1);
                else {
                    mdioIn.set(1);
                    state = State.PREAMBLE;
                }
            }
            case OTHERS -> { // a frame for another PHY: its turnaround and data are not ours
                if (++bits == 18) state = State.PREAMBLE;
            }
            case WRITE -> {
                int k = bits++;
                if (k == 0 && bit != 1 || k == 1 && bit != 0) protocolErrors++;
                if (k >= 2) data = data << 1 | bit;
                if (k == 17) {
                    registers[header & 31] = data & 0xffff;
                    state = State.PREAMBLE;
                }
            }
        }
    }
}

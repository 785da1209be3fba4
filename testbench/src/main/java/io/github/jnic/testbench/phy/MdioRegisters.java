package io.github.jnic.testbench.phy;

import io.github.jnic.testbench.sim.NativeModel;
import io.github.jnic.testbench.sim.Port;
import io.github.jnic.testbench.sim.Simulator;
import java.nio.ByteBuffer;

/**
 * A PHY's management registers behind MDIO (IEEE 802.3 clause 22), at full speed (native model
 * "mdio_phy"): the same protocol as {@link MdioPhy}, which checks a master cycle by cycle from
 * Java, without a JNI call per cycle, for a whole simulated card. Java sets registers (the PHY's
 * link coming up) and reads what the master wrote.
 */
public final class MdioRegisters extends NativeModel {
    public MdioRegisters(Simulator sim, String clock, int address) {
        super(sim, "mdio_phy", clock, new Port[] {sim.port("mdc"), sim.port("mdioOut"), sim.port("mdioOe"), sim.port("mdioIn")}, address);
    }

    /** Sets register {@code register} (0..31) to {@code value}. */
    public void set(int register, int value) {
        ByteBuffer b = buffer(3);
        b.put((byte) register).putShort((short) value);
        if (!put(b)) throw new IllegalArgumentException("register " + register);
    }

    public int get(int register) {
        return (int) query(register);
    }

    /** Frames on MDIO that broke the standard (short preamble, bad start or turnaround). */
    public long protocolErrors() {
        return query(32);
    }
}

package io.github.jnic.jhdl;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An external Verilog module (a vendor primitive such as a PLL or a DDR I/O cell) instantiated by
 * name. Its ports are declared like a module's; parameters become {@code #(.NAME(value))}. A
 * simulation model (Verilog text defining the same module) lets Verilator simulate the design.
 *
 * <pre>{@code
 * class SbIo extends BlackBox {
 *     public final Bool packagePin = output(bool());
 *     public final Bool dOut0 = input(bool());
 *     SbIo() { super("SB_IO"); parameter("PIN_TYPE", B(6, 0b011001)); simulationModel(MODEL); }
 * }
 * }</pre>
 */
public abstract class BlackBox extends Module {
    final String verilogName;
    final Map<String, Object> parameters = new LinkedHashMap<>();
    final Map<String, String> attributes = new LinkedHashMap<>();
    String simulationModel;

    protected BlackBox(String verilogName) {
        this.verilogName = verilogName;
    }

    /** A Verilog parameter: an Integer, Long, String, Boolean (1/0) or a literal signal (sized). */
    protected void parameter(String name, Object value) {
        if (!(value instanceof Number || value instanceof String || value instanceof Boolean
                || value instanceof Signal s && s.isLiteral())) {
            throw new IllegalArgumentException("parameter " + name + ": unsupported value " + value);
        }
        parameters.put(name, value);
    }

    /**
     * A Verilog attribute on the instance, {@code (* NAME = "value" *)}: what vendor tools read besides
     * parameters (an ECP5 PLL's loop filter settings, for instance).
     */
    protected void attribute(String name, String value) {
        attributes.put(name, value);
    }

    /** Verilog text of a module named like this black box, used only in simulation. */
    protected void simulationModel(String verilog) {
        simulationModel = verilog;
    }

    /** False for a vendor cell that only synthesis knows (Verilator cannot lint or simulate it). */
    public boolean hasSimulationModel() {
        return simulationModel != null;
    }

    @Override
    protected String moduleName() {
        return verilogName;
    }
}

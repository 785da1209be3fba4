package io.github.jnic.jhdl;

import java.math.BigInteger;

/**
 * The vocabulary of jhdl: types, literals, declarations and control regions. A {@link Module}
 * inherits all of it; other code uses {@code import static io.github.jnic.jhdl.Hdl.*}. Everything
 * that makes hardware applies to the module whose constructor is running.
 */
public class Hdl {
    Hdl() {}

    // ---- types (not yet hardware) ----------------------------------------------------------------

    public static Bool bool() {
        return new Bool(Signal.Spec.type(1));
    }

    public static Bits bits(int width) {
        return new Bits(Signal.Spec.type(width));
    }

    public static UInt uint(int width) {
        return new UInt(Signal.Spec.type(width));
    }

    public static SInt sint(int width) {
        return new SInt(Signal.Spec.type(width));
    }

    // ---- literals --------------------------------------------------------------------------------

    public static final Bool TRUE = Bool.of(true);
    public static final Bool FALSE = Bool.of(false);

    public static Bool bool(boolean value) {
        return value ? TRUE : FALSE;
    }

    /** An unsigned literal; the value must fit in {@code width} bits. */
    public static UInt U(int width, long value) {
        return Signal.literal(Signal.Shape.UINT, width, BigInteger.valueOf(value));
    }

    public static UInt U(int width, BigInteger value) {
        return Signal.literal(Signal.Shape.UINT, width, value);
    }

    /** A signed literal; the value must fit in {@code width} bits, two's complement. */
    public static SInt S(int width, long value) {
        return Signal.literal(Signal.Shape.SINT, width, BigInteger.valueOf(value));
    }

    /** A Bits literal; the value must fit in {@code width} bits. */
    public static Bits B(int width, long value) {
        return Signal.literal(Signal.Shape.BITS, width, BigInteger.valueOf(value));
    }

    public static Bits B(int width, BigInteger value) {
        return Signal.literal(Signal.Shape.BITS, width, value);
    }

    /**
     * A literal with a name: emitted as a {@code localparam} in every module that uses it, so that
     * state encodings and opcodes read as names in the Verilog.
     */
    public static <T extends Signal> T constant(String name, T literal) {
        if (!literal.isLiteral()) throw new IllegalArgumentException("constant(" + name + ", ...) needs a literal");
        T c = Signal.literal(literal.shape(), literal.width, literal.value);
        c.constantName = name;
        c.name = name;
        return c;
    }

    // ---- hardware --------------------------------------------------------------------------------

    public static <T extends Data> T input(T type) {
        return declare(type, Data.Role.INPUT);
    }

    /** An output port; also accepts a register of this module ({@code output(reg(uint(8), 0))}). */
    public static <T extends Data> T output(T type) {
        return declare(type, Data.Role.OUTPUT);
    }

    public static <T extends Data> T wire(T type) {
        return declare(type, Data.Role.WIRE);
    }

    /** A register without reset value, in the current clock domain. */
    public static <T extends Data> T reg(T type) {
        return declare(type, Data.Role.REG);
    }

    /** A register reset to {@code init} (a literal of the same type and width). */
    public static <T extends Signal> T reg(T type, T init) {
        T r = declare(type, Data.Role.REG);
        if (!init.isLiteral()) {
            Signal.problem(r.owner, Problem.Kind.ILLEGAL, r, () -> "the reset value must be a literal");
        } else if (init.width != r.width || init.shape() != r.shape()) {
            Signal.problem(r.owner, Problem.Kind.WIDTH_MISMATCH, r, () -> "reset value " + init.describe()
                    + " does not match the register's " + r.width + "-bit " + r.shapeName());
        }
        r.init = init;
        return r;
    }

    /** A register reset to {@code init}. */
    public static <T extends BitVector<T>> T reg(T type, long init) {
        return reg(type, type.lit(init));
    }

    public static Bool reg(Bool type, boolean init) {
        return reg(type, bool(init));
    }

    private static <T extends Data> T declare(T type, Data.Role role) {
        Context.Snapshot s = Context.snapshot();
        Module m = Context.current(s);
        type.bind(role, false, m, s.location());
        return type;
    }

    // ---- operators that are not methods ------------------------------------------------------------

    /** Concatenation, most significant part first (as in Verilog). */
    public static Bits cat(Signal... parts) {
        if (parts.length == 0) throw new IllegalArgumentException("cat() needs at least one part");
        int w = 0;
        for (Signal p : parts) w += p.width;
        return Signal.expr(Signal.Shape.BITS, w, Signal.Op.CAT, 0, 0, parts);
    }

    /** {@code cond ? whenTrue : whenFalse}; both values must have the same type and width. */
    public static <T extends Signal> T mux(Bool cond, T whenTrue, T whenFalse) {
        Signal.sameWidth("mux", whenTrue, whenFalse);
        if (whenTrue.shape() != whenFalse.shape()) {
            Signal.widthProblem(whenTrue, () -> "mux of a " + whenTrue.shapeName() + " and a " + whenFalse.shapeName());
        }
        return Signal.expr(whenTrue.shape(), whenTrue.width, Signal.Op.MUX, 0, 0, cond, whenTrue, whenFalse);
    }

    // ---- control ---------------------------------------------------------------------------------

    /** Assignments made by {@code body} take effect only when {@code cond} is high. */
    public static When when(Bool cond, Runnable body) {
        Context.Snapshot s = Context.snapshot();
        Module m = Context.current(s);
        Stmt.If stmt = new Stmt.If(cond, s.location());
        cond.requireHardware(m);
        m.block.add(stmt);
        When.run(m, stmt.then, body);
        return new When(m, stmt);
    }

    /** A case statement on {@code selector}: {@code switchOn(op).is(0, () -> ...).is(1, ...).otherwise(...)}. */
    public static Switch switchOn(Signal selector) {
        Context.Snapshot s = Context.snapshot();
        Module m = Context.current(s);
        Stmt.Switch stmt = new Stmt.Switch(selector, s.location());
        selector.requireHardware(m);
        m.block.add(stmt);
        return new Switch(m, stmt);
    }

    /** Registers and memory ports created by {@code body} (and submodules' default domain) use {@code domain}. */
    public static void withDomain(ClockDomain domain, Runnable body) {
        Module m = Context.current();
        ClockDomain saved = m.domain;
        m.domain = domain;
        try {
            body.run();
        } finally {
            m.domain = saved;
        }
    }

    /** The clock domain current in the module being built. */
    public static ClockDomain currentDomain() {
        return Context.current().domain;
    }

    // ---- memories --------------------------------------------------------------------------------

    /** A memory of {@code depth} words of {@code type}: synchronous reads and writes infer block RAM. */
    public static <T extends Signal> Mem<T> mem(T type, int depth) {
        return new Mem<>(type, depth, null);
    }

    /** A memory initialised from {@code contents} (unsigned word values), e.g. a ROM. */
    public static <T extends Signal> Mem<T> rom(T type, long... contents) {
        BigInteger[] init = new BigInteger[contents.length];
        for (int i = 0; i < contents.length; i++) init[i] = BigInteger.valueOf(contents[i]);
        return new Mem<>(type, contents.length, init);
    }

    public static <T extends Signal> Mem<T> rom(T type, BigInteger[] contents) {
        return new Mem<>(type, contents.length, contents.clone());
    }
}

package io.github.jnic.jhdl;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A leaf value with an explicit width: {@link Bool}, {@link Bits}, {@link UInt} or {@link SInt}.
 * Expressions are immutable nodes; ports, wires and registers are assigned with {@code assign}
 * (combinational) or {@code next} (registers). The last assignment on a path wins.
 */
public abstract class Signal extends Data {
    private static final AtomicLong SERIAL = new AtomicLong();

    enum Kind { TYPE, WIRE, REG, EXPR, LITERAL, MEM_READ }

    enum Dir { NONE, IN, OUT }

    enum Op {
        NOT, AND, OR, XOR, ADD, SUB, MUL, NEG,
        EQ, NE, LT, LE, GT, GE,
        SHL, SHR, SHL_DYN, SHR_DYN,
        SLICE, CAT, MUX, ZEXT, SEXT, CAST,
        AND_REDUCE, OR_REDUCE, XOR_REDUCE,
        MEM_ASYNC
    }

    enum Shape { BOOL, BITS, UINT, SINT }

    /** What a node is made of (for expressions) or how wide it is (for everything). */
    record Spec(int width, Kind kind, Op op, Signal[] args, int hi, int lo, BigInteger value) {
        static Spec type(int width) {
            return new Spec(width, Kind.TYPE, null, new Signal[0], 0, 0, null);
        }
    }

    final int width;
    final long serial = SERIAL.getAndIncrement();
    Kind kind;
    Dir dir = Dir.NONE;
    final Op op;
    final Signal[] args;
    final int hi, lo;
    final BigInteger value;
    Mem<?> mem;
    String constantName;
    ClockDomain domain;
    Signal init;
    Bool enable;
    boolean synchronizer;
    boolean clock;
    final List<Stmt.Assign> assignments = new ArrayList<>(1);

    Signal(Spec s) {
        if (s.width() < 1) throw new IllegalArgumentException("a signal needs a width of at least 1, not " + s.width());
        width = s.width();
        kind = s.kind();
        op = s.op();
        args = s.args();
        hi = s.hi();
        lo = s.lo();
        value = s.value();
    }

    abstract Shape shape();

    /** Width in bits. */
    public int width() {
        return width;
    }

    @Override
    public boolean isType() {
        return kind == Kind.TYPE;
    }

    public boolean isRegister() {
        return kind == Kind.REG;
    }

    public boolean isLiteral() {
        return kind == Kind.LITERAL;
    }

    /** The constant value of a literal (two's complement for SInt: negative values come back negative). */
    public BigInteger literalValue() {
        if (kind != Kind.LITERAL) throw new IllegalStateException(path() + " is not a literal");
        return value;
    }

    @Override
    public List<Signal> leaves() {
        return List.of(this);
    }

    // ---- construction ------------------------------------------------------------------------------

    static Signal create(Shape shape, Spec s) {
        return switch (shape) {
            case BOOL -> new Bool(s);
            case BITS -> new Bits(s);
            case UINT -> new UInt(s);
            case SINT -> new SInt(s);
        };
    }

    @Override
    public Signal cloneType() {
        return create(shape(), Spec.type(width));
    }

    /**
     * An expression node. Nodes are made often, so they do not look up the module or the source
     * line (a stack walk each): problems are located when they are recorded, and the module an
     * expression belongs to is the one whose statements use it.
     */
    @SuppressWarnings("unchecked")
    static <T extends Signal> T expr(Shape shape, int width, Op op, int hi, int lo, Signal... args) {
        T node = (T) create(shape, new Spec(width, Kind.EXPR, op, args, hi, lo, null));
        for (Signal a : args) {
            if (a.kind == Kind.TYPE) {
                problemHere(Problem.Kind.ILLEGAL, a, () -> "a type (e.g. uint(8)) is used as a value; "
                        + "declare it with wire(), reg(), input() or output() first");
            }
        }
        return node;
    }

    @SuppressWarnings("unchecked")
    static <T extends Signal> T literal(Shape shape, int width, BigInteger v) {
        BigInteger min = shape == Shape.SINT ? BigInteger.ONE.shiftLeft(width - 1).negate() : BigInteger.ZERO;
        BigInteger max = shape == Shape.SINT ? BigInteger.ONE.shiftLeft(width - 1) : BigInteger.ONE.shiftLeft(width);
        if (v.compareTo(min) < 0 || v.compareTo(max) >= 0) {
            throw new IllegalArgumentException("jhdl: the literal " + v + " does not fit in a " + width + "-bit "
                    + shape.name() + " (at " + Context.location() + ")");
        }
        return (T) create(shape, new Spec(width, Kind.LITERAL, null, new Signal[0], 0, 0, v));
    }

    /** Same value, seen as another type of the same width. */
    @SuppressWarnings("unchecked")
    <T extends Signal> T cast(Shape shape) {
        if (shape == shape()) return (T) this;
        if (kind == Kind.LITERAL) {
            BigInteger u = unsignedValue();
            BigInteger v = shape == Shape.SINT && u.testBit(width - 1) ? u.subtract(BigInteger.ONE.shiftLeft(width)) : u;
            return literal(shape, width, v);
        }
        return expr(shape, width, Op.CAST, 0, 0, this);
    }

    BigInteger unsignedValue() {
        return value.signum() < 0 ? value.add(BigInteger.ONE.shiftLeft(width)) : value;
    }

    void requireHardware(Module m) {
        if (kind == Kind.TYPE) {
            problem(m, Problem.Kind.ILLEGAL, this,
                    () -> "a type (e.g. uint(8)) is used as a value; declare it with wire(), reg(), input() or output() first");
        }
    }

    /** Records a problem on the module being built; it is reported when the design is emitted. */
    static void problem(Module m, Problem.Kind kind, Data subject, Supplier<String> why) {
        m.problems.add(new Module.PendingProblem(kind, subject::path, subject.location, why));
    }

    static void problemHere(Problem.Kind kind, Data subject, Supplier<String> why) {
        Context.Snapshot s = Context.snapshot();
        Module m = Context.current(s);
        m.problems.add(new Module.PendingProblem(kind, subject::path, s.location(), why));
    }

    // ---- naming ------------------------------------------------------------------------------------

    @Override
    String describe() {
        return switch (kind) {
            case LITERAL -> width + "'d" + unsignedValue();
            case EXPR -> op.name().toLowerCase() + "(" + String.join(", ", java.util.Arrays.stream(args)
                    .map(a -> a.name != null ? a.name : a.kind == Kind.LITERAL ? a.describe() : "…").toList()) + ")";
            default -> "<unnamed " + kind.name().toLowerCase() + ">";
        };
    }

    // ---- binding ---------------------------------------------------------------------------------

    @Override
    void bind(Role role, boolean flippedParity, Module m, SourceLocation at) {
        if (role == Role.OUTPUT && kind == Kind.REG && owner == m && dir == Dir.NONE) {
            dir = Dir.OUT; // output(reg(...)): a registered output
            m.ports.add(this);
            return;
        }
        if (kind != Kind.TYPE) {
            problem(m, Problem.Kind.ILLEGAL, this, () -> "is already hardware; declare ports, wires and registers from a fresh type");
            return;
        }
        owner = m;
        location = at;
        switch (role) {
            case INPUT, OUTPUT -> {
                kind = Kind.WIRE;
                dir = (role == Role.INPUT) != flippedParity ? Dir.IN : Dir.OUT;
                m.ports.add(this);
            }
            case WIRE -> kind = Kind.WIRE;
            case REG -> {
                kind = Kind.REG;
                domain = m.domain;
            }
        }
        m.signals.add(this);
    }

    // ---- assignment ------------------------------------------------------------------------------

    /** Drives this port or wire (combinational); checks the shape at run time (for generic code). */
    public void assignFrom(Signal value) {
        drive(value, false);
    }

    void drive(Signal v, boolean viaNext) {
        Context.Snapshot s = Context.snapshot();
        Module m = Context.current(s);
        SourceLocation at = s.location();
        v.requireHardware(m);
        switch (kind) {
            case TYPE -> problemAt(m, at, Problem.Kind.ILLEGAL, "is a type; declare it with wire(), reg(), input() or output() before assigning it");
            case EXPR, LITERAL -> problemAt(m, at, Problem.Kind.ILLEGAL, "is an expression and cannot be assigned; assign a wire() instead");
            case MEM_READ -> problemAt(m, at, Problem.Kind.MULTIPLE_DRIVERS, "is the read data of memory " + mem.name + " and is driven by it");
            case REG -> {
                if (!viaNext) problemAt(m, at, Problem.Kind.ILLEGAL, "is a register: give its next value with next(), not assign()");
            }
            case WIRE -> {
                if (viaNext) problemAt(m, at, Problem.Kind.ILLEGAL, "is not a register: next() is for registers, use assign()");
            }
        }
        if (v.width != width) {
            problemAt(m, at, Problem.Kind.WIDTH_MISMATCH, "assigned a " + v.width + "-bit value ("
                    + v.describeShort() + ") but is " + width + " bits wide; use resize() or slice() to say what you mean");
        } else if (v.shape() != shape()) {
            problemAt(m, at, Problem.Kind.WIDTH_MISMATCH, "a " + shapeName() + " is assigned a " + v.shapeName() + "; convert it explicitly (asUInt(), asBits(), ...)");
        }
        Stmt.Assign a = new Stmt.Assign(this, v, m, at);
        m.block.add(a);
        assignments.add(a);
    }

    private void problemAt(Module m, SourceLocation at, Problem.Kind k, String why) {
        m.problems.add(new Module.PendingProblem(k, this::path, at, () -> why));
    }

    String describeShort() {
        return name != null ? path() : describe();
    }

    String shapeName() {
        return switch (shape()) {
            case BOOL -> "Bool";
            case BITS -> "Bits";
            case UINT -> "UInt";
            case SINT -> "SInt";
        };
    }

    /** Marks this register as the first stage of a synchronizer: it may sample a signal from another clock domain. */
    public void markSynchronizer() {
        if (kind != Kind.REG) {
            problemHere(Problem.Kind.ILLEGAL, this, () -> "only a register can be the first stage of a synchronizer");
        }
        synchronizer = true;
    }

    /** Makes this register keep its value unless {@code en} is high (a register enable, on top of any when). */
    public void enableWhen(Bool en) {
        if (kind != Kind.REG) {
            problemHere(Problem.Kind.ILLEGAL, this, () -> "enableWhen() is for registers");
        }
        enable = en;
    }

    /** The clock domain of a register (null for anything else). */
    public ClockDomain clockDomain() {
        return domain;
    }

    // ---- helpers for the typed operators -----------------------------------------------------------

    /** Checks that two operands have the same width; records the problem against the result otherwise. */
    static void sameWidth(String what, Signal a, Signal b) {
        if (a.width != b.width) {
            Context.Snapshot s = Context.snapshot();
            Module m = Context.current(s);
            m.problems.add(new Module.PendingProblem(Problem.Kind.WIDTH_MISMATCH, a::describeShort, s.location(),
                    () -> what + " of " + a.describeShort() + " (" + a.width + " bits) and " + b.describeShort() + " ("
                            + b.width + " bits): widths must be equal; use resize() to say what you mean"));
        }
    }

    static void widthProblem(Signal subject, Supplier<String> why) {
        Context.Snapshot s = Context.snapshot();
        Module m = Context.current(s);
        m.problems.add(new Module.PendingProblem(Problem.Kind.WIDTH_MISMATCH, subject::describeShort, s.location(), why));
    }
}

package io.github.jnic.jhdl;

import java.math.BigInteger;

/** A single bit with logic operators; conditions of {@code when} are Bools. */
public final class Bool extends Signal {
    Bool(Spec s) {
        super(s);
    }

    @Override
    Shape shape() {
        return Shape.BOOL;
    }

    @Override
    public Bool cloneType() {
        return new Bool(Spec.type(1));
    }

    public Bool named(String name) {
        setName(name, true);
        return this;
    }

    public Bool and(Bool b) { return expr(Shape.BOOL, 1, Op.AND, 0, 0, this, b); }
    public Bool or(Bool b) { return expr(Shape.BOOL, 1, Op.OR, 0, 0, this, b); }
    public Bool xor(Bool b) { return expr(Shape.BOOL, 1, Op.XOR, 0, 0, this, b); }
    public Bool not() {
        if (kind == Kind.LITERAL) return Hdl.bool(value.signum() == 0);
        return expr(Shape.BOOL, 1, Op.NOT, 0, 0, this);
    }
    public Bool eq(Bool b) { return expr(Shape.BOOL, 1, Op.EQ, 0, 0, this, b); }
    public Bool ne(Bool b) { return expr(Shape.BOOL, 1, Op.NE, 0, 0, this, b); }

    public Bits asBits() { return cast(Shape.BITS); }
    public UInt asUInt() { return cast(Shape.UINT); }

    /** Drives this port or wire (combinational logic). */
    public void assign(Bool v) { drive(v, false); }
    public void assign(boolean v) { drive(Hdl.bool(v), false); }
    /** Gives this register its value after the next clock edge. */
    public void next(Bool v) { drive(v, true); }
    public void next(boolean v) { drive(Hdl.bool(v), true); }

    static Bool of(boolean v) {
        return literal(Shape.BOOL, 1, v ? BigInteger.ONE : BigInteger.ZERO);
    }
}

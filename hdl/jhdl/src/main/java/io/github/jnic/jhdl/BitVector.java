package io.github.jnic.jhdl;

import java.math.BigInteger;

/**
 * Operators shared by {@link Bits}, {@link UInt} and {@link SInt}. Binary operators need operands of
 * the same type (checked by Java) and the same width (checked when the design is built): nothing is
 * ever extended or truncated silently. {@code plus}/{@code minus} wrap around at the operand width;
 * {@code times} gives the full product.
 */
public abstract class BitVector<T extends BitVector<T>> extends Signal {

    BitVector(Spec s) {
        super(s);
    }

    @SuppressWarnings("unchecked")
    private T self() {
        return (T) this;
    }

    T lit(long v) {
        return literal(shape(), width, BigInteger.valueOf(v));
    }

    T binary(Op op, String what, T b) {
        sameWidth(what, this, b);
        return expr(shape(), width, op, 0, 0, this, b);
    }

    Bool compare(Op op, String what, T b) {
        sameWidth(what, this, b);
        return expr(Shape.BOOL, 1, op, 0, 0, this, b);
    }

    @SuppressWarnings("unchecked")
    public T named(String name) {
        setName(name, true);
        return (T) this;
    }

    // bitwise
    public T and(T b) { return binary(Op.AND, "and", b); }
    public T or(T b) { return binary(Op.OR, "or", b); }
    public T xor(T b) { return binary(Op.XOR, "xor", b); }
    public T not() { return expr(shape(), width, Op.NOT, 0, 0, this); }

    // arithmetic (wraps at the operand width)
    public T plus(T b) { return binary(Op.ADD, "plus", b); }
    public T minus(T b) { return binary(Op.SUB, "minus", b); }
    /** Two's complement negation, wrapping at the width ({@code -x} modulo 2^width). */
    public T negate() { return expr(shape(), width, Op.NEG, 0, 0, this); }
    public T plus(long b) { return plus(lit(b)); }
    public T minus(long b) { return minus(lit(b)); }

    /** Full product: the width is the sum of both widths (operands may differ in width). */
    public T times(T b) {
        int w = width + b.width;
        return expr(shape(), w, Op.MUL, 0, 0, resize(w), b.resize(w));
    }

    // comparison
    public Bool eq(T b) { return compare(Op.EQ, "eq", b); }
    public Bool ne(T b) { return compare(Op.NE, "ne", b); }
    public Bool lt(T b) { return compare(Op.LT, "lt", b); }
    public Bool le(T b) { return compare(Op.LE, "le", b); }
    public Bool gt(T b) { return compare(Op.GT, "gt", b); }
    public Bool ge(T b) { return compare(Op.GE, "ge", b); }
    public Bool eq(long b) { return eq(lit(b)); }
    public Bool ne(long b) { return ne(lit(b)); }
    public Bool lt(long b) { return lt(lit(b)); }
    public Bool le(long b) { return le(lit(b)); }
    public Bool gt(long b) { return gt(lit(b)); }
    public Bool ge(long b) { return ge(lit(b)); }

    // shifts keep the width: bits shifted out are dropped (logical; arithmetic right shift for SInt)
    public T shiftLeft(int n) { return shift(Op.SHL, n); }
    public T shiftRight(int n) { return shift(Op.SHR, n); }
    public T shiftLeft(UInt n) { return expr(shape(), width, Op.SHL_DYN, 0, 0, this, n); }
    public T shiftRight(UInt n) { return expr(shape(), width, Op.SHR_DYN, 0, 0, this, n); }

    private T shift(Op op, int n) {
        if (n < 0 || n >= width) {
            widthProblem(this, () -> "shift by " + n + " of a " + width + "-bit value: the amount must be in 0.." + (width - 1));
        }
        return n == 0 ? self() : expr(shape(), width, op, 0, n, this);
    }

    // reductions
    public Bool andR() { return expr(Shape.BOOL, 1, Op.AND_REDUCE, 0, 0, this); }
    public Bool orR() { return expr(Shape.BOOL, 1, Op.OR_REDUCE, 0, 0, this); }
    public Bool xorR() { return expr(Shape.BOOL, 1, Op.XOR_REDUCE, 0, 0, this); }

    // bits
    /** Bits {@code hi} down to {@code lo}, inclusive, as the same type. */
    public T slice(int hi, int lo) {
        if (lo < 0 || hi < lo || hi >= width) {
            widthProblem(this, () -> "slice(" + hi + ", " + lo + ") of a " + width + "-bit value is out of range");
            return expr(shape(), Math.max(1, hi - lo + 1), Op.SLICE, Math.min(Math.max(hi, 0), width - 1), 0, this);
        }
        if (hi == width - 1 && lo == 0) return self();
        if (kind == Kind.LITERAL) {
            BigInteger v = unsignedValue().shiftRight(lo).and(BigInteger.ONE.shiftLeft(hi - lo + 1).subtract(BigInteger.ONE));
            return Signal.<UInt>literal(Shape.UINT, hi - lo + 1, v).cast(shape());
        }
        return expr(shape(), hi - lo + 1, Op.SLICE, hi, lo, this);
    }

    public Bool bit(int i) {
        if (width == 1 && i == 0) return cast(Shape.BOOL);
        if (i < 0 || i >= width) {
            widthProblem(this, () -> "bit(" + i + ") of a " + width + "-bit value is out of range");
            return expr(Shape.BOOL, 1, Op.SLICE, 0, 0, this);
        }
        if (kind == Kind.LITERAL) return Hdl.bool(unsignedValue().testBit(i));
        return expr(Shape.BOOL, 1, Op.SLICE, i, i, this);
    }

    public Bool msb() { return bit(width - 1); }
    public Bool lsb() { return bit(0); }

    /**
     * Explicit change of width: zero-extends Bits and UInt, sign-extends SInt; a smaller width keeps
     * the low bits.
     */
    public T resize(int w) {
        if (w == width) return self();
        if (w < width) return slice(w - 1, 0);
        if (kind == Kind.LITERAL) return literal(shape(), w, value);
        return expr(shape(), w, shape() == Shape.SINT ? Op.SEXT : Op.ZEXT, 0, 0, this);
    }

    // conversions (same width)
    public Bits asBits() { return cast(Shape.BITS); }
    public UInt asUInt() { return cast(Shape.UINT); }
    public SInt asSInt() { return cast(Shape.SINT); }

    public Bool asBool() {
        if (width != 1) widthProblem(this, () -> "asBool() of a " + width + "-bit value: only 1-bit values convert; use bit(i) or orR()");
        return cast(Shape.BOOL);
    }

    // assignment
    /** Drives this port or wire (combinational logic). */
    public void assign(T v) { drive(v, false); }
    public void assign(long v) { drive(lit(v), false); }
    /** Gives this register its value after the next clock edge. */
    public void next(T v) { drive(v, true); }
    public void next(long v) { drive(lit(v), true); }
}

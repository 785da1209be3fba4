package io.github.jnic.jhdl;

/** An uninterpreted vector of bits: bitwise operators, slicing, concatenation; no arithmetic order. */
public final class Bits extends BitVector<Bits> {
    Bits(Spec s) {
        super(s);
    }

    @Override
    Shape shape() {
        return Shape.BITS;
    }

    @Override
    public Bits cloneType() {
        return new Bits(Spec.type(width));
    }
}
